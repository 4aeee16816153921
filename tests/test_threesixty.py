"""360Giving: /open-data/360giving.json against the Data Standard's schema (the newest 1.4 copy
that could be stored here, tests/standards/README.md; a 1.4.3 copy is used once added) and the checks
360Giving's own quality tool runs (tests/threesixty_quality.py): org-id identifiers from what
organisations registered, a last-modified date that is each grant's own last change, dates that
exist and are in order, no personal data; and the checks themselves catch what they should."""

import copy
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from shortbreaks.contracts.models import Contract
from shortbreaks.contracts.services.contracts import contract_answer, variation_decide, variation_propose
from shortbreaks.insight.exports import three_sixty_giving

from .clock import LONDON, NOW, TODAY
from .factories import make_organisation
from .threesixty_quality import problems
from .threesixty_schemas import package_validator, schema_copied

FUNDER = "GB-PPON-PDVB-7329-TQGH"
OFFERED = NOW - dt.timedelta(days=60)
ACCEPTED = NOW - dt.timedelta(days=50)


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(LONDON).isoformat(timespec="seconds")


def grant(authority, organisation, reference, **extra) -> Contract:
    fields = dict(
        title="Saturday sibling days",
        kind=Contract.Kind.GRANT,
        value=Decimal("12000"),
        starts_on=TODAY - dt.timedelta(days=45),
        ends_on=TODAY + dt.timedelta(days=320),
        conditions="Twelve Saturdays of activities for brothers and sisters of disabled children.",
    )
    fields.update(extra)
    return Contract.objects.create(authority=authority, organisation=organisation, reference=reference, **fields)


@pytest.fixture
def grants(authority, organisation, provider, clock):
    """A charity's grant, offered two months ago and accepted ten days later; a community
    interest company's, offered last week and not yet answered; one declined and a service
    contract, neither of them published."""
    authority.org_identifier = FUNDER
    authority.save()
    organisation.charity_number = "1145678"
    organisation.save()
    company = make_organisation(
        authority, "Little Acorns Play CIC", kind="social_enterprise", company_number="09876543"
    )
    clock.move_to(OFFERED)
    siblings = grant(authority, organisation, "DBC-GR-2026-01")
    clock.move_to(ACCEPTED)
    contract_answer(contract=siblings, answered_by=provider, accept=True)
    clock.move_to(NOW - dt.timedelta(days=7))
    play = grant(
        authority,
        company,
        "DBC-GR-2026-02",
        title="Holiday play scheme at Little Acorns",
        value=Decimal("28500"),
        starts_on=TODAY + dt.timedelta(days=30),
        ends_on=TODAY + dt.timedelta(days=395),
        conditions="",
    )
    declined = grant(authority, company, "DBC-GR-2026-03", title="Evening youth club")
    contract_answer(contract=declined, answered_by=provider, accept=False, reason="We cannot staff it.")
    grant(authority, organisation, "DBC-SVC-2026-04", kind=Contract.Kind.SERVICE, title="Overnight breaks")
    clock.move_to(NOW)
    return siblings, play


def published(client) -> dict:
    response = client.get(reverse("insight:360giving"))
    assert response.status_code == 200
    return response.json()


def test_the_grants_file_is_valid_against_the_360giving_schema(client, grants):
    assert schema_copied()
    package_validator().validate(published(client))


def test_the_grants_file_passes_the_quality_tools_checks(client, grants):
    package = published(client)
    assert [g["id"] for g in package["grants"]] == ["360G-dovebridge-DBC-GR-2026-01", "360G-dovebridge-DBC-GR-2026-02"]
    assert problems(package, now=NOW) == []
    assert package["version"] == "1.4" and package["publisher"] == {
        "name": "Dovebridge Borough Council",
        "identifier": FUNDER,
    }
    siblings, play = package["grants"]
    assert siblings["awardDate"] == OFFERED.date().isoformat()
    assert siblings["plannedDates"] == [
        {
            "startDate": (TODAY - dt.timedelta(days=45)).isoformat(),
            "endDate": (TODAY + dt.timedelta(days=320)).isoformat(),
        }
    ]
    # With no conditions, the description says what the grant is rather than repeating its title.
    assert play["description"] == (
        "Dovebridge Borough Council's grant to Little Acorns Play CIC: Holiday play scheme at Little Acorns."
    )


def test_recipients_and_funder_carry_org_ids_from_their_registration(client, authority, grants, settings):
    siblings, play = published(client)["grants"]
    assert siblings["recipientOrganization"] == [
        {"id": "GB-CHC-1145678", "name": "Rainbow Trust", "charityNumber": "1145678"}
    ]
    assert play["recipientOrganization"] == [
        {"id": "GB-COH-09876543", "name": "Little Acorns Play CIC", "companyNumber": "09876543"}
    ]
    assert siblings["fundingOrganization"] == [{"id": FUNDER, "name": "Dovebridge Borough Council"}]
    # The publisher prefix 360Giving registers for the council, once it has one.
    settings.THREESIXTY_PREFIX = "360G-dovebridgebc"
    assert three_sixty_giving(authority)["grants"][0]["id"] == "360G-dovebridgebc-DBC-GR-2026-01"
    # Without registered numbers our own fallback stands in, and the quality tool flags it.
    unregistered = make_organisation(authority, "Hilltop Friends")
    grant(authority, unregistered, "DBC-GR-2026-05")
    authority.org_identifier = ""
    authority.save()
    package = three_sixty_giving(authority)
    last = package["grants"][-1]
    assert last["recipientOrganization"][0]["id"] == f"GB-SB-{unregistered.pk}"
    assert last["fundingOrganization"][0]["id"] == "GB-SB-authority-dovebridge"
    found = problems(package, now=NOW)
    assert f"recipientOrganization id with an unrecognised prefix: GB-SB-{unregistered.pk}: {last['id']}" in found
    assert f"fundingOrganization id with an unrecognised prefix: GB-SB-authority-dovebridge: {last['id']}" in found


def test_date_modified_is_each_grants_own_last_change(client, grants, commissioner, officer, clock):
    siblings, play = grants
    first = {g["id"]: g["dateModified"] for g in published(client)["grants"]}
    assert first == {
        "360G-dovebridge-DBC-GR-2026-01": stamp(Contract.objects.get(pk=siblings.pk).updated_at),
        "360G-dovebridge-DBC-GR-2026-02": stamp(Contract.objects.get(pk=play.pk).updated_at),
    }
    assert first["360G-dovebridge-DBC-GR-2026-01"][:10] == ACCEPTED.date().isoformat()
    # Asking again later gives the same dates: nothing changed.
    clock.move_to(NOW + dt.timedelta(days=3))
    assert {g["id"]: g["dateModified"] for g in published(client)["grants"]} == first
    # A variation waiting for approval changes nothing yet; its approval changes the grant.
    variation = variation_propose(
        contract=siblings, kind="price", after=Decimal("13000"), reason="Two more Saturdays", proposed_by=officer
    )
    assert published(client)["grants"][0]["dateModified"] == first["360G-dovebridge-DBC-GR-2026-01"]
    clock.move_to(NOW + dt.timedelta(days=5))
    decided = variation_decide(variation=variation, decided_by=commissioner, approve=True, decision_reference="CMD-41")
    siblings_now = published(client)["grants"][0]
    assert siblings_now["amountAwarded"] == 13000.0
    assert siblings_now["dateModified"] == stamp(decided.decided_at)
    assert siblings_now["dateModified"][:10] == (NOW + dt.timedelta(days=5)).date().isoformat()
    assert problems(published(client), now=NOW + dt.timedelta(days=5)) == []


def test_only_offered_and_running_grants_are_published(client, authority, organisation):
    response = client.get(reverse("insight:360giving"))
    # A 360Giving package holds at least one grant: with none there is no file yet.
    assert response.status_code == 404 and response.json() == {"error": "No grants are published yet."}
    grant(authority, organisation, "DBC-SVC-1", kind=Contract.Kind.SERVICE)
    assert client.get(reverse("insight:360giving")).status_code == 404


def test_the_checks_catch_what_360givings_tool_flags(client, grants):
    """Each check fails a package broken the way it looks for (so a passing run means something)."""
    good = published(client)

    def broken(change) -> list[str]:
        package = copy.deepcopy(good)
        change(package["grants"][0])
        return problems(package, now=NOW)

    def individual(g):
        g.pop("recipientOrganization")
        g["recipientIndividual"] = {"id": "360G-dovebridge-IND-1", "name": "Jay Shah"}

    cases = {
        "a grant to an individual": individual,
        "an email address in /description": lambda g: g.update(description="Ask jay.shah@example.org"),
        "a phone number in /description": lambda g: g.update(description="Call 01332 456789"),
        "a postcode in /title": lambda g: g.update(title="Days out from DE22 1AB"),
        "award date that does not exist": lambda g: g.update(awardDate="2026-02-30"),
        "award date in the future": lambda g: g.update(awardDate=(TODAY + dt.timedelta(days=1)).isoformat()),
        "award date over 25 years ago": lambda g: g.update(awardDate="1990-04-01"),
        "after its last modification": lambda g: g.update(dateModified="2026-01-01T09:00:00+00:00"),
        "last modified in the future": lambda g: g.update(dateModified="2027-06-01T09:00:00+01:00"),
        "plannedDates/0 starts": lambda g: g["plannedDates"][0].update(startDate="2027-12-01", endDate="2027-01-01"),
        "planned end date over 12 years ahead": lambda g: g["plannedDates"][0].update(endDate="2040-01-01"),
        "planned start date that does not exist": lambda g: g["plannedDates"][0].update(startDate="2026-13-01"),
        "grant id without the 360G- prefix": lambda g: g.update(id="dovebridge-1"),
        "recipientOrganization id with an unrecognised prefix": lambda g: g["recipientOrganization"][0].update(
            id="XX-NOPE-1"
        ),
        "recipientOrganization id that is not a charity number": lambda g: g["recipientOrganization"][0].update(
            id="GB-CHC-12"
        ),
        "fundingOrganization id with an unrecognised prefix": lambda g: g["fundingOrganization"][0].update(id="DBC"),
        "2 different funder ids": lambda g: g["fundingOrganization"][0].update(id="GB-LAE-DBY"),
        "missing amountAwarded": lambda g: g.pop("amountAwarded"),
        "a grant of £0": lambda g: g.update(amountAwarded=0),
        "a description that only repeats the title": lambda g: g.update(description=g["title"]),
        "a title over 140 characters": lambda g: g.update(title="x" * 141),
    }
    for expected, change in cases.items():
        found = broken(change)
        assert any(expected in problem for problem in found), (expected, found)
    duplicate = copy.deepcopy(good)
    duplicate["grants"][1]["id"] = duplicate["grants"][0]["id"]
    assert f"duplicate grant id: {good['grants'][0]['id']}" in problems(duplicate, now=NOW)
