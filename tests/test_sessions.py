import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from shortbreaks.bookings.models import Session
from shortbreaks.bookings.services.sessions import sessions_from_schedule
from shortbreaks.core.errors import NotAllowed

from .factories import make_location, make_service, sign_in


def next_monday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


@pytest.fixture
def service(organisation):
    return make_service(organisation, name="Saturday Club", byday="SA,SU", location=make_location(organisation))


def generate(service, start, end, **extra):
    options = dict(
        places=12,
        support_staff=2,
        transport_seats=0,
        price=Decimal("20.00"),
        tier="targeted",
        open_days_before=28,
        cancel_days_before=2,
        created_by=None,
    )
    options.update(extra)
    return sessions_from_schedule(service=service, start=start, end=end, **options)


def test_one_session_for_each_date_of_the_schedule_and_never_twice(service):
    monday = next_monday()
    made = generate(service, monday, monday + dt.timedelta(days=13))
    assert [s.date.weekday() for s in made] == [5, 6, 5, 6]
    assert all(s.starts_at == dt.time(10) and s.places == 12 for s in made)
    assert made[0].cancellation_deadline.date() == made[0].date - dt.timedelta(days=2)
    assert generate(service, monday, monday + dt.timedelta(days=13)) == []
    assert Session.objects.count() == 4


def test_bad_ranges_are_refused(service):
    monday = next_monday()
    with pytest.raises(NotAllowed, match="on or after the first"):
        generate(service, monday, monday - dt.timedelta(days=1))
    with pytest.raises(NotAllowed, match="from today on"):
        generate(service, timezone.localdate() - dt.timedelta(days=3), monday)
    with pytest.raises(NotAllowed, match="at most 200"):
        generate(service, monday, monday + dt.timedelta(days=900))


def test_provider_adds_sessions_through_the_page(client, service, provider, other_provider):
    monday = next_monday()
    data = {
        "start": monday.isoformat(),
        "end": (monday + dt.timedelta(days=6)).isoformat(),
        "places": "10",
        "support_staff": "1",
        "transport_seats": "0",
        "price": "15",
        "tier": "universal",
        "open_days_before": "28",
        "cancel_days_before": "2",
    }
    sign_in(client, other_provider)
    assert client.post(f"/provider/services/{service.pk}/sessions/", data).status_code == 404
    sign_in(client, provider)
    assert client.post(f"/provider/services/{service.pk}/sessions/", data).status_code == 302
    assert Session.objects.filter(service=service, tier="universal").count() == 2
