import datetime as dt
import re

import pytest

from shortbreaks.bookings.models import Booking

from ..clock import born_aged
from ..factories import (
    PASSWORD,
    fund,
    make_child,
    make_eligible,
    make_family,
    make_location,
    make_service,
    make_session,
)
from .pages import assert_accessible, sign_in, texts


def test_parent_books_two_siblings_into_a_holiday_session_with_transport(
    page, live_server, authority, organisation, parent
):
    service = make_service(
        organisation, name="Easter Holiday Scheme", kinds=("school-holiday",), location=make_location(organisation)
    )
    session = make_session(service, places=10, seats=4, price="30.00")
    family = make_family(authority, carer_user=parent)
    for name, born in (("Amy", born_aged(11)), ("Ben", born_aged(9))):
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
    cards = texts(page, "#upcoming .govuk-summary-card")
    assert len(cards) == 2 and "Amy" in cards[0] + cards[1] and "Ben" in cards[0] + cards[1]
    assert_accessible(page)
    assert Booking.objects.filter(session=session, with_transport=True, status="confirmed").count() == 2


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_a_session_fills_and_the_next_family_gets_a_waiting_list_offer(
    page, live_server, authority, organisation, parent
):
    from shortbreaks.core.roles import Role

    from ..factories import make_user

    service = make_service(organisation, name="Saturday Club", location=make_location(organisation))
    session = make_session(service, places=1, price="20.00")
    families = {}
    for email, name in (("parent@example.org", "Amy"), ("second@example.org", "Cal")):
        carer = parent if email == "parent@example.org" else make_user(authority, Role.PARENT, email=email)
        child = make_child(make_family(authority, carer_user=carer), name)
        make_eligible(child)
        fund(child)
        families[email] = child

    # The first family takes the only place.
    sign_in(page, live_server, "parent@example.org", PASSWORD)
    page.goto(f"{live_server.url}/services/{service.pk}/book/")
    page.locator("input[name='session']").first.check()
    page.get_by_label("Amy").check()
    page.get_by_role("button", name="Book", exact=True).click()
    assert "Booked" in page.locator(".govuk-notification-banner").inner_text()
    _sign_out(page)

    # The second family finds it full and joins the waiting list.
    sign_in(page, live_server, "second@example.org", PASSWORD)
    page.goto(f"{live_server.url}/services/{service.pk}/book/")
    page.locator("input[name='session']").first.check()
    page.get_by_label("Cal").check()
    page.get_by_role("button", name="Book", exact=True).click()
    assert "is full. You can join the waiting list" in page.locator(".govuk-error-summary").inner_text()
    page.locator("input[name='session']").first.check()
    page.get_by_label("Cal").check()
    page.get_by_role("button", name="Join the waiting list instead").click()
    assert "waiting list" in page.locator(".govuk-notification-banner").inner_text()
    _sign_out(page)

    # The first family cancels: the place is offered to the second.
    sign_in(page, live_server, "parent@example.org", PASSWORD)
    page.goto(f"{live_server.url}/bookings/")
    page.get_by_role("link", name="Cancel Amy's place").click()
    page.get_by_role("button", name="Cancel Amy's place").click()
    assert "You cancelled Amy's place" in page.locator(".govuk-notification-banner").inner_text()
    _sign_out(page)

    sign_in(page, live_server, "second@example.org", PASSWORD)
    page.goto(f"{live_server.url}/bookings/")
    offer = page.locator(".govuk-notification-banner", has_text="A place for Cal")
    assert "held for you until" in offer.inner_text()
    assert_accessible(page)
    offer.get_by_role("button", name="Accept the place").click()
    assert "Cal" in page.locator("#upcoming").inner_text()
    assert Booking.objects.get(session=session, status="confirmed").child == families["second@example.org"]


def test_commissioner_shares_out_an_oversubscribed_scheme_and_the_family_sees_why(
    page, live_server, authority, organisation, parent, commissioner
):
    from django.utils import timezone

    from shortbreaks.bookings.models import RequestRound, Scheme
    from shortbreaks.bookings.services.rounds import round_open

    scheme = Scheme.objects.create(authority=authority, name="Half-term Week", coordinator=organisation)
    service = make_service(organisation, name="Half-term Club", kinds=("school-holiday",))
    first = make_session(service, places=1, price="0", scheme=scheme, days_ahead=20)
    second = make_session(service, places=3, price="0", scheme=scheme, days_ahead=21)
    now = timezone.now()
    round_ = round_open(
        scheme=scheme,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=2),
        max_sessions_per_child=1,
        max_choices=3,
        need_weights={"targeted": 2, "universal": 1},
        opened_by=commissioner,
    )
    child = make_child(make_family(authority, carer_user=parent), "Amy")
    make_eligible(child)

    sign_in(page, live_server, "parent@example.org", PASSWORD)
    page.goto(f"{live_server.url}/bookings/")
    page.get_by_role("link", name="Ask for places on Half-term Week").click()
    assert_accessible(page)
    page.get_by_label("Choice 1 (most wanted)").select_option(str(first.pk))
    page.get_by_label("Choice 2").select_option(str(second.pk))
    page.get_by_role("button", name="Send our requests").click()
    assert "We have your requests" in page.locator(".govuk-notification-banner").inner_text()
    _sign_out(page)

    RequestRound.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    sign_in(page, live_server, "commissioner@example.org", PASSWORD)
    page.goto(f"{live_server.url}/schemes/rounds/{round_.pk}/")
    page.get_by_role("button", name="Share out the places").click()
    page.goto(f"{live_server.url}/schemes/rounds/{round_.pk}/")  # the worker has run (immediate in tests)
    assert "Proven the best possible" in page.locator("#result").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and tell families").click()
    assert "Confirmed" in page.locator(".govuk-notification-banner").inner_text()
    _sign_out(page)

    sign_in(page, live_server, "parent@example.org", PASSWORD)
    page.goto(f"{live_server.url}/bookings/")
    assert "Place given" in page.get_by_role("table", name="Requests for Half-term Week").inner_text()
    assert_accessible(page)
    assert Booking.objects.get(child=child).session == first


def _fits(page, width: int) -> None:
    """Nothing on the page is wider than the screen (a table would make it scroll sideways)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 390])
def test_a_family_cancels_after_reading_what_it_costs_then_joins_and_leaves_a_waiting_list(
    page, live_server, authority, organisation, parent, width
):
    from shortbreaks.bookings.models import WaitingListEntry
    from shortbreaks.bookings.services.booking import booking_create
    from shortbreaks.core.roles import Role

    from ..factories import make_user

    page.set_viewport_size({"width": width, "height": 844})
    service = make_service(organisation, name="Saturday Club", location=make_location(organisation))
    open_session = make_session(service, places=5, price="30.00", days_ahead=10)
    full = make_session(service, places=1, price="30.00", days_ahead=17)
    leo = make_child(make_family(authority, carer_user=parent), "Leo", born=born_aged(10))
    other = make_user(authority, Role.PARENT, email="second@example.org")
    dee = make_child(make_family(authority, carer_user=other), "Dee", born=born_aged(10))
    for child in (leo, dee):
        make_eligible(child)
        fund(child)
    booking_create(sessions=[full], children=[dee], booked_by=other, idempotency_key="dee-takes-the-place")

    sign_in(page, live_server, "parent@example.org", PASSWORD)
    page.goto(f"{live_server.url}/services/{service.pk}/book/")
    assert "to get the money back" in page.get_by_text("Cancel by").first.inner_text()
    page.get_by_label(re.compile(open_session.date.strftime("%A %-d %B"))).check()
    page.get_by_label("Leo").check()
    page.get_by_role("button", name="Book", exact=True).click()
    assert "Booked" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)
    _fits(page, width)

    # Cancelling asks first, saying what happens to the money, then says it came back.
    page.get_by_role("link", name="Cancel Leo's place").click()
    assert "£30.00 will come back to Leo's budget." in page.locator("#what-happens").inner_text()
    assert_accessible(page)
    _fits(page, width)
    page.get_by_role("button", name="Cancel Leo's place").click()
    assert "£30.00 is back in Leo's budget." in page.locator(".govuk-notification-banner").inner_text()
    assert "Cancelled" in page.locator("#past").inner_text()
    assert_accessible(page)
    _fits(page, width)

    # The full session: the waiting list, then leaving it.
    page.goto(f"{live_server.url}/services/{service.pk}/book/")
    page.get_by_label(re.compile(full.date.strftime("%A %-d %B"))).check()
    page.get_by_label("Leo").check()
    page.get_by_role("button", name="Join the waiting list instead").click()
    assert "waiting list" in page.locator(".govuk-notification-banner").inner_text()
    assert "Waiting for a place" in page.locator("#waiting").inner_text()
    assert_accessible(page)
    _fits(page, width)
    page.get_by_role("link", name=re.compile("Leave the waiting list")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Leave the waiting list").click()
    assert "Leo is off the waiting list" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("#waiting").count() == 0
    assert_accessible(page)
    _fits(page, width)
    assert WaitingListEntry.objects.get(child=leo).status == "left"
