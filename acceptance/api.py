"""API endpoints of this app; config/api_urls.py calls register(router)."""

extra_urls: list = []


def register(router):
    pass
