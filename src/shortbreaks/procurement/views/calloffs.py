"""Call-offs under a framework: the council creates and awards them; the lot's members price
mini-competitions (each sees only its own price until the deadline; the council sees none)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.forms import parse_datetime, parse_pounds
from shortbreaks.core.lookups import object_or_404, valid_pk
from shortbreaks.core.roles import Role
from shortbreaks.directory.models import Organisation
from shortbreaks.directory.selectors.listings import organisations_for

from ..models import CallOff, Lot, Opportunity
from ..selectors.sealing import call_off_bid_count, call_off_sealed, own_call_off_bid
from ..services import call_off_award, call_off_bid, call_off_create, members, mini_competition_ranking
from .staff import BUYERS


@roles(*BUYERS)
def create(request, opportunity_id):
    framework = get_object_or_404(Opportunity, pk=opportunity_id, authority=request.authority)
    if request.method == "POST":
        call_off = create_from_form(request, framework, authority=request.authority)
        if call_off:
            messages.success(request, "Call-off created.")
            return redirect("procurement:call-off", call_off.pk)
    return redirect("procurement:manage", framework.pk)


def create_from_form(request, framework: Opportunity, *, authority) -> CallOff | None:
    """The call-off form (procurement/_call_off_form.html), for the framework's own authority or
    a participant in a joint arrangement; None, with the reason shown, if refused."""
    lot = object_or_404(Lot, request.POST.get("lot"), opportunity=framework)
    try:
        return call_off_create(
            framework=framework,
            lot=lot,
            authority=authority,
            title=request.POST.get("title", "")[:200].strip(),
            description=request.POST.get("description", "")[:4000],
            method=request.POST.get("method", ""),
            justification=request.POST.get("justification", "")[:4000],
            deadline=parse_datetime(request.POST.get("deadline", "")),
            created_by=request.user,
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return None


@roles(*BUYERS)
def detail(request, call_off_id):
    call_off = get_object_or_404(
        CallOff.objects.select_related("framework", "lot", "awarded_to"), pk=call_off_id, authority=request.authority
    )
    if request.method == "POST":
        try:
            # A member of the lot (of the lead authority's providers, for a joint framework).
            organisation = (
                Organisation.objects.filter(
                    pk=valid_pk(Organisation, request.POST.get("organisation")), memberships__lot=call_off.lot
                ).first()
                if call_off.method == CallOff.Method.DIRECT
                else None
            )
            price = (
                parse_pounds(request.POST.get("price", ""), required=True)
                if call_off.method == CallOff.Method.DIRECT
                else None
            )
            call_off_award(call_off=call_off, decided_by=request.user, organisation=organisation, price=price)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Call-off awarded and the provider told.")
        return redirect("procurement:call-off", call_off.pk)
    sealed = call_off_sealed(call_off)
    return render(
        request,
        "procurement/call_off.html",
        {
            "call_off": call_off,
            "members": members(call_off.lot),
            "ranking": mini_competition_ranking(call_off),
            "sealed": sealed,
            # Sealed means not even how many: the count is shown only once the deadline passes.
            "bid_count": call_off_bid_count(call_off),
        },
    )


@roles(Role.PROVIDER)
def price(request, call_off_id):
    organisations = organisations_for(user=request.user, authority=request.authority)
    # Providers price on the framework's (lead authority's) site, whoever is buying.
    call_off = get_object_or_404(
        CallOff.objects.select_related("framework", "lot").distinct(),
        pk=call_off_id,
        framework__authority=request.authority,
        lot__memberships__organisation__in=organisations,
        lot__memberships__status="admitted",
        method=CallOff.Method.MINI,
    )
    organisation = members(call_off.lot).filter(organisation__in=organisations).first().organisation
    if request.method == "POST":
        try:
            call_off_bid(
                call_off=call_off,
                organisation=organisation,
                price=parse_pounds(request.POST.get("price", ""), required=True),
                submitted_by=request.user,
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Price received. Nobody at the council sees it before the deadline.")
        return redirect("procurement:call-off-price", call_off.pk)
    mine = own_call_off_bid(call_off, organisation)
    return render(
        request,
        "procurement/call_off_price.html",
        {"call_off": call_off, "mine": mine, "open": timezone.now() < call_off.deadline},
    )
