"""A provider in the browser: adds one-off sessions at two times on a day (and is told why a
repeat adds none), then opens today's register, sees the emergency contacts a family shared,
marks everyone attended and puts one mistake right."""

import datetime as dt
import re

from ..clock import TODAY
from ..factories import PASSWORD, booked, make_child, make_family, make_location, make_service, session_on
from .pages import assert_accessible, sign_in, texts


def test_provider_adds_one_off_sessions_and_marks_a_register(
    page, live_server, authority, organisation, provider, parent
):
    service = make_service(organisation, name="Saturday Club", byday="SA", location=make_location(organisation))
    today = session_on(service, TODAY, price="0.00")
    family = make_family(authority, carer_user=parent)
    make_child(family, "Amy", emergency_contacts="Priya Khan (aunt) 07700 900 982", share_emergency_contacts=True)
    make_child(family, "Ben", emergency_contacts="Omar Shah (uncle) 07700 900 123")
    for child in family.children.all():
        booked(today, child, status="confirmed")
    tuesday = TODAY + dt.timedelta(days=(1 - TODAY.weekday()) % 7 or 7)

    sign_in(page, live_server, "provider@example.org", PASSWORD)

    def add_one_off():
        page.goto(f"{live_server.url}/provider/services/{service.pk}/sessions/")
        assert_accessible(page)
        page.get_by_label("One day only, on the first date (a one-off)").check()
        page.get_by_label("First date", exact=True).fill(f"{tuesday.day} {tuesday:%B %Y}")
        page.get_by_label("Session times (optional)").fill("10am to 12pm\n1pm to 3pm")
        page.get_by_label("Places in each session").fill("8")
        page.get_by_role("button", name="Add the sessions").click()

    add_one_off()
    assert "Added 2 sessions of Saturday Club." in page.content()
    add_one_off()
    summary = " ".join(texts(page, ".govuk-error-summary"))
    assert "No sessions were added: 2 sessions were already there." in summary, summary
    assert page.get_by_label("First date", exact=True).input_value() == f"{tuesday.day} {tuesday:%B %Y}"
    assert_accessible(page)

    page.goto(f"{live_server.url}/provider/sessions/")
    assert_accessible(page)
    page.locator(f"a[href='/provider/sessions/{today.pk}/']").click()
    register = page.content()
    assert "Priya Khan (aunt) 07700 900 982" in register and "Omar Shah" not in register
    assert_accessible(page)
    # At the door, on a phone: the register stacks, each child a block, nothing off the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Mark everyone attended").click()
    assert "Marked 2 children as attended." in page.content()
    assert "2 booked of 10 places: 2 came, 0 did not come" in page.content()
    page.get_by_role("button", name="Undo Ben's attendance").click()
    page.get_by_role("button", name=re.compile(r"^Did not come\s*: Ben$")).click()
    assert "2 booked of 10 places: 1 came, 1 did not come" in page.content()
    assert_accessible(page)
