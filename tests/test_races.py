"""Two providers race for the last place at a provider event: exactly one gets it. Real
concurrent transactions on PostgreSQL (SQLite serialises writers, so the race cannot happen)."""

import threading

import pytest
from django.db import close_old_connections, connection

from shortbreaks.core.errors import ServiceError
from shortbreaks.directory.models import EventRegistration
from shortbreaks.directory.services.publications import event_register

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races need PostgreSQL")


def test_last_event_place_goes_to_exactly_one(event, organisation, other_organisation):
    event.places = 1
    event.save()
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def attempt(n: int):
        close_old_connections()
        try:
            barrier.wait()
            event_register(
                event=event,
                organisation=organisation if n % 2 else other_organisation,
                attendee_name=f"Person {n}",
                attendee_email=f"person{n}@example.org",
                access_needs="",
                registered_by=None,
            )
            outcomes.append("registered")
        except ServiceError as error:
            outcomes.append(error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("registered") == 1
    assert outcomes.count("Sorry, this event is full.") == 7
    assert EventRegistration.objects.filter(event=event).count() == 1


def test_call_offs_awarded_at_once_take_different_references(authority, organisation, commissioner):
    from decimal import Decimal

    from shortbreaks.contracts.models import Contract
    from shortbreaks.contracts.services import call_off_award
    from shortbreaks.procurement.services import call_off_create

    from .factories import awarded_framework, call_off_terms

    framework, lot = awarded_framework(authority, organisation, commissioner)
    call_offs = [
        call_off_create(
            **call_off_terms(),
            framework=framework,
            lot=lot,
            title=f"Holiday club {n}",
            method="direct",
            justification="One member has the places",
            deadline=None,
            created_by=commissioner,
        )
        for n in range(2)
    ]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(call_off):
        close_old_connections()
        try:
            barrier.wait()
            call_off_award(call_off=call_off, decided_by=commissioner, organisation=organisation, price=Decimal("1000"))
            outcomes.append("awarded")
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(call_off,)) for call_off in call_offs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["awarded", "awarded"]
    references = set(Contract.objects.filter(opportunity=framework).values_list("reference", flat=True))
    assert references == {"FW-REG-C1", "FW-REG-C2"}


def test_two_tabs_cannot_book_one_child_at_two_sessions_at_the_same_time(authority, organisation, parent):
    """Each tab's checks before the lock pass; the child's lock makes the second see the first."""
    from shortbreaks.bookings.services.booking import BookingRefused, booking_create

    from .clock import born_aged
    from .factories import fund, make_child, make_eligible, make_family, make_service, make_session

    child = make_child(make_family(authority, carer_user=parent), "Amy", born=born_aged(10))
    make_eligible(child)
    fund(child)
    sessions = [make_session(make_service(organisation, name=name), price="10.00") for name in ("Club A", "Club B")]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(session):
        close_old_connections()
        try:
            barrier.wait()
            booking_create(sessions=[session], children=[child], booked_by=parent, idempotency_key=str(session.pk))
            outcomes.append("booked")
        except BookingRefused as refused:
            outcomes.append(" ".join(str(p) for p in refused.problems))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(session,)) for session in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("booked") == 1, outcomes
    assert "at the same time as" in next(o for o in outcomes if o != "booked")
