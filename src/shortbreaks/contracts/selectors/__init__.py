"""Reads for contracts: the budget's figures (never typed in: from contracts, payments and the
ledger), block contracts' use month by month, and what providers and the public may see of
feedback."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from shortbreaks.bookings.models import Booking
from shortbreaks.bookings.models.bookings import CHARGED
from shortbreaks.bookings.selectors.hours import session_hours
from shortbreaks.core.years import financial_year
from shortbreaks.families.models import LedgerEntry
from shortbreaks.procurement.models import ProcurementDocument

from ..models import BudgetLine, Contract, Feedback, MonitoringPolicy, Payment
from ..models.feedback import OUTCOMES

PENNY = Decimal("0.01")
COUNCIL_MONEY = [LedgerEntry.Kind.ALLOCATION_GRANTED, LedgerEntry.Kind.TOP_UP, LedgerEntry.Kind.CLAWBACK]


def policy_for(authority) -> MonitoringPolicy:
    """The newest version is in force. Made with the authority (receivers.py); reading never
    writes: an authority without one (none should be) reads the defaults."""
    return MonitoringPolicy.objects.filter(authority=authority).first() or MonitoringPolicy(
        authority=authority, version=1
    )


@dataclass
class BudgetFigures:
    kind: str
    label: str
    budget: Decimal
    committed: Decimal
    spent: Decimal

    @property
    def forecast(self) -> Decimal:
        """Forecast outturn: what is committed for the year, or what is spent if more."""
        return max(self.committed, self.spent)

    @property
    def variance(self) -> Decimal:
        return self.budget - self.forecast


def in_year_share(contract: Contract, start: dt.date, end: dt.date) -> Decimal:
    """The part of a contract's value falling in a period, by days."""
    days = (contract.ends_on - contract.starts_on).days + 1
    overlap = (min(contract.ends_on, end) - max(contract.starts_on, start)).days + 1
    return (contract.value * max(overlap, 0) / days).quantize(PENNY)


def budget_figures(*, authority, year: int) -> list[BudgetFigures]:
    start, end = financial_year(year)
    budgets = dict(BudgetLine.objects.filter(authority=authority, year=year).values_list("kind", "amount"))
    contracts = Contract.objects.filter(
        authority=authority, status=Contract.Status.ACTIVE, starts_on__lte=end, ends_on__gte=start
    ).only("kind", "value", "starts_on", "ends_on")
    committed = {"procured": Decimal(0), "grants": Decimal(0)}
    for contract in contracts:
        committed["grants" if contract.kind == Contract.Kind.GRANT else "procured"] += in_year_share(
            contract, start, end
        )
    paid = Payment.objects.filter(authority=authority, paid_on__range=(start, end)).aggregate(
        grants=Sum("amount", filter=Q(contract__kind=Contract.Kind.GRANT)),
        procured=Sum("amount", filter=~Q(contract__kind=Contract.Kind.GRANT)),
    )
    ledger = LedgerEntry.objects.filter(authority=authority, created_at__date__range=(start, end)).aggregate(
        promised=Sum(
            "delta_available",
            filter=Q(kind__in=COUNCIL_MONEY) | Q(kind=LedgerEntry.Kind.REVERSAL, reverses__kind__in=COUNCIL_MONEY),
        ),
        spent=Sum("delta_spent"),
    )
    zero = Decimal(0)
    return [
        BudgetFigures(
            "procured",
            BudgetLine.Kind.PROCURED.label,
            budgets.get("procured", zero),
            committed["procured"],
            paid["procured"] or zero,
        ),
        BudgetFigures(
            "direct_payments",
            BudgetLine.Kind.DIRECT_PAYMENTS.label,
            budgets.get("direct_payments", zero),
            ledger["promised"] or zero,
            ledger["spent"] or zero,
        ),
        BudgetFigures(
            "grants",
            BudgetLine.Kind.GRANTS.label,
            budgets.get("grants", zero),
            committed["grants"],
            paid["grants"] or zero,
        ),
    ]


# Block use is counted in one unit everywhere (the guarantee, its use and the providers'
# returns): place-hours, one child for one hour. A 3-hour session with 6 children is 18.
UNIT = "place-hours"


@dataclass
class MonthUse:
    month: dt.date
    guaranteed: Decimal  # the guaranteed place-hours' share for the month
    used: Decimal  # place-hours booked (charged places x session hours)
    cumulative_guaranteed: Decimal
    cumulative_used: Decimal
    behind_below: Decimal  # the share of the guarantee below which use is behind (the policy's)

    @property
    def behind(self) -> bool:
        """Use so far this contract running behind the policy's share of the guarantee."""
        return self.cumulative_used < self.cumulative_guaranteed * self.behind_below


def block_use(contract: Contract, today: dt.date, policy: MonitoringPolicy | None = None) -> list[MonthUse]:
    """Month by month from the contract's start to this month: the guaranteed volume (hours a
    year, spread evenly) against the hours used on the contract's services. `policy` saves a
    query when the caller has the authority's policy in force already."""
    if not contract.guaranteed_hours:
        return []
    behind_below = Decimal((policy or policy_for(contract.authority)).block_behind_below_percent) / 100
    used = (
        Booking.objects.filter(
            session__service__in=contract.services.all(),
            status__in=CHARGED,
            session__date__range=(contract.starts_on, min(today, contract.ends_on)),
        )
        .annotate(month=TruncMonth("session__date"))
        .values_list("month")
        .annotate(hours=Sum(session_hours("session__")))
    )
    hours = {month: Decimal(str(total)) for month, total in used}
    monthly = Decimal(contract.guaranteed_hours) / 12
    rows, month, total_g, total_u = [], contract.starts_on.replace(day=1), Decimal(0), Decimal(0)
    while month <= min(today, contract.ends_on):
        total_g, total_u = total_g + monthly, total_u + hours.get(month, Decimal(0))
        rows.append(
            MonthUse(
                month,
                monthly.quantize(PENNY),
                hours.get(month, Decimal(0)).quantize(PENNY),
                total_g.quantize(PENNY),
                total_u.quantize(PENNY),
                behind_below,
            )
        )
        month += relativedelta(months=1)
    return rows


def offer_documents(contract: Contract):
    """What the provider reads with a contract: its opportunity's own documents and those of
    the provider's own bid (never another bidder's)."""
    if contract.opportunity_id is None:
        return ProcurementDocument.objects.none()
    return ProcurementDocument.objects.filter(opportunity_id=contract.opportunity_id).filter(
        Q(submission__isnull=True) | Q(submission__organisation_id=contract.organisation_id)
    )


@dataclass
class BlockStanding:
    """Where a block contract's use stands today, in its current contract year: the guarantee
    pro rata to the day, against the place-hours used since the year began."""

    year_start: dt.date
    year_end: dt.date
    guaranteed_year: int
    expected: Decimal  # the guarantee's share up to today
    used: Decimal
    behind_below: Decimal

    @property
    def percent(self) -> int:
        return round(self.used * 100 / self.expected) if self.expected else 0

    @property
    def behind(self) -> bool:
        return self.used < self.expected * self.behind_below

    @property
    def ahead(self) -> bool:
        """Running ahead by as much as 'behind' allows below (the policy's margin, mirrored):
        at this rate the guarantee runs out before the year does."""
        return self.used > self.expected * (2 - self.behind_below)

    @property
    def over(self) -> bool:
        return self.used > self.guaranteed_year


def block_standing(contract: Contract, today: dt.date, policy: MonitoringPolicy | None = None) -> BlockStanding | None:
    if not contract.guaranteed_hours or today < contract.starts_on:
        return None
    today = min(today, contract.ends_on)
    years = relativedelta(today, contract.starts_on).years
    year_start = contract.starts_on + relativedelta(years=years)
    year_end = min(year_start + relativedelta(years=1) - dt.timedelta(days=1), contract.ends_on)
    length = (year_start + relativedelta(years=1) - year_start).days
    elapsed = (today - year_start).days + 1
    used = (
        Booking.objects.filter(
            session__service__in=contract.services.all(),
            status__in=CHARGED,
            session__date__range=(year_start, today),
        ).aggregate(hours=Sum(session_hours("session__")))["hours"]
        or 0
    )
    return BlockStanding(
        year_start,
        year_end,
        contract.guaranteed_hours,
        (Decimal(contract.guaranteed_hours) * elapsed / length).quantize(PENNY),
        Decimal(str(used)).quantize(PENNY),
        Decimal((policy or policy_for(contract.authority)).block_behind_below_percent) / 100,
    )


def provider_feedback(*, services):
    """What a provider sees: feedback on its own services, without the child's or the giver's
    identity, and never a safeguarding concern (the council handles those)."""
    return (
        Feedback.objects.filter(service__in=services)
        .exclude(felt_safe=Feedback.Safe.NO)
        .select_related("service")
        .defer("child", "given_by", "session")
    )


def public_reviews(service):
    return Feedback.objects.filter(service=service, review=Feedback.Review.PUBLISHED).only(
        "enjoyed", "comment", "reply", "created_at"
    )


def outcomes_for(feedback_qs) -> list[tuple[str, int, int]]:
    """Outcomes reported, as (label, said yes, answered): one aggregate query."""
    counts = feedback_qs.aggregate(
        **{f"{n}_yes": Count("pk", filter=Q(**{n: True})) for n in OUTCOMES},
        **{f"{n}_n": Count("pk", filter=Q(**{f"{n}__isnull": False})) for n in OUTCOMES},
    )
    return [(label, counts[f"{n}_yes"], counts[f"{n}_n"]) for n, label in OUTCOMES.items()]
