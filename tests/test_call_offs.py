"""Call-offs through their forms: creating one on the framework's page or a joint arrangement's,
a member's price and the council's award (contracts' view, which offers the contract). A
refusal shows the page again (400) with what was typed and the error summary; nothing is
written; a malformed or foreign id is a form error or a 404."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from shortbreaks.contracts.models import Contract
from shortbreaks.contracts.services import call_off_award
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.models import AuditEvent
from shortbreaks.core.roles import Role
from shortbreaks.procurement.models import CallOff
from shortbreaks.procurement.services import call_off_bid, call_off_create
from shortbreaks.procurement.services.joint import arrangement_record, participant_add

from .factories import awarded_framework, call_off_fields, call_off_terms, make_user, sign_in

SUMMARY = "govuk-error-summary"


@pytest.fixture
def framework(authority, organisation, commissioner):
    return awarded_framework(authority, organisation, commissioner)


def _call_off(framework, commissioner, method="direct", **extra):
    framework, lot = framework
    return call_off_create(
        **call_off_terms(),
        framework=framework,
        lot=lot,
        title="Holiday club",
        method=method,
        justification="One member has the places" if method == "direct" else "",
        deadline=timezone.now() + dt.timedelta(days=3) if method == "mini" else None,
        created_by=commissioner,
        **extra,
    )


def test_a_call_off_refused_on_the_framework_page_keeps_what_was_typed(client, commissioner, framework):
    opportunity, lot = framework
    sign_in(client, commissioner)
    url = reverse("procurement:call-off-new", args=[opportunity.pk])
    response = client.post(
        url,
        {
            **call_off_fields(),
            "call-off-lot": lot.pk,
            "call-off-title": "Easter overnights",
            "call-off-method": "mini",
            "call-off-deadline": "next Tuesday",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and page.count(f'class="{SUMMARY}"') == 1  # once, at the top
    assert "<title>Error: " in page
    assert "Enter the date and time like 1 September 2027 2pm" in page and 'href="#id_call-off-deadline"' in page
    assert 'value="Easter overnights"' in page and 'value="next Tuesday"' in page
    # The service's refusal (a direct award needs its reason) is shown the same way.
    response = client.post(
        url,
        {
            **call_off_fields(),
            "call-off-lot": lot.pk,
            "call-off-title": "Easter overnights",
            "call-off-method": "direct",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Say why a direct award is right" in page
    assert 'value="Easter overnights"' in page and '<option value="direct" selected>' in page
    # A lot that is not the framework's is a form error, never a server error.
    response = client.post(
        url, {**call_off_fields(), "call-off-lot": "x", "call-off-title": "Easter", "call-off-method": "mini"}
    )
    assert response.status_code == 400 and "Choose one of the framework&#x27;s lots" in response.content.decode()
    assert not CallOff.objects.exists()


def test_a_call_off_refused_on_the_joint_page_keeps_what_was_typed(
    client, authority, other_authority, organisation, commissioner, framework
):
    opportunity, lot = framework
    arrangement = arrangement_record(
        framework=opportunity, terms="Shared", agreed_on=dt.date(2026, 9, 1), recorded_by=commissioner
    )
    participant_add(
        arrangement=arrangement,
        authority=other_authority,
        signed_for_by="K. Holt",
        joined_on=dt.date(2026, 9, 2),
        added_by=commissioner,
    )
    sign_in(client, make_user(other_authority, Role.COMMISSIONER, email="kc@kestrel.example"))
    response = client.post(
        reverse("procurement:joint", args=[arrangement.pk]),
        {
            **call_off_fields(),
            "call-off-lot": lot.pk,
            "call-off-title": "Kestrel weekends",
            "call-off-method": "direct",
        },
        HTTP_HOST="kestrel.test",
    )
    page = response.content.decode()
    assert response.status_code == 400 and page.count(f'class="{SUMMARY}"') == 1 and "<title>Error: " in page
    assert "Say why a direct award is right" in page
    assert 'value="Kestrel weekends"' in page and "Joint monitoring, by authority" in page  # contracts' panel
    assert not CallOff.objects.exists()


def test_a_direct_award_refused_keeps_the_member_and_price_and_offers_nothing(
    client, authority, organisation, other_organisation, commissioner, framework
):
    call_off = _call_off(framework, commissioner)
    sign_in(client, commissioner)
    page = client.get(reverse("procurement:call-off", args=[call_off.pk])).content.decode()
    award = reverse("contracts:call-off-award", args=[call_off.pk])
    assert f'action="{award}"' in page and organisation.name in page and other_organisation.name not in page
    response = client.post(award, {"organisation": organisation.pk, "price": "about 300"})
    page = response.content.decode()
    assert response.status_code == 400 and SUMMARY in page and 'href="#id_price"' in page
    assert "Enter the price as a number of pounds, like 25000" in page and 'value="about 300"' in page
    assert f'<option value="{organisation.pk}" selected>' in page
    # Someone not on the lot, or no one at all: the form says so.
    for named in (other_organisation.pk, "x"):
        response = client.post(award, {"organisation": named, "price": "300"})
        assert response.status_code == 400 and "Choose a member of the framework lot" in response.content.decode()
    assert not Contract.objects.exists() and not AuditEvent.objects.filter(action="procurement.call_off_awarded")

    response = client.post(award, {"organisation": organisation.pk, "price": "£3,000"})
    assert response.status_code == 302 and response.url == reverse("procurement:call-off", args=[call_off.pk])
    contract = Contract.objects.get(call_off=call_off)
    assert (contract.organisation, contract.value, contract.status) == (organisation, Decimal("3000"), "offered")
    # Awarding again is refused on the page, with the reason.
    response = client.post(award, {"organisation": organisation.pk, "price": "3000"})
    assert response.status_code == 400 and "This call-off is already awarded." in response.content.decode()
    assert Contract.objects.count() == 1


def test_the_award_is_one_transaction_audited_in_procurement_and_contracts(
    authority, organisation, commissioner, framework, django_capture_on_commit_callbacks, mailoutbox
):
    call_off = _call_off(framework, commissioner)
    with pytest.raises(NotAllowed, match="Give the price agreed"):
        call_off_award(call_off=call_off, decided_by=commissioner, organisation=organisation, price=Decimal("0"))
    assert not AuditEvent.objects.filter(action="procurement.call_off_awarded").exists()
    with django_capture_on_commit_callbacks(execute=True):
        awarded = call_off_award(
            call_off=call_off, decided_by=commissioner, organisation=organisation, price=Decimal("1200")
        )
    assert (awarded.status, awarded.awarded_to, awarded.awarded_price) == ("awarded", organisation, Decimal("1200"))
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"procurement.call_off_awarded", "contract.offered"} <= actions
    assert any(m.subject == "Call-off awarded: Holiday club" for m in mailoutbox)


def test_award_pages_refuse_other_councils_and_other_methods(client, other_authority, commissioner, framework):
    call_off = _call_off(framework, commissioner)
    sign_in(client, commissioner)
    award = reverse("contracts:call-off-award", args=[call_off.pk])
    assert client.get(award).url == reverse("procurement:call-off", args=[call_off.pk])
    sign_in(client, make_user(other_authority, Role.COMMISSIONER, email="kc@kestrel.example"))
    assert client.post(award, {"price": "1"}, HTTP_HOST="kestrel.test").status_code == 404
    # A mini-competition goes to the best ranked: before its deadline there is nothing to award.
    sign_in(client, commissioner)
    mini = _call_off(framework, commissioner, method="mini")
    response = client.post(reverse("contracts:call-off-award", args=[mini.pk]))
    assert response.status_code == 400 and "Award after the deadline" in response.content.decode()


def test_a_members_price_refused_keeps_what_was_typed(client, organisation, provider, commissioner, framework):
    call_off = _call_off(framework, commissioner, method="mini")
    sign_in(client, provider)
    url = reverse("procurement:call-off-price", args=[call_off.pk])
    assert "Your price (£, including VAT)" in client.get(url).content.decode()
    response = client.post(url, {"price": "lots"})
    page = response.content.decode()
    assert response.status_code == 400 and SUMMARY in page and 'value="lots"' in page
    response = client.post(url, {"price": "0"})
    assert response.status_code == 400 and "Give a price of more than £0." in response.content.decode()
    assert client.post(url, {"price": "£950"}).status_code == 302
    assert "Change your price" in client.get(url).content.decode()
    CallOff.objects.filter(pk=call_off.pk).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    call_off.refresh_from_db()
    with pytest.raises(NotAllowed, match="not taking prices"):
        call_off_bid(call_off=call_off, organisation=organisation, price=Decimal("900"), submitted_by=provider)


def test_no_call_off_during_the_frameworks_standstill_and_the_page_says_when(
    client, authority, organisation, commissioner, framework
):
    from shortbreaks.procurement.models import Award

    opportunity, lot = framework
    ends = timezone.localdate() + dt.timedelta(days=5)
    Award.objects.create(
        authority=authority,
        lot=lot,
        submission=lot.submissions.get(),
        total=Decimal("80"),
        standstill_ends_on=ends,
        decided_by=commissioner,
    )
    sign_in(client, commissioner)
    page = client.get(reverse("procurement:manage", args=[opportunity.pk])).content.decode()
    starts = ends + dt.timedelta(days=1)
    assert f"Call-offs can start on {starts:%-d %B %Y}" in page and "Create the call-off" not in page
    with pytest.raises(NotAllowed, match=f"Call off from {starts:%-d %B %Y}: the framework's standstill"):
        _call_off(framework, commissioner)
    response = client.post(
        reverse("procurement:call-off-new", args=[opportunity.pk]),
        {**call_off_fields(), "call-off-lot": lot.pk, "call-off-title": "Easter", "call-off-method": "direct"}
        | {"call-off-justification": "Ranked first"},
    )
    assert response.status_code == 400 and "standstill period runs until" in response.content.decode()
    assert not CallOff.objects.exists()


def test_the_call_offs_contract_takes_its_own_specification_value_and_dates(
    client, authority, organisation, provider, commissioner, framework
):
    opportunity, lot = framework
    sign_in(client, commissioner)
    response = client.post(
        reverse("procurement:call-off-new", args=[opportunity.pk]),
        {
            "call-off-lot": lot.pk,
            "call-off-title": "Holiday overnights",
            "call-off-description": "Overnight breaks for six children, January to June",
            "call-off-value": "£24,000",
            "call-off-starts_on": "2027-01-04",
            "call-off-ends_on": "2027-06-30",
            "call-off-method": "direct",
            "call-off-justification": "The only member with overnight places",
        },
    )
    call_off = CallOff.objects.get()
    assert response.status_code == 302 and (call_off.value, call_off.starts_on) == (
        Decimal("24000"),
        dt.date(2027, 1, 4),
    )
    page = client.get(reverse("procurement:call-off", args=[call_off.pk])).content.decode()
    assert "£24,000.00" in page and "4 January 2027 to 30 June 2027" in page and 'value="24000.00"' in page
    client.post(
        reverse("contracts:call-off-award", args=[call_off.pk]), {"organisation": organisation.pk, "price": "23500"}
    )
    contract = Contract.objects.get(call_off=call_off)
    assert (contract.starts_on, contract.ends_on, contract.value) == (
        dt.date(2027, 1, 4),
        dt.date(2027, 6, 30),
        Decimal("23500"),
    )
    sign_in(client, provider)
    offer = client.get(reverse("contracts:offer", args=[contract.pk])).content.decode()
    assert "Overnight breaks for six children, January to June" in offer and "£23,500.00" in offer
    assert "4 January 2027" in offer and "30 June 2027" in offer
    assert "The only member with overnight places" not in offer  # the council's reason stays with it
    # The dates must be in order, and not in the past.
    sign_in(client, commissioner)
    response = client.post(
        reverse("procurement:call-off-new", args=[opportunity.pk]),
        {**call_off_fields(), "call-off-lot": lot.pk, "call-off-title": "Later", "call-off-method": "direct"}
        | {"call-off-ends_on": "2026-01-01", "call-off-justification": "x"},
    )
    assert response.status_code == 400 and "The end date must be after the start date" in response.content.decode()


def test_a_block_contract_without_members_offers_no_call_off(client, authority, commissioner, framework):
    from shortbreaks.procurement.models import Membership

    opportunity, lot = framework
    Membership.objects.filter(lot=lot).update(status=Membership.Status.REMOVED)
    sign_in(client, commissioner)
    page = client.get(reverse("procurement:manage", args=[opportunity.pk])).content.decode()
    assert "no lot has providers appointed to it" in page and "Create the call-off" not in page


def test_a_mini_competition_past_its_deadline_is_not_open_for_prices(client, commissioner, framework):
    mini = _call_off(framework, commissioner, method="mini")
    sign_in(client, commissioner)
    manage = reverse("procurement:manage", args=[framework[0].pk])
    assert "open for prices" in client.get(manage).content.decode()
    CallOff.objects.filter(pk=mini.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    page = client.get(manage).content.decode()
    assert "open for prices" not in page and "prices closed, waiting for the award" in page
    direct = _call_off(framework, commissioner)
    assert direct.state == "Waiting for the award"
