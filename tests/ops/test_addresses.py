"""The client behind trusted proxies, and address allow-lists (pure)."""

from __future__ import annotations

import pytest

from palermo.ops.addresses import Client, client, is_in, parse_networks

LOCAL = parse_networks(["127.0.0.1", "::1"], setting="TEST")


def test_without_trusted_proxies_the_peer_is_the_client_and_a_forwarding_header_is_doubtful() -> None:
    assert client("203.0.113.9", None, ()) == Client("203.0.113.9", doubtful=False)
    assert client("127.0.0.1", "198.51.100.1", ()) == Client("127.0.0.1", doubtful=True)


def test_the_client_is_the_right_most_address_that_is_not_a_trusted_proxy() -> None:
    # nginx appends the address it saw; what the client wrote itself (left) is ignored.
    assert client("127.0.0.1", "127.0.0.1, 203.0.113.9", LOCAL) == Client("203.0.113.9", doubtful=False)
    trusted = parse_networks(["127.0.0.1", "10.0.0.0/8"], setting="TEST")
    assert client("127.0.0.1", "198.51.100.7, 10.1.2.3", trusted) == Client("198.51.100.7", doubtful=False)


def test_a_trusted_proxy_without_forwarding_header_is_itself_the_client() -> None:
    assert client("127.0.0.1", None, LOCAL) == Client("127.0.0.1", doubtful=False)
    assert client("::1", "", LOCAL) == Client("::1", doubtful=False)


def test_a_malformed_chain_is_doubtful() -> None:
    assert client("127.0.0.1", "not-an-address", LOCAL) == Client("127.0.0.1", doubtful=True)


def test_addresses_with_ports_and_mapped_ipv4_are_understood() -> None:
    assert client("127.0.0.1", "[2001:db8::5]:4431", LOCAL).address == "2001:db8::5"
    assert client("127.0.0.1", "203.0.113.9:51234", LOCAL).address == "203.0.113.9"
    assert is_in("::ffff:127.0.0.1", LOCAL)
    assert not is_in("127.0.0.2", LOCAL)
    assert not is_in("", LOCAL)


def test_a_malformed_setting_is_named() -> None:
    with pytest.raises(ValueError, match=r"PALERMO_TRUSTED_PROXIES: 'nginx' is not an IP address or network"):
        parse_networks(["nginx"], setting="PALERMO_TRUSTED_PROXIES")
