"""Browser tests: Playwright's Python package driving Debian Chromium against live_server.

Skipped with a clear reason when /usr/bin/chromium is missing (.ci/run installs it).
Screenshots of failing pages go to $CI_ARTIFACTS (or /tmp/browser-artifacts).
"""

import os
import shutil
import time
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("CI_ARTIFACTS", "/tmp/browser-artifacts"))


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                  "--disable-gpu", "--no-first-run", "--disable-sync"])
        yield chromium
        chromium.close()


class Portal:
    """One logged-in browser session as a demo user."""

    def __init__(self, browser, base_url, username, request):
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        self.page = self.context.new_page()
        # irreversible moves ask first (data-confirm): the user answers 确定; the questions asked are kept
        self.dialogs = []
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.accept()))
        self._in_flight = set()  # the page's requests not yet answered (see settle)
        self.page.on("request", lambda request: self._in_flight.add(request))
        self.page.on("requestfinished", lambda request: self._in_flight.discard(request))
        self.page.on("requestfailed", lambda request: self._in_flight.discard(request))
        self.base_url = base_url
        self.username = username
        self.request = request
        self.page.goto(f"{base_url}/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", "Demo@2026")
        self.page.click("button[type=submit]")
        self.page.wait_for_url(f"{base_url}/")

    def goto(self, path):
        self.page.goto(f"{self.base_url}{path}")
        return self.page

    def settle(self, timeout: float = 10.0):
        """Wait until none of the page's requests is in flight (e.g. the live pre-check each
        change fires). The test's in-memory SQLite refuses a write while another thread reads,
        where a file database or PostgreSQL would wait. (Playwright's "networkidle" load state
        is reached once per page load: waiting for it later returns at once.)"""
        self.page.wait_for_timeout(100)  # the events of what the last action started arrive
        deadline = time.monotonic() + timeout
        while self._in_flight:
            assert time.monotonic() < deadline, f"requests still in flight: {[r.url for r in self._in_flight]}"
            self.page.wait_for_timeout(50)

    def shot(self, name):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def close(self):
        self.context.close()


@pytest.fixture
def portal(browser, live_server, users, request):
    sessions = []

    def open_as(username):
        session = Portal(browser, live_server.url, username, request)
        sessions.append(session)
        return session

    yield open_as
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for index, session in enumerate(sessions):
        if failed:
            session.shot(f"{request.node.name}-{index}-{session.username}")
        session.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
