"""Who is asking: the client address behind trusted proxies, and address allow-lists (no Django import).

A reverse proxy on the same host (nginx) connects from 127.0.0.1 and names the client in
``X-Forwarded-For``. The client is the right-most address of that chain that is not itself a trusted proxy;
anything to its left was written by the client and is ignored. A peer that is not a trusted proxy is the client,
whatever headers it sends.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str], *, setting: str) -> tuple[Network, ...]:
    """``127.0.0.1``, ``10.0.0.0/8`` or ``::1`` as networks; a malformed entry raises ``ValueError`` naming it."""
    return _parse(tuple(values), setting)


@lru_cache(maxsize=32)
def _parse(values: tuple[str, ...], setting: str) -> tuple[Network, ...]:
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as error:
            raise ValueError(f"{setting}: {value!r} is not an IP address or network") from error
    return tuple(networks)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = value.strip()
    if text.startswith("[") and "]" in text:  # [::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.7:51234
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def is_in(address: str, networks: Iterable[Network]) -> bool:
    parsed = _address(address)
    return parsed is not None and any(parsed in network for network in networks)


@dataclass(frozen=True)
class Client:
    address: str
    # True when the request carried forwarding headers that cannot be vouched for: sent by a peer that is not a
    # trusted proxy, or malformed. Such a client is never let in by address (it may be lying about it).
    doubtful: bool


def client(peer: str, forwarded_for: str | None, trusted: tuple[Network, ...]) -> Client:
    """The client behind ``peer`` (REMOTE_ADDR), following ``forwarded_for`` through trusted proxies only."""
    if not is_in(peer, trusted):
        return Client(peer, doubtful=bool(forwarded_for))
    hops = [hop.strip() for hop in (forwarded_for or "").split(",") if hop.strip()]
    current = peer
    for hop in reversed(hops):
        parsed = _address(hop)
        if parsed is None:  # garbage in the chain: the client is unknown beyond the last proxy we trust
            return Client(current, doubtful=True)
        current = str(parsed)
        if not is_in(current, trusted):
            break
    return Client(current, doubtful=False)
