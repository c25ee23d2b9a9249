"""The client address: X-Forwarded-For only from a trusted proxy, read from its right-hand end."""

from __future__ import annotations

import pytest

from baiyin_eval.client_address import parse_networks, resolve_client_address

TRUSTED = parse_networks(["172.28.0.10", "10.1.0.0/16", "fd00::/8"])


@pytest.mark.parametrize(
    ("peer", "header", "expected"),
    [
        # Not a trusted proxy: its own address, whatever it writes.
        ("198.51.100.7", "203.0.113.5", "198.51.100.7"),
        ("198.51.100.7", "172.28.0.10", "198.51.100.7"),
        ("198.51.100.7", None, "198.51.100.7"),
        # A trusted proxy: the entry it appended.
        ("172.28.0.10", "203.0.113.5", "203.0.113.5"),
        # A client that sends its own header: the proxy appends the real address on the right.
        ("172.28.0.10", "203.0.113.6, 203.0.113.5", "203.0.113.5"),
        # Two trusted proxies in a row: skip both from the right.
        ("172.28.0.10", "203.0.113.6, 203.0.113.5, 10.1.2.3", "203.0.113.5"),
        # A trusted proxy without a header, or with garbage in it: the last hop we know.
        ("172.28.0.10", None, "172.28.0.10"),
        ("172.28.0.10", "unknown", "172.28.0.10"),
        ("172.28.0.10", "203.0.113.5, <script>, 10.1.2.3", "10.1.2.3"),
        # Ports and IPv6 forms.
        ("172.28.0.10", "203.0.113.5:51000", "203.0.113.5"),
        ("fd00::1", "[2001:db8::7]:443", "2001:db8::7"),
        ("::ffff:172.28.0.10", "203.0.113.5", "203.0.113.5"),
        (None, "203.0.113.5", None),
    ],
)
def test_the_client_address(peer, header, expected):
    assert resolve_client_address(peer, header, TRUSTED) == expected


def test_nobody_is_trusted_by_default():
    assert resolve_client_address("127.0.0.1", "203.0.113.5", ()) == "127.0.0.1"
