"""The provider's contract pages (role provider, their own organisation's contracts only):
reading an offer's terms and documents and answering it, each contract's returns, payments,
ratings and visits, correcting a visit report's facts, marking a plan's actions done and
sending the monthly return. No child's personal data is shown: returns and use are counts."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.core.access import roles
from shortbreaks.core.downloads import attachment
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role
from shortbreaks.core.years import year_of
from shortbreaks.directory.selectors.listings import organisations_for

from ..forms.contracts import ActionDoneForm, CorrectionsForm, OfferAnswerForm, ReturnForm
from ..models import Contract, ContractReturn
from ..selectors import offer_documents
from ..selectors.ratings import rated_returns, yearly_summary
from ..services import contract_answer
from ..services.monitoring import paid_so_far, period_facts, period_place_hours, return_submit
from ..services.quality import action_done, visit_correct


def _provider_contracts(request):
    organisations = organisations_for(user=request.user, authority=request.authority)
    # (Any authority's: a joint framework's participants contract with the lead's providers.)
    return Contract.objects.filter(organisation__in=organisations)


def _mine_page(request):
    # Each offer is answered on its own page (offer), where its terms and documents are.
    return render(
        request,
        "contracts/mine.html",
        {"contracts": _provider_contracts(request).select_related("organisation", "authority")},
    )


@roles(Role.PROVIDER)
def mine(request):
    return _mine_page(request)


def _provider_contract(request, contract_id) -> Contract:
    return get_object_or_404(_provider_contracts(request), pk=contract_id)


def _offer_page(request, contract, form, status=200):
    return render(
        request,
        "contracts/offer.html",
        {"contract": contract, "documents": offer_documents(contract), "form": form},
        status=status,
    )


@roles(Role.PROVIDER)
def offer(request, contract_id):
    """The contract as offered: its terms, value, dates and documents, then accept or decline.
    The council's internal notes (why it was not competed) are never on it."""
    contract = get_object_or_404(
        _provider_contracts(request).select_related("authority", "organisation", "lot", "opportunity", "call_off"),
        pk=contract_id,
    )
    if request.method != "POST":
        return _offer_page(request, contract, OfferAnswerForm())
    form = OfferAnswerForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["action"] == "accept"
        try:
            contract_answer(
                contract=contract, answered_by=request.user, accept=accept, reason=form.cleaned_data["reason"]
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            if accept:
                messages.success(request, "Contract accepted.")
                return redirect("contracts:provider-contract", contract.pk)
            messages.success(request, "Contract declined. The council is told your reason.")
            return redirect("contracts:mine")
    return _offer_page(request, contract, form, status=400)


@roles(Role.PROVIDER)
def offer_document(request, contract_id, document_id):
    """A document of the contract's opportunity, for the provider it is offered to (its own
    bid's documents too); served as a download like every upload."""
    contract = _provider_contract(request, contract_id)
    document = get_object_or_404(offer_documents(contract), pk=document_id)
    return attachment(
        document.file,
        filename=document.original_filename,
        content_type=document.content_type,
        private=document.submission_id is not None,
    )


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
    booked = period_place_hours(ret.contract, ret.period_start, ret.period_end)
    form = ReturnForm(request.POST or None, booked_place_hours=booked)
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
