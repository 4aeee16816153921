"""Regional commissioning: a lead authority's framework joined by another; each calls off and
contracts for itself, the joint monitoring shows both in figures, and each authority's families
stay invisible to the other."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from shortbreaks.contracts.models import Contract
from shortbreaks.contracts.selectors.joint import joint_monitoring
from shortbreaks.contracts.services import contract_answer
from shortbreaks.contracts.services.family import family_call_off
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.middleware import forget_authorities
from shortbreaks.core.models import Authority
from shortbreaks.core.roles import Role
from shortbreaks.procurement.services import call_off_create
from shortbreaks.procurement.services.joint import arrangement_record, participant_add

from .factories import (
    awarded_framework,
    call_off_fields,
    call_off_terms,
    fund,
    make_child,
    make_family,
    make_user,
    sign_in,
)

KESTREL = "kestrel.test"


@pytest.fixture
def shared(authority, other_authority, organisation, commissioner):
    framework, lot = awarded_framework(authority, organisation, commissioner)
    arrangement = arrangement_record(
        framework=framework,
        terms="Dovebridge leads; costs shared 60:40; each authority monitors its own call-offs.",
        agreed_on=dt.date(2026, 9, 1),
        recorded_by=commissioner,
    )
    return framework, lot, arrangement


def test_two_authorities_share_a_framework_and_each_sees_only_its_own_families(
    client, authority, other_authority, organisation, provider, commissioner, shared
):
    framework, lot, arrangement = shared
    kestrel_commissioner = make_user(other_authority, Role.COMMISSIONER, email="kc@kestrel.example")
    with pytest.raises(NotAllowed, match="not a party"):
        call_off_create(
            **call_off_terms(),
            framework=framework,
            lot=lot,
            authority=other_authority,
            title="x",
            method="direct",
            justification="Needed",
            deadline=None,
            created_by=kestrel_commissioner,
        )
    participant_add(
        arrangement=arrangement,
        authority=other_authority,
        signed_for_by="K. Holt, Director",
        joined_on=dt.date(2026, 9, 15),
        added_by=commissioner,
    )
    with pytest.raises(NotAllowed, match="already joined"):
        participant_add(
            arrangement=arrangement,
            authority=other_authority,
            signed_for_by="x",
            joined_on=dt.date(2026, 9, 15),
            added_by=commissioner,
        )

    # Kestrel calls off for itself, in its own pages.
    sign_in(client, kestrel_commissioner)
    joint_url = reverse("procurement:joint", args=[arrangement.pk])
    assert "costs shared 60:40" in client.get(joint_url, HTTP_HOST=KESTREL).content.decode()
    response = client.post(
        joint_url,
        {
            **call_off_fields(),
            "call-off-lot": lot.pk,
            "call-off-title": "Kestrel weekend overnights",
            "call-off-method": "direct",
            "call-off-justification": "Nearest provider to our families",
        },
        HTTP_HOST=KESTREL,
    )
    assert response.status_code == 302, response.content.decode()
    call_off = framework.call_offs.get()
    assert call_off.authority == other_authority
    client.post(
        reverse("contracts:call-off-award", args=[call_off.pk]),
        {"organisation": organisation.pk, "price": "30000"},
        HTTP_HOST=KESTREL,
    )
    kestrel_contract = Contract.objects.get(call_off=call_off)
    assert kestrel_contract.authority == other_authority and kestrel_contract.value == Decimal("30000")

    # A Kestrel family buys from the framework with their child's budget; a Dovebridge one too.
    kestrel_parent = make_user(other_authority, Role.PARENT, email="kp@kestrel.example")
    kestrel_child = make_child(make_family(other_authority, carer_user=kestrel_parent), "Rowan")
    fund(kestrel_child, "500.00")
    family_call_off(
        lot=lot,
        organisation=organisation,
        child=kestrel_child,
        title="Rowan's weekends",
        price=Decimal("200"),
        requested_by=kestrel_parent,
    )
    dovebridge_parent = make_user(authority, Role.PARENT, email="dp@example.org")
    dovebridge_child = make_child(make_family(authority, carer_user=dovebridge_parent), "Morgan")
    fund(dovebridge_child, "500.00")
    family_call_off(
        lot=lot,
        organisation=organisation,
        child=dovebridge_child,
        title="Morgan's weekends",
        price=Decimal("150"),
        requested_by=dovebridge_parent,
    )

    # The provider (listed with Dovebridge) answers Kestrel's contract on its usual pages.
    contract_answer(contract=kestrel_contract, answered_by=provider, accept=True)
    sign_in(client, provider)
    assert "With Kestrel County Council" in client.get(reverse("contracts:mine")).content.decode()

    # Joint monitoring: both authorities in figures; nobody's child named.
    figures = {row["authority"]: row for row in joint_monitoring(arrangement)["authorities"]}
    assert figures["Kestrel County Council"]["contracts"] == 2 and figures["Kestrel County Council"]["families"] == 1
    assert figures["Dovebridge Borough Council"]["contracts"] == 1
    for user, host in ((commissioner, "testserver"), (kestrel_commissioner, KESTREL)):
        sign_in(client, user)
        page = client.get(joint_url, HTTP_HOST=host).content.decode()
        assert "Rowan" not in page and "Morgan" not in page and "Kestrel County Council" in page

    # Each authority's contracts page lists its own; a family's words reach only the family.
    sign_in(client, commissioner)
    mine = client.get(reverse("contracts:list")).content.decode()
    ours = set(Contract.objects.filter(authority=authority).values_list("reference", flat=True))
    kestrels = set(Contract.objects.filter(authority=other_authority).values_list("reference", flat=True))
    assert len(ours) == 1 and len(kestrels) == 2
    assert all(r in mine for r in ours) and not any(r in mine for r in kestrels) and "Morgan" not in mine
    sign_in(client, kestrel_commissioner)
    theirs = client.get(reverse("contracts:list"), HTTP_HOST=KESTREL).content.decode()
    assert all(r in theirs for r in kestrels) and not any(r in theirs for r in ours) and "Rowan" not in theirs
    sign_in(client, kestrel_parent)
    page = client.get(reverse("contracts:frameworks"), HTTP_HOST=KESTREL).content.decode()
    assert "Rowan" in page and "Morgan" not in page
    third = Authority.objects.create(slug="third", name="Third", hostnames="third.test")
    forget_authorities()  # the host map is cached; a new council is known from its next load
    sign_in(client, make_user(third, Role.COMMISSIONER, email="t@third.example"))
    # Another council's arrangement does not exist on a third council's site.
    assert client.get(joint_url, HTTP_HOST="third.test").status_code == 404


def test_the_demo_has_a_neighbouring_council_to_invite_from_a_framework(
    client, authority, commissioner, django_capture_on_commit_callbacks
):
    from django.core import mail

    from shortbreaks.core.middleware import resolve_authority
    from shortbreaks.demo.neighbour import NEIGHBOUR_HOST, load_neighbour
    from shortbreaks.demo.staff import enrol_demo_staff

    from .factories import awarded_framework, make_organisation

    neighbour = load_neighbour()
    forget_authorities()
    assert resolve_authority(f"{NEIGHBOUR_HOST}:8000") == neighbour
    assert enrol_demo_staff() == 2  # its commissioner and administrator sign in with the demo code
    framework, _ = awarded_framework(authority, make_organisation(authority, name="Orbit Care"), commissioner)
    arrangement_record(framework=framework, terms="Shared", agreed_on=dt.date(2026, 9, 1), recorded_by=commissioner)
    sign_in(client, commissioner)
    page = client.get(reverse("procurement:manage", args=[framework.pk])).content.decode()
    assert "Add an authority joining the framework" in page and f">{neighbour.name}</option>" in page
    # Invited through the page's form: its buyers are told, with a link to their own site.
    url = reverse("procurement:joint-participant", args=[framework.pk])
    response = client.post(url, {"authority": neighbour.pk, "signed_for_by": "", "joined_on": "2026-09-02"})
    assert response.status_code == 400 and "Say who signed the agreement for it" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"authority": neighbour.pk, "signed_for_by": "H. Ito", "joined_on": "2026-09-02"})
    assert response.status_code == 302
    told = [m for m in mail.outbox if m.to == ["commissioner@ashworth.example"]]
    assert len(told) == 1 and f"://{NEIGHBOUR_HOST}/procurement/joint/" in told[0].body
    assert "2 September 2026" in told[0].body
