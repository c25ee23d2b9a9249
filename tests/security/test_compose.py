"""docker-compose.yml (parsed; there is no Docker engine here): nginx is the only way in."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
NGINX = ROOT / "deploy" / "nginx"


def test_only_nginx_publishes_a_port():
    published = {name for name, service in COMPOSE["services"].items() if service.get("ports")}
    assert published == {"nginx"}
    assert "ports" not in COMPOSE["services"]["web"]
    assert COMPOSE["services"]["web"]["expose"] == ["8000"]


def test_the_portal_trusts_exactly_nginxs_fixed_address():
    nginx_address = COMPOSE["services"]["nginx"]["networks"]["default"]["ipv4_address"]
    subnet = COMPOSE["networks"]["default"]["ipam"]["config"][0]["subnet"]
    assert nginx_address.startswith(subnet.rsplit(".", 1)[0] + ".")
    for name in ("web", "worker", "beat"):
        env = COMPOSE["services"][name]["environment"]
        assert env["DJANGO_TRUSTED_PROXIES"] == nginx_address
        assert "DJANGO_REVERSE_PROXY_COUNT" not in env


def test_nginx_mounts_its_configuration_from_the_repository():
    volumes = COMPOSE["services"]["nginx"]["volumes"]
    assert "./deploy/nginx:/etc/nginx/honglanbang:ro" in volumes
    assert any(v.endswith(":/etc/nginx/conf.d/default.conf:ro") and "https.conf" in v for v in volumes)
    for name in ("https.conf", "http-trial.conf", "common.conf", "proxy.conf", "_errors/413.html"):
        assert (NGINX / name).is_file(), name


def test_nginx_sets_the_forwarded_header_itself_and_limits_bodies():
    proxy = (NGINX / "proxy.conf").read_text()
    assert re.search(r"proxy_set_header X-Forwarded-For \$remote_addr;", proxy)
    assert "proxy_add_x_forwarded_for" not in proxy
    assert "proxy_pass http://web:8000;" in proxy
    common = (NGINX / "common.conf").read_text()
    sizes = re.findall(r"client_max_body_size (\S+);", common)
    assert sizes == ["2560k", "11m", "11m"]
    https = (NGINX / "https.conf").read_text()
    assert "listen 443 ssl;" in https and "ssl_certificate /etc/nginx/tls/fullchain.pem;" in https
