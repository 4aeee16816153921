"""Ratings of a contract's returns against its KPIs, and the yearly summary. Bands come from the
authority's monitoring policy: on target is good; short by up to `approaching_within_percent`
is approaching target; by up to `improvement_within_percent` requires improvement; beyond that,
inadequate. For incidents and complaints (lower is better) the shortfall is the excess over
the target, measured against the target or 1, whichever is larger."""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Subquery, Sum

from shortbreaks.core.years import financial_year

from ..models import KPI, Contract, ContractReturn, MonitoringPolicy
from . import policy_for

RATINGS = ["good", "approaching", "requires_improvement", "inadequate"]
LABELS = {
    "good": "Good",
    "approaching": "Approaching target",
    "requires_improvement": "Requires improvement",
    "inadequate": "Inadequate",
}


def actual(kpi: KPI, ret: ContractReturn) -> Decimal | None:
    return {
        KPI.Measure.ATTENDANCE: ret.attendance_percent,
        KPI.Measure.SESSIONS: Decimal(ret.sessions_delivered),
        KPI.Measure.HOURS: ret.hours_delivered,
        KPI.Measure.INCIDENTS: Decimal(ret.incidents),
        KPI.Measure.COMPLAINTS: Decimal(ret.complaints),
    }[kpi.measure]


def rating(kpi: KPI, value: Decimal | None, policy: MonitoringPolicy) -> str | None:
    if value is None:
        return None
    if kpi.measure in KPI.LOWER_IS_BETTER:
        short = (value - kpi.target) * 100 / max(kpi.target, Decimal(1))
    else:
        short = (kpi.target - value) * 100 / kpi.target if kpi.target else Decimal(0)
    if short <= 0:
        return "good"
    if short <= policy.approaching_within_percent:
        return "approaching"
    if short <= policy.improvement_within_percent:
        return "requires_improvement"
    return "inadequate"


@dataclass
class ReturnRating:
    ret: ContractReturn
    rows: list  # (kpi, actual, rating)
    overall: str | None  # the worst KPI's rating

    @property
    def label(self) -> str:
        return LABELS.get(self.overall, "")


def rate_return(ret: ContractReturn, kpis: list[KPI], policy: MonitoringPolicy) -> ReturnRating:
    rows = [(kpi, value, rating(kpi, value, policy)) for kpi in kpis for value in [actual(kpi, ret)]]
    rated = [r for _, _, r in rows if r]
    return ReturnRating(ret, rows, max(rated, key=RATINGS.index) if rated else None)


def latest_ratings(contracts: list[Contract], policy: MonitoringPolicy) -> dict:
    """Each contract's newest approved return, rated against its KPIs: {contract id: ReturnRating}.
    The newest return per contract is picked in the database."""
    newest = (
        ContractReturn.objects.filter(contract=OuterRef("contract"), status=ContractReturn.Status.APPROVED)
        .order_by("-period_start")
        .values("pk")[:1]
    )
    returns = ContractReturn.objects.filter(
        contract__in=contracts, status=ContractReturn.Status.APPROVED, pk=Subquery(newest)
    )
    kpis = {contract.pk: list(contract.kpis.all()) for contract in contracts}
    return {ret.contract_id: rate_return(ret, kpis[ret.contract_id], policy) for ret in returns}


def yearly_summary(contract: Contract, year: int, policy: MonitoringPolicy) -> dict:
    """The financial year's approved returns: totals, how many periods had each rating, and the
    payments made."""
    start, end = financial_year(year)
    returns = list(contract.returns.filter(status=ContractReturn.Status.APPROVED, period_start__range=(start, end)))
    kpis = list(contract.kpis.all())
    ratings = Counter(r.overall for r in (rate_return(ret, kpis, policy) for ret in returns) if r.overall)
    totals = {
        name: sum(getattr(r, name) for r in returns)
        for name in (
            "sessions_delivered",
            "places_booked",
            "attended",
            "cancellations",
            "hours_delivered",
            "incidents",
            "complaints",
        )
    }
    paid = contract.payments.filter(paid_on__range=(start, end)).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return {
        "year": year,
        "label": f"{year} to {year + 1}",
        "periods": len(returns),
        "totals": totals,
        "paid": paid,
        "ratings": [(LABELS[r], ratings.get(r, 0)) for r in RATINGS],
        # The year's rating: the commonest, the worse of two equally common.
        "overall": LABELS[max(ratings, key=lambda r: (ratings[r], RATINGS.index(r)))] if ratings else None,
    }


def rated_returns(contract: Contract) -> tuple[list[ReturnRating], MonitoringPolicy]:
    """Every return of the contract, rated, with the policy that rated them (the contract's pages)."""
    policy, kpis = policy_for(contract.authority), list(contract.kpis.all())
    returns = list(contract.returns.select_related("payment"))
    return [rate_return(ret, kpis, policy) for ret in returns], policy
