"""Regional commissioning in the browser: Dovebridge leads a framework and Kestrel joins; Kestrel
calls off and a Kestrel family buys with their budget, on Kestrel's own site; each council's
pages show only its own families and contracts, and the joint monitoring shows both in figures."""

from decimal import Decimal
from types import SimpleNamespace

from shortbreaks.contracts.models import Contract
from shortbreaks.core.middleware import forget_authorities
from shortbreaks.core.roles import Role

from ..factories import PASSWORD, awarded_framework, fund, make_child, make_family, make_organisation, make_user
from .pages import assert_accessible, sign_in


def test_two_authorities_share_a_framework(page, live_server, authority, other_authority, commissioner):
    # Each council on its own host name: Dovebridge on localhost, Kestrel on 127.0.0.1.
    authority.hostnames = "testserver,localhost"
    authority.save(update_fields=["hostnames"])
    other_authority.hostnames = "127.0.0.1"
    other_authority.save(update_fields=["hostnames"])
    forget_authorities()
    dovebridge, kestrel = live_server.url, live_server.url.replace("localhost", "127.0.0.1")
    at = {dovebridge: SimpleNamespace(url=dovebridge), kestrel: SimpleNamespace(url=kestrel)}
    alpha = make_organisation(authority, name="Alpha Trust")
    framework, _ = awarded_framework(authority, alpha, commissioner)
    make_user(other_authority, Role.COMMISSIONER, email="kc@kestrel.example")
    parent = make_user(other_authority, Role.PARENT, email="kp@kestrel.example")
    fund(make_child(make_family(other_authority, carer_user=parent), "Rowan"), "500.00")

    # Dovebridge records the agreement and Kestrel joining.
    sign_in(page, at[dovebridge], "commissioner@example.org", PASSWORD)
    page.goto(f"{dovebridge}/procurement/{framework.pk}/")
    page.get_by_text("Commission this framework with other authorities").click()
    page.get_by_label("What the authorities agreed").fill(
        "Dovebridge leads; costs shared 60:40; each monitors its own."
    )
    page.get_by_label("Agreed on").fill("2026-09-01")
    page.get_by_role("button", name="Record the agreement").click()
    page.get_by_text("Add an authority joining the framework").click()
    page.get_by_label("Authority", exact=True).select_option(label="Kestrel County Council")
    page.get_by_label("Signed for that authority by").fill("K. Holt, Director of Children's Services")
    page.get_by_label("Joined on").fill("2026-09-15")
    page.get_by_role("button", name="Add the authority").click()
    assert "Kestrel County Council has joined" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # Kestrel calls off for itself on its own site.
    sign_in(page, at[kestrel], "kc@kestrel.example", PASSWORD)
    page.goto(f"{kestrel}/procurement/joint/")
    page.get_by_role("link", name="Regional overnight breaks").click()
    assert_accessible(page)
    page.get_by_label("What is being called off").fill("Kestrel weekend overnights")
    page.get_by_label("Specification").fill("Weekend overnight breaks for four Kestrel children")
    page.get_by_label("Estimated value (£, including VAT)").fill("30000")
    page.get_by_label("Starts on").fill("2027-01-04")
    page.get_by_label("Ends on").fill("2027-06-30")
    page.get_by_label("How").select_option("direct")
    page.get_by_label("Why (direct award)").fill("Nearest provider to our families")
    page.get_by_role("button", name="Create the call-off").click()
    page.get_by_label("Member").select_option(index=0)
    assert "4 January 2027 to 30 June 2027" in page.locator("main").inner_text()
    page.get_by_label("Price on the framework's terms (£)").fill("30000")
    page.get_by_role("button", name="Award directly").click()
    assert Contract.objects.get(authority=other_authority, title="Kestrel weekend overnights").value == Decimal("30000")
    page.get_by_role("button", name="Sign out").click()

    # A Kestrel family buys from the shared framework with Rowan's budget.
    sign_in(page, at[kestrel], "kp@kestrel.example", PASSWORD)
    page.goto(f"{kestrel}/frameworks/")
    assert_accessible(page)
    page.get_by_label("What you agreed").fill("Rowan's first overnight")
    page.get_by_label("Price agreed (£)").fill("200")
    page.get_by_role("button", name="Buy it with the budget").click()
    assert "Rowan's first overnight" in page.content()
    page.get_by_role("button", name="Sign out").click()

    # Dovebridge sees both councils in figures, and none of Kestrel's families or contracts.
    sign_in(page, at[dovebridge], "commissioner@example.org", PASSWORD)
    page.goto(f"{dovebridge}/procurement/joint/")
    page.get_by_role("link", name="Regional overnight breaks").click()
    kestrel_row = page.locator("tr", has=page.get_by_role("rowheader", name="Kestrel County Council")).inner_text()
    assert "2" in kestrel_row and "£30,200.00" in kestrel_row
    assert "Rowan" not in page.content()
    assert_accessible(page)
    page.goto(f"{dovebridge}/contracts/")
    assert "FW-REG-C" not in page.content()
