"""The forms that replaced hand-read POSTs in assistants, directory, families and bookings, each
posted with one bad field (or refused by its service): the page comes back with status 400,
never a redirect, with a GOV.UK error summary whose links go to something on the page, and
what was typed in the other fields is shown again."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from shortbreaks.assistants.models import Assistant
from shortbreaks.assistants.services import booking_answer, booking_request, submit_for_vetting
from shortbreaks.bookings.models import Scheme
from shortbreaks.bookings.services.rounds import round_open
from shortbreaks.core.roles import Role
from shortbreaks.directory.models import CommissioningIntention, ListingChange, Organisation
from shortbreaks.directory.services.listings import service_change_submit
from shortbreaks.directory.services.snapshots import service_snapshot

from .clock import TODAY
from .factories import (
    fund,
    make_assistant,
    make_child,
    make_family,
    make_organisation,
    make_service,
    make_session,
    make_user,
    sign_in,
)


@pytest.fixture
def world(authority, organisation, commissioner, provider, parent, officer, rule):
    family = make_family(authority, carer_user=parent)
    sam = make_child(family, "Sam")
    fund(sam, "100.00")
    waiting = make_assistant(authority, officer, email="waiting@example.org", vetted=False)
    submit_for_vetting(assistant=waiting, submitted_by=waiting.user)
    vetted = make_assistant(authority, officer)
    worked = booking_request(
        assistant=vetted,
        child=sam,
        requested_by=parent,
        date=TODAY,
        starts_at=dt.time(10),
        ends_at=dt.time(12),
        message="",
        meet_at="Home, 4 Oak Road",
        contact_email="parent@example.org",
    )
    booking_answer(booking=worked, answered_by=vetted.user, accept=True)
    draft_pa = make_assistant(authority, officer, email="draft@example.org", vetted=False, rate="0")
    service = make_service(organisation)
    change = service_change_submit(
        organisation=organisation,
        service=service,
        proposed=service_snapshot(service) | {"name": "Saturday Splash Club"},
        submitted_by=provider,
    )
    pending = make_organisation(
        authority, name="Hilltop Play", registration=Organisation.Registration.PENDING, is_published=False
    )
    scheme = Scheme.objects.create(authority=authority, name="Summer Scheme", coordinator=organisation)
    club = make_service(organisation, name="Summer Club", kinds=("school-holiday",))
    first = make_session(club, places=5, price="0", scheme=scheme, days_ahead=20)
    second = make_session(club, places=5, price="0", scheme=scheme, days_ahead=21)
    now = timezone.now()
    round_open(
        scheme=scheme,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=2),
        max_sessions_per_child=2,
        max_choices=3,
        need_weights={"specialist": 3, "targeted": 2, "universal": 1},
        opened_by=commissioner,
    )
    return {
        "commissioner": commissioner,
        "provider": provider,
        "parent": parent,
        "officer": officer,
        "waiting": waiting,
        "references": list(waiting.references.order_by("referee")),
        "vetted": vetted,
        "worked": worked,
        "draft_pa": draft_pa,
        "change": change,
        "service": service,
        "pending": pending,
        "rule": rule,
        "scheme": scheme,
        "sam": sam,
        "second": second,
        "first": first,
    }


def _ask(w, n):
    return f"choice-{w['sam'].pk}-{n}"


# (name, who, url, data, bad field and value, what must be shown again)
CASES = [
    (
        "vet",
        "officer",
        lambda w: reverse("assistants:vet", args=[w["waiting"].pk]),
        lambda w: {"decision": "refuse", "reason": "Your DBS check has run out", "received": []},
        ("received", ["not-an-id"]),
        ["Choose referees from the list", "Your DBS check has run out</textarea>"],
    ),
    (
        "vet-approve-refused",
        "officer",
        lambda w: reverse("assistants:vet", args=[w["waiting"].pk]),
        lambda w: {"decision": "approve", "reason": "Looks fine"},
        ("received", lambda w: [str(w["references"][0].pk)]),
        ["Record two references received before approving", "Looks fine</textarea>", "checked>"],
    ),
    (
        "ask-to-be-vetted",
        "draft_pa",
        lambda w: reverse("assistants:home"),
        lambda w: {},
        ("action", "maybe"),
        ["Press Ask to be vetted"],
    ),
    (
        "timesheet",
        "vetted",
        lambda w: reverse("assistants:booking", args=[w["worked"].pk]),
        lambda w: {"booking": str(w["worked"].pk), "action": "timesheet", "note": "Stayed late for the bus"},
        ("hours", "lots"),
        ["Enter the hours worked as a number", 'value="Stayed late for the bus"', 'value="lots"'],
    ),
    (
        "change-review",
        "commissioner",
        lambda w: reverse("directory:change-review", args=[w["change"].pk]),
        lambda w: {"decision": "return", "reason": "Say which Saturdays"},
        ("decision", "maybe"),
        ["Press Approve and publish, or Return with this reason", "Say which Saturdays</textarea>"],
    ),
    (
        "change-return",
        "commissioner",
        lambda w: reverse("directory:change-review", args=[w["change"].pk]),
        lambda w: {"decision": "return"},
        ("reason", "   "),
        ["Say why you are returning the change"],
    ),
    (
        "restore",
        "commissioner",
        lambda w: reverse("directory:manage-service-history", args=[w["service"].pk]),
        lambda w: {},
        ("version", "1; drop table"),
        ["Choose a version of this service from its history"],
    ),
    (
        "restore-refused",
        "commissioner",
        lambda w: reverse("directory:manage-service-history", args=[w["service"].pk]),
        lambda w: {},
        ("version", lambda w: str(w["change"].pk)),
        ["Only an approved version can be restored"],
    ),
    (
        "intention",
        "commissioner",
        lambda w: reverse("directory:manage-intention-new"),
        lambda w: {"title": "More holiday clubs", "summary": "Clubs in the summer", "body": "Details", "publish": "1"},
        ("estimated_value", "lots"),
        ['value="More holiday clubs"', "Clubs in the summer</textarea>"],
    ),
    (
        "registration",
        "commissioner",
        lambda w: reverse("directory:manage-registration", args=[w["pending"].pk]),
        lambda w: {"reason": "We cannot find its Ofsted registration"},
        ("decision", "maybe"),
        ["Press Approve the organisation, or Refuse with this reason", "find its Ofsted registration</textarea>"],
    ),
    (
        "people",
        "provider",
        lambda w: reverse("directory:provider-people"),
        lambda w: {"member": "x"},
        ("action", "promote"),
        ["Choose what to do: invite a colleague, remove one or change their role"],
    ),
    (
        "people-member",
        "provider",
        lambda w: reverse("directory:provider-people"),
        lambda w: {"action": "remove"},
        ("member", "x"),
        ["Choose a person"],
    ),
    (
        "rule",
        "commissioner",
        lambda w: reverse("families:rule", args=[w["rule"].pk]),
        lambda w: {},
        ("action", "sideways"),
        ["Press Publish this version, or Make a new draft from this version"],
    ),
    (
        "rule-publish-refused",
        "commissioner",
        lambda w: reverse("families:rule", args=[w["rule"].pk]),
        lambda w: {},
        ("action", "publish"),
        ["This version has already been published or retired"],
    ),
    (
        "ask",
        "parent",
        lambda w: reverse("bookings:ask", args=[w["scheme"].pk]),
        lambda w: {_ask(w, 2): str(w["second"].pk), "transport": "yes"},
        (lambda w: _ask(w, 1), "not-a-session"),
        [
            "Choose Sam&#x27;s sessions from the lists",
            "selected>",
            'name="transport" type="checkbox" value="yes" checked',
        ],
    ),
    (
        "ask-twice",
        "parent",
        lambda w: reverse("bookings:ask", args=[w["scheme"].pk]),
        lambda w: {_ask(w, 1): str(w["first"].pk)},
        (lambda w: _ask(w, 2), lambda w: str(w["first"].pk)),
        ["Choose each session once for Sam", "selected>"],
    ),
]


def _resolve(value, w):
    return value(w) if callable(value) else value


@pytest.mark.parametrize(("name", "who", "url", "data", "bad", "shown"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_field_shows_the_page_again_with_what_was_typed(client, world, name, who, url, data, bad, shown):
    user = world[who].user if isinstance(world[who], Assistant) else world[who]
    sign_in(client, user)
    field, value = (_resolve(part, world) for part in bad)
    response = client.post(url(world), data(world) | {field: value})
    assert response.status_code == 400, response.get("Location")
    page = response.content.decode()
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert "This field is required" not in page
    summary = page[page.index("govuk-error-summary") :]
    summary = summary[: summary.index("</ul>")]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets
    for target in targets:
        assert f'id="{target}"' in page, target
    for text in shown:
        assert text in page, text


def test_a_refused_vetting_changes_nothing_and_a_good_one_goes_through(client, world):
    sign_in(client, world["officer"])
    waiting, refs = world["waiting"], world["references"]
    url = reverse("assistants:vet", args=[waiting.pk])
    client.post(url, {"decision": "approve", "received": [str(refs[0].pk)]})
    waiting.refresh_from_db()
    assert waiting.status == Assistant.Status.SUBMITTED and not waiting.references.filter(received_on__isnull=False)
    response = client.post(url, {"decision": "approve", "received": [str(r.pk) for r in refs]})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Assistant.Status.VETTED


def test_another_councils_change_is_not_found(client, world, other_authority):
    stranger = make_user(other_authority, Role.COMMISSIONER, email="c@kestrel.example")
    sign_in(client, stranger)
    response = client.post(
        reverse("directory:change-review", args=[world["change"].pk]),
        {"decision": "approve"},
        HTTP_HOST="kestrel.test",
    )
    assert response.status_code == 404
    assert ListingChange.objects.get(pk=world["change"].pk).status == ListingChange.Status.PENDING


def test_save_and_publish_publishes_the_intention(client, world):
    sign_in(client, world["commissioner"])
    data = {"title": "More holiday clubs", "summary": "Clubs", "body": "Details", "publish": "1"}
    assert client.post(reverse("directory:manage-intention-new"), data).status_code == 302
    saved = CommissioningIntention.objects.get(title="More holiday clubs")
    assert saved.status == CommissioningIntention.Status.PUBLISHED
