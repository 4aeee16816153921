"""Contracts and money, for commissioners and procurement officers: the authority's contracts,
confirming awards whose standstill has passed, recording a direct award, the budget, and each
contract's own page (its buttons post to views/actions.py). The provider's pages are in
views/provider.py. No child's personal data is shown on any of these pages: returns and use
are counts.

Each button on a page posts to a view of its own, with a form of its own (contracts/forms/);
if it cannot be done the page is shown again with what was typed and the reason."""

from decimal import Decimal

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.idempotency import new_key
from shortbreaks.core.roles import Role
from shortbreaks.core.years import requested_year, year_of
from shortbreaks.directory.models import Service
from shortbreaks.procurement.models import Award

from ..forms.contracts import (
    AwardConfirmForm,
    BudgetForm,
    DirectAwardForm,
    KPIForm,
    MilestoneForm,
    PaymentForm,
    ServicesForm,
    TermsForm,
    VariationForm,
    VisitForm,
)
from ..models import Contract, Feedback
from ..selectors import block_standing, block_use, budget_figures, outcomes_for, policy_for
from ..selectors.ratings import rated_returns, yearly_summary
from ..services import award_confirm, direct_contract_create
from ..services.monitoring import paid_so_far

BUYERS = (Role.COMMISSIONER, Role.PROCUREMENT_OFFICER)


# The contract's own page: one view a button.


def _contract(request, contract_id) -> Contract:
    return get_object_or_404(
        Contract.objects.select_related("organisation"), pk=contract_id, authority=request.authority
    )


def _services_of(contract: Contract):
    return Service.objects.filter(authority=contract.authority, organisation=contract.organisation).order_by("name")


# The page's forms, each with ids of its own (the page holds several).
PAGE_FORMS = {
    "terms_form": ("terms-%s", TermsForm),
    "services_form": ("svc-%s", ServicesForm),
    "kpi_form": ("kpi-%s", KPIForm),
    "milestone_form": ("ms-%s", MilestoneForm),
    "payment_form": ("pay-%s", PaymentForm),
    "vary_form": ("vary-%s", VariationForm),
    "visit_form": ("visit-%s", VisitForm),
}


def _page_form(contract, name, data=None):
    auto_id, form_class = PAGE_FORMS[name]
    kwargs = {"auto_id": auto_id}
    if form_class is ServicesForm:
        kwargs["services"] = _services_of(contract)
        kwargs["initial"] = {"services": list(contract.services.values_list("pk", flat=True))}
    elif form_class is VisitForm:
        kwargs["standards"] = policy_for(contract.authority).quality_standards
    elif form_class is TermsForm:
        kwargs["initial"] = {"extensions": contract.extensions_left_months, "break_clause": contract.break_clause}
    form = form_class(data, **kwargs)
    if form_class is ServicesForm:
        form.fields["services"].label = f"{contract.organisation.name}'s services"
    return form


def _detail_page(request, contract, *, failed=None, failed_name="", failed_row="", status=200):
    rated, policy = rated_returns(contract)
    context = {name: _page_form(contract, name) for name in PAGE_FORMS}
    if failed_name:
        context[failed_name] = failed
    return render(
        request,
        "contracts/detail.html",
        context
        | {
            "contract": contract,
            "rated": rated,
            "payments": contract.payments.all(),
            "paid": paid_so_far(contract),
            "kpis": contract.kpis.all(),
            "variations": contract.variations.all(),
            "use": block_use(contract, timezone.localdate(), policy),
            "standing": block_standing(contract, timezone.localdate(), policy),
            "policy": policy,
            "visits": contract.visits.prefetch_related("actions"),
            "summary": yearly_summary(contract, year_of(timezone.localdate()), policy),
            "outcomes": outcomes_for(Feedback.objects.filter(service__in=contract.services.all())),
            "page_key": new_key(),  # each milestone's pay button adds its row number
            "failed": failed,
            "failed_row": failed_row,
        },
        status=status,
    )


@roles(*BUYERS)
def detail(request, contract_id):
    return _detail_page(request, _contract(request, contract_id))


def page_action(request, contract_id, name, act, done):
    """A form of the page's own (not a row's): `act(contract, form)` does it and `done` says so,
    a message or a function of what act returned."""
    contract = _contract(request, contract_id)
    if request.method != "POST":
        return redirect("contracts:detail", contract.pk)
    form = _page_form(contract, name, request.POST)
    if (response := _act(request, contract, form, act, done)) is not None:
        return response
    return _detail_page(request, contract, failed=form, failed_name=name, status=400)


def row_action(request, contract_id, form_class, act, done):
    """A form in one row of the page's lists (a variation, a return, a milestone, a visit)."""
    contract = _contract(request, contract_id)
    if request.method != "POST":
        return redirect("contracts:detail", contract.pk)
    form = form_class(request.POST, contract=contract)
    if (response := _act(request, contract, form, act, done)) is not None:
        return response
    return _detail_page(request, contract, failed=form, failed_row=form.row_id, status=400)


def _act(request, contract, form, act, done):
    """The redirect when it is done; None (the page again, with the reason) when not."""
    if not form.is_valid():
        return None
    try:
        result = act(contract, form)
    except ServiceError as error:
        form.add_error(None, error.message)
        return None
    messages.success(request, done(result) if callable(done) else done)
    return redirect("contracts:detail", contract.pk)


# The budget, the list of contracts and recording a direct award.


@roles(*BUYERS)
def budget(request):
    """The year's budget by line; only the budgets are typed in."""
    from ..services.budgets import budget_set

    year = requested_year(request.GET.get("year", ""), timezone.localdate())
    form = BudgetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            budget_set(
                authority=request.authority,
                year=year,
                kind=form.cleaned_data["kind"],
                amount=form.cleaned_data["amount"],
                set_by=request.user,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Budget saved.")
            return redirect(f"{request.path}?year={year}")
    figures = budget_figures(authority=request.authority, year=year)
    return render(
        request,
        "contracts/budget.html",
        {
            "year": year,
            "figures": figures,
            "form": form,
            "totals": {
                name: sum((getattr(f, name) for f in figures), Decimal(0))
                for name in ("budget", "committed", "spent", "forecast", "variance")
            },
        },
        status=400 if form.is_bound else 200,
    )


def _standstill(request):
    return Award.objects.filter(authority=request.authority, status=Award.Status.STANDSTILL)


def _list_page(request, failed=None, status=200):
    return render(
        request,
        "contracts/list.html",
        {
            "contracts": Contract.objects.filter(authority=request.authority).select_related("organisation"),
            "awards": _standstill(request).select_related("lot__opportunity", "submission__organisation"),
            "failed": failed,
        },
        status=status,
    )


@roles(*BUYERS)
def listing(request):
    return _list_page(request)


@roles(*BUYERS)
def confirm_award(request):
    if request.method != "POST":
        return redirect("contracts:list")
    form = AwardConfirmForm(request.POST, awards=_standstill(request))
    if form.is_valid():
        try:
            award_confirm(award=form.cleaned_data["award"], confirmed_by=request.user)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Award confirmed; the contract is offered to the provider.")
            return redirect("contracts:list")
    return _list_page(request, form, status=400)


@roles(*BUYERS)
def direct(request, opportunity_id):
    """Recording a spot purchase or in-house agreement with its provider."""
    from shortbreaks.directory.models import Organisation
    from shortbreaks.procurement.models import Opportunity

    opportunity = get_object_or_404(
        Opportunity,
        pk=opportunity_id,
        authority=request.authority,
        route__in=[Opportunity.Route.SPOT, Opportunity.Route.IN_HOUSE],
    )
    organisations = Organisation.objects.filter(authority=request.authority).order_by("name")
    form = DirectAwardForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contract = direct_contract_create(
                opportunity=opportunity,
                organisation=data["organisation"],
                value=data["value"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                created_by=request.user,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Recorded: the agreement is offered to the provider to accept.")
            return redirect("contracts:detail", contract.pk)
    return render(
        request,
        "contracts/direct.html",
        {"opportunity": opportunity, "form": form},
        status=400 if form.is_bound else 200,
    )
