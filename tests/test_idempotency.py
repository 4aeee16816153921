"""Submissions that move money carry the key their page was drawn with: the same submission
twice (a double click, a retried request) moves the money once and shows the same result; a
page drawn again with errors keeps its key. Payments and milestone payments (the council),
family call-offs, personal-assistant bookings and timesheet approvals (parents)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from shortbreaks.assistants.models import AssistantBooking
from shortbreaks.contracts.models import Contract, Milestone, Payment
from shortbreaks.core.roles import Role
from shortbreaks.families.models import BudgetAccount

from .clock import TODAY
from .factories import awarded_framework, fund, make_assistant, make_child, make_family, make_user, sign_in

KEY = "a" * 32


def _key_on(page: str) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)


def _success(client, response) -> list[str]:
    assert response.status_code == 302, response.content.decode()[:500]
    return [str(m) for m in client.get(response.url).context["messages"]]


@pytest.fixture
def contract(authority, organisation):
    return Contract.objects.create(
        authority=authority,
        reference="BLK-7",
        title="Saturday club places",
        kind=Contract.Kind.BLOCK,
        organisation=organisation,
        value=Decimal("24000"),
        starts_on=TODAY - dt.timedelta(days=30),
        ends_on=TODAY + dt.timedelta(days=330),
        status=Contract.Status.ACTIVE,
    )


@pytest.fixture
def family_child(authority, parent):
    child = make_child(make_family(authority, carer_user=parent), "Sam")
    fund(child, "300.00")
    return child


def test_a_payment_posted_twice_with_its_key_is_paid_once(client, contract, commissioner):
    sign_in(client, commissioner)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert re.search(r'name="idempotency_key" value="[0-9a-f]{32}"', page)
    url = reverse("contracts:payment", args=[contract.pk])
    data = {"kind": "set_up", "amount": "1200", "description": "Set-up grant", "idempotency_key": KEY}
    assert _success(client, client.post(url, data)) == ["Payment recorded."]
    assert _success(client, client.post(url, data)) == ["Payment recorded."]
    assert Payment.objects.get().amount == Decimal("1200")
    # Another submission of the same figures (a new page, a new key) is another payment.
    client.post(url, data | {"idempotency_key": "b" * 32})
    assert Payment.objects.count() == 2


def test_a_payment_form_shown_again_keeps_its_key_and_a_missing_key_pays_nothing(client, contract, commissioner):
    sign_in(client, commissioner)
    url = reverse("contracts:payment", args=[contract.pk])
    response = client.post(url, {"kind": "set_up", "amount": "lots", "description": "Set-up", "idempotency_key": KEY})
    assert response.status_code == 400 and f'value="{KEY}"' in response.content.decode()
    response = client.post(url, {"kind": "set_up", "amount": "100", "description": "Set-up"})
    page = response.content.decode()
    assert response.status_code == 400 and "This page has expired" in page and 'href="#main-content"' in page
    assert not Payment.objects.exists()


def test_a_milestone_paid_twice_with_its_key_is_paid_once_and_says_so(client, contract, commissioner):
    milestone = Milestone.objects.create(
        authority=contract.authority, contract=contract, title="Summer club runs", due_on=TODAY, amount=Decimal("4000")
    )
    sign_in(client, commissioner)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    key = _key_on(page[page.index('name="milestone"') :])
    url = reverse("contracts:milestone-pay", args=[contract.pk])
    data = {"milestone": str(milestone.pk), "idempotency_key": key}
    assert _success(client, client.post(url, data)) == ["Milestone paid."]
    assert _success(client, client.post(url, data)) == ["Milestone paid."]
    assert Payment.objects.get().amount == Decimal("4000")
    # From another page (another key) it is already paid.
    response = client.post(url, data | {"idempotency_key": "c" * 32})
    assert response.status_code == 400 and "already paid" in response.content.decode()
    assert Payment.objects.count() == 1


def test_a_family_call_off_posted_twice_commits_the_money_once(
    client, authority, organisation, commissioner, parent, family_child
):
    _, lot = awarded_framework(authority, organisation, commissioner, reference="FW-1", lot_title="Weekends")
    sign_in(client, parent)
    page = client.get(reverse("contracts:frameworks")).content.decode()
    assert re.search(r'name="idempotency_key" value="[0-9a-f-]{32,}"', page)
    data = {
        "lot": str(lot.pk),
        "organisation": str(organisation.pk),
        "child": str(family_child.pk),
        "title": "Spring Saturdays",
        "price": "120",
        "idempotency_key": KEY,
    }
    first = _success(client, client.post(reverse("contracts:frameworks"), data))
    assert _success(client, client.post(reverse("contracts:frameworks"), data)) == first
    assert Contract.objects.get(call_off__child=family_child).value == Decimal("120")
    account = BudgetAccount.objects.get(child=family_child)
    assert account.committed == Decimal("120") and account.available == Decimal("180")


def test_a_pa_booking_posted_twice_commits_the_money_once(client, authority, officer, parent, family_child):
    assistant = make_assistant(authority, officer)
    sign_in(client, parent)
    url = reverse("assistants:detail", args=[assistant.pk])
    page = client.get(url).content.decode()
    assert re.search(r'name="idempotency_key" value="[0-9a-f]{32}"', page)
    data = {
        "child": str(family_child.pk),
        "date": str(TODAY + dt.timedelta(days=1)),
        "starts_at": "10:00",
        "ends_at": "12:00",
        "meet_at": "Home, 4 Oak Road",
        "contact_email": "parent@example.org",
        "idempotency_key": KEY,
    }
    response = client.post(url, data | {"ends_at": "09:00"})
    assert response.status_code in (200, 400) and f'value="{KEY}"' in response.content.decode()
    first = _success(client, client.post(url, data))
    assert _success(client, client.post(url, data)) == first
    assert AssistantBooking.objects.get().amount == Decimal("30.00")
    account = BudgetAccount.objects.get(child=family_child)
    assert account.committed == Decimal("30.00") and account.available == Decimal("270.00")


def test_a_timesheet_approved_twice_with_its_key_pays_once(client, authority, officer, parent, family_child):
    from shortbreaks.assistants.models import Timesheet
    from shortbreaks.assistants.services import booking_answer, booking_request, timesheet_submit

    assistant = make_assistant(authority, officer, rate="15.00")
    booking = booking_request(
        assistant=assistant,
        child=family_child,
        requested_by=parent,
        date=TODAY,
        starts_at=dt.time(10),
        ends_at=dt.time(12),
        message="",
    )
    booking_answer(booking=booking, answered_by=assistant.user, accept=True)
    timesheet_submit(booking=booking, submitted_by=assistant.user, hours=Decimal("2"), note="")
    sign_in(client, parent)
    page = client.get(reverse("assistants:family-bookings")).content.decode()
    key = _key_on(page)
    assert re.fullmatch(r"[0-9a-f]{32}-1", key)
    url = reverse("assistants:family-booking", args=[booking.pk])
    data = {"booking": str(booking.pk), "action": "approve", "reason": "", "idempotency_key": key}
    first = _success(client, client.post(url, data))
    assert first == [f"Approved: £30.00 paid to {assistant} from Sam's budget."]
    assert _success(client, client.post(url, data)) == first
    account = BudgetAccount.objects.get(child=family_child)
    assert (account.spent, account.committed, account.available) == (
        Decimal("30.00"),
        Decimal("0.00"),
        Decimal("270.00"),
    )
    assert Timesheet.objects.get().decision_key == key
    # From another page (another key) it is no longer waiting, and nothing more is paid.
    response = client.post(url, data | {"idempotency_key": "d" * 32})
    assert response.status_code == 400 and "not waiting for a decision" in response.content.decode()
    # Without a key, nothing is paid either: the page says it has expired.
    response = client.post(url, {"booking": str(booking.pk), "action": "approve"})
    assert response.status_code == 400 and "This page has expired" in response.content.decode()
    assert BudgetAccount.objects.get(child=family_child).spent == Decimal("30.00")


def test_the_providers_home_says_what_each_payment_was_for(client, authority, organisation, contract, commissioner):
    sign_in(client, commissioner)
    url = reverse("contracts:payment", args=[contract.pk])
    client.post(url, {"kind": "set_up", "amount": "1200", "description": "Set-up grant", "idempotency_key": KEY})
    client.post(
        url, {"kind": "set_up", "amount": "1200", "description": "A second minibus", "idempotency_key": "b" * 32}
    )
    sign_in(client, make_user(authority, Role.PROVIDER, organisation=organisation))
    home = client.get("/provider/").content.decode()
    assert "BLK-7: Set-up grant" in home and "BLK-7: A second minibus" in home  # two of £1,200.00, told apart
