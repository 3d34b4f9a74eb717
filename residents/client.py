"""The resident's network address, for the per-address rate limit: the portal's one client
address (portal.clientip: REMOTE_ADDR and only the configured number of trusted proxy hops of
X-Forwarded-For), so behind the reverse proxy residents are not all one address and a
resident cannot forge another's."""

import hashlib
import hmac

from django.conf import settings

from portal.clientip import client_ip


def client_address(request) -> str:
    return client_ip(request) or ""


def address_key(request) -> str:
    """A keyed hash of the address: rate limits work without storing residents' IP addresses."""
    address = client_address(request)
    if not address:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
