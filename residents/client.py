"""The resident's network address, for the per-address rate limit.

One small function so it is easy to swap: it reads REMOTE_ADDR only (X-Forwarded-For is not
trusted here, a resident could forge it). Behind the reverse proxy every request carries the
proxy's address; replace `client_address` by the portal's trusted client-IP function (one that
trusts X-Forwarded-For only from the configured proxies) once it exists.
"""

import hashlib
import hmac

from django.conf import settings


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""


def address_key(request) -> str:
    """A keyed hash of the address: rate limits work without storing residents' IP addresses."""
    address = client_address(request)
    if not address:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
