"""Call-offs under a framework: the council creates them and sees each one's page; the lot's
members price mini-competitions (each sees only its own price until the deadline; the council
sees none). The award is contracts' (contracts/views/calloffs.py): it offers the contract."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role
from shortbreaks.directory.selectors.listings import organisations_for

from ..forms.calloffs import CallOffAwardForm, CallOffBidForm, CallOffForm
from ..models import CallOff, Opportunity
from ..selectors.frameworks import buyer_call_off, call_off_page, member_call_offs, members
from ..selectors.sealing import own_call_off_bid
from ..services import call_off_bid, call_off_create
from .staff import BUYERS, manage_page, managed


def create_from_form(request, form: CallOffForm, framework: Opportunity) -> CallOff | None:
    """The call-off form (procurement/_call_off_form.html), for the framework's own authority or
    a participant in a joint arrangement (request.authority buys); None, with the reason on
    the form, if refused."""
    if not form.is_valid():
        return None
    try:
        return call_off_create(
            framework=framework, authority=request.authority, created_by=request.user, **form.cleaned_data
        )
    except ServiceError as error:
        form.add_error(None, error.message)
        return None


@roles(*BUYERS)
def create(request, opportunity_id):
    framework = managed(request, opportunity_id)
    if request.method != "POST":
        return redirect("procurement:manage", framework.pk)
    form = CallOffForm(request.POST, framework=framework)
    call_off = create_from_form(request, form, framework)
    if call_off is None:
        return manage_page(request, framework, failed=form, failed_name="call_off_form", status=400)
    messages.success(request, "Call-off created.")
    return redirect("procurement:call-off", call_off.pk)


@roles(*BUYERS)
@require_safe
def detail(request, call_off_id):
    call_off = buyer_call_off(authority=request.authority, pk=call_off_id)
    return render(
        request, "procurement/call_off.html", call_off_page(call_off) | {"form": CallOffAwardForm(call_off=call_off)}
    )


@roles(Role.PROVIDER)
def price(request, call_off_id):
    organisations = organisations_for(user=request.user, authority=request.authority)
    # Providers price on the framework's (lead authority's) site, whoever is buying.
    call_off = get_object_or_404(
        member_call_offs(organisations).select_related("framework", "lot"),
        pk=call_off_id,
        framework__authority=request.authority,
        method=CallOff.Method.MINI,
    )
    membership = members(call_off.lot).filter(organisation__in=organisations).first()
    if membership is None:
        raise Http404("Not a member of this lot.")
    organisation = membership.organisation
    mine = own_call_off_bid(call_off, organisation)
    form = CallOffBidForm(request.POST if request.method == "POST" else None, mine=mine)
    if request.method == "POST" and form.is_valid():
        try:
            call_off_bid(
                call_off=call_off,
                organisation=organisation,
                price=form.cleaned_data["price"],
                submitted_by=request.user,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Price received. Nobody at the council sees it before the deadline.")
            return redirect("procurement:call-off-price", call_off.pk)
    return render(
        request,
        "procurement/call_off_price.html",
        {"call_off": call_off, "mine": mine, "open": timezone.now() < call_off.deadline, "form": form},
        status=400 if form.is_bound else 200,
    )
