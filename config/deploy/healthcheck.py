"""Health check of the web container: exit 0 when GET /healthz answers 200, else 1.

    python config/deploy/healthcheck.py [URL]      (default http://127.0.0.1:8000/healthz)

python:3.11-slim has no curl, hence this script. It asks for the first name in
ALLOWED_HOSTS and says the request came over HTTPS (as the reverse proxy would), so that
neither the host check nor SECURE_SSL_REDIRECT turns the probe into a 400 or a redirect.
The web container's health is its own: a stopped worker shows in the body, not here.
"""

import os
import sys
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8000/healthz"


def probe_host() -> str:
    for host in os.environ.get("ALLOWED_HOSTS", "").split(","):
        host = host.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


def main(argv: list[str]) -> int:
    url = argv[1] if len(argv) > 1 else DEFAULT_URL
    request = urllib.request.Request(url, headers={"Host": probe_host(), "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            body = response.read(2000).decode("utf-8", "replace")
            print(response.status, body)
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
