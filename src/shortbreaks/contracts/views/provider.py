"""The provider's contract pages (role provider, their own organisation's contracts only):
answering offers, each contract's returns, payments, ratings and visits, correcting a visit
report's facts, marking a plan's actions done and sending the monthly return. No child's
personal data is shown: returns and use are counts."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role
from shortbreaks.core.years import year_of
from shortbreaks.directory.selectors.listings import organisations_for

from ..forms.contracts import ActionDoneForm, AnswerForm, CorrectionsForm, ReturnForm
from ..models import Contract, ContractReturn
from ..selectors.ratings import rated_returns, yearly_summary
from ..services import contract_answer
from ..services.monitoring import paid_so_far, period_facts, return_submit
from ..services.quality import action_done, visit_correct


def _provider_contracts(request):
    organisations = organisations_for(user=request.user, authority=request.authority)
    # (Any authority's: a joint framework's participants contract with the lead's providers.)
    return Contract.objects.filter(organisation__in=organisations)


def _mine_page(request, failed=None, status=200):
    return render(
        request,
        "contracts/mine.html",
        {
            "contracts": _provider_contracts(request).select_related("organisation", "authority"),
            "failed": failed,
            "failed_row": failed.row_id if failed is not None else "",
        },
        status=status,
    )


@roles(Role.PROVIDER)
def mine(request):
    return _mine_page(request)


@roles(Role.PROVIDER)
def answer(request):
    if request.method != "POST":
        return redirect("contracts:mine")
    form = AnswerForm(request.POST, contracts=_provider_contracts(request))
    if form.is_valid():
        try:
            contract_answer(
                contract=form.cleaned_data["contract"],
                answered_by=request.user,
                accept=form.cleaned_data["action"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Your answer is recorded.")
            return redirect("contracts:mine")
    return _mine_page(request, form, status=400)


def _provider_contract(request, contract_id) -> Contract:
    return get_object_or_404(_provider_contracts(request), pk=contract_id)


def _provider_page(request, contract, failed=None, failed_row="", status=200):
    rated, policy = rated_returns(contract)
    return render(
        request,
        "contracts/provider_detail.html",
        {
            "contract": contract,
            "rated": rated,
            "payments": contract.payments.all(),
            "paid": paid_so_far(contract),
            "visits": contract.visits.prefetch_related("actions"),
            "today": timezone.localdate(),
            "kpis": contract.kpis.all(),
            "summary": yearly_summary(contract, year_of(timezone.localdate()), policy),
            "failed": failed,
            "failed_row": failed_row,
        },
        status=status,
    )


@roles(Role.PROVIDER)
def provider_detail(request, contract_id):
    return _provider_page(request, _provider_contract(request, contract_id))


@roles(Role.PROVIDER)
def visit_corrections(request, contract_id):
    contract = _provider_contract(request, contract_id)
    if request.method != "POST":
        return redirect("contracts:provider-contract", contract.pk)
    form = CorrectionsForm(request.POST, contract=contract)
    if form.is_valid():
        try:
            visit_correct(
                visit=form.cleaned_data["visit"],
                corrections=form.cleaned_data["corrections"],
                corrected_by=request.user,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Your corrections are sent to the council.")
            return redirect("contracts:provider-contract", contract.pk)
    return _provider_page(request, contract, form, form.row_id, status=400)


@roles(Role.PROVIDER)
def plan_action_done(request, contract_id):
    contract = _provider_contract(request, contract_id)
    if request.method != "POST":
        return redirect("contracts:provider-contract", contract.pk)
    form = ActionDoneForm(request.POST, contract=contract)
    if form.is_valid():
        try:
            action_done(item=form.cleaned_data["item"], note=form.cleaned_data["note"], done_by=request.user)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Action marked done.")
            return redirect("contracts:provider-contract", contract.pk)
    return _provider_page(request, contract, form, form.row_id, status=400)


@roles(Role.PROVIDER)
def return_form(request, return_id):
    ret = get_object_or_404(
        ContractReturn.objects.select_related("contract"), pk=return_id, contract__in=_provider_contracts(request)
    )
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            return_submit(
                contract_return=ret,
                submitted_by=request.user,
                hours_delivered=data["hours"],
                incidents=data["incidents"],
                complaints=data["complaints"],
                amount_claimed=data["amount"],
                notes=data["notes"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Return sent. The council will approve it or ask about it.")
            return redirect("contracts:provider-contract", ret.contract_id)
    return render(
        request,
        "contracts/return_form.html",
        {"ret": ret, "facts": period_facts(ret.contract, ret.period_start, ret.period_end), "form": form},
        status=400 if form.is_bound else 200,
    )
