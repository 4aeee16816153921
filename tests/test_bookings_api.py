import uuid

import pytest

from shortbreaks.bookings.models import Booking
from shortbreaks.core.roles import Role

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
def setup(authority, organisation, parent):
    session = make_session(make_service(organisation, location=make_location(organisation)), places=1)
    child = make_child(make_family(authority, carer_user=parent), "Amy")
    make_eligible(child)
    fund(child)
    return session, child


def post(client, payload):
    return client.post("/api/bookings/", payload, content_type="application/json")


def test_parent_books_through_the_api_once_per_key(client, setup, parent):
    session, child = setup
    sign_in(client, parent)
    payload = {"session_ids": [str(session.pk)], "child_ids": [str(child.pk)], "idempotency_key": "key-00000001"}
    first = post(client, payload)
    assert first.status_code == 201 and first.json()["bookings"][0]["status"] == "confirmed"
    again = post(client, payload)
    assert again.status_code == 201 and again.json()["group_id"] == first.json()["group_id"]
    assert Booking.objects.count() == 1
    assert len(client.get("/api/bookings/").json()) == 1


def test_full_session_is_a_409_with_reasons(client, setup, parent, authority):
    session, child = setup
    other = make_child(make_family(authority, carer_user=parent), "Ben")
    make_eligible(other)
    fund(other)
    sign_in(client, parent)
    response = post(
        client,
        {
            "session_ids": [str(session.pk)],
            "child_ids": [str(child.pk), str(other.pk)],
            "idempotency_key": uuid.uuid4().hex,
        },
    )
    assert response.status_code == 409 and "only 1 place left" in " ".join(response.json()["problems"])


def test_bad_input_is_a_400_and_others_are_refused(client, setup, authority):
    session, child = setup
    assert post(client, {}).status_code == 401
    sign_in(client, make_user(authority, Role.PROVIDER, organisation=session.service.organisation))
    assert (
        post(
            client, {"session_ids": [str(session.pk)], "child_ids": [str(child.pk)], "idempotency_key": "key-00000002"}
        ).status_code
        == 403
    )
    sign_in(client, make_user(authority, Role.PARENT))
    bad = post(client, {"session_ids": ["nope"], "child_ids": [], "idempotency_key": "x"})
    assert bad.status_code == 400 and "session_ids" in bad.json()["error"]
    stranger = post(
        client, {"session_ids": [str(session.pk)], "child_ids": [str(child.pk)], "idempotency_key": "key-00000003"}
    )
    assert stranger.status_code == 409 and "your own family" in stranger.json()["error"]


def test_refusals_keep_the_apis_error_shape(setup, parent):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    anonymous = strict.post("/api/bookings/", {}, content_type="application/json")
    assert anonymous.status_code == 401 and anonymous.json() == {"error": "Sign in first."}
    sign_in(strict, parent)
    no_token = strict.post("/api/bookings/", {}, content_type="application/json")
    assert no_token.status_code == 403 and "CSRF token" in no_token.json()["error"]


def test_the_confirmation_is_written_by_the_worker_after_the_commit(
    client, setup, parent, mailoutbox, django_capture_on_commit_callbacks
):
    """The request only queues the confirmation; the task writes it from the committed booking:
    when, where, the cost from the budget, the cancellation deadline and the calendar file."""
    session, child = setup
    sign_in(client, parent)
    payload = {"session_ids": [str(session.pk)], "child_ids": [str(child.pk)], "idempotency_key": "key-00000009"}
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, payload).status_code == 201
    (message,) = mailoutbox
    assert message.to == [parent.email] and message.subject == "Your short breaks booking"
    assert f"{child.first_name}: {session.service.name}" in message.body
    assert "When: " in message.body and "Where: " in message.body and "Cancel by " in message.body
    assert f"£{session.price:,.2f} from {child.first_name}'s budget" in message.body
    assert message.attachments[0][0] == "short-breaks.ics"
