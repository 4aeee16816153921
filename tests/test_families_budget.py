import threading
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, close_old_connections, connection, transaction
from django.db.models import Sum

from shortbreaks.core.errors import NotAllowed
from shortbreaks.families.models import BudgetAccount, LedgerEntry
from shortbreaks.families.services.budget import InsufficientFunds, account_for, ledger_post, ledger_reverse

from .factories import make_child, make_family

Kind = LedgerEntry.Kind


@pytest.fixture
def account(authority, officer):
    child = make_child(make_family(authority))
    with transaction.atomic():
        account = account_for(child)
    ledger_post(
        account=account, kind=Kind.ALLOCATION_GRANTED, amount=Decimal("100"), description="Allocation", actor=officer
    )
    return account


def balances(account):
    account.refresh_from_db()
    return account.available, account.committed, account.spent


def assert_balances_equal_the_ledger(account):
    sums = account.entries.aggregate(a=Sum("delta_available"), c=Sum("delta_committed"), s=Sum("delta_spent"))
    assert balances(account) == (sums["a"], sums["c"], sums["s"])


def test_commitment_accounting(account, officer):
    ledger_post(
        account=account, kind=Kind.BOOKING_COMMITTED, amount=Decimal("30"), description="Booking", actor=officer
    )
    assert balances(account) == (Decimal("70"), Decimal("30"), Decimal("0"))
    ledger_post(account=account, kind=Kind.DELIVERED_PAID, amount=Decimal("30"), description="Delivered", actor=officer)
    ledger_post(account=account, kind=Kind.DIRECT_PAYMENT, amount=Decimal("50"), description="DP", actor=officer)
    ledger_post(
        account=account, kind=Kind.DIRECT_PAYMENT_RETURNED, amount=Decimal("10"), description="Return", actor=officer
    )
    assert balances(account) == (Decimal("20"), Decimal("0"), Decimal("70"))
    assert_balances_equal_the_ledger(account)


def test_spending_more_than_is_available_is_refused(account, officer):
    with pytest.raises(InsufficientFunds, match="£100.00 is available and this needs £150.00"):
        ledger_post(
            account=account, kind=Kind.BOOKING_COMMITTED, amount=Decimal("150"), description="Too much", actor=officer
        )
    assert balances(account) == (Decimal("100"), Decimal("0"), Decimal("0"))
    assert account.entries.count() == 1


def test_the_database_refuses_a_negative_balance_even_without_the_service(account):
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetAccount.objects.filter(pk=account.pk).update(available=Decimal("-1"))


def test_entries_are_never_edited_only_reversed(account, officer):
    entry = account.entries.get()
    with pytest.raises(ValueError, match="never changed"):
        entry.save()
    with pytest.raises(ValueError, match="never deleted"):
        entry.delete()
    # The database refuses too, whatever the code does (its trigger's own words).
    with pytest.raises(DatabaseError, match="Ledger entries are never changed"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(description="changed")
    correction = ledger_reverse(entry=entry, actor=officer, reason="Granted to the wrong child")
    assert correction.reverses == entry and balances(account) == (Decimal("0"), Decimal("0"), Decimal("0"))
    with pytest.raises(NotAllowed):
        ledger_reverse(entry=entry, actor=officer, reason="again")
    assert_balances_equal_the_ledger(account)


def test_family_money_only_where_the_council_allows_it(account, officer):  # no rule in force here
    with pytest.raises(NotAllowed, match="does not take families' own money"):
        ledger_post(
            account=account, kind=Kind.FAMILY_CONTRIBUTION, amount=Decimal("20"), description="Own money", actor=officer
        )


@pytest.mark.django_db(transaction=True)
def test_concurrent_spends_never_overspend(authority, officer):
    """Eight simultaneous bookings of 30 against 100: exactly three succeed."""
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races need PostgreSQL")
    child = make_child(make_family(authority))
    with transaction.atomic():
        account = account_for(child)
    ledger_post(
        account=account, kind=Kind.ALLOCATION_GRANTED, amount=Decimal("100"), description="Allocation", actor=officer
    )
    barrier = threading.Barrier(8)
    outcomes = []

    def spend():
        close_old_connections()
        try:
            barrier.wait()
            ledger_post(
                account=account, kind=Kind.BOOKING_COMMITTED, amount=Decimal("30"), description="Booking", actor=None
            )
            outcomes.append("ok")
        except InsufficientFunds:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=spend) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 3 and outcomes.count("refused") == 5
    assert balances(account) == (Decimal("10"), Decimal("90"), Decimal("0"))
    assert_balances_equal_the_ledger(account)


def test_family_money_when_the_rule_in_force_allows_it(authority, account, officer, rule):
    from shortbreaks.families.models import AllocationRule

    AllocationRule.objects.filter(pk=rule.pk).update(family_contributions_allowed=True)
    ledger_post(
        account=account, kind=Kind.FAMILY_CONTRIBUTION, amount=Decimal("20"), description="Own money", actor=officer
    )
    assert balances(account)[0] == Decimal("120")


def test_direct_payment_audit_is_recorded(client, account, officer):
    from .factories import sign_in

    sign_in(client, officer)
    url = f"/caseload/children/{account.child_id}/direct-payment-audits/"
    bad = client.post(
        url,
        {
            "period_start": "2026-04-01",
            "period_end": "2026-09-30",
            "outcome": "unspent",
            "unspent": "0",
        },
    )
    assert "Enter how much was left unspent" in bad.content.decode()
    ok = client.post(
        url,
        {
            "period_start": "2026-04-01",
            "period_end": "2026-09-30",
            "outcome": "unspent",
            "unspent": "45.50",
            "notes": "PA off sick in August",
        },
    )
    assert ok.status_code == 302
    assert "£45.50 unspent" in client.get(url).content.decode()
