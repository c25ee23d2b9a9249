"""The review's findings reproduced against a real gunicorn under production settings
(DJANGO_SECURE_COOKIES=false, the plain-HTTP trial an operator starts with): forged
X-Forwarded-For, oversized anonymous uploads, logging in over plain HTTP."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest
from openpyxl import Workbook

from tests.security.gunicorn_server import PROXY_ADDRESS, Browser, Gunicorn
from tests.security.nginx_server import NGINX, Nginx, self_signed_certificate

ADMIN_PASSWORD = "Correct-Horse-2019"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Set up as an operator with only the README would: migrate (which says what to do next), the
    first administrator with createuser, everyone else from an Excel user list with import_users."""
    base = tmp_path_factory.mktemp("gunicorn")
    server = Gunicorn(base, DJANGO_SECURE_COOKIES="false")
    migrate, collectstatic = server.prepare()
    server.setup_output = [migrate, collectstatic]
    assert "下一步" in migrate.stdout and "createuser admin" in migrate.stdout
    admin = server.manage(
        "createuser",
        "admin",
        "--name",
        "系统管理员",
        "--role",
        "系统管理员",
        "--password-stdin",
        stdin=ADMIN_PASSWORD + "\n",
    )
    assert admin.returncode == 0, admin.stdout + admin.stderr
    wb = Workbook()
    wb.active.append(["账号", "姓名", "所属党组织", "角色", "邮箱"])
    for row in (
        ("dangjian", "张敏", "", "党建部", ""),
        ("jiancha", "王磊", "", "检查组成员", ""),
        ("lingdao", "陈建国", "", "党委领导", ""),
    ):
        wb.active.append(row)
    wb.save(base / "users.xlsx")
    imported = server.manage("import_users", str(base / "users.xlsx"))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    server.setup_output += [admin, imported]
    server.passwords = {
        line.split("\t")[0]: line.split("\t")[3] for line in imported.stdout.splitlines() if "\t" in line
    }
    assert set(server.passwords) == {"dangjian", "jiancha", "lingdao"}
    server.start()
    yield server
    server.stop()


def test_management_commands_print_no_axes_banner(server):
    for out in server.setup_output:
        assert "AXES" not in out.stdout + out.stderr


def audit_addresses(server, username: str) -> list[str]:
    code = (
        "import json; from audit.models import AuditEvent;"
        f"print(json.dumps(list(AuditEvent.objects.filter(actor_name={username!r}).order_by('pk')"
        ".values_list('action', 'address'))))"
    )
    return [tuple(row) for row in json.loads(server.python(code))]


def attempt_addresses(server, username: str) -> set[str]:
    code = (
        "import json; from axes.models import AccessAttempt;"
        f"print(json.dumps(list(AccessAttempt.objects.filter(username={username!r})"
        ".values_list('ip_address', flat=True))))"
    )
    return set(json.loads(server.python(code)))


def test_a_forged_forwarded_for_straight_to_gunicorn_is_locked_at_the_fifth_attempt(server):
    browser = Browser(server.port)
    statuses = [
        browser.login("jiancha", "wrong", headers={"X-Forwarded-For": f"203.0.113.{n}"}).status for n in range(1, 13)
    ]
    assert statuses == [200] * 4 + [429] * 8
    # The right password does not get in either, from that peer.
    assert (
        browser.login("jiancha", server.passwords["jiancha"], headers={"X-Forwarded-For": "203.0.113.200"}).status
        == 429
    )
    assert attempt_addresses(server, "jiancha") == {"127.0.0.1"}
    events = audit_addresses(server, "jiancha")
    assert events and {address for _, address in events} == {"127.0.0.1"}
    assert {action for action, _ in events} == {"login_failed"}


def test_the_trusted_proxys_header_is_believed_from_its_right_hand_end(server):
    proxy = Browser(server.port, source=PROXY_ADDRESS)
    assert proxy.login("lingdao", "wrong", headers={"X-Forwarded-For": "203.0.113.5"}).status == 200
    # A client that wrote its own header: the proxy appended the real address on the right.
    assert proxy.login("lingdao", "wrong", headers={"X-Forwarded-For": "198.51.100.66, 203.0.113.5"}).status == 200
    assert proxy.login("lingdao", server.passwords["lingdao"], headers={"X-Forwarded-For": "203.0.113.5"}).status == 302
    assert audit_addresses(server, "lingdao") == [
        ("login_failed", "203.0.113.5"),
        ("login_failed", "203.0.113.5"),
        ("login", "203.0.113.5"),
    ]


def raw_exchange(port: int, head: bytes, body_chunks) -> tuple[bytes, float]:
    """Send `head` then the body from another thread, as fast as the server takes it; return the
    first bytes of the answer and how long it took."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    started = time.monotonic()

    def send():
        try:
            sock.sendall(head)
            for chunk in body_chunks:
                sock.sendall(chunk)
        except OSError:
            pass  # the server answered and closed: what we expect

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    answer = b""
    try:
        while b"\r\n\r\n" not in answer:
            data = sock.recv(65536)
            if not data:
                break
            answer += data
    finally:
        elapsed = time.monotonic() - started
        sock.close()
        sender.join(timeout=10)
    return answer, elapsed


def multipart_head(length: int, *, chunked: bool = False) -> bytes:
    size = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {length}"
    return (
        f"POST /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=XyZ\r\n{size}\r\n\r\n"
    ).encode()


PART_HEAD = b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n'


def test_an_800_mb_anonymous_upload_is_refused_at_once_without_touching_the_disk(server):
    before = server.temporary_files()
    declared = 800 * 1024 * 1024

    def body():
        yield PART_HEAD
        for _ in range(64):  # 64 MB actually sent, as fast as the server reads it
            yield b"\0" * (1024 * 1024)

    answer, elapsed = raw_exchange(server.port, multipart_head(declared), body())
    assert answer.startswith(b"HTTP/1.1 413"), answer[:300]
    assert elapsed < 5
    assert server.temporary_files() == before == []


def test_a_chunked_upload_is_refused_once_it_passes_the_limit(server):
    before = server.temporary_files()

    def body():
        data = PART_HEAD + b"\0" * (64 * 1024)
        for _ in range(80):  # 5 MB, twice what /login/ accepts
            yield f"{len(data):x}\r\n".encode() + data + b"\r\n"
            data = b"\0" * (64 * 1024)
        yield b"0\r\n\r\n"

    answer, _ = raw_exchange(server.port, multipart_head(0, chunked=True), body())
    assert answer.startswith(b"HTTP/1.1 413"), answer[:300]
    assert server.temporary_files() == before == []


def test_the_refusal_says_why_in_chinese(server):
    response = Browser(server.port).request(
        "POST", "/login/", b"x" * (3 * 1024 * 1024), {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status == 413
    assert "请求内容过大" in response.body and "2.5" in response.body


def test_a_plain_http_trial_logs_in_with_secure_cookies_off(server):
    browser = Browser(server.port)
    response = browser.login("dangjian", server.passwords["dangjian"])
    assert response.status == 302, response.body[:500]
    assert browser.set_cookie_headers and not any("secure" in h.lower() for h in browser.set_cookie_headers)
    home = browser.request("GET", "/")
    assert home.status == 200
    assert "张敏" in home.body


# --- the repository's nginx in front (deploy/nginx/http-trial.conf) ----------------------------------


@pytest.fixture(scope="module")
def nginx(server, tmp_path_factory):
    if NGINX is None:
        pytest.skip("nginx is not installed (.ci/run installs nginx-light)")
    proxy = Nginx(
        tmp_path_factory.mktemp("nginx"), "http-trial.conf", upstream=f"127.0.0.1:{server.port}", bind=PROXY_ADDRESS
    )
    proxy.start()
    yield proxy
    proxy.stop()


def test_through_nginx_the_client_is_the_address_nginx_saw_whatever_it_claims(server, nginx):
    client = Browser(nginx.port, source="127.0.0.3")
    assert client.login("dangjian", "wrong", headers={"X-Forwarded-For": "203.0.113.9"}).status == 200
    assert audit_addresses(server, "dangjian")[-1] == ("login_failed", "127.0.0.3")
    assert "127.0.0.3" in attempt_addresses(server, "dangjian")


def test_nginx_refuses_an_oversized_body_in_chinese_and_lets_an_evidence_upload_through(nginx):
    client = Browser(nginx.port)
    refused = client.request("POST", "/login/", b"x" * (3 * 1024 * 1024), {"Content-Type": "text/plain"})
    assert refused.status == 413 and "请求内容过大" in refused.body
    # 5 MB is within an evidence upload's limit: nginx passes it on (the portal then asks for a login).
    passed = client.request(
        "POST", "/interviews/items/1/evidence/", b"x" * (5 * 1024 * 1024), {"Content-Type": "text/plain"}
    )
    assert passed.status != 413


def test_the_tls_configuration_is_valid_nginx(tmp_path):
    if NGINX is None:
        pytest.skip("nginx is not installed (.ci/run installs nginx-light)")
    self_signed_certificate(tmp_path)
    proxy = Nginx(tmp_path, "https.conf", upstream="127.0.0.1:9", bind=PROXY_ADDRESS)
    result = proxy.test_config()
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def https_server(tmp_path_factory):
    """Production as deployed behind a TLS proxy: secure cookies, HTTPS redirect, nginx trusted."""
    server = Gunicorn(tmp_path_factory.mktemp("gunicorn-https"))
    server.prepare()
    server.start()
    yield server
    server.stop()


def test_a_client_straight_to_gunicorn_cannot_claim_https(https_server):
    # Plain HTTP, peer 127.0.0.1 (not a trusted proxy), claiming the proxy ended TLS for it.
    response = Browser(https_server.port).request("GET", "/login/", headers={"X-Forwarded-Proto": "https"})
    assert response.status == 301 and response.headers["Location"].startswith("https://")
    assert Browser(https_server.port).request("GET", "/login/").status == 301


def test_the_trusted_proxys_forwarded_proto_is_believed(https_server):
    proxy = Browser(https_server.port, source=PROXY_ADDRESS)
    response = proxy.request("GET", "/login/", headers={"X-Forwarded-Proto": "https"})
    assert response.status == 200 and "Strict-Transport-Security" in response.headers
    assert proxy.request("GET", "/login/").status == 301  # the proxy said nothing: plain HTTP
