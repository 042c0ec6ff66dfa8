"""Egress allow-list: the gateway only ever talks to upstreams on the premises.

An upstream URL passes when its host is a loopback or private IP literal, ``localhost``, or listed in
``BULWARK_EGRESS_ALLOW`` (exact host names, ``.suffix`` domains such as
``.bulwark.svc.cluster.local``, IP addresses or CIDR networks). The check runs on the URL
text when the pool file is loaded, before any connection and without DNS: resolving a name here and
connecting later would let a DNS answer change in between, so a name must be listed to be trusted.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class EgressRefused(ValueError):
    """An upstream URL is not allowed; the message names the URL (URLs here carry no secrets)."""


class EgressAllowList:
    def __init__(self, entries: Iterable[str] = ()) -> None:
        self._hosts: set[str] = set()
        self._suffixes: list[str] = []
        self._networks: list[IpNetwork] = []
        for raw in entries:
            entry = raw.strip().lower()
            if not entry:
                continue
            if entry.startswith(".") and len(entry) > 1:
                self._suffixes.append(entry)
                continue
            try:
                self._networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self._hosts.add(entry)

    def check(self, url: str) -> str:
        """Return ``url`` if the gateway may connect to it; raise ``EgressRefused`` naming it if not."""
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise EgressRefused(f"upstream {url!r} must be an http:// or https:// URL with a host")
        if parts.username or parts.password:
            raise EgressRefused(f"upstream {parts.hostname!r} must not carry credentials in its URL")
        host = parts.hostname.lower()
        if host in self._hosts or host == "localhost" or any(host.endswith(s) for s in self._suffixes):
            return url
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            raise EgressRefused(
                f"upstream {url!r} is not allowed: a host name must be listed in BULWARK_EGRESS_ALLOW"
            ) from None
        if _on_premises(address) or any(address in network for network in self._networks):
            return url
        raise EgressRefused(
            f"upstream {url!r} is not allowed: not loopback, not private and not in BULWARK_EGRESS_ALLOW"
        )


def _on_premises(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if address.is_loopback:
        return True
    # Link-local (169.254.0.0/16, fe80::/10) is excluded on purpose: cloud metadata endpoints live there.
    if address.is_link_local or address.is_unspecified or address.is_multicast:
        return False
    return address.is_private
