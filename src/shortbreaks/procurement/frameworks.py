"""Frameworks (and block contracts): the award appoints the best-ranked bids on each lot (up to
the lot's number of providers) as members; later the council calls off, directly on the
framework's terms or by a mini-competition on price among the lot's members, re-ranked with
their framework quality. For a block contract, call-offs buy volume beyond the guaranteed
minimum from the lot's block providers."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.tasks import email_after_commit

from .evaluation import lot_results, price_marks
from .models import CallOff, CallOffBid, Lot, Membership, Opportunity


def appoint_members(*, lot: Lot, results, decided_by) -> list[Membership]:
    """Inside award_decide's transaction, for a framework: the top-ranked bids join."""
    ranked = [r for r in results if r.rank][:max(1, lot.max_providers)]
    now = timezone.now()
    return [Membership.objects.create(authority=lot.authority, opportunity=lot.opportunity, lot=lot,
                                      organisation=r.submission.organisation, submission=r.submission,
                                      status=Membership.Status.ADMITTED, decided_by=decided_by, decided_at=now,
                                      reasons=f"Ranked {r.rank} with {r.total} out of 100")
            for r in ranked]


def members(lot: Lot):
    return Membership.objects.filter(lot=lot, status=Membership.Status.ADMITTED).select_related("organisation")


@transaction.atomic(durable=True)
def call_off_create(*, framework: Opportunity, lot: Lot, title: str, description: str, method: str,
                    justification: str, deadline: dt.datetime | None, created_by) -> CallOff:
    if framework.route not in (Opportunity.Route.FRAMEWORK, Opportunity.Route.BLOCK) \
            or framework.status != Opportunity.Status.AWARDED:
        raise NotAllowed("Call off only from an awarded framework, or for extra volume from awarded block contracts.")
    if lot.opportunity_id != framework.pk:
        raise NotAllowed("That lot is not part of the framework.")
    if not members(lot).exists():
        raise NotAllowed(f"Lot {lot.number} has no members to call off from.")
    if method == CallOff.Method.DIRECT and not justification.strip():
        raise NotAllowed("Say why a direct award is right (for example, the framework's ranking or the family's choice).")
    if method == CallOff.Method.MINI and (deadline is None or deadline <= timezone.now()):
        raise NotAllowed("Give the mini-competition a deadline in the future.")
    call_off = CallOff.objects.create(authority=framework.authority, framework=framework, lot=lot, title=title,
                                      description=description, method=method, justification=justification.strip(),
                                      deadline=deadline if method == CallOff.Method.MINI else None,
                                      created_by=created_by)
    audit_record(authority=framework.authority, actor=created_by, action="procurement.call_off", target=call_off,
                 summary=f"Call-off {title} under {framework.reference} lot {lot.number} ({call_off.get_method_display()})")
    if method == CallOff.Method.MINI:
        for membership in members(lot):
            email_after_commit(to=[membership.organisation.email], subject=f"Mini-competition: {title}",
                               body=f"As a member of {framework.reference} lot {lot.number}, you are invited to price "
                                    f"{title} by {timezone.localtime(deadline):%d %B %Y %H:%M}.\n")
    return call_off


@transaction.atomic(durable=True)
def call_off_bid(*, call_off: CallOff, organisation, price: Decimal, submitted_by) -> CallOffBid:
    call_off = CallOff.objects.select_for_update().get(pk=call_off.pk)
    if call_off.method != CallOff.Method.MINI or call_off.status != CallOff.Status.OPEN \
            or timezone.now() >= call_off.deadline:
        raise NotAllowed("This mini-competition is not taking prices.")
    if not members(call_off.lot).filter(organisation=organisation).exists():
        raise NotAllowed("Only members of the framework lot can price this call-off.")
    if price <= 0:
        raise NotAllowed("Give a price of more than £0.")
    bid, _ = CallOffBid.objects.update_or_create(call_off=call_off, organisation=organisation,
                                                 defaults={"authority": call_off.authority, "price": price})
    audit_record(authority=call_off.authority, actor=submitted_by, action="procurement.call_off_bid", target=bid,
                 summary=f"A price was received for {call_off.title}")
    return bid


def mini_competition_ranking(call_off: CallOff) -> list[tuple]:
    """(organisation, price, total) best first: framework quality x quality weight + lowest
    price / price x price weight. Only after the deadline: prices are sealed until then."""
    if call_off.deadline and timezone.now() < call_off.deadline:
        return []
    framework = call_off.framework
    quality = {r.submission.organisation_id: r.quality for r in lot_results(call_off.lot)}
    bids = list(call_off.bids.select_related("organisation"))
    if not bids:
        return []
    lowest = min(b.price for b in bids)
    ranked = []
    for bid in bids:
        total = (quality.get(bid.organisation_id, Decimal("0")) * framework.quality_weight
                 + price_marks(framework, lowest, bid.price) * framework.price_weight) / 100
        ranked.append((bid.organisation, bid.price, total.quantize(Decimal("0.01"))))
    return sorted(ranked, key=lambda row: -row[2])


@transaction.atomic(durable=True)
def call_off_award(*, call_off: CallOff, decided_by, organisation=None, price: Decimal | None = None) -> CallOff:
    """Direct: to the member named, at the price named. Mini-competition: to the best ranked."""
    call_off = CallOff.objects.select_for_update().select_related("framework", "lot").get(pk=call_off.pk)
    if call_off.status != CallOff.Status.OPEN:
        raise NotAllowed("This call-off is already awarded.")
    if call_off.method == CallOff.Method.MINI:
        ranking = mini_competition_ranking(call_off)
        if not ranking:
            raise NotAllowed("Award after the deadline, once prices are in.")
        organisation, price, _ = ranking[0]
    elif organisation is None or not members(call_off.lot).filter(organisation=organisation).exists():
        raise NotAllowed("Choose a member of the framework lot.")
    elif price is None or price <= 0:
        raise NotAllowed("Give the price agreed on the framework's terms.")
    call_off.status, call_off.awarded_to, call_off.awarded_price = CallOff.Status.AWARDED, organisation, price
    call_off.save(update_fields=["status", "awarded_to", "awarded_price"])
    from shortbreaks.contracts.services import call_off_contract  # contracts builds on procurement

    call_off_contract(call_off=call_off, offered_by=decided_by)
    audit_record(authority=call_off.authority, actor=decided_by, action="procurement.call_off_awarded", target=call_off,
                 summary=f"{call_off.title} awarded to {organisation} at £{price:,.2f}")
    email_after_commit(to=[organisation.email], subject=f"Call-off awarded: {call_off.title}",
                       body=f"You have been awarded {call_off.title} under {call_off.framework.reference} at £{price:,.2f}.\n")
    return call_off
