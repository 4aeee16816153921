"""Browser journeys in Debian's Chromium, driven by Playwright (never a downloaded browser),
with axe-core injected from node_modules to check accessibility."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's Chromium is missing: apt-get install -y chromium")
    # Playwright's sync API runs an event loop in this thread while the browser is open; the
    # tests' own database calls are still synchronous, so tell Django that is intended.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch(sync_playwright)
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _launch(sync_playwright):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def _page(browser, javascript: bool):
    # bypass_csp lets the test inject axe-core; the app's own pages get no such pass.
    context = browser.new_context(java_script_enabled=javascript, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    # A click that submits a form returns once the next page is committed, not loaded: reading
    # the page then can catch it half-parsed (seen as a body holding only the first script).
    # Reading the page's HTML therefore waits for the document to finish loading first.
    read_html = page.content

    def content_once_loaded() -> str:
        page.wait_for_load_state("load")
        return read_html()

    page.content = content_once_loaded
    return context, page


@pytest.fixture
def page(browser, transactional_db):
    context, page = _page(browser, javascript=True)
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser, transactional_db):
    context, page = _page(browser, javascript=False)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def clock():
    """Journeys run on the real clock. Chromium keeps its own (for cookies and its cache) and
    cannot be moved with the server's; when the two disagreed, pages were read half-loaded.
    Every date in a journey is worked out from timezone.localdate() when it runs instead."""
    return None
