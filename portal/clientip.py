"""The client's address, one reading for the operation log, the login log and the login
lock-out (django-axes: `AXES_CLIENT_IP_CALLABLE`).

`X-Forwarded-For` is a list anyone can start: each proxy appends the address it received the
request from. Only the last `TRUSTED_PROXY_HOPS` entries were written by our own proxies, so
the client is the entry that many places from the right (one nginx in front: the last one).
With `TRUSTED_PROXY_HOPS = 0` (no proxy, the default) the header is ignored and REMOTE_ADDR is
the client. Anything that is not an IP address is never returned: a forged or garbled header
falls back to REMOTE_ADDR, so an inet column never receives junk and a log row is never lost.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def valid_ip(text) -> str | None:
    """`text` as a canonical IPv4/IPv6 address (zone index dropped), or None."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return str(ipaddress.ip_address(text.strip().split("%", 1)[0]))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = valid_ip(request.META.get("REMOTE_ADDR"))
    hops = getattr(settings, "TRUSTED_PROXY_HOPS", 0)
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:  # not what our proxies write: trust none of it
        return remote
    return valid_ip(forwarded[-hops]) or remote
