"""The access matrix, generated from the URL configuration: every route is visited as every
role, against records owned by different people, and the declared access must hold. A new route
is covered automatically; a route with a parameter the matrix cannot fill fails until one is
added to RECORDS below."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from shortbreaks.bookings.api.bookings import api as bookings_api
from shortbreaks.core.roles import Role
from shortbreaks.directory.models import (
    CommissioningIntention,
    ListingChange,
    OpportunitySubscription,
    ProviderEvent,
    StrategyDocument,
)
from shortbreaks.directory.services.snapshots import service_snapshot
from shortbreaks.families.services.allocation import allocation_from_assessment
from shortbreaks.families.services.eligibility import application_submit
from shortbreaks.procurement.api.ocds import api as ocds_api

from .factories import (
    MIDDLE,
    make_child,
    make_family,
    make_location,
    make_organisation,
    make_service,
    make_user,
    sign_in,
)

SKIP_NAMESPACES = {"admin"}  # Django's own admin: staff accounts, checked by Django
# JSON APIs declare their access on the API object rather than on each view.
API_ACCESS = {"bookings-api": bookings_api.access, "ocds": ocds_api.access}


def routes():
    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), namespace, pattern

    return [
        (route, namespace, pattern)
        for route, namespace, pattern in walk(get_resolver().url_patterns)
        if namespace not in SKIP_NAMESPACES
    ]


@pytest.fixture
def world(authority, other_authority, commissioner, officer, parent, rule, policy, taxonomies):
    """Records owned by provider A, by the parent's family, and by others."""
    org_a = make_organisation(authority, name="Alpha Trust")
    org_b = make_organisation(authority, name="Beta Care")
    service = make_service(org_a, name="Alpha Club", location=make_location(org_a))
    change = ListingChange.objects.create(
        authority=authority,
        subject="service",
        organisation=org_a,
        service=service,
        proposed=dict(service_snapshot(service), name="Alpha Club 2"),
        original=service_snapshot(service),
    )
    family = make_family(authority, reference="F-OWN", carer_user=parent)
    child = make_child(family, "Sam")
    allocation_from_assessment(child=child, answers=MIDDLE, assessed_on=dt.date(2026, 4, 1), assessor=officer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = application_submit(
        child=child, declarations={}, submitted_by=parent, evidence=[SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")]
    )
    from shortbreaks.bookings.models import WaitingListEntry
    from shortbreaks.bookings.services.booking import booking_create

    from .factories import fund, make_eligible, make_session

    make_eligible(child)
    fund(child)
    session = make_session(service, places=1)
    records_session = session
    booking = booking_create(
        sessions=[session], children=[child], booked_by=parent, idempotency_key="matrix-booking"
    ).bookings.get()
    # Written directly: the waiting list takes only full sessions, and this one is for access checks.
    entry = WaitingListEntry.objects.create(
        authority=authority, session=make_session(service, places=1), child=child, added_by=parent
    )
    from shortbreaks.bookings.models import Scheme
    from shortbreaks.bookings.services.rounds import round_open

    scheme = Scheme.objects.create(authority=authority, name="Alpha Holidays", coordinator=org_a)
    make_session(service, places=3, scheme=scheme, days_ahead=30)
    round_ = round_open(
        scheme=scheme,
        opens_at=timezone.now(),
        closes_at=timezone.now() + dt.timedelta(days=5),
        max_sessions_per_child=2,
        max_choices=3,
        need_weights={"targeted": 2},
        opened_by=commissioner,
    )
    from shortbreaks.assistants.services import booking_request

    from .factories import make_assistant

    pa = make_assistant(authority, officer, email="matrix-pa@example.org", rate="5.00")
    pa_booking = booking_request(
        assistant=pa,
        child=child,
        requested_by=parent,
        date=timezone.localdate(),
        starts_at=dt.time(9),
        ends_at=dt.time(10),
        message="",
    )
    from shortbreaks.procurement.models import CallOff
    from shortbreaks.procurement.services import opportunity_publish

    from .factories import build

    opportunity = opportunity_publish(
        opportunity=build(authority, commissioner, reference="MATRIX-1"), published_by=commissioner
    )
    from shortbreaks.contracts.models import Contract, ContractReturn, DecommissioningPlan
    from shortbreaks.insight.services import statement_publish
    from shortbreaks.procurement.models import JointArrangement

    contract = Contract.objects.create(
        authority=authority,
        reference="MATRIX-C",
        title="Spot places",
        kind="spot",
        organisation=org_a,
        value=1000,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2027, 1, 1),
        status="active",
    )
    contract_return = ContractReturn.objects.create(
        authority=authority,
        contract=contract,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 1, 31),
        due_on=dt.date(2026, 2, 10),
    )
    plan = DecommissioningPlan.objects.create(
        authority=authority,
        service=service,
        change="end",
        reasons="r",
        families_told_by=dt.date(2027, 1, 1),
        last_day=dt.date(2027, 2, 1),
        created_by=commissioner,
    )
    starts = timezone.now() + dt.timedelta(days=9)
    people = {
        "anonymous": None,
        "parent": parent,
        "young person": make_user(authority, Role.YOUNG_PERSON),
        "provider A": make_user(authority, Role.PROVIDER, organisation=org_a),
        "provider B": make_user(authority, Role.PROVIDER, organisation=org_b),
        "personal assistant": pa.user,
        "another personal assistant": make_user(authority, Role.PERSONAL_ASSISTANT),
        "panel member": make_user(authority, Role.PANEL_MEMBER),
        "procurement officer": make_user(authority, Role.PROCUREMENT_OFFICER),
        "officer": officer,
        "commissioner": commissioner,
        "commissioner elsewhere": make_user(other_authority, Role.COMMISSIONER),
        "administrator": make_user(authority, Role.ADMINISTRATOR),
        "safeguarding officer": make_user(authority, Role.SAFEGUARDING_OFFICER),
    }
    from shortbreaks.accounts.models import Invitation
    from shortbreaks.families.models import AccessRequest

    records = {
        "service_id": service.pk,
        "change_id": change.pk,
        "organisation_id": org_a.pk,
        "intention_id": CommissioningIntention.objects.create(
            authority=authority, title="I", summary="s", body="b", status="published", published_at=timezone.now()
        ).pk,
        "document_id": StrategyDocument.objects.create(
            authority=authority,
            title="D",
            file=SimpleUploadedFile("d.pdf", b"%PDF-1.4\n%%EOF\n"),
            content_type="application/pdf",
            size=15,
            original_filename="d.pdf",
        ).pk,
        "event_id": ProviderEvent.objects.create(
            authority=authority,
            title="E",
            description="d",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            venue="v",
            places=5,
            registration_closes_at=starts - dt.timedelta(days=1),
        ).pk,
        "subscription_id": OpportunitySubscription.objects.create(
            authority=authority, organisation=org_a, email="a@example.org"
        ).pk,
        "child_id": child.pk,
        "family_id": family.pk,
        "request_id": AccessRequest.objects.create(
            authority=authority,
            family=family,
            asked_by=parent,
            due_on=dt.date(2027, 1, 1),
            status=AccessRequest.Status.RELEASED,
        ).pk,
        "application_id": application.pk,
        "evidence_id": application.evidence.get().pk,
        "rule_id": rule.pk,
        "uidb64": "MQ",
        "token": "set-password",
        "booking_id": booking.pk,
        "entry_id": entry.pk,
        "session_id": records_session.pk,
        "scheme_id": scheme.pk,
        "round_id": round_.pk,
        "assistant_id": pa.pk,
        "opportunity_id": opportunity.pk,
        "lot_id": opportunity.lots.first().pk,
        "question_id": opportunity.questions.first().pk,
        "call_off_id": CallOff.objects.create(
            authority=authority,
            framework=opportunity,
            lot=opportunity.lots.first(),
            title="Matrix call-off",
            method="mini",
            deadline=timezone.now() + dt.timedelta(days=3),
            created_by=commissioner,
        ).pk,
        "training_id": pa.training.get().pk,
        "pa_booking_id": pa_booking.pk,
        "sal_id": service.service_at_locations.get().pk,
        "taxonomy_id": taxonomies["autism"].taxonomy_id,
        "term_id": taxonomies["autism"].pk,
        "contract_id": contract.pk,
        "return_id": contract_return.pk,
        "plan_id": plan.pk,
        "need": "autism",
        "area": "DE22",
        "kind": "services",
        "table": "gaps",
        "fmt": "csv",
        "arrangement_id": JointArrangement.objects.create(
            authority=authority,
            framework=opportunity,
            terms="t",
            agreed_on=dt.date(2026, 1, 1),
            created_by=commissioner,
        ).pk,
        "user_id": officer.pk,
        "invitation_id": Invitation.objects.create(
            authority=authority,
            purpose=Invitation.Purpose.STAFF,
            email="invited@example.org",
            roles=[Role.OFFICER],
            token_hash="matrix",
            expires_at=timezone.now() + dt.timedelta(days=7),
        ).pk,
        "alert_id": _alert(service, child, parent),
        "statement_id": statement_publish(
            authority=authority,
            kind="services",
            review_by=timezone.localdate() + dt.timedelta(days=30),
            summary_of_changes="",
            published_by=commissioner,
        ).pk,
    }
    # Whose records these are: only these roles may read them, even among those the view admits.
    # (service_id is also the public service on the booking page: ownership applies to the
    # provider and commissioner pages only.)
    owners = {
        "service_id@provider/": {"provider A"},
        "service_id@manage/": {"commissioner"},
        "change_id": {"provider A", "commissioner"},
        "subscription_id": {"provider A"},
        "child_id": {"parent", "officer"},
        "application_id": {"parent", "officer"},
        "family_id": {"officer"},
        "request_id": {"parent"},
        "booking_id": {"parent"},
        "entry_id": {"parent"},
        "session_id": {"provider A"},
        "scheme_id@provider/": {"provider A"},
        "training_id": {"personal assistant"},
        "pa_booking_id@assistant/": {"personal assistant"},
        "pa_booking_id@bookings/": {"parent"},
        "contract_id@provider/": {"provider A"},
        "return_id": {"provider A"},
        "alert_id": {"officer", "safeguarding officer"},
    }
    return people, records, owners


def _alert(service, child, parent):
    """A safeguarding alert on the parent's child: only officers and safeguarding officers see it."""
    from shortbreaks.contracts.services.feedback import feedback_give

    return feedback_give(service=service, given_by=parent, child=child, enjoyed="okay", felt_safe="no").alert.pk


def fill(route: str, records: dict) -> str:
    import re

    def value(match):
        name = match.group(2)
        assert name in records, f"The access matrix cannot fill <{name}> in {route}: add a record for it"
        return str(records[name])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


@pytest.mark.usefixtures("storage_backend")  # the downloads on both file stores (tests/storage.py)
def test_every_route_for_every_role(client, world):
    people, records, owners = world
    failures = []
    for route, namespace, pattern in routes():
        path = fill(route, records)
        access = getattr(pattern.callback, "access", None) or API_ACCESS.get(namespace)
        for name, user in people.items():
            client.logout()
            if user is not None:
                sign_in(client, user)
            status = client.get(path).status_code
            if namespace in API_ACCESS and user is None and status == 401:
                continue  # an API's "sign in first"
            if status >= 500:
                failures.append(f"{name} GET {path}: server error {status}")
                continue
            if namespace == "oruk" or (access is not None and access.public) or route.endswith("openapi.json"):
                continue  # public (an API's own description included); content tests cover what is shown
            admitted = user is not None and access.allows(_request(user, client))
            if not admitted:
                expected = 302 if user is None else 403
                if status != expected:
                    failures.append(f"{name} GET {path}: {status}, expected {expected}")
                continue
            owned = [key for key in owners if _owns(key, route)]
            if owned and any(name not in owners[key] for key in owned) and status == 200:
                failures.append(f"{name} GET {path}: 200 on someone else's record")
    assert not failures, "\n".join(failures)


def _owns(key: str, route: str) -> bool:
    """Whether an ownership rule ("param" or "param@route-prefix") applies to a route."""
    param, _, prefix = key.partition("@")
    return (f"<{param}>" in route or f":{param}>" in route) and route.startswith(prefix)


def _request(user, client):
    """Enough of a request for Access.allows: the user and this council."""
    from types import SimpleNamespace

    from shortbreaks.core.middleware import resolve_authority

    return SimpleNamespace(user=user, authority=resolve_authority("testserver"))


def test_nobody_changes_what_they_should_not(client, world):
    """Writes by people the view does not admit are refused and change nothing."""
    people, records, owners = world
    from shortbreaks.core.models import AuditEvent

    before = AuditEvent.objects.count()
    for route, namespace, pattern in routes():
        access = getattr(pattern.callback, "access", None) or API_ACCESS.get(namespace)
        if namespace == "oruk" or access is None or access.public or route.endswith("openapi.json"):
            continue
        path = fill(route, records)
        for name, user in people.items():
            client.logout()
            if user is None:
                # An API says "sign in first" with a 401; a page sends you to sign in.
                assert client.post(path, {}).status_code == (401 if namespace in API_ACCESS else 302), path
                continue
            sign_in(client, user)
            if not access.allows(_request(user, client)):
                assert client.post(path, {"decision": "approve", "reason": "x", "reasons": "x"}).status_code == 403, (
                    f"{name} POST {path}"
                )
    assert AuditEvent.objects.count() == before


class _Forms(HTMLParser):
    """The POST forms on a page: where each goes and the fields it sends (file fields left out)."""

    def __init__(self):
        super().__init__()
        self.forms, self._form = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea") and attrs.get("name"):
            if tag == "input" and attrs.get("type") == "file":
                return
            self._form["fields"].setdefault(attrs["name"], attrs.get("value") or "")
        elif self._form is not None and tag == "button" and attrs.get("name"):
            self._form["fields"].setdefault(attrs["name"], attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def test_a_malformed_value_in_any_posted_field_is_never_a_server_error(client, world):
    """Every POST form on every page, as each person the page admits: each field in turn set to a
    value no id, number or date can be ("x"), the rest as the page gave them. A bad id is a 404
    or a form error; nothing is a 500."""
    from urllib.parse import urljoin

    from django.test import Client

    client = Client(raise_request_exception=False)  # a server error is counted, not raised
    people, records, owners = world
    failures, posts = [], 0
    for route, namespace, pattern in routes():
        access = getattr(pattern.callback, "access", None)
        if namespace in API_ACCESS or namespace == "oruk" or access is None:
            continue
        path = fill(route, records)
        for name, user in people.items():
            if user is None:
                continue
            client.logout()
            sign_in(client, user)
            if not access.allows(_request(user, client)):
                continue
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            parser = _Forms()
            parser.feed(response.content.decode())
            for form in parser.forms:
                target = urljoin(path, form["action"]) if form["action"] else path
                if target.startswith(("/accounts/sign-out", "/admin")):
                    continue
                for field in form["fields"]:
                    if field == "csrfmiddlewaretoken":
                        continue
                    data = dict(form["fields"], **{field: "x"})
                    data.pop("csrfmiddlewaretoken", None)
                    status = client.post(target, data).status_code
                    posts += 1
                    if status >= 500:
                        failures.append(f"{name} POST {target} {field}=x: {status}")
            break  # one admitted person per page is enough: the forms are the same
    assert posts > 100, f"only {posts} posts: the walk found too few forms"
    assert not failures, "\n".join(failures)
