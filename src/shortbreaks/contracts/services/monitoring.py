"""Returns and payments (ratings are reads: selectors/ratings.py). Returns fall due each month
of an active contract; what the platform knows from the bookings of the contract's services is
filled in when the provider submits, so the provider is asked only for what it alone knows. The
commissioner approves the return, which pays the amount claimed."""

import calendar
import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from shortbreaks.accounts.selectors import emails_of
from shortbreaks.bookings.models import Booking
from shortbreaks.bookings.models.bookings import CHARGED
from shortbreaks.bookings.selectors.hours import session_hours
from shortbreaks.contracts.audit import Audit
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.idempotency import once
from shortbreaks.core.roles import Role
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit

from ..models import KPI, Contract, ContractReturn, Milestone, MonitoringPolicy, Payment
from ..selectors import policy_for


def period_facts(contract: Contract, start: dt.date, end: dt.date) -> dict:
    """What the bookings of the contract's services say about a period (one query)."""
    bookings = Booking.objects.filter(
        authority=contract.authority, session__service__in=contract.services.all(), session__date__range=(start, end)
    )
    facts = bookings.aggregate(
        places_booked=Count("pk", filter=Q(status__in=CHARGED)),
        attended=Count("pk", filter=Q(status=Booking.Status.ATTENDED)),
        cancellations=Count("pk", filter=Q(status__in=[Booking.Status.CANCELLED, Booking.Status.CANCELLED_LATE])),
        sessions_delivered=Count("session", filter=Q(status=Booking.Status.ATTENDED), distinct=True),
    )
    return facts


def period_place_hours(contract: Contract, start: dt.date, end: dt.date) -> Decimal:
    """Place-hours booked in a period (one child for one hour), as block use counts them: what
    the return's hours start from."""
    hours = Booking.objects.filter(
        authority=contract.authority,
        session__service__in=contract.services.all(),
        session__date__range=(start, end),
        status__in=CHARGED,
    ).aggregate(hours=Sum(session_hours("session__")))["hours"]
    return Decimal(str(hours or 0)).quantize(Decimal("0.1"))


def paid_so_far(contract: Contract) -> Decimal:
    return contract.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def _month_periods(contract: Contract, today: dt.date):
    """Each calendar month of the contract that has ended by today, clipped to the contract."""
    month = contract.starts_on.replace(day=1)
    while True:
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        start, end = max(month, contract.starts_on), min(last, contract.ends_on)
        if end >= today or start > contract.ends_on:
            return
        yield start, end
        month = last + dt.timedelta(days=1)


def returns_schedule(*, today: dt.date | None = None) -> dict:
    """Daily: open each ended month's return, remind before the due date, chase after it (once
    each). Returns what it did, for the log."""
    today = today or timezone.localdate()
    done = {"opened": 0, "reminded": 0, "chased": 0}
    policies = {}  # one read per authority, not per contract and return

    def policy(authority) -> MonitoringPolicy:
        if authority.pk not in policies:
            policies[authority.pk] = policy_for(authority)
        return policies[authority.pk]

    for contract in Contract.objects.filter(status=Contract.Status.ACTIVE, starts_on__lt=today).select_related(
        "authority"
    ):
        due_days = policy(contract.authority).return_due_days
        for start, end in _month_periods(contract, today):
            _, created = ContractReturn.objects.get_or_create(
                contract=contract,
                period_start=start,
                defaults={
                    "authority": contract.authority,
                    "period_end": end,
                    "due_on": end + dt.timedelta(days=due_days),
                },
            )
            done["opened"] += created
    waiting = ContractReturn.objects.filter(status__in=[ContractReturn.Status.DUE, ContractReturn.Status.QUERIED])
    for ret in waiting.filter(reminded_at__isnull=True, due_on__gte=today).select_related(
        "contract__organisation__authority", "authority"
    ):
        if ret.due_on - dt.timedelta(days=policy(ret.authority).reminder_days) <= today:
            _tell_provider(
                ret,
                f"Return due {ret.due_on:%-d %B %Y}: {ret.contract.reference}",
                f"Your return for {ret.period_start:%-d %B} to {ret.period_end:%-d %B %Y} is due on "
                f"{ret.due_on:%A %-d %B %Y}. Sessions, bookings and attendance are filled in for you.\n",
            )
            ContractReturn.objects.filter(pk=ret.pk).update(reminded_at=timezone.now())
            done["reminded"] += 1
    for ret in waiting.filter(chased_at__isnull=True, due_on__lt=today).select_related(
        "contract__organisation__authority", "authority"
    ):
        _tell_provider(
            ret,
            f"Return overdue: {ret.contract.reference}",
            f"Your return for {ret.period_start:%-d %B} to {ret.period_end:%-d %B %Y} was due on "
            f"{ret.due_on:%-d %B %Y}. Please send it as soon as you can: payment waits for it.\n",
        )
        ContractReturn.objects.filter(pk=ret.pk).update(chased_at=timezone.now())
        done["chased"] += 1
    return done


def _tell_provider(ret: ContractReturn, subject: str, body: str) -> None:
    organisation = ret.contract.organisation
    if organisation.email:
        # On the site the provider signs in to: for a joint framework's contract, not the buyer's.
        email_after_commit(
            to=[organisation.email],
            subject=subject,
            body=f"{body}\n{absolute(organisation.authority, 'contracts:return', ret.pk)}\n",
            why=f"{organisation.name} sends monthly returns to {ret.authority.name} on contract "
            f"{ret.contract.reference}",
            authority=organisation.authority,
        )


@transaction.atomic(durable=True)
def return_submit(
    *,
    contract_return: ContractReturn,
    submitted_by,
    hours_delivered: Decimal,
    incidents: int,
    complaints: int,
    amount_claimed: Decimal,
    notes: str = "",
) -> ContractReturn:
    ret = ContractReturn.objects.select_for_update(of=("self",)).select_related("contract").get(pk=contract_return.pk)
    contract = Contract.objects.select_for_update().get(pk=ret.contract_id)
    if ret.status not in (ContractReturn.Status.DUE, ContractReturn.Status.QUERIED):
        raise NotAllowed("This return has already been sent.")
    if timezone.localdate() <= ret.period_end:
        raise NotAllowed(f"Send this return once the period has ended, after {ret.period_end:%-d %B %Y}.")
    if min(hours_delivered, amount_claimed) < 0 or min(incidents, complaints) < 0:
        raise NotAllowed("Hours, counts and the amount cannot be negative.")
    if (left := contract.value - paid_so_far(contract)) < amount_claimed:
        raise NotAllowed(f"The claim is more than is left on the contract (£{left:,.2f}).")
    for name, value in period_facts(contract, ret.period_start, ret.period_end).items():
        setattr(ret, name, value)
    ret.hours_delivered, ret.incidents, ret.complaints = hours_delivered, incidents, complaints
    ret.amount_claimed, ret.notes = amount_claimed, notes.strip()
    ret.status, ret.submitted_at, ret.submitted_by, ret.query_reason = (
        ContractReturn.Status.SUBMITTED,
        timezone.now(),
        submitted_by,
        "",
    )
    ret.save()
    audit_record(
        authority=ret.authority,
        actor=submitted_by,
        action=Audit.CONTRACTS_RETURN_SUBMITTED,
        target=ret,
        summary=f"Return for {contract.reference}, {ret.period_start:%B %Y}, claims £{amount_claimed:,.2f}",
    )
    if to := emails_of(authority=ret.authority, role=Role.COMMISSIONER):
        email_after_commit(
            to=to,
            subject=f"Return to approve: {contract.reference}",
            body=f"{contract.organisation} sent the return for {ret.period_start:%B %Y}, claiming "
            f"£{amount_claimed:,.2f}.\n\n{absolute(ret.authority, 'contracts:detail', contract.pk)}\n",
            why=f"as a commissioner at {ret.authority.name}, you approve providers' returns",
            authority=ret.authority,
        )
    return ret


@transaction.atomic(durable=True)
def return_decide(*, contract_return: ContractReturn, decided_by, approve: bool, reason: str = "") -> ContractReturn:
    ret = (
        ContractReturn.objects.select_for_update(of=("self",))
        .select_related("contract__organisation")
        .get(pk=contract_return.pk)
    )
    contract = Contract.objects.select_for_update().get(pk=ret.contract_id)
    if ret.status != ContractReturn.Status.SUBMITTED:
        raise NotAllowed("Only a submitted return can be approved or queried.")
    if not approve and not reason.strip():
        raise NotAllowed("Say what needs correcting, so the provider can put it right.")
    if approve and (left := contract.value - paid_so_far(contract)) < ret.amount_claimed:
        raise NotAllowed(f"Paying this would exceed the contract's value (£{left:,.2f} left): vary the contract first.")
    ret.status = ContractReturn.Status.APPROVED if approve else ContractReturn.Status.QUERIED
    ret.decided_at, ret.decided_by, ret.query_reason = timezone.now(), decided_by, reason.strip()
    ret.save(update_fields=["status", "decided_at", "decided_by", "query_reason"])
    if approve and ret.amount_claimed > 0:
        Payment.objects.create(
            authority=ret.authority,
            contract=contract,
            contract_return=ret,
            kind=Payment.Kind.RETURN,
            amount=ret.amount_claimed,
            paid_on=timezone.localdate(),
            approved_by=decided_by,
            description=f"Return for {ret.period_start:%-d %B} to {ret.period_end:%-d %B %Y}",
        )
    audit_record(
        authority=ret.authority,
        actor=decided_by,
        action=Audit.CONTRACTS_RETURN_DECIDED,
        target=ret,
        summary=f"Return for {contract.reference}, {ret.period_start:%B %Y}: "
        + ("approved and paid" if approve else f"queried: {reason.strip()}"),
    )
    _tell_provider(
        ret,
        f"Return {'approved' if approve else 'queried'}: {contract.reference}",
        (
            f"Your return for {ret.period_start:%B %Y} is approved: £{ret.amount_claimed:,.2f} will be paid.\n"
            if approve
            else f"Your return for {ret.period_start:%B %Y} needs correcting: {reason.strip()}\n"
        ),
    )
    return ret


def payment_record(
    *, contract: Contract, kind: str, amount: Decimal, description: str, approved_by, idempotency_key: str = ""
) -> Payment:
    """Milestone, set-up and quality-linked payments (returns pay through return_decide). The
    page's key makes a retried submission return the payment it made, not pay again."""
    return once(
        lambda: _payment_record(
            contract=contract,
            kind=kind,
            amount=amount,
            description=description,
            approved_by=approved_by,
            idempotency_key=idempotency_key,
        ),
        done_before=lambda: _paid_with(approved_by, idempotency_key),
    )


@transaction.atomic(durable=True)
def _payment_record(*, contract, kind, amount, description, approved_by, idempotency_key) -> Payment:
    return _pay(
        contract=contract,
        kind=kind,
        amount=amount,
        description=description,
        approved_by=approved_by,
        idempotency_key=idempotency_key,
    )


def _paid_with(approved_by, idempotency_key: str) -> Payment | None:
    if not idempotency_key:
        return None
    return Payment.objects.filter(approved_by=approved_by, idempotency_key=idempotency_key).first()


@transaction.atomic(durable=True)
def milestone_add(*, contract: Contract, title: str, due_on: dt.date, amount: Decimal, added_by) -> Milestone:
    if not title.strip():
        raise NotAllowed("Say what the milestone is.")
    if amount is None or amount <= 0:
        raise NotAllowed("Give the milestone's payment in pounds.")
    planned = contract.milestones.filter(payment__isnull=True).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if planned + amount > contract.value - paid_so_far(contract):
        raise NotAllowed("The milestones would come to more than is left on the contract.")
    milestone = Milestone.objects.create(
        authority=contract.authority, contract=contract, title=title.strip(), due_on=due_on, amount=amount
    )
    audit_record(
        authority=contract.authority,
        actor=added_by,
        action=Audit.CONTRACTS_MILESTONE,
        target=milestone,
        summary=f"{contract.reference}: milestone '{milestone.title}' £{amount:,.2f} due {due_on:%-d %B %Y}",
    )
    return milestone


def milestone_pay(*, milestone: Milestone, approved_by, idempotency_key: str = "") -> Payment:
    """A retried submission with the same key returns the payment, not "already paid"."""
    return once(
        lambda: _milestone_pay(milestone=milestone, approved_by=approved_by, idempotency_key=idempotency_key),
        done_before=lambda: _paid_with(approved_by, idempotency_key),
    )


@transaction.atomic(durable=True)
def _milestone_pay(*, milestone: Milestone, approved_by, idempotency_key: str) -> Payment:
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if (earlier := _paid_with(approved_by, idempotency_key)) is not None:
        return earlier  # the same submission, paid while this one waited for the lock
    if milestone.payment_id:
        raise NotAllowed("This milestone is already paid.")
    payment = _pay(
        contract=milestone.contract,
        kind=Payment.Kind.MILESTONE,
        amount=milestone.amount,
        description=f"Milestone met: {milestone.title}",
        approved_by=approved_by,
        idempotency_key=idempotency_key,
    )
    milestone.payment = payment
    milestone.save(update_fields=["payment"])
    return payment


def _pay(
    *, contract: Contract, kind: str, amount: Decimal, description: str, approved_by, idempotency_key: str = ""
) -> Payment:
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if (earlier := _paid_with(approved_by, idempotency_key)) is not None:
        return earlier  # the same submission, paid while this one waited for the lock
    if kind not in (Payment.Kind.MILESTONE, Payment.Kind.SET_UP, Payment.Kind.QUALITY):
        raise NotAllowed("Choose a milestone, set-up or quality-linked payment.")
    if contract.status != Contract.Status.ACTIVE:
        raise NotAllowed("Payments are made only under an active contract.")
    if amount <= 0:
        raise NotAllowed("Give an amount of more than £0.")
    if not description.strip():
        raise NotAllowed("Say what the payment is for.")
    if (left := contract.value - paid_so_far(contract)) < amount:
        raise NotAllowed(f"That is more than is left on the contract (£{left:,.2f}).")
    payment = Payment.objects.create(
        authority=contract.authority,
        contract=contract,
        kind=kind,
        amount=amount,
        description=description.strip(),
        paid_on=timezone.localdate(),
        approved_by=approved_by,
        idempotency_key=idempotency_key,
    )
    audit_record(
        authority=contract.authority,
        actor=approved_by,
        action=Audit.CONTRACTS_PAYMENT,
        target=payment,
        summary=f"{payment.get_kind_display()} of £{amount:,.2f} under {contract.reference}",
    )
    return payment


@transaction.atomic(durable=True)
def kpi_set(*, contract: Contract, measure: str, target: Decimal, set_by) -> KPI:
    if measure not in KPI.Measure.values:
        raise NotAllowed("Choose what the KPI measures.")
    if target < 0 or (measure == KPI.Measure.ATTENDANCE and target > 100):
        raise NotAllowed("Give a target of at least 0 (attendance as a percentage up to 100).")
    kpi, _ = KPI.objects.update_or_create(
        contract=contract, measure=measure, defaults={"authority": contract.authority, "target": target}
    )
    audit_record(
        authority=contract.authority,
        actor=set_by,
        action=Audit.CONTRACTS_KPI,
        target=kpi,
        summary=f"{contract.reference}: {kpi.get_measure_display()} target {target}",
    )
    return kpi
