import datetime as dt

from shortbreaks.bookings.models import Booking

from ..conftest import PASSWORD, fund, make_child, make_eligible, make_family, make_location, make_service, make_session
from .conftest import assert_accessible, sign_in


def test_parent_books_two_siblings_into_a_holiday_session_with_transport(page, live_server, authority, organisation,
                                                                         parent):
    service = make_service(organisation, name="Easter Holiday Scheme", kinds=("school-holiday",),
                           location=make_location(organisation))
    session = make_session(service, places=10, seats=4, price="30.00")
    family = make_family(authority, carer_user=parent)
    for name, born in (("Amy", dt.date(2015, 1, 1)), ("Ben", dt.date(2017, 1, 1))):
        child = make_child(family, name, born=born)
        make_eligible(child)
        fund(child)

    sign_in(page, live_server, "parent@example.org", PASSWORD)
    page.goto(f"{live_server.url}/services/{service.pk}/")
    page.get_by_role("link", name="Book a session").click()
    assert_accessible(page)
    page.locator("input[name='session']").first.check()
    page.get_by_label("Amy").check()
    page.get_by_label("Ben").check()
    page.get_by_label("We need transport").check()
    page.get_by_role("button", name="Book", exact=True).click()
    assert "Booked" in page.locator(".govuk-notification-banner").inner_text()
    rows = page.locator("#bookings tbody tr").all_inner_texts()
    assert len(rows) == 2 and "Amy" in rows[0] + rows[1] and "Ben" in rows[0] + rows[1]
    assert_accessible(page)
    assert Booking.objects.filter(session=session, with_transport=True, status="confirmed").count() == 2
