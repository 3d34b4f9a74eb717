"""django-csp's middleware, with the two policy headers built once.

django-csp builds both headers for every response from the settings (`asdict` of its parts and
`build_policy` twice: 0.11 ms a response on the benchmark machine, ~5 % of a cached board's
request; issue #19). The portal's policy depends on the settings alone: no view sets its own parts
and no template reads a nonce. So the headers are built once per settings value. A response that
carries per-view parts or an exemption, a request that used its nonce, and DEBUG (whose error
pages django-csp leaves alone) all go through django-csp unchanged.
"""

import functools

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What a view or decorator may set on a response to shape its own policy (django-csp 4).
PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
                "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro")
SETTINGS = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY", "DEBUG")


@functools.cache
def policy_headers() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(header, value, excluded path prefixes) of each header the settings ask for."""
    headers = []
    for header, setting, report_only in ((HEADER, "CONTENT_SECURITY_POLICY", False),
                                         (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True)):
        value = build_policy(report_only=report_only)
        if value:
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            headers.append((header, value, tuple(prefixes)))
    return tuple(headers)


@receiver(setting_changed)
def _settings_changed(setting, **kwargs):
    if setting in SETTINGS:
        policy_headers.cache_clear()


class CSPMiddleware(DjangoCSPMiddleware):
    def process_response(self, request, response):
        if (settings.DEBUG or getattr(request, "_csp_nonce", None) is not None
                or any(hasattr(response, name) for name in PER_RESPONSE)):
            return super().process_response(request, response)
        for header, value, excluded in policy_headers():
            if header not in response and not request.path_info.startswith(excluded):
                response[header] = value
        # As django-csp does: reading the nonce once the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
