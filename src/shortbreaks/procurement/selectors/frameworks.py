"""Reads for frameworks and call-offs: a lot's members (the providers admitted to it: the one
definition every page, form and service uses), the call-offs open to a provider as a member,
a mini-competition's ranking (through the sealing rule: nothing before the deadline) and what
a call-off's page shows. Contracts' award view shows the same page again when an award fails."""

import datetime as dt
from decimal import Decimal

from django.db.models import Max, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from shortbreaks.core.models import Authority
from shortbreaks.directory.models import Organisation

from ..models import Award, CallOff, Lot, Membership, Opportunity
from ..routes import routes_where
from ..scoring import lot_results, price_marks
from .sealing import call_off_bid_count, call_off_prices, call_off_sealed


def members(lot: Lot) -> QuerySet[Membership]:
    return Membership.objects.filter(lot=lot, status=Membership.Status.ADMITTED).select_related("organisation")


def standstill_until(lots, today: dt.date) -> dt.date | None:
    """The last day of the standstill period of these framework lots' awards, while it runs:
    no call-off (the council's or a family's) until the day after. None once it has passed."""
    ends = Award.objects.filter(lot__in=lots, status=Award.Status.STANDSTILL).aggregate(end=Max("standstill_ends_on"))
    return ends["end"] if ends["end"] and ends["end"] >= today else None


def call_off_blocked(framework: Opportunity, today: dt.date) -> str:
    """Why the framework's page offers no call-off form yet, or "" if it may: the same rules
    call_off_create refuses with, said before anyone fills the form in."""
    lots = framework.lots.all()
    if until := standstill_until(lots, today):
        return (
            f"Call-offs can start on {until + dt.timedelta(days=1):%-d %B %Y}, once the standstill period "
            f"(until {until:%-d %B %Y}) has passed without a challenge."
        )
    if not Membership.objects.filter(lot__in=lots, status=Membership.Status.ADMITTED).exists():
        return "There is nothing to call off from yet: no lot has providers appointed to it."
    return ""


def member_organisations(lot: Lot) -> QuerySet[Organisation]:
    """The organisations a call-off on the lot may go to (each once, however it joined)."""
    return Organisation.objects.filter(pk__in=members(lot).values("organisation")).order_by("name")


def member_call_offs(organisations) -> QuerySet[CallOff]:
    """Call-offs on the lots these organisations are members of (one membership, so the
    organisation and the status are matched on the same row)."""
    return CallOff.objects.filter(
        lot__memberships__organisation__in=organisations, lot__memberships__status=Membership.Status.ADMITTED
    ).distinct()


def mini_competition_ranking(call_off: CallOff) -> list[tuple]:
    """(organisation, price, total) best first: framework quality x quality weight + lowest
    price / price x price weight. Only after the deadline: prices are sealed until then."""
    framework = call_off.framework
    quality = {r.submission.organisation_id: r.quality for r in lot_results(call_off.lot)}
    bids = call_off_prices(call_off)  # none before the deadline
    if not bids:
        return []
    lowest = min(b.price for b in bids)
    ranked = []
    for bid in bids:
        total = (
            quality.get(bid.organisation_id, Decimal("0")) * framework.quality_weight
            + price_marks(framework, lowest, bid.price) * framework.price_weight
        ) / 100
        ranked.append((bid.organisation, bid.price, total.quantize(Decimal("0.01"))))
    return sorted(ranked, key=lambda row: -row[2])


def buyer_call_off(*, authority: Authority, pk) -> CallOff:
    """A call-off of the council buying (a 404 for another's)."""
    return get_object_or_404(
        CallOff.objects.select_related("framework", "lot", "awarded_to"), pk=pk, authority=authority
    )


def call_off_page(call_off: CallOff) -> dict:
    """What the council's call-off page shows, beside its award form."""
    return {
        "call_off": call_off,
        "ranking": mini_competition_ranking(call_off),
        "sealed": call_off_sealed(call_off),
        # Sealed means not even how many: the count is shown only once the deadline passes.
        "bid_count": call_off_bid_count(call_off),
    }


def family_frameworks(authority):
    """Awarded frameworks with members, whose lots families may call off from."""
    return (
        Lot.objects.filter(
            Q(authority=authority) | Q(opportunity__joint__participants__authority=authority),
            opportunity__route__in=routes_where(family_call_offs=True),
            opportunity__status=Opportunity.Status.AWARDED,
            opportunity__reopening_of__isnull=True,
            memberships__status=Membership.Status.ADMITTED,
        )
        .distinct()
        .select_related("opportunity")
        # The page offers each lot's members only.
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(status=Membership.Status.ADMITTED).select_related("organisation"),
                to_attr="members",
            )
        )
    )
