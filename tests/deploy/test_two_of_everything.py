"""Two web processes and a worker, as docker-compose.yml runs them on more than one machine: each
with its own empty local directories, sharing one PostgreSQL, one Redis and one S3-compatible
bucket. What one process stored, the others serve; a lockout reached through one holds on the other.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import time
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from openpyxl import load_workbook

from branches import roles
from tests import factories
from tests.deploy import servers
from tests.helpers import make_user
from tests.interviews.helpers import answered, make_interview

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BUCKET = "honglanbang"
PASSWORD = "Deploy@2026-two"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """collectstatic once: production settings serve hashed static files (manifest storage)."""
    root = tmp_path_factory.mktemp("static")
    env = servers.production_env(
        DJANGO_STATIC_ROOT=str(root), DATABASE_URL="sqlite:///:memory:", CELERY_BROKER_URL="redis://127.0.0.1:1/0"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=servers.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    return root


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, static_root, django_db_setup, django_db_blocker):
    """Started once for the module (starting Django in five processes is slow on a busy machine);
    each test's rows are its own (transactional tests, flushed after each)."""
    tmp_path = tmp_path_factory.mktemp("cluster")
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the processes share the test database")
    if not shutil.which("redis-server"):
        pytest.skip("redis-server not installed")
    pytest.importorskip("moto.server")
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    with servers.redis_server(tmp_path) as redis_url, servers.s3_server(tmp_path, BUCKET) as s3:
        shared = {
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": f"{redis_url}/0",
            "CACHE_URL": f"{redis_url}/1",
            "DJANGO_S3_BUCKET": BUCKET,
            "DJANGO_S3_ENDPOINT_URL": s3,
            "DJANGO_S3_ACCESS_KEY": "portal",
            "DJANGO_S3_SECRET_KEY": "portal-secret",
            "DJANGO_S3_REGION": "us-east-1",
            "DJANGO_STATIC_ROOT": str(static_root),
        }
        local = {}
        for name in ("web_a", "web_b", "worker"):
            local[name] = tmp_path / name
            (local[name] / "media").mkdir(parents=True)
            (local[name] / "reports").mkdir()

        def env_for(name: str) -> dict[str, str]:
            return servers.production_env(
                **shared,
                DJANGO_MEDIA_ROOT=str(local[name] / "media"),
                DJANGO_REPORTS_ROOT=str(local[name] / "reports"),
            )

        with (
            servers.gunicorn(env_for("web_a"), tmp_path, "web_a") as a,
            servers.gunicorn(env_for("web_b"), tmp_path, "web_b") as b,
            servers.celery_worker(env_for("worker"), tmp_path),
        ):
            yield type("Cluster", (), {"a": a, "b": b, "s3": s3, "local": local, "logs": tmp_path})


def person(role: str, username: str, **kwargs):
    user = make_user(role, username=username, **kwargs)
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])
    return user


def local_files(cluster) -> list[str]:
    return sorted(str(p.relative_to(cluster.logs)) for d in cluster.local.values() for p in d.rglob("*") if p.is_file())


def bucket_names(cluster, prefix: str) -> list[str]:
    listing = servers.s3_client(cluster.s3).list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return [o["Key"] for o in listing.get("Contents", [])]


def test_evidence_uploaded_through_one_web_process_downloads_through_the_other(cluster):
    secretary = person(roles.SECRETARY, "shuji2")
    branch = factories.BranchFactory(secretary=secretary)
    secretary.branch = branch
    secretary.save(update_fields=["branch"])
    item = make_interview(branch=branch, n_items=1, **answered()).items.get()

    at_a = servers.Browser(cluster.a)
    assert at_a.login("shuji2", PASSWORD).status_code == 302
    upload = at_a.post(
        f"/interviews/items/{item.pk}/evidence/", files={"file": ("会议记录.pdf", PDF, "application/pdf")}
    )
    assert upload.status_code == 302, upload.text[:2000]
    evidence = item.evidence.get()
    assert bucket_names(cluster, "media/evidence/") == [f"media/{evidence.file.name}"]

    at_b = servers.Browser(cluster.b).with_session_of(at_a)  # the load balancer sends the next request to B
    download = at_b.get(f"/interviews/evidence/{evidence.pk}/")
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    # Another branch's secretary at B is refused: the shared file is never public.
    person(roles.SECRETARY, "other", branch=factories.BranchFactory())
    stranger = servers.Browser(cluster.b)
    assert stranger.login("other", PASSWORD).status_code == 302
    assert stranger.get(f"/interviews/evidence/{evidence.pk}/").status_code == 404
    assert local_files(cluster) == []  # nothing on any machine's own disk


def test_a_report_built_by_the_worker_downloads_from_both_web_processes(cluster):
    from reports.models import ExportJob
    from scoring.models import Quarter, ScoreSheet

    quarter = factories.QuarterFactory(code="2019Q1", status=Quarter.Status.SCORING)
    for name, fraction in (("白银变电运检中心党支部", "0.9"), ("平川区供电公司党总支", "0.8")):
        sheet = factories.ScoreSheetFactory(
            quarter=quarter, branch=factories.BranchFactory(name=name), status=ScoreSheet.Status.SUBMITTED
        )
        factories.fill_sheet(sheet, Decimal(fraction))
    person(roles.ADMIN, "sysadmin2", is_staff=True)

    at_a = servers.Browser(cluster.a)
    assert at_a.login("sysadmin2", PASSWORD).status_code == 302
    response = at_a.post("/reports/exports/", {"kind": "scores", "quarter": "2019Q1"})
    assert response.status_code == 302, response.text[:2000]
    job = ExportJob.objects.get()
    deadline = time.monotonic() + 90
    while not job.is_finished and time.monotonic() < deadline:
        time.sleep(0.3)
        job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, (job.status, job.error)
    assert bucket_names(cluster, "reports/") == [f"reports/{job.file_name}"]

    downloads = []
    for browser in (at_a, servers.Browser(cluster.b).with_session_of(at_a)):
        response = browser.get(f"/reports/exports/{job.pk}/download/")
        assert response.status_code == 200
        downloads.append(response.content)
    assert downloads[0] == downloads[1]
    workbook = load_workbook(io.BytesIO(downloads[0]))
    assert workbook["Ⅰ类"]["B3"].value == "白银变电运检中心党支部"
    assert local_files(cluster) == []


def test_a_lockout_reached_through_one_web_process_holds_on_the_other(cluster):
    person(roles.DEPT, "dangjian2")
    at_a = servers.Browser(cluster.a)
    codes = [at_a.login("dangjian2", "wrong-password").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]  # locked at the fifth (django-axes answers 429)
    # The right password, from the same address, at the other replica: still locked.
    at_b = servers.Browser(cluster.b)
    response = at_b.login("dangjian2", PASSWORD)
    assert response.status_code == 429 and "sessionid" not in at_b.cookies
    assert "锁定" in response.text


def test_both_replicas_report_ready_with_the_shared_services(cluster):
    import requests

    for url in (cluster.a, cluster.b):
        ready = requests.get(f"{url}/readyz", timeout=10)
        assert ready.status_code == 200
        assert ready.json() == {"status": "ok", "database": True, "cache": True, "queue": True}
