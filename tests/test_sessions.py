import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from shortbreaks.bookings.audit import Audit
from shortbreaks.bookings.models import Session
from shortbreaks.bookings.services.sessions import sessions_from_schedule
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.models import AuditEvent

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
    made = generate(service, monday, monday + dt.timedelta(days=13)).made
    assert [s.date.weekday() for s in made] == [5, 6, 5, 6]
    assert all(s.starts_at == dt.time(10) and s.places == 12 for s in made)
    assert made[0].cancellation_deadline.date() == made[0].date - dt.timedelta(days=2)
    # The audit log says the dates as people write them ("1 December 2026", no leading zero).
    last = monday + dt.timedelta(days=13)
    assert AuditEvent.objects.get(action=Audit.SESSIONS_GENERATED).summary == (
        f"Added 4 sessions of Saturday Club from {monday.day} {monday:%B %Y} to {last.day} {last:%B %Y}"
    )
    again = generate(service, monday, monday + dt.timedelta(days=13))
    assert again.made == [] and again.already == 4
    assert "No sessions were added: 4 sessions were already there." in again.why_none(monday, monday)
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
        "pattern": "schedule",
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
    # The same again adds nothing, and says why rather than reporting success.
    response = client.post(f"/provider/services/{service.pk}/sessions/", data)
    assert response.status_code == 400
    assert "No sessions were added: 2 sessions were already there." in response.content.decode()
    # A week the service does not run in (Monday to Friday; it runs at weekends).
    weekdays = {**data, "end": (monday + dt.timedelta(days=4)).isoformat()}
    response = client.post(f"/provider/services/{service.pk}/sessions/", weekdays)
    assert response.status_code == 400
    page = response.content.decode()
    assert "the service does not run between" in page and "it runs on Saturdays and Sundays" in page
    assert f'value="{monday.isoformat()}"' in page  # what was typed is kept


def post_data(**extra):
    data = {
        "pattern": "schedule",
        "places": "10",
        "support_staff": "1",
        "transport_seats": "0",
        "price": "15",
        "tier": "universal",
        "open_days_before": "28",
        "cancel_days_before": "2",
    }
    data.update(extra)
    return data


def test_a_one_off_session_and_several_times_on_a_day(client, service, provider):
    monday = next_monday()
    url = f"/provider/services/{service.pk}/sessions/"
    sign_in(client, provider)
    # One-off on a Tuesday, when the service does not usually run: it needs its times.
    one_off = post_data(pattern="one_off", start=(monday + dt.timedelta(days=1)).isoformat())
    response = client.post(url, one_off)
    assert response.status_code == 400
    assert "does not usually run on a Tuesday: enter the session times" in response.content.decode()
    assert client.post(url, {**one_off, "times": "10am to 12pm\n1:30pm-4pm"}).status_code == 302
    tuesday = Session.objects.filter(service=service, date=monday + dt.timedelta(days=1)).order_by("starts_at")
    assert [(s.starts_at, s.ends_at) for s in tuesday] == [(dt.time(10), dt.time(12)), (dt.time(13, 30), dt.time(16))]
    # Several times on each day of the schedule, over a weekend.
    weekend = post_data(
        start=monday.isoformat(), end=(monday + dt.timedelta(days=6)).isoformat(), times="9 to 11am\n14:00 to 16:00"
    )
    assert client.post(url, weekend).status_code == 302
    assert Session.objects.filter(service=service, date__week_day__in=[1, 7]).count() == 4
    # Times that cannot be read, or that end before they start, are form errors.
    for times, message in [("morning", "like 10am to 12:30pm"), ("3pm to 1pm", "must end after it starts")]:
        response = client.post(url, {**weekend, "times": times})
        assert response.status_code == 400 and message in response.content.decode()
    # A range needs its last date.
    response = client.post(url, post_data(start=monday.isoformat()))
    assert (
        response.status_code == 400 and "Enter the last date, or choose a one-off session" in response.content.decode()
    )
