"""GET /healthz: 200 when the database answers; reports broker and worker state."""

import socket
from urllib.parse import urlparse

from django.conf import settings
from django.db import connection
from django.http import JsonResponse


def broker_state() -> str:
    url = settings.CELERY_BROKER_URL
    if not url:
        return "eager"
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379),
                                      timeout=1):
            return "ok"
    except OSError:
        return "unreachable"


def healthz(request):
    body = {"status": "ok", "database": "ok", "broker": broker_state()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        body.update(status="error", database="unreachable")
        return JsonResponse(body, status=503)
    from django.apps import apps

    for config in apps.get_app_configs():
        reporter = getattr(config, "health", None)
        if reporter:
            body.update(reporter())
    return JsonResponse(body)
