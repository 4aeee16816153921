"""The shipped demo, as a newcomer with the README's accounts tries it: the demo parent finds a
club one of her children can go to and books it, from the UI alone."""

from django.core.management import call_command

from shortbreaks.demo.directory import DEMO_PASSWORD

from ..test_demo import bookable_now, demo_family
from .pages import assert_accessible, sign_in


def test_the_demo_parent_books_a_break_from_the_shipped_demo(page, live_server, taxonomies):
    call_command("load_demo", "--if-empty", verbosity=0)
    children = demo_family()
    # Which club to look for is the newcomer's choice; the test takes one the booking service
    # itself would accept, so it proves the demo offers one.
    child = children[-1]
    session = bookable_now([child])[0]
    sign_in(page, live_server, "parent@dovebridge.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/services/")
    page.get_by_label("Search").fill(session.service.name)
    page.get_by_role("button", name="Apply filters").click()
    # The search also finds other providers' clubs whose names hold this one's ("Saturday Club",
    # "Rainbow Saturday Club"): the parent picks this one.
    page.locator(f"a[href^='/services/{session.service.pk}/']").click()
    assert page.locator("#next-dates").is_visible()
    page.get_by_role("link", name="Book a session").click()
    assert_accessible(page)
    page.locator(f"input[name='session'][value='{session.pk}']").check()
    page.get_by_label(child.first_name, exact=True).check()
    page.get_by_role("button", name="Book", exact=True).click()
    assert "Booked" in page.locator(".govuk-notification-banner").inner_text()
    assert session.service.name in page.locator("main").inner_text()
    assert_accessible(page)
