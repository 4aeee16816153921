import datetime as dt
import threading
import uuid
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection
from django.db.models import Sum
from django.utils import timezone

from shortbreaks.bookings.models import Booking, BookingPolicy, WaitingListEntry
from shortbreaks.bookings.services.attendance import attendance_record
from shortbreaks.bookings.services.booking import BookingRefused, booking_cancel, booking_create
from shortbreaks.bookings.services.waiting import (
    expire_offers,
    waiting_list_join,
    waiting_list_leave,
    waiting_offer_answer,
)
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.roles import Role
from shortbreaks.core.sites import absolute
from shortbreaks.families.models import BudgetAccount, Child, LedgerEntry

from .clock import TODAY, born_aged
from .factories import (
    fund,
    make_child,
    make_eligible,
    make_family,
    make_location,
    make_service,
    make_session,
    make_user,
    sign_in,
)


@pytest.fixture
def service(organisation):
    return make_service(organisation, name="Summer Playscheme", location=make_location(organisation))


@pytest.fixture
def siblings(authority, parent):
    family = make_family(authority, carer_user=parent)
    children = [
        make_child(family, "Amy", born=born_aged(11)),
        make_child(family, "Ben", born=born_aged(9)),
    ]
    for child in children:
        make_eligible(child)
        fund(child)
    return children


def book(sessions, children, user, key=None, **extra):
    return booking_create(
        sessions=sessions, children=children, booked_by=user, idempotency_key=key or uuid.uuid4().hex, **extra
    )


def available(child):
    return BudgetAccount.objects.get(child=child).available


def test_siblings_booked_together_and_money_committed(service, siblings, parent):
    session = make_session(service, places=5, price="25.00")
    group = book([session], siblings, parent)
    assert group.bookings.count() == 2
    assert [available(c) for c in siblings] == [Decimal("175.00"), Decimal("175.00")]
    assert BudgetAccount.objects.get(child=siblings[0]).committed == Decimal("25.00")


def test_the_confirmation_email_carries_a_calendar_file(
    service, siblings, parent, mailoutbox, django_capture_on_commit_callbacks
):
    session = make_session(service, places=5)
    with django_capture_on_commit_callbacks(execute=True):
        book([session], siblings, parent)
    message = mailoutbox[-1]
    assert message.to == [parent.email] and "Amy" in message.body
    ((filename, content, mimetype),) = message.attachments
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    from icalendar import Calendar

    events = Calendar.from_ical(content).walk("VEVENT")
    assert sorted(str(e["summary"]) for e in events) == ["Amy: Summer Playscheme", "Ben: Summer Playscheme"]
    assert "adds them to your calendar" in message.body and "these short breaks for Amy and Ben" in message.body
    assert events[0].decoded("dtstart").date() == session.date


def test_the_calendar_file_is_complete_and_an_overnight_break_ends_next_morning(client, service, siblings, parent):
    """RFC 5545: a VTIMEZONE for the TZID it uses; METHOD:PUBLISH; each event says where, what
    to know (the email's own lines) and links to the family's bookings."""
    from icalendar import Calendar

    overnight = make_session(service, places=5)
    overnight.starts_at, overnight.ends_at = dt.time(17), dt.time(10)
    overnight.save(update_fields=["starts_at", "ends_at"])
    group = book([overnight], siblings[:1], parent)
    sign_in(client, parent)
    response = client.get(f"/bookings/{group.bookings.get().pk}/calendar.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["method"]) == "PUBLISH"
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/London"
    (event,) = calendar.walk("VEVENT")
    assert event["dtstart"].params["TZID"] == "Europe/London"
    starts, ends = event.decoded("dtstart"), event.decoded("dtend")
    assert (starts.hour, ends.hour, (ends.date() - starts.date()).days) == (17, 10, 1)
    description = str(event["description"])
    assert "Cancel by " in description and "Questions about the session: " in description
    assert str(event["location"]).endswith("DE1 3AB") and str(event["url"]).startswith("http")
    assert str(event["url"]).endswith("/bookings/")


def test_the_confirmation_says_where_when_what_it_costs_and_who_to_ask(
    service, siblings, parent, mailoutbox, django_capture_on_commit_callbacks
):
    session = make_session(service, places=5, price="25.00")
    with django_capture_on_commit_callbacks(execute=True):
        book([session], siblings[:1], parent)
    body = mailoutbox[-1].body
    assert f"When: {session.date:%A} {session.date.day} {session.date:%B %Y}, 10am to 3pm\n" in body
    place = service.service_at_locations.get().location
    assert f"Where: {place.name}, {place.address_1}" in body and place.postcode in body
    assert "Cost: £25.00 from Amy's budget" in body and "to get the money back" in body
    assert f"Summer Playscheme ({service.organisation.name})" in body and "Questions about the session: " in body
    # One booking is "it"; what is left on the budget is the budget page's figures.
    assert "The attached calendar file adds it to your calendar." in body
    assert "£175.00 of Amy's £200.00 is left to book." in body
    assert "Why you got this email: you booked this short break for Amy." in body


def test_cancelling_and_waiting_lists_are_confirmed_by_email(
    service, siblings, parent, provider, authority, mailoutbox, django_capture_on_commit_callbacks
):
    """Each carer hears, after the commit, with absolute links back to 'Your bookings'."""
    siblings[0].family.carers.create(email="second.carer@example.org", full_name="Jo")
    session = make_session(service, places=1, price="25.00")
    group = book([session], siblings[:1], parent)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=group.bookings.get(), cancelled_by=parent)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(siblings[0].family.contact_emails())
    assert len(mailoutbox) == 2 and all(len(m.to) == 1 for m in mailoutbox)
    body = mailoutbox[0].body
    day = f"{session.date:%A} {session.date.day} {session.date:%B %Y}"
    assert f"You cancelled Amy's place on Summer Playscheme on {day}, 10am to 3pm." in body
    assert "£25.00 is back on Amy's budget." in body
    assert absolute(authority, "bookings:mine") in body.split()
    # Cancelled on the family's behalf (a scheme's coordinator), the email does not say "You".
    ben = book([session], siblings[1:], parent).bookings.get()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=ben, cancelled_by=provider)
    assert "Ben's place on Summer Playscheme" in mailoutbox[0].body and "cancelled for you by" in mailoutbox[0].body
    book([session], siblings[1:], parent)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        entry = waiting_list_join(session=session, child=siblings[0], added_by=parent)
    assert len(mailoutbox) == 2 and mailoutbox[0].subject == "You joined a waiting list"
    assert f"Amy: Summer Playscheme on {day}, 10am to 3pm" in mailoutbox[0].body
    assert absolute(authority, "bookings:mine") in mailoutbox[0].body.split()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        waiting_list_leave(entry=entry, left_by=parent)
    assert len(mailoutbox) == 2 and mailoutbox[0].subject == "Amy has left a waiting list"
    assert f"Amy is no longer on the waiting list for Summer Playscheme on {day}, 10am to 3pm." in mailoutbox[0].body


def test_siblings_all_or_none_when_only_one_place_is_left(service, siblings, parent):
    session = make_session(service, places=1)
    with pytest.raises(BookingRefused, match="only 1 place left on .*, not enough for 2 children"):
        book([session], siblings, parent)
    assert not Booking.objects.exists() and [available(c) for c in siblings] == [Decimal("200.00")] * 2


def test_one_to_one_children_use_staff_as_well_as_places(service, siblings, parent):
    Child.objects.filter(pk__in=[c.pk for c in siblings]).update(support="one_to_one")
    session = make_session(service, places=10, support_staff=1)
    with pytest.raises(BookingRefused, match="not enough one-to-one staff"):
        book([session], [Child.objects.get(pk=c.pk) for c in siblings], parent)


def test_transport_seats_are_their_own_capacity(service, siblings, parent):
    session = make_session(service, places=10, seats=1)
    with pytest.raises(BookingRefused, match="transport seats"):
        book([session], siblings, parent, with_transport=True)
    book([session], siblings, parent)  # without transport there is room


def test_asking_for_transport_on_a_session_without_any_says_so(service, siblings, parent):
    session = make_session(service, places=10, seats=0)
    with pytest.raises(BookingRefused, match="has no transport. Untick"):
        book([session], siblings, parent, with_transport=True)


def test_age_and_eligibility_are_checked(service, siblings, parent, authority):
    too_young = make_session(service, ages=(10, 18))
    with pytest.raises(BookingRefused, match=r"Ben \(aged 9\) is outside the ages"):
        book([too_young], siblings, parent)
    stranger = make_child(make_family(authority, carer_user=parent), "Cal")
    with pytest.raises(BookingRefused, match="needs targeted short breaks eligibility"):
        book([make_session(service)], [stranger], parent)
    book([make_session(service, tier="universal", price="0")], [stranger], parent)


def test_not_enough_budget_books_nothing_for_anyone(service, siblings, parent):
    session = make_session(service, price="150.00")
    other = make_session(service, price="100.00", days_ahead=15)
    with pytest.raises(Exception, match="not enough left"):
        book([session, other], siblings, parent)
    assert not Booking.objects.exists()
    assert [available(c) for c in siblings] == [Decimal("200.00")] * 2


def test_a_retried_submission_books_once(service, siblings, parent):
    session = make_session(service)
    first = book([session], siblings, parent, key="same-key")
    again = book([session], siblings, parent, key="same-key")
    assert first.pk == again.pk and Booking.objects.count() == 2
    assert available(siblings[0]) == Decimal("180.00")


def test_only_your_own_children(service, siblings, authority):
    stranger = make_user(authority, Role.PARENT)
    with pytest.raises(NotAllowed, match="your own family"):
        book([make_session(service)], siblings, stranger)


def test_cancelling_in_time_releases_and_late_follows_the_policy(service, siblings, parent):
    session = make_session(service)
    group = book([session], siblings[:1], parent)
    booking_cancel(booking=group.bookings.get(), cancelled_by=parent)
    assert available(siblings[0]) == Decimal("200.00")
    late = make_session(service)
    late_booking = book([late], siblings[:1], parent).bookings.get()
    late.cancellation_deadline = timezone.now() - dt.timedelta(minutes=1)
    late.save()
    booking_cancel(booking=late_booking, cancelled_by=parent)
    account = BudgetAccount.objects.get(child=siblings[0])
    assert (account.available, account.spent) == (Decimal("180.00"), Decimal("20.00"))
    assert Booking.objects.get(pk=late_booking.pk).status == "cancelled_late"


def test_a_freed_place_is_offered_to_the_next_family_then_moves_on(service, siblings, parent, authority):
    session = make_session(service, places=1)
    group = book([session], siblings[:1], parent)
    other_parent = make_user(authority, Role.PARENT)
    waiting = []
    for name in ("Dee", "Eve"):
        child = make_child(make_family(authority, carer_user=other_parent), name)
        make_eligible(child)
        fund(child)
        waiting.append(waiting_list_join(session=session, child=child, added_by=other_parent))
    booking_cancel(booking=group.bookings.get(), cancelled_by=parent)
    first = WaitingListEntry.objects.get(pk=waiting[0].pk)
    assert first.status == "offered" and first.offer_expires_at > timezone.now() + dt.timedelta(hours=23)
    # The place is held: nobody else can take it while the offer is open.
    with pytest.raises(BookingRefused, match="is full. You can join the waiting list"):
        book([session], siblings[1:], parent)
    expire_offers(now=first.offer_expires_at + dt.timedelta(seconds=1))
    assert WaitingListEntry.objects.get(pk=waiting[0].pk).status == "expired"
    second = WaitingListEntry.objects.get(pk=waiting[1].pk)
    assert second.status == "offered"
    booking = waiting_offer_answer(entry=second, answered_by=other_parent, accept=True)
    assert booking.status == "confirmed" and WaitingListEntry.objects.get(pk=second.pk).status == "accepted"


def test_attendance_pays_for_the_break_and_no_shows_follow_the_policy(service, siblings, parent, provider, authority):
    BookingPolicy.objects.filter(authority=authority).update(no_show_charged=False)
    session = make_session(service)
    group = book([session], siblings, parent)
    amy, ben = group.bookings.order_by("child__first_name")
    session.date = TODAY  # the day comes: the register is marked
    session.save(update_fields=["date"])
    attendance_record(booking=amy, attended=True, recorded_by=provider)
    attendance_record(booking=ben, attended=False, recorded_by=provider)
    assert BudgetAccount.objects.get(child=siblings[0]).spent == Decimal("20.00")
    assert BudgetAccount.objects.get(child=siblings[1]).available == Decimal("200.00")


@pytest.mark.django_db(transaction=True)
def test_the_rush_never_oversells_overspends_or_loses_a_booking(authority, organisation, taxonomies):
    """Twenty parents press 'book' at once for ten places: exactly ten get one."""
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races need PostgreSQL")
    service = make_service(organisation, location=make_location(organisation))
    session = make_session(service, places=10, price="15.00")
    parents = []
    for n in range(20):
        parent = make_user(authority, Role.PARENT)
        child = make_child(make_family(authority, carer_user=parent), f"Child{n}")
        make_eligible(child)
        fund(child, "20.00")
        parents.append((parent, child))
    barrier = threading.Barrier(len(parents))
    outcomes = []

    def rush(parent, child):
        close_old_connections()
        try:
            barrier.wait()
            book([session], [child], parent)
            outcomes.append("booked")
        except BookingRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=rush, args=pair) for pair in parents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("booked") == 10 and outcomes.count("refused") == 10
    assert Booking.objects.filter(session=session, status="confirmed").count() == 10
    committed = LedgerEntry.objects.filter(kind="booking_committed").aggregate(total=Sum("amount"))["total"]
    assert committed == Decimal("150.00")
    assert BudgetAccount.objects.aggregate(c=Sum("committed"))["c"] == Decimal("150.00")


def test_a_session_must_support_the_childs_needs(organisation, siblings, parent, taxonomies):
    club = make_service(organisation, name="Sensory Club", needs=("sensory-impairment",))
    session = make_session(club, places=5)
    with pytest.raises(BookingRefused, match="not set up for Amy's needs: Autism"):
        book([session], siblings[:1], parent)
    open_to_all = make_service(organisation, name="Open Club", needs=())
    book([make_session(open_to_all, places=5)], siblings[:1], parent)  # lists no needs: not checked


def _waiting_family(authority, name):
    carer = make_user(authority, Role.PARENT)
    child = make_child(make_family(authority, carer_user=carer), name, born=born_aged(12))
    make_eligible(child)
    fund(child)
    return carer, child


def test_the_waiting_list_is_only_for_full_sessions_a_child_could_book(service, siblings, parent, authority):
    session = make_session(service, places=1, ages=(10, 25))
    with pytest.raises(NotAllowed, match="still has places: book it instead"):
        waiting_list_join(session=session, child=siblings[0], added_by=parent)
    carer, dee = _waiting_family(authority, "Dee")
    book([session], [dee], carer)
    with pytest.raises(NotAllowed, match="Ben \\(aged 9\\) is outside the ages"):
        waiting_list_join(session=session, child=siblings[1], added_by=parent)
    with pytest.raises(NotAllowed, match="Dee is already booked"):
        waiting_list_join(session=session, child=dee, added_by=carer)
    assert waiting_list_join(session=session, child=siblings[0], added_by=parent).status == "waiting"
    with pytest.raises(NotAllowed, match="Amy is already on the waiting list"):
        waiting_list_join(session=session, child=siblings[0], added_by=parent)


def test_leaving_a_waiting_list_is_recorded(service, siblings, parent, authority):
    from shortbreaks.bookings.services.waiting import waiting_list_leave
    from shortbreaks.core.models import AuditEvent

    session = make_session(service, places=1)
    carer, dee = _waiting_family(authority, "Dee")
    book([session], [dee], carer)
    entry = waiting_list_join(session=session, child=siblings[0], added_by=parent)
    with pytest.raises(NotAllowed, match="own family"):
        waiting_list_leave(entry=entry, left_by=carer)
    assert waiting_list_leave(entry=entry, left_by=parent).status == "left"
    assert AuditEvent.objects.filter(action="waiting.left", actor=parent).count() == 1
    with pytest.raises(NotAllowed, match="not on the waiting list"):
        waiting_list_leave(entry=entry, left_by=parent)
    # Off the list, the child may join it again.
    assert waiting_list_join(session=session, child=siblings[0], added_by=parent).status == "waiting"


def test_leaving_with_an_offer_passes_the_place_to_the_next_family(service, siblings, parent, authority):
    from shortbreaks.bookings.services.waiting import waiting_list_leave

    session = make_session(service, places=1)
    group = book([session], siblings[:1], parent)
    (first_carer, dee), (second_carer, eve) = _waiting_family(authority, "Dee"), _waiting_family(authority, "Eve")
    first = waiting_list_join(session=session, child=dee, added_by=first_carer)
    second = waiting_list_join(session=session, child=eve, added_by=second_carer)
    booking_cancel(booking=group.bookings.get(), cancelled_by=parent)
    assert WaitingListEntry.objects.get(pk=first.pk).status == "offered"
    waiting_list_leave(entry=first, left_by=first_carer)
    assert WaitingListEntry.objects.get(pk=first.pk).status == "left"
    assert WaitingListEntry.objects.get(pk=second.pk).status == "offered"


def test_a_child_cannot_be_booked_on_two_sessions_at_the_same_time(organisation, service, siblings, parent):
    club = make_service(organisation, name="Saturday Club", needs=())
    first = make_session(club, places=5)
    book([first], siblings[:1], parent)
    clashing = make_session(service, places=5)  # the same day and times, another service
    day = f"{first.date.day} {first.date:%B %Y}"
    with pytest.raises(BookingRefused, match=f"Amy is already booked on Saturday Club on {day}, 10am to 3pm"):
        book([clashing], siblings, parent)  # siblings together: all or none
    assert not Booking.objects.filter(session=clashing).exists()
    book([clashing], siblings[1:], parent)  # Ben is free then
    later = make_session(service, places=5)
    later.starts_at, later.ends_at = dt.time(15), dt.time(17)
    later.save()
    book([later], siblings[:1], parent)  # straight after is not at the same time
    # Two sessions at the same time in one submission are refused too.
    a, b = make_session(service, days_ahead=20), make_session(club, days_ahead=20)
    with pytest.raises(BookingRefused, match="are at the same time: choose one of them"):
        book([a, b], siblings[:1], parent)
    # An overnight stay runs into the next morning.
    overnight = make_session(service, days_ahead=30)
    overnight.starts_at, overnight.ends_at = dt.time(17), dt.time(11)
    overnight.save()
    book([overnight], siblings[:1], parent)
    with pytest.raises(BookingRefused, match="5pm to 11am the next day, at the same time as Saturday Club"):
        book([make_session(club, days_ahead=31)], siblings[:1], parent)


def test_a_waiting_list_place_is_not_offered_to_a_child_booked_elsewhere_then(
    organisation, service, siblings, parent, authority
):
    session = make_session(service, places=1)
    carer, dee = _waiting_family(authority, "Dee")
    taken = book([session], [dee], carer).bookings.get()
    first = waiting_list_join(session=session, child=siblings[0], added_by=parent)
    second_carer, eve = _waiting_family(authority, "Eve")
    second = waiting_list_join(session=session, child=eve, added_by=second_carer)
    with pytest.raises(NotAllowed, match="Amy is already on the waiting list"):
        waiting_list_join(session=session, child=siblings[0], added_by=parent)
    # Meanwhile Amy is booked on another club at the same time.
    club = make_service(organisation, name="Saturday Club", needs=())
    book([make_session(club, places=5)], siblings[:1], parent)
    booking_cancel(booking=taken, cancelled_by=carer)
    assert WaitingListEntry.objects.get(pk=first.pk).status == "waiting"
    assert WaitingListEntry.objects.get(pk=second.pk).status == "offered"
