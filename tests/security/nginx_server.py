"""The repository's nginx configuration (deploy/nginx), run by a test in front of a test gunicorn.

Only what a test machine needs is rewritten: the listening port, the upstream (compose's `web:8000`
becomes the test gunicorn), the include paths (compose mounts deploy/nginx at /etc/nginx/honglanbang),
and nginx connects to gunicorn from the trusted proxy address the gunicorn was told about.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

from tests.security.gunicorn_server import ROOT, free_port

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
DEPLOY = ROOT / "deploy" / "nginx"


def nginx_version() -> tuple[int, ...]:
    out = subprocess.run([NGINX, "-v"], capture_output=True, text=True)
    return tuple(int(n) for n in re.search(r"nginx/(\d+)\.(\d+)", out.stderr).groups())


def prepare(base: Path, site: str, *, upstream: str, bind: str, port: int) -> Path:
    """Copy deploy/nginx into `base`, pointed at the test's gunicorn; return the main config file."""
    conf = base / "honglanbang"
    shutil.copytree(DEPLOY, conf)
    for path in conf.rglob("*.conf"):
        text = path.read_text().replace("/etc/nginx/honglanbang", str(conf))
        text = text.replace("proxy_pass http://web:8000;", f"proxy_pass http://{upstream};\nproxy_bind {bind};")
        text = text.replace("listen 80;", f"listen 127.0.0.1:{port};")
        text = text.replace("listen 443 ssl;", f"listen 127.0.0.1:{free_port()} ssl;")
        text = text.replace("/etc/nginx/tls/", f"{base}/tls/")
        if nginx_version() < (1, 25):  # `http2 on;` is the newer spelling (the compose image is 1.27)
            text = text.replace("    http2 on;\n", "")
        path.write_text(text)
    temp = base / "temp"
    temp.mkdir()
    main = base / "nginx.conf"
    main.write_text(
        f"""daemon off;
master_process off;
pid {base}/nginx.pid;
error_log {base}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {base}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    default_type application/octet-stream;
    include {conf}/{site};
}}
"""
    )
    return main


def self_signed_certificate(base: Path) -> None:
    tls = base / "tls"
    tls.mkdir(exist_ok=True)
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(tls / "privkey.pem"),
            "-out",
            str(tls / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )


class Nginx:
    def __init__(self, base: Path, site: str, *, upstream: str, bind: str):
        self.base = base
        self.port = free_port()
        self.config = prepare(base, site, upstream=upstream, bind=bind, port=self.port)
        self.process: subprocess.Popen | None = None

    def test_config(self) -> subprocess.CompletedProcess:
        return subprocess.run([NGINX, "-t", "-c", str(self.config)], capture_output=True, text=True)

    def start(self) -> None:
        self.process = subprocess.Popen([NGINX, "-c", str(self.config)], stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        import socket

        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.process.stderr.read().decode()
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("nginx did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
