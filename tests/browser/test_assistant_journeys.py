from decimal import Decimal

from django.utils import timezone

from shortbreaks.assistants.models import AssistantBooking
from shortbreaks.families.models import BudgetAccount

from ..factories import PASSWORD, fund, make_assistant, make_child, make_family
from .pages import assert_accessible, sign_in


def _fine_at_both_widths(page) -> None:
    """axe-clean on a desktop and on a 390px phone, with nothing wider than the phone's screen."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 844})
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.set_viewport_size({"width": 1280, "height": 844})


def test_a_parent_finds_books_and_pays_a_personal_assistant(page, live_server, authority, officer, parent, taxonomies):
    assistant = make_assistant(authority, officer, email="alex@example.org", rate="15.00", skills=("autism", "makaton"))
    child = make_child(make_family(authority, carer_user=parent, postcode="DE22 1AB"), "Sam", needs=("autism",))
    fund(child, "100.00")
    today = timezone.localdate()

    sign_in(page, live_server, "parent@example.org", PASSWORD)
    page.goto(f"{live_server.url}/assistants/")
    assert page.get_by_label("Autism").is_checked()  # suggested from Sam's needs, before searching
    page.get_by_label("Autism").uncheck()
    page.get_by_label("Near this postcode").fill("DE22 1AB")
    page.get_by_role("button", name="Search").click()
    assert not page.get_by_label("Autism").is_checked()  # what the parent unticked stays unticked
    assert "miles away" in page.locator("#results").inner_text()
    assert "km" not in page.locator("main").inner_text()
    _fine_at_both_widths(page)
    page.get_by_label("PEG feeding").check()
    page.get_by_role("button", name="Search").click()
    assert page.get_by_label("PEG feeding").is_checked()
    assert "Untick “PEG feeding”: 1 personal assistant without it" in page.locator("#no-results").inner_text()
    page.get_by_label("PEG feeding").uncheck()
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=assistant.display_name).click()
    assert_accessible(page)
    page.get_by_label("Date").fill(str(today))
    page.get_by_label("From").fill("10:00")
    page.get_by_label("Until").fill("12:00")
    page.get_by_role("button", name="Ask for these hours").click()
    assert "Say where the PA should come" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Until").input_value() == "12:00"  # kept
    page.get_by_label("Where the PA should come").fill("Home, 4 Oak Road, DE22 1AB")
    page.get_by_role("button", name="Ask for these hours").click()
    assert "set aside" in page.locator(".govuk-notification-banner").inner_text()
    assert "£30.00 set aside in Sam's budget" in page.locator(".govuk-summary-card").inner_text()
    _fine_at_both_widths(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "alex@example.org", PASSWORD)
    page.goto(f"{live_server.url}/assistant/")
    assert_accessible(page)
    page.get_by_role("button", name="Accept").click()
    page.get_by_label("Hours worked").fill("one and a half")
    page.get_by_label("Note for the family (optional)").fill("We went to the park")
    page.get_by_role("button", name="Send the timesheet").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter the hours worked as a number" in summary.inner_text()
    assert page.get_by_label("Hours worked").input_value() == "one and a half"  # what was typed is kept
    assert page.get_by_label("Note for the family (optional)").input_value() == "We went to the park"
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.name") == "hours"  # the summary links to the field
    page.get_by_label("Hours worked").fill("1.5")
    page.get_by_role("button", name="Send the timesheet").click()
    assert "Timesheet sent" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "parent@example.org", PASSWORD)
    page.goto(f"{live_server.url}/bookings/assistants/")
    card = page.locator(".govuk-summary-card").inner_text()
    assert "1.50 hours × £15.00 an hour = £22.50" in card and "Sam's budget" in card
    _fine_at_both_widths(page)
    page.get_by_role("button", name="Approve and pay £22.50").click()
    assert "Approved: £22.50 paid" in page.locator(".govuk-notification-banner").inner_text()
    assert "£22.50 paid from Sam's budget" in page.locator(".govuk-summary-card").inner_text()
    account = BudgetAccount.objects.get(child=child)
    assert (account.spent, account.committed, account.available) == (
        Decimal("22.50"),
        Decimal("0.00"),
        Decimal("77.50"),
    )
    assert AssistantBooking.objects.get().status == AssistantBooking.Status.COMPLETED


def test_a_pa_fills_in_their_profile_and_an_officer_vets_them(page, live_server, authority, officer):
    from shortbreaks.assistants.models import Assistant

    assistant = make_assistant(authority, officer, email="new@example.org", vetted=False)
    sign_in(page, live_server, "new@example.org", PASSWORD)
    page.goto(f"{live_server.url}/assistant/profile/")
    assert_accessible(page)
    page.get_by_label("Your postcode").fill("nowhere")
    page.get_by_role("button", name="Save your profile").click()
    assert "Enter a real postcode" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Your postcode").fill("DE1 3AB")
    page.get_by_label("Saturday morning").check()
    page.get_by_role("button", name="Save your profile").click()
    page.get_by_role("button", name="Ask to be vetted").click()
    assert "Sent" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "officer@example.org", PASSWORD)
    page.goto(f"{live_server.url}/caseload/assistants/")
    page.get_by_role("link", name=assistant.display_name).click()
    assert_accessible(page)
    for box in page.locator("input[name='received']").all():
        box.check()
    page.get_by_role("button", name="Approve", exact=True).click()
    assert Assistant.objects.get(pk=assistant.pk).status == Assistant.Status.VETTED


def test_scheme_pages_are_accessible(page, live_server, authority, organisation, commissioner, provider):
    from shortbreaks.bookings.models import Scheme

    from ..factories import make_service, make_session

    scheme = Scheme.objects.create(authority=authority, name="Summer Scheme", coordinator=organisation)
    make_session(make_service(organisation, name="Summer Club"), scheme=scheme)
    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    for path in ("/schemes/", f"/schemes/{scheme.pk}/"):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "provider@example.org", PASSWORD)
    page.goto(f"{live_server.url}/provider/schemes/{scheme.pk}/")
    assert_accessible(page)
