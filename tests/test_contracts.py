"""Contracts from awards (after the standstill) and call-offs; the provider accepts or declines;
the OCDS output gains contract releases."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from shortbreaks.contracts.models import Contract
from shortbreaks.contracts.services import award_confirm, confirm_due_awards, contract_answer
from shortbreaks.core.errors import NotAllowed

from .factories import opened_for_evaluation, sign_in
from .ocds_schemas import package_validator


@pytest.fixture
def awarded(authority, commissioner, bidders, officer):
    from shortbreaks.procurement.services import award_decide, score_agree

    opportunity, lot, a, b, moderator, _ = opened_for_evaluation(authority, commissioner, bidders, officer)
    for bid, scores in ((a, (10, 8, 8)), (b, (10, 5, 6))):
        for question, value in zip(
            opportunity.questions.order_by("kind", "number"), (scores[1], scores[2], scores[0]), strict=False
        ):
            score_agree(moderator=moderator, submission=bid, question=question, score=value, rationale="Agreed")
    return award_decide(lot=lot, decided_by=commissioner)


def test_the_contract_follows_the_standstill_and_the_provider_answers(
    client, authority, commissioner, bidders, awarded
):
    alpha, alpha_user, beta, beta_user = bidders
    with pytest.raises(NotAllowed, match="standstill period runs until"):
        award_confirm(award=awarded, confirmed_by=commissioner)
    assert confirm_due_awards(today=awarded.standstill_ends_on) == 0
    assert confirm_due_awards(today=awarded.standstill_ends_on + dt.timedelta(days=1)) == 1
    contract = Contract.objects.get()
    assert (contract.organisation, contract.value, contract.status) == (alpha, Decimal("50000.00"), "offered")
    assert (contract.ends_on - contract.starts_on).days >= 365
    sign_in(client, beta_user)
    assert contract.reference not in client.get(reverse("contracts:mine")).content.decode()
    sign_in(client, alpha_user)
    offer = reverse("contracts:offer", args=[contract.pk])
    assert offer in client.get(reverse("contracts:mine")).content.decode()
    response = client.post(offer, {"action": "decline"})
    page = response.content.decode()
    assert response.status_code == 400 and "Say why you are declining" in page and 'href="#id_reason"' in page
    client.post(offer, {"action": "accept"})
    contract.refresh_from_db()
    assert contract.status == "active" and contract.answered_by == alpha_user
    with pytest.raises(NotAllowed, match="already been answered"):
        contract_answer(contract=contract, answered_by=alpha_user, accept=False, reason="x")
    package = client.get("/api/ocds/releases").json()
    package_validator().validate(package)
    released = next(r for r in package["releases"] if r["tag"] == ["contract"])
    assert released["contracts"][0]["status"] == "active" and released["contracts"][0]["awardID"].endswith("-lot-1")


def test_commissioners_see_contracts_and_confirm_awards(client, authority, commissioner, awarded, parent):
    sign_in(client, commissioner)
    page = client.get(reverse("contracts:list")).content.decode()
    assert "standstill ends" in page
    response = client.post(reverse("contracts:award-confirm"), {"award": awarded.pk})
    assert response.status_code == 400 and "standstill period runs until" in response.content.decode()
    sign_in(client, parent)
    assert client.get(reverse("contracts:list")).status_code == 403


def test_payments_and_variations_join_the_open_data(client, authority, commissioner, bidders, awarded):
    from shortbreaks.contracts.services import variation_decide, variation_propose
    from shortbreaks.contracts.services.monitoring import payment_record
    from shortbreaks.core.roles import Role

    from .factories import make_user

    alpha, alpha_user, _, _ = bidders
    confirm_due_awards(today=awarded.standstill_ends_on + dt.timedelta(days=1))
    contract = contract_answer(contract=Contract.objects.get(), answered_by=alpha_user, accept=True)
    payment_record(
        contract=contract, kind="set_up", amount=Decimal("2500"), description="Set-up costs", approved_by=commissioner
    )
    variation = variation_propose(
        contract=contract, kind="price", after=Decimal("52000"), reason="Living wage", proposed_by=commissioner
    )
    variation_decide(variation=variation, decided_by=make_user(authority, Role.PROCUREMENT_OFFICER), approve=True)
    package = client.get("/api/ocds/releases").json()
    package_validator().validate(package)
    implementation = next(r for r in package["releases"] if r["tag"] == ["implementation"])
    transaction = implementation["contracts"][0]["implementation"]["transactions"][0]
    assert transaction["value"] == {"amount": 2500.0, "currency": "GBP"}
    assert transaction["payee"]["name"] == "Alpha Trust"
    released = next(r for r in package["releases"] if r["tag"] == ["contract"])["contracts"][0]
    assert released["value"]["amount"] == 52000 and released["amendments"][0]["rationale"] == "Living wage"


def test_spot_purchases_and_in_house_agreements_are_recorded_not_competed(
    client, authority, commissioner, organisation, provider
):
    from shortbreaks.procurement.services import lot_add, opportunity_create, opportunity_publish

    spot = opportunity_create(
        authority=authority,
        created_by=commissioner,
        reference="SPOT-1",
        title="Sam's overnights",
        description="Urgent overnight care",
        route="spot",
        justification="One child, urgent",
    )
    lot_add(opportunity=spot, title="Placement", description="", value=Decimal("9000"), added_by=commissioner)
    with pytest.raises(NotAllowed, match="not advertised"):
        opportunity_publish(opportunity=spot, published_by=commissioner)
    sign_in(client, commissioner)
    url = reverse("contracts:direct", args=[spot.pk])
    response = client.post(
        url,
        {"organisation": organisation.pk, "value": "9000", "starts_on": "2027-04-01", "ends_on": "2027-03-01"},
        follow=True,
    )
    assert "end date must be after" in response.content.decode()
    response = client.post(
        url, {"organisation": organisation.pk, "value": "£9,000", "starts_on": "2027-04-01", "ends_on": "2028-03-31"}
    )
    contract = Contract.objects.get()
    assert response.url == reverse("contracts:detail", args=[contract.pk])
    assert (contract.kind, contract.status, contract.value) == ("spot", "offered", Decimal("9000"))
    # The council's reason for not competing is internal: on its own page, not the provider's.
    assert contract.conditions == ""
    assert "One child, urgent" in client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    sign_in(client, provider)
    offer = client.get(reverse("contracts:offer", args=[contract.pk])).content.decode()
    assert "£9,000.00" in offer and "1 April 2027" in offer and "31 March 2028" in offer
    assert "One child, urgent" not in offer and "Conditions" not in offer
    sign_in(client, commissioner)
    assert (
        client.post(
            url,
            {"organisation": organisation.pk, "value": "1", "starts_on": "2027-04-01", "ends_on": "2028-03-31"},
            follow=True,
        ).status_code
        == 400
    )
    assert Contract.objects.count() == 1
    contract_answer(contract=contract, answered_by=provider, accept=True)
    client.post(
        reverse("contracts:terms", args=[contract.pk]),
        {"extensions": "12", "break_clause": "Either side, 3 months' notice"},
    )
    contract.refresh_from_db()
    assert (contract.extensions_left_months, contract.break_clause) == (12, "Either side, 3 months' notice")


@pytest.mark.usefixtures("storage_backend")  # on both file stores (tests/storage.py)
def test_the_offer_page_has_the_documents_to_download_and_no_one_elses(
    client, authority, commissioner, organisation, provider, other_provider
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shortbreaks.procurement.models import Opportunity, ProcurementDocument

    spot = Opportunity.objects.create(
        authority=authority, reference="SPOT-9", title="Overnights", description="d", route="spot", justification="x"
    )
    document = ProcurementDocument.objects.create(
        authority=authority,
        opportunity=spot,
        title="Service specification",
        file=SimpleUploadedFile("spec.pdf", b"%PDF-1.4\n%%EOF\n"),
        content_type="application/pdf",
        size=15,
        original_filename="spec.pdf",
    )
    contract = Contract.objects.create(
        authority=authority,
        reference="SPOT-9",
        title="Overnights",
        kind="spot",
        organisation=organisation,
        opportunity=spot,
        value=Decimal("1234"),
        starts_on=dt.date(2027, 9, 1),
        ends_on=dt.date(2028, 8, 31),
    )
    sign_in(client, provider)
    page = client.get(reverse("contracts:offer", args=[contract.pk])).content.decode()
    link = reverse("contracts:offer-document", args=[contract.pk, document.pk])
    assert "£1,234.00" in page and "1 September 2027" in page and "31 August 2028" in page
    assert f'href="{link}"' in page and "Service specification" in page and "Accept the contract" in page
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    sign_in(client, other_provider)
    assert client.get(link).status_code == 404
    assert client.get(reverse("contracts:offer", args=[contract.pk])).status_code == 404


def test_the_decommissioning_picker_names_each_services_provider_once(
    client, authority, commissioner, organisation, other_organisation
):
    from .factories import make_service

    make_service(organisation, name="Saturday club")
    make_service(other_organisation, name="Saturday club")
    sign_in(client, commissioner)
    page = client.get(reverse("contracts:plans")).content.decode()
    for name in (organisation.name, other_organisation.name):
        assert page.count(f">Saturday club ({name})</option>") == 1
