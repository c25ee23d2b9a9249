"""gunicorn as docker-compose.yml runs it (`gunicorn -c deploy/gunicorn.conf.py`).

The longest request the portal allows is a 10 MB workbook import parsed in the request (a few
seconds on the 2-core machine) — reports, the severity report and follow-ups run in the worker.
`timeout` kills a worker stuck three times past that; nginx's proxy_read_timeout (deploy/nginx.conf)
is set a little longer so gunicorn, not nginx, decides, and the person sees the portal's own error.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests: a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
# No control socket: it defaults to one path in the home directory, shared by every gunicorn on
# the machine; the orchestrator manages processes by signal.
control_socket_disable = True
# gunicorn itself believes X-Forwarded-Proto (wsgi.url_scheme) from these peers only — the same
# proxies the portal believes (DJANGO_TRUSTED_PROXIES; baiyin_eval/client_address.py), not its default
# of 127.0.0.1, so no client on the machine can claim HTTPS by writing the header.
forwarded_allow_ips = ",".join(
    part.strip() for part in os.environ.get("DJANGO_TRUSTED_PROXIES", "").split(",") if part.strip()
)
