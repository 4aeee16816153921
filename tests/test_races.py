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
