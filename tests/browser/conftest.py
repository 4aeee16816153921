"""Browser journeys in Debian's Chromium, driven by Playwright (never a downloaded browser),
with axe-core injected from node_modules to check accessibility."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

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
    return context, context.new_page()


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


def assert_accessible(page) -> None:
    """No serious or critical axe-core violations on the current page (WCAG 2.2 AA rules)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}
    })""")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
                              for v in bad)


def sign_in(page, live_server, email, password):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if "/accounts/two-factor/" in page.url:
        assert_accessible(page)
        page.get_by_label("Code from your authenticator app").fill(current_code(email))
        page.get_by_role("button", name="Continue").click()
        assert "/accounts/two-factor/" not in page.url, "the one-time code was refused"


def current_code(email: str) -> str:
    """What the staff member's authenticator app would show now (waiting for a fresh step if
    this code was already used, as a real app user would)."""
    import time

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__username=email).order_by("-confirmed").first()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    while device.last_t is not None and totp.t() <= device.last_t:
        time.sleep(1)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
