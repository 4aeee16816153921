"""What a person does in the browser, as helpers for the journeys: sign in (with the code their
authenticator app shows), sign out, and check the page with axe-core from node_modules."""

import time
from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def assert_accessible(page) -> None:
    """No serious or critical axe-core violations on the current page (WCAG 2.2 AA rules)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}
    })""")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in bad
    )


def texts(page, selector: str) -> list[str]:
    """The text of every element matching, once the page has loaded (all_inner_texts() does
    not wait, and a click's navigation may still be parsing)."""
    page.wait_for_load_state("load")
    return page.locator(selector).all_inner_texts()


def sign_in(page, live_server, email, password):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if "/accounts/two-factor/" in page.url and "Check your email" in page.content():
        # No authenticator app yet: it is set up only from the link emailed to the account.
        assert_accessible(page)
        page.goto(live_server.url + emailed_path(email, "/accounts/two-factor/set-up/"))
    if "/accounts/two-factor/" in page.url:
        assert_accessible(page)
        page.get_by_label("Code from your authenticator app").fill(current_code(email))
        page.get_by_role("button", name="Continue").click()
        assert "/accounts/two-factor/" not in page.url, "the one-time code was refused"


def emailed_path(email: str, prefix: str) -> str:
    """The path of the newest link starting with `prefix` in the person's inbox (the test email
    backend keeps it). Emails link to the authority's own host; the journey follows the path on
    the test server."""
    import re

    from django.core import mail

    for message in reversed(mail.outbox):
        found = re.search(rf"https?://[^/\s]+({re.escape(prefix)}\S*)", message.body)
        if message.to == [email] and found:
            return found.group(1)
    raise AssertionError(f"no {prefix} link was emailed to {email}")


def current_code(email: str) -> str:
    """What the staff member's authenticator app would show now (waiting for a fresh step if
    this code was already used, as a real app user would)."""
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
