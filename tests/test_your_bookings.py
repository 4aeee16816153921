"""A family's bookings after booking: cancelling (confirmed first, saying what happens to the
money), waiting lists (only for full sessions; leaving one, an offer held passing on) and
"Your bookings" (coming up first, the past paged, no stale waiting)."""

import datetime as dt
import html as html_module
from decimal import Decimal

import pytest
from django.utils import timezone

from shortbreaks.bookings.models import Booking, BookingPolicy, Session, WaitingListEntry
from shortbreaks.bookings.services.booking import booking_cancel, booking_create
from shortbreaks.bookings.services.waiting import waiting_list_join
from shortbreaks.core.roles import Role
from shortbreaks.families.models import BudgetAccount

from .clock import LONDON, TODAY, born_aged
from .factories import (
    booked,
    fund,
    make_child,
    make_eligible,
    make_family,
    make_location,
    make_service,
    make_session,
    make_user,
    session_on,
    sign_in,
)


@pytest.fixture
def scheme(authority, organisation, parent):
    service = make_service(
        organisation, name="Holiday Playscheme", kinds=("school-holiday",), location=make_location(organisation)
    )
    session = make_session(service, places=3, seats=2, price="30.00")
    family = make_family(authority, carer_user=parent)
    children = [
        make_child(family, "Amy", born=born_aged(11)),
        make_child(family, "Ben", born=born_aged(9)),
    ]
    for child in children:
        make_eligible(child)
        fund(child)
    return service, session, children


def text(response) -> str:
    """The page as a person reads it (apostrophes in names are escaped in the HTML)."""
    return html_module.unescape(response.content.decode())


FRIDAY_6PM = dt.datetime(2026, 12, 4, 18, 0, tzinfo=LONDON)  # three days after the clock's NOW


def _booked(client, service, session, children, key="k-mine"):
    client.post(
        f"/services/{service.pk}/book/",
        {"session": [str(session.pk)], "child": [str(c.pk) for c in children], "idempotency_key": key},
    )
    return Booking.objects.get(session=session, child=children[0])


def test_the_booking_page_says_when_to_cancel_and_what_late_costs(client, scheme, parent, authority):
    service, session, children = scheme
    session.cancellation_deadline = FRIDAY_6PM
    session.save()
    sign_in(client, parent)
    html = text(client.get(f"/services/{service.pk}/book/"))
    assert "Cancel by 6pm on Friday 4 December to get the money back." in html
    assert "the price is still paid from your child's budget, as if they had gone" in html
    assert "If your child does not come and you did not cancel, the price is paid from their budget." in html
    BookingPolicy.objects.filter(authority=authority).update(late_cancellation_charged=False, no_show_charged=False)
    html = text(client.get(f"/services/{service.pk}/book/"))
    assert "the money still comes back to your child's budget" in html
    assert "If your child does not come, the money comes back to their budget." in html


def test_cancelling_in_time_is_confirmed_first_and_the_money_comes_back(client, scheme, parent):
    service, session, children = scheme
    sign_in(client, parent)
    booking = _booked(client, service, session, children[:1])
    mine = text(client.get("/bookings/"))
    assert f'href="/bookings/{booking.pk}/cancel/"' in mine
    page = text(client.get(f"/bookings/{booking.pk}/cancel/"))
    assert "£30.00 will come back to Amy's budget." in page and "Cancel Amy's place" in page
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"  # looking at the page cancels nothing
    done = text(client.post(f"/bookings/{booking.pk}/cancel/", follow=True))
    assert "£30.00 is back in Amy's budget." in done
    assert Booking.objects.get(pk=booking.pk).status == "cancelled"
    assert BudgetAccount.objects.get(child=children[0]).available == Decimal("200.00")


def test_cancelling_late_says_the_policy_before_and_after(client, scheme, parent):
    service, session, children = scheme
    sign_in(client, parent)
    booking = _booked(client, service, session, children[:1])
    session.cancellation_deadline = timezone.now() - dt.timedelta(hours=1)
    session.save()
    page = text(client.get(f"/bookings/{booking.pk}/cancel/"))
    assert "It has passed, so the £30.00 is paid from Amy's budget as if Amy had gone." in page
    done = text(client.post(f"/bookings/{booking.pk}/cancel/", follow=True))
    assert "This was after the deadline, so the £30.00 is paid as if Amy had gone." in done
    assert Booking.objects.get(pk=booking.pk).status == "cancelled_late"
    assert BudgetAccount.objects.get(child=children[0]).spent == Decimal("30.00")


def test_a_free_session_says_nothing_about_money(client, scheme, parent):
    service, session, children = scheme
    session.price = 0
    session.save()
    sign_in(client, parent)
    booking = _booked(client, service, session, children[:1])
    page = text(client.get(f"/bookings/{booking.pk}/cancel/"))
    assert "budget" not in page and "£" not in page
    done = text(client.post(f"/bookings/{booking.pk}/cancel/", follow=True))
    assert "You cancelled Amy's place" in done and "budget" not in done


def test_a_refused_cancellation_shows_the_page_again_with_the_problem(client, scheme, parent):
    service, session, children = scheme
    sign_in(client, parent)
    booking = _booked(client, service, session, children[:1])
    Booking.objects.filter(pk=booking.pk).update(status="attended")  # the register was marked meanwhile
    response = client.post(f"/bookings/{booking.pk}/cancel/")
    html = text(response)
    assert response.status_code == 400 and "There is a problem" in html and "not live any more" in html
    assert "<title>Error: Cancel Amy" in html


def _full(scheme, authority):
    """The scheme's session, taken by another family."""
    service, session, children = scheme
    session.places = 1
    session.save()
    other = make_user(authority, Role.PARENT)
    dee = make_child(make_family(authority, carer_user=other), "Dee", born=born_aged(10))
    make_eligible(dee)
    fund(dee)
    booking_create(sessions=[session], children=[dee], booked_by=other, idempotency_key="k-dee")
    return other, dee


def test_the_waiting_list_is_offered_only_when_a_session_is_full(client, scheme, parent, authority):
    service, session, children = scheme
    sign_in(client, parent)
    assert "Join the waiting list instead" not in text(client.get(f"/services/{service.pk}/book/"))
    response = client.post(
        f"/services/{service.pk}/book/",
        {"session": [str(session.pk)], "child": [str(children[0].pk)], "idempotency_key": "k-w", "action": "waitlist"},
    )
    assert response.status_code == 400 and "still has places: book it instead" in text(response)
    assert not WaitingListEntry.objects.exists()
    _full(scheme, authority)
    assert "Join the waiting list instead" in text(client.get(f"/services/{service.pk}/book/"))


def test_a_family_leaves_a_waiting_list_after_confirming(client, scheme, parent, authority):
    service, session, children = scheme
    _full(scheme, authority)
    sign_in(client, parent)
    client.post(
        f"/services/{service.pk}/book/",
        {"session": [str(session.pk)], "child": [str(children[0].pk)], "idempotency_key": "k-w", "action": "waitlist"},
    )
    entry = WaitingListEntry.objects.get(child=children[0])
    mine = text(client.get("/bookings/"))
    assert f'href="/bookings/waiting/{entry.pk}/leave/"' in mine and "Waiting for a place" in mine
    assert "Waiting for a place: 1st in the queue" in mine
    leave = text(client.get(f"/bookings/waiting/{entry.pk}/leave/"))
    assert "We will not offer Amy a place" in leave
    assert "Amy is 1st in the queue. If you join the list again, Amy will go to the back of the queue." in leave
    done = text(client.post(f"/bookings/waiting/{entry.pk}/leave/", follow=True))
    assert "Amy is off the waiting list" in done and "Waiting for a place" not in done
    assert WaitingListEntry.objects.get(pk=entry.pk).status == "left"
    sign_in(client, make_user(authority, Role.PARENT))
    assert client.get(f"/bookings/waiting/{entry.pk}/leave/").status_code == 404


def test_leaving_with_an_offer_passes_it_on(client, scheme, parent, authority):
    service, session, children = scheme
    other, dee = _full(scheme, authority)
    entries = [waiting_list_join(session=session, child=child, added_by=parent) for child in children]
    booking_cancel(booking=Booking.objects.get(child=dee), cancelled_by=other)
    first, second = (WaitingListEntry.objects.get(pk=e.pk) for e in entries)
    assert (first.status, second.status) == ("offered", "waiting")
    sign_in(client, parent)
    page = text(client.get(f"/bookings/waiting/{first.pk}/leave/"))
    assert "The place we are holding for Amy will go to the next family on the list." in page
    client.post(f"/bookings/waiting/{first.pk}/leave/")
    assert WaitingListEntry.objects.get(pk=second.pk).status == "offered"


def test_an_offer_is_answered_through_its_form(client, scheme, parent, authority):
    service, session, children = scheme
    other, dee = _full(scheme, authority)
    entry = waiting_list_join(session=session, child=children[0], added_by=parent)
    booking_cancel(booking=Booking.objects.get(child=dee), cancelled_by=other)
    sign_in(client, parent)
    response = client.post(f"/bookings/offers/{entry.pk}/", {"accept": "maybe"})
    assert response.status_code == 400 and "Choose whether to accept or decline the place" in text(response)
    client.post(f"/bookings/offers/{entry.pk}/", {"accept": "no"})
    assert WaitingListEntry.objects.get(pk=entry.pk).status == "declined"


def test_your_bookings_puts_what_is_coming_first_and_pages_the_past(client, scheme, parent, clock):
    service, session, children = scheme
    sign_in(client, parent)
    _booked(client, service, session, children[:1], key="k-soon")
    later = make_session(service, days_ahead=30)
    _booked(client, service, later, children[:1], key="k-later")
    for days_ago in range(1, 13):
        booked(session_on(service, TODAY - dt.timedelta(days=days_ago)), children[1])
    cancelled = _booked(client, service, make_session(service, days_ahead=20), children[:1], key="k-cancel")
    client.post(f"/bookings/{cancelled.pk}/cancel/")
    page = client.get("/bookings/")
    upcoming = [b.session for b in page.context["upcoming"]]
    assert upcoming == [session, later]  # soonest first, the cancelled one not among them
    past = list(page.context["page_obj"])
    assert len(past) == 10 and past[0] == cancelled  # the most recent first: its day is still to come
    assert [b.session.date for b in past[1:]] == [TODAY - dt.timedelta(days=n) for n in range(1, 10)]
    html = text(page)
    assert html.index("Coming up") < html.index("Past and cancelled") and "govuk-table" not in html.split("Past")[0]
    second_page = client.get("/bookings/?page=2")
    second = second_page.context["page_obj"]
    assert "Coming up" not in text(second_page)  # said once, on the first page
    assert "What is coming up, waiting lists and requests" in text(second_page)
    assert [b.session.date for b in second] == [TODAY - dt.timedelta(days=n) for n in range(10, 13)]


def test_a_stale_waiting_list_entry_does_not_show_as_waiting(client, scheme, parent, authority):
    service, session, children = scheme
    june = session_on(service, dt.date(2026, 6, 20), places=1)
    Session.objects.filter(pk=june.pk).update(
        booking_closes_at=dt.datetime(2026, 6, 19, tzinfo=LONDON),
        booking_opens_at=dt.datetime(2026, 5, 1, tzinfo=LONDON),
    )
    WaitingListEntry.objects.create(authority=authority, session=june, child=children[0], added_by=parent)
    sign_in(client, parent)
    html = text(client.get("/bookings/"))
    assert "Waiting lists" not in html and "20 June" not in html


def test_your_bookings_makes_the_same_queries_however_many_there_are(client, scheme, parent, authority):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    service, session, children = scheme
    other, dee = _full(scheme, authority)
    sign_in(client, parent)

    days = iter(range(20, 60, 2))  # each on its own day: a child is never booked twice at once

    def add(n):
        for _ in range(n):
            upcoming = make_session(service, days_ahead=next(days))
            booking_create(sessions=[upcoming], children=children, booked_by=parent, idempotency_key=str(upcoming.pk))
            booked(session_on(service, TODAY - dt.timedelta(days=3)), children[0])
            full = make_session(service, places=1, days_ahead=next(days))
            booking_create(sessions=[full], children=[dee], booked_by=other, idempotency_key=str(full.pk))
            waiting_list_join(session=full, child=children[1], added_by=parent)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/bookings/").status_code == 200
        return len(captured)

    add(2)
    count()  # per-process caches fill on the first
    few = count()
    add(4)
    assert count() == few


def test_each_booking_says_where_and_who_runs_it(client, scheme, organisation, parent):
    service, session, (amy, ben) = scheme
    buddy = make_session(make_service(organisation, name="Buddy Scheme", kinds=("community",)), places=3)
    booked(session, amy, status="confirmed")
    booked(buddy, ben, status="confirmed")
    sign_in(client, parent)
    page = text(client.get("/bookings/"))
    assert "Community Centre, DE1 3AB" in page  # the playscheme's venue
    assert "Agreed with you by the provider: this service comes to you" in page  # the buddy scheme
    assert page.count(f">{organisation.name}</a>") == 2
