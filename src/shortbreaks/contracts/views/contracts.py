"""Contracts and money. Providers (role provider, their own organisation's contracts only) answer
offers, see returns, payments and ratings, and send returns. Commissioners and procurement
officers see the authority's contracts, confirm awards whose standstill has passed, run each
contract (services, KPIs, variations, returns, payments) and see the budget. No child's
personal data is shown on any of these pages: returns and use are counts.

Each button on a page posts to a view of its own, with a form of its own (contracts/forms.py);
if it cannot be done the page is shown again with what was typed and the reason."""

from decimal import Decimal

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role
from shortbreaks.core.years import requested_year, year_of
from shortbreaks.directory.models import Service
from shortbreaks.directory.selectors.listings import organisations_for
from shortbreaks.procurement.models import Award

from ..forms.contracts import (
    ActionDoneForm,
    AnswerForm,
    AwardConfirmForm,
    BudgetForm,
    CorrectionsForm,
    DirectAwardForm,
    FinaliseForm,
    KPIForm,
    MilestoneForm,
    MilestonePayForm,
    PaymentForm,
    PlanActionForm,
    ReturnDecideForm,
    ReturnForm,
    ServicesForm,
    TermsForm,
    VariationDecideForm,
    VariationForm,
    VisitForm,
)
from ..models import Contract, ContractReturn, Feedback
from ..selectors import block_use, budget_figures, outcomes_for
from ..selectors.ratings import rate_return, yearly_summary
from ..services import (
    award_confirm,
    contract_answer,
    contract_terms_set,
    direct_contract_create,
    variation_decide,
    variation_propose,
)
from ..services.delivery import contract_services_set
from ..services.monitoring import (
    kpi_set,
    milestone_add,
    milestone_pay,
    paid_so_far,
    payment_record,
    period_facts,
    policy_for,
    return_decide,
    return_submit,
)
from ..services.quality import action_add, action_done, visit_correct, visit_finalise, visit_record

BUYERS = (Role.COMMISSIONER, Role.PROCUREMENT_OFFICER)


# The provider's pages.


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


def _ratings(contract: Contract):
    policy, kpis = policy_for(contract.authority), list(contract.kpis.all())
    returns = list(contract.returns.select_related("payment"))
    return [rate_return(ret, kpis, policy) for ret in returns], policy


def _provider_contract(request, contract_id) -> Contract:
    return get_object_or_404(_provider_contracts(request), pk=contract_id)


def _provider_page(request, contract, failed=None, failed_row="", status=200):
    rated, policy = _ratings(contract)
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
    rated, policy = _ratings(contract)
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
            "use": block_use(contract, timezone.localdate()),
            "policy": policy,
            "visits": contract.visits.prefetch_related("actions"),
            "summary": yearly_summary(contract, year_of(timezone.localdate()), policy),
            "outcomes": outcomes_for(Feedback.objects.filter(service__in=contract.services.all())),
            "failed": failed,
            "failed_row": failed_row,
        },
        status=status,
    )


@roles(*BUYERS)
def detail(request, contract_id):
    return _detail_page(request, _contract(request, contract_id))


def _page_action(request, contract_id, name, act, done):
    """A form of the page's own (not a row's): act(contract, cleaned_data) returns the message
    (or None to use done)."""
    contract = _contract(request, contract_id)
    if request.method != "POST":
        return redirect("contracts:detail", contract.pk)
    form = _page_form(contract, name, request.POST)
    if form.is_valid():
        try:
            said = act(contract, form)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, said or done)
            return redirect("contracts:detail", contract.pk)
    return _detail_page(request, contract, failed=form, failed_name=name, status=400)


def _row_action(request, contract_id, form_class, act, done):
    contract = _contract(request, contract_id)
    if request.method != "POST":
        return redirect("contracts:detail", contract.pk)
    form = form_class(request.POST, contract=contract)
    if form.is_valid():
        try:
            said = act(contract, form)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, said or done)
            return redirect("contracts:detail", contract.pk)
    return _detail_page(request, contract, failed=form, failed_row=form.row_id, status=400)


@roles(*BUYERS)
def services(request, contract_id):
    return _page_action(
        request,
        contract_id,
        "services_form",
        lambda contract, form: (
            contract_services_set(contract=contract, services=form.cleaned_data["services"], set_by=request.user)
            and None
        ),
        "The services delivered under this contract are saved.",
    )


@roles(*BUYERS)
def terms(request, contract_id):
    return _page_action(
        request,
        contract_id,
        "terms_form",
        lambda contract, form: (
            contract_terms_set(
                contract=contract,
                extensions_left_months=form.cleaned_data["extensions"],
                break_clause=form.cleaned_data["break_clause"],
                set_by=request.user,
            )
            and None
        ),
        "Terms saved.",
    )


@roles(*BUYERS)
def kpi(request, contract_id):
    return _page_action(
        request,
        contract_id,
        "kpi_form",
        lambda contract, form: (
            kpi_set(
                contract=contract,
                measure=form.cleaned_data["measure"],
                target=form.cleaned_data["target"],
                set_by=request.user,
            )
            and None
        ),
        "KPI saved.",
    )


@roles(*BUYERS)
def milestone(request, contract_id):
    return _page_action(
        request,
        contract_id,
        "milestone_form",
        lambda contract, form: (
            milestone_add(
                contract=contract,
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data["due_on"],
                amount=form.cleaned_data["amount"],
                added_by=request.user,
            )
            and None
        ),
        "Milestone added.",
    )


@roles(*BUYERS)
def payment(request, contract_id):
    return _page_action(
        request,
        contract_id,
        "payment_form",
        lambda contract, form: (
            payment_record(
                contract=contract,
                kind=form.cleaned_data["kind"],
                amount=form.cleaned_data["amount"],
                description=form.cleaned_data["description"],
                approved_by=request.user,
            )
            and None
        ),
        "Payment recorded.",
    )


@roles(*BUYERS)
def variation(request, contract_id):
    def act(contract, form):
        variation = variation_propose(
            contract=contract,
            kind=form.cleaned_data["kind"],
            after=form.cleaned_data["after"],
            reason=form.cleaned_data["reason"],
            proposed_by=request.user,
        )
        return (
            "Variation proposed: it is beyond the council's tolerance, so its approval needs a formal decision."
            if variation.needs_decision
            else "Variation proposed: someone else now approves it."
        )

    return _page_action(request, contract_id, "vary_form", act, "")


@roles(*BUYERS)
def visit(request, contract_id):
    return _page_action(
        request,
        contract_id,
        "visit_form",
        lambda contract, form: (
            visit_record(
                contract=contract,
                visited_by=request.user,
                visited_on=form.cleaned_data["visited_on"],
                scores=form.scores(),
                evidence=form.evidence(),
            )
            and None
        ),
        "Visit recorded; the draft report is with the provider to check the facts.",
    )


@roles(*BUYERS)
def variation_decision(request, contract_id):
    return _row_action(
        request,
        contract_id,
        VariationDecideForm,
        lambda contract, form: (
            variation_decide(
                variation=form.cleaned_data["variation"],
                decided_by=request.user,
                approve=form.approve,
                decision_reference=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )
            and None
        ),
        "Variation decided.",
    )


@roles(*BUYERS)
def return_decision(request, contract_id):
    def act(contract, form):
        return_decide(
            contract_return=form.cleaned_data["contract_return"],
            decided_by=request.user,
            approve=form.approve,
            reason=form.cleaned_data["reason"],
        )
        return "Return approved and the payment recorded." if form.approve else "Return queried."

    return _row_action(request, contract_id, ReturnDecideForm, act, "")


@roles(*BUYERS)
def milestone_payment(request, contract_id):
    return _row_action(
        request,
        contract_id,
        MilestonePayForm,
        lambda contract, form: (
            milestone_pay(milestone=form.cleaned_data["milestone"], approved_by=request.user) and None
        ),
        "Milestone paid.",
    )


@roles(*BUYERS)
def visit_action(request, contract_id):
    return _row_action(
        request,
        contract_id,
        PlanActionForm,
        lambda contract, form: (
            action_add(
                visit=form.cleaned_data["visit"],
                action=form.cleaned_data["plan_action"],
                due_on=form.cleaned_data["due_on"],
                added_by=request.user,
            )
            and None
        ),
        "Action added to the plan.",
    )


@roles(*BUYERS)
def visit_final(request, contract_id):
    return _row_action(
        request,
        contract_id,
        FinaliseForm,
        lambda contract, form: (
            visit_finalise(
                visit=form.cleaned_data["visit"], response=form.cleaned_data["response"], finalised_by=request.user
            )
            and None
        ),
        "Report final.",
    )


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
