"""Browser tests: Playwright (sync API) driving Debian's chromium against pytest-django's live server.

Every module here sets
    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
The live server answers from its own thread, so data must be committed to be seen (transaction);
tests/conftest.py loads the data migrations' rows again after the flush that ends each such test.

Under pytest-xdist each worker has its own test database, live server and chromium.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in the main thread; Django would then refuse every
# ORM call made from test code ("You cannot call this from an async context"). Tests are
# synchronous code that merely shares the thread with that loop, so the check does not apply.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# pytest-django's live server: loopback IPv4 only, a free port chosen per process (xdist worker).
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TESTS_DIR = Path(__file__).resolve().parents[1]
REPO_DIR = TESTS_DIR.parent
SCREENSHOTS = REPO_DIR / "var" / "screenshots"
TIMEOUT_MS = 30_000  # two xdist workers, each with chromium and a live server, share 2 cores

DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {
    "viewport": {"width": 375, "height": 812},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture(scope="session")
def browser():
    """One headless chromium per test process (per xdist worker)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} not found: the browser tests need Debian's chromium and fonts-noto-cjk. "
            "Run `make test`, which installs them (apt-get install chromium fonts-noto-cjk).",
            pytrace=False,
        )
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
        # Close the connections opened under Playwright's loop, or PostgreSQL would refuse to
        # drop the test database at the end of the session ("being accessed by other users").
        connections.close_all()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def new_page(request, browser, live_server):
    """Factory: a page in a fresh context (own cookies), base URL = the live server.

    `browser` comes before `live_server`: the server thread must share the connection objects
    the test code uses once Playwright runs (see `browser`), for in-memory SQLite above all.

    When the test fails, each page's last state is saved under var/screenshots/failures/.
    """
    contexts = []

    def _new_page(**options):
        options = {**DESKTOP, **options}
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        # Requests the server answered with an error, for tests that check assets load.
        page.failed_responses = []
        page.on("response", lambda r: r.status >= 400 and page.failed_responses.append(
            (r.status, r.url)))
        return page

    yield _new_page
    report = getattr(request.node, "report_call", None)
    failures = SCREENSHOTS / "failures"
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.name)
    for stale in failures.glob(f"{name}-*.png"):
        stale.unlink(missing_ok=True)
    if report is not None and report.failed:
        failures.mkdir(parents=True, exist_ok=True)
        for i, context in enumerate(contexts):
            for j, page in enumerate(context.pages):
                try:
                    page.screenshot(path=str(failures / f"{name}-{i}{j}.png"), full_page=True)
                except Exception:  # noqa: BLE001 - a failed screenshot must not hide the failure
                    pass
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop-sized page, not logged in."""
    return new_page()


@pytest.fixture
def phone_page(new_page):
    """A phone-sized page (375×812 CSS px at 2× density, mobile viewport and touch)."""
    return new_page(**PHONE)


@pytest.fixture(scope="session")
def password(pytestconfig) -> str:
    """PASSWORD from tests/conftest.py, the module pytest loaded (its name depends on import mode)."""
    shared = TESTS_DIR / "conftest.py"
    for plugin in pytestconfig.pluginmanager.get_plugins():
        if getattr(plugin, "__file__", None) and Path(plugin.__file__).resolve() == shared:
            return plugin.PASSWORD
    raise RuntimeError(f"{shared} is not loaded as a conftest")


@pytest.fixture
def log_in(password):
    """log_in(page, user, next="/places/"): log in through the real login form and land on
    `next` (the place ledger by default; next=None lands where users do: their inbox)."""

    def _log_in(page, user, next="/places/"):
        username = getattr(user, "username", user)
        page.goto(f"/login/?next={next}" if next else "/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("form button[type=submit]")
        assert "/login/" not in page.url, f"login as {username!r} failed:\n{page.inner_text('body')[:500]}"
        return page

    return _log_in


@pytest.fixture
def screenshots_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
