"""Contracts: a provider sees and answers its own offers; commissioners see the authority's
contracts and confirm awards whose standstill has passed."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from shortbreaks.accounts.roles import Role
from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.directory.selectors.listings import organisations_for
from shortbreaks.procurement.models import Award

from .models import Contract
from .services import award_confirm, contract_answer


@roles(Role.PROVIDER)
def mine(request):
    organisations = organisations_for(user=request.user, authority=request.authority)
    if request.method == "POST":
        contract = get_object_or_404(Contract, pk=request.POST.get("contract"), organisation__in=organisations)
        try:
            contract_answer(contract=contract, answered_by=request.user, accept=request.POST.get("action") == "accept",
                            reason=request.POST.get("reason", "")[:1000])
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Your answer is recorded.")
        return redirect("contracts:mine")
    return render(request, "contracts/mine.html", {
        "contracts": Contract.objects.filter(authority=request.authority, organisation__in=organisations)})


@roles(Role.COMMISSIONER, Role.PROCUREMENT_OFFICER)
def listing(request):
    if request.method == "POST":
        award = get_object_or_404(Award, pk=request.POST.get("award"), authority=request.authority)
        try:
            award_confirm(award=award, confirmed_by=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Award confirmed; the contract is offered to the provider.")
        return redirect("contracts:list")
    return render(request, "contracts/list.html", {
        "contracts": Contract.objects.filter(authority=request.authority).select_related("organisation"),
        "awards": Award.objects.filter(authority=request.authority, status=Award.Status.STANDSTILL)
        .select_related("lot__opportunity", "submission__organisation"),
    })
