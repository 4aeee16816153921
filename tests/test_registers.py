"""The provider's sessions list and registers: one count of who is booked, marking attendance
(one child, everyone at once, undo), and the registers kept and paged."""

import datetime as dt
import re
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from shortbreaks.bookings.models import Booking
from shortbreaks.bookings.services.attendance import attendance_record_everyone, attendance_undo
from shortbreaks.bookings.services.booking import booking_create
from shortbreaks.core.errors import NotAllowed
from shortbreaks.families.models import BudgetAccount, LedgerEntry

from .clock import TODAY
from .factories import (
    booked,
    fund,
    make_child,
    make_eligible,
    make_family,
    make_location,
    make_service,
    make_session,
    session_on,
    sign_in,
)

REGISTER_LINK = re.compile(r'href="/provider/sessions/[0-9a-f-]{36}/"')


@pytest.fixture
def service(organisation):
    return make_service(organisation, name="Saturday Club", location=make_location(organisation))


@pytest.fixture
def family(authority, parent):
    return make_family(authority, carer_user=parent)


def register_url(session):
    return reverse("bookings:register", args=[session.pk])


def test_the_sessions_list_and_the_register_count_the_same_children(client, service, family, provider):
    session = session_on(service, TODAY - dt.timedelta(days=2), places=12)
    for name, status in [
        ("Amy", "attended"),
        ("Ben", "attended"),
        ("Cal", "attended"),
        ("Dee", "no_show"),
        ("Eve", "no_show"),
        ("Fay", "confirmed"),
        ("Gus", "cancelled"),
        ("Hal", "cancelled_late"),
    ]:
        booked(session, make_child(family, name), status=status)
    sign_in(client, provider)
    listed = client.get(reverse("bookings:sessions")).content.decode()
    assert "6 of 12" in listed
    page = client.get(register_url(session)).content.decode()
    assert "6 booked of 12 places: 3 came, 2 did not come" in page
    assert "Gus" not in page and "Hal" not in page


def test_mark_everyone_attended_then_undo_one_child_through_the_page(client, service, family, provider, clock):
    session = session_on(service, TODAY, price="0.00")
    amy, ben, cal = (booked(session, make_child(family, name), status="confirmed") for name in ("Amy", "Ben", "Cal"))
    Booking.objects.filter(pk=cal.pk).update(status="no_show")
    sign_in(client, provider)
    assert "Mark everyone attended" in client.get(register_url(session)).content.decode()
    response = client.post(register_url(session), {"action": "everyone"}, follow=True)
    assert "Marked 2 children as attended." in response.content.decode()
    assert set(Booking.objects.filter(session=session).values_list("status", flat=True)) == {"attended", "no_show"}
    assert "Mark everyone attended" not in response.content.decode()
    # Ben was marked by mistake: undo, then mark him absent.
    response = client.post(register_url(session), {"action": "undo", "booking": ben.pk}, follow=True)
    assert "Ben&#x27;s attendance is undone" in response.content.decode()
    assert Booking.objects.get(pk=ben.pk).status == "confirmed"
    response = client.post(register_url(session), {"action": "absent", "booking": ben.pk}, follow=True)
    assert "Ben did not come: recorded." in response.content.decode()
    assert Booking.objects.get(pk=ben.pk).status == "no_show"
    assert Booking.objects.get(pk=amy.pk).status == "attended"


def test_register_posts_go_through_a_form(client, service, family, provider, other_provider):
    session = session_on(service, TODAY, price="0.00")
    sam = booked(session, make_child(family, "Sam"), status="confirmed")
    later = make_session(service, days_ahead=7, price="0.00")
    tom = booked(later, make_child(family, "Tom"), status="confirmed")
    sign_in(client, provider)
    for data in ({"action": "came"}, {"action": "came", "booking": "not-an-id"}, {"action": "came", "booking": tom.pk}):
        response = client.post(register_url(session), data)
        assert response.status_code == 400
        assert "There is a problem" in response.content.decode()
        assert "Choose a child on this register" in response.content.decode()
    response = client.post(register_url(session), {"action": "dance", "booking": sam.pk})
    assert response.status_code == 400 and "Choose a button on the register" in response.content.decode()
    # Not before the day, and not twice.
    response = client.post(register_url(later), {"action": "came", "booking": tom.pk})
    assert response.status_code == 400 and "from the day of the session" in response.content.decode()
    client.post(register_url(session), {"action": "came", "booking": sam.pk})
    response = client.post(register_url(session), {"action": "came", "booking": sam.pk})
    assert response.status_code == 400 and "already recorded for Sam" in response.content.decode()
    response = client.post(register_url(later), {"action": "undo", "booking": tom.pk})
    assert response.status_code == 400 and "no attendance to undo for Tom" in response.content.decode()
    # Another provider's register is not theirs.
    sign_in(client, other_provider)
    assert client.post(register_url(session), {"action": "everyone"}).status_code == 404
    assert Booking.objects.get(pk=sam.pk).status == "attended"


def test_undo_corrects_the_budget_entry_the_mark_posted(authority, service, family, parent, provider):
    session = make_session(service, price="20.00")
    children = [make_child(family, name) for name in ("Amy", "Ben")]
    for child in children:
        make_eligible(child)
        fund(child)
    booking_create(sessions=[session], children=children, booked_by=parent, idempotency_key=uuid.uuid4().hex)
    session.date = TODAY  # the day comes: the register is marked
    session.save(update_fields=["date"])
    marked = attendance_record_everyone(session=session, recorded_by=provider)
    assert len(marked) == 2
    amy_account = BudgetAccount.objects.get(child=children[0])
    assert (amy_account.spent, amy_account.committed) == (Decimal("20.00"), Decimal("0.00"))
    with pytest.raises(NotAllowed, match="already marked"):
        attendance_record_everyone(session=session, recorded_by=provider)
    amy = next(b for b in marked if b.child == children[0])
    attendance_undo(booking=amy, undone_by=provider)
    amy_account.refresh_from_db()
    assert (amy_account.spent, amy_account.committed, amy_account.available) == (
        Decimal("0.00"),
        Decimal("20.00"),
        Decimal("180.00"),
    )
    correction = LedgerEntry.objects.get(account=amy_account, kind=LedgerEntry.Kind.REVERSAL)
    assert correction.reverses.kind == LedgerEntry.Kind.DELIVERED_PAID
    # Marked again and undone again: each mark is corrected once.
    attendance_record_everyone(session=session, recorded_by=provider)
    attendance_undo(booking=amy, undone_by=provider)
    amy_account.refresh_from_db()
    assert amy_account.spent == Decimal("0.00")
    assert LedgerEntry.objects.filter(account=amy_account, kind=LedgerEntry.Kind.REVERSAL).count() == 2


def test_registers_older_than_two_weeks_are_kept_and_both_lists_are_paged(client, service, provider):
    for days in range(30):
        session_on(service, TODAY + dt.timedelta(days=days))
    old = [session_on(service, TODAY - dt.timedelta(days=15 + days)) for days in range(3)]
    sign_in(client, provider)
    first = client.get(reverse("bookings:sessions")).content.decode()
    assert 'class="govuk-pagination"' in first
    assert len(REGISTER_LINK.findall(first)) == 25
    second = client.get(reverse("bookings:sessions") + "?page=2").content.decode()
    assert len(REGISTER_LINK.findall(second)) == 5
    past = client.get(reverse("bookings:sessions") + "?past=1").content.decode()
    assert "Past registers" in past
    assert [past.index(str(session.pk)) for session in old] == sorted(past.index(str(s.pk)) for s in old)
    assert all(str(session.pk) in past for session in old)
    assert client.get(register_url(old[-1])).status_code == 200


def test_a_coordinators_cancel_with_a_wrong_booking_is_a_form_error(client, authority, organisation, service, provider):
    from shortbreaks.bookings.models import Scheme

    scheme = Scheme.objects.create(authority=authority, name="Winter scheme", coordinator=organisation)
    url = reverse("bookings:scheme-bookings", args=[scheme.pk])
    sign_in(client, provider)
    for value in ("", "not-an-id", str(uuid.uuid4())):
        response = client.post(url, {"booking": value})
        assert response.status_code == 400
        assert "Choose a booking of this scheme that can still be cancelled" in response.content.decode()


def test_emergency_contacts_are_on_the_register_only_where_the_parent_agreed(
    client, authority, service, family, provider, other_provider, other_organisation
):
    session = session_on(service, TODAY, price="0.00")
    sharing = make_child(
        family, "Amy", emergency_contacts="Priya Khan (aunt) 07700 900 982", share_emergency_contacts=True
    )
    private = make_child(family, "Ben", emergency_contacts="Omar Shah (uncle) 07700 900 123")
    for child in (sharing, private):
        booked(session, child, status="confirmed")
    sign_in(client, provider)
    page = client.get(register_url(session)).content.decode()
    assert "Priya Khan (aunt) 07700 900 982" in page
    assert "Omar Shah" not in page and "Not shared: ask the family." in page
    # Another provider sees neither: not this register, nor the child on its own sessions.
    sign_in(client, other_provider)
    assert client.get(register_url(session)).status_code == 404
    theirs = session_on(make_service(other_organisation, name="Other Club"), TODAY, price="0.00")
    booked(theirs, make_child(family, "Cal"), status="confirmed")
    page = client.get(register_url(theirs)).content.decode()
    assert "Priya Khan" not in page and "Omar Shah" not in page


def test_a_long_scheme_is_paged(client, authority, organisation, service, provider):
    from shortbreaks.bookings.models import Scheme

    scheme = Scheme.objects.create(authority=authority, name="Summer scheme", coordinator=organisation)
    for days in range(12):
        session_on(service, TODAY + dt.timedelta(days=days), scheme=scheme)
    sign_in(client, provider)
    url = reverse("bookings:scheme-bookings", args=[scheme.pk])
    first = client.get(url).content.decode()
    assert first.count('<table class="govuk-table">') == 10 and 'class="govuk-pagination"' in first
    assert client.get(url + "?page=2").content.decode().count('<table class="govuk-table">') == 2


def test_no_one_is_marked_before_the_day_whatever_calls_the_service(service, family, provider):
    """The rule is the service's, so an API or a task cannot pay for a break not yet had."""
    from shortbreaks.bookings.services.attendance import attendance_record

    later = make_session(service, days_ahead=7, price="10.00")
    tom = booked(later, make_child(family, "Tom"), status="confirmed")
    for mark in (
        lambda: attendance_record(booking=tom, attended=True, recorded_by=provider),
        lambda: attendance_record_everyone(session=later, recorded_by=provider),
    ):
        with pytest.raises(NotAllowed, match="from the day of the session"):
            mark()
    tom.refresh_from_db()
    assert tom.status == "confirmed"


def test_the_scheme_page_counts_places_as_the_register_does(client, authority, organisation, service, family, provider):
    from shortbreaks.bookings.models import Scheme

    scheme = Scheme.objects.create(authority=authority, name="Summer scheme", coordinator=organisation)
    session = session_on(service, TODAY, places=12, scheme=scheme, price="0.00")
    for name, status in (("Amy", "attended"), ("Ben", "no_show"), ("Cal", "confirmed"), ("Dee", "cancelled")):
        booked(session, make_child(family, name), status=status)
    sign_in(client, provider)
    scheme_page = client.get(reverse("bookings:scheme-bookings", args=[scheme.pk])).content.decode()
    assert ": 3 of 12 places</caption>" in scheme_page  # a no-show took a place; a cancellation did not
    assert "3 booked of 12 places" in client.get(register_url(session)).content.decode()
