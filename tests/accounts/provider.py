"""Starts the test OpenID Connect provider (tests/accounts/oidc_provider/, django-oidc-provider) as a
second Django process under gunicorn on a free 127.0.0.1 port, with its own SQLite database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.accounts.slapd import free_port

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CLIENT_ID = "honglanbang"
CLIENT_SECRET = "portal-client-secret-2019"


@dataclass
class Provider:
    url: str
    env: dict
    process: subprocess.Popen

    def environ(self) -> dict[str, str]:
        """The OIDC_* variables a deployment would set for this provider."""
        return {
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/openid/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/openid/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/openid/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/openid/jwks",
            "OIDC_RP_SCOPES": "openid profile email roles",
        }

    def set_roles(self, username: str, *roles: str) -> None:
        _provision(self.env, "roles", username, *roles)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _provision(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "tests.accounts.oidc_provider.provision", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def start_provider(root: Path, *, redirect_uri: str, people: list[dict]) -> Provider:
    root.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "OIDC_", "AUTH_LDAP"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.accounts.oidc_provider.settings",
        OIDC_PROVIDER_DB=str(root / "provider.sqlite3"),
        PYTHONPATH=str(BASE_DIR),
    )
    spec = root / "spec.json"
    spec.write_text(
        json.dumps(
            {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uri": redirect_uri, "people": people},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    _provision(env, "setup", str(spec))
    port = free_port()
    log = (root / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tests.accounts.oidc_provider.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    provider = Provider(url=f"http://127.0.0.1:{port}", env=env, process=process)
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise RuntimeError("the OIDC provider exited: " + (root / "gunicorn.log").read_text()[-2000:])
        try:
            with urllib.request.urlopen(f"{provider.url}/openid/.well-known/openid-configuration", timeout=2) as r:
                if r.status == 200:
                    return provider
        except OSError:
            pass
        if time.monotonic() > deadline:
            provider.stop()
            raise RuntimeError("the OIDC provider did not answer")
        time.sleep(0.2)
