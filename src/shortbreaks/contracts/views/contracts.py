"""Contracts and money. Providers (role provider, their own organisation's contracts only) answer
offers, see returns, payments and ratings, and send returns. Commissioners and procurement
officers see the authority's contracts, confirm awards whose standstill has passed, run each
contract (services, KPIs, variations, returns, payments) and see the budget. No child's
personal data is shown on any of these pages: returns and use are counts."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.forms import parse_date, parse_pounds
from shortbreaks.core.lookups import object_or_404, valid_pks
from shortbreaks.core.roles import Role
from shortbreaks.core.years import requested_year, year_of
from shortbreaks.directory.models import Service
from shortbreaks.directory.selectors.listings import organisations_for
from shortbreaks.procurement.models import Award

from ..models import (
    KPI,
    ActionPlanItem,
    BudgetLine,
    Contract,
    ContractReturn,
    Feedback,
    Milestone,
    Payment,
    QualityVisit,
    Variation,
)
from ..models.quality import SCORES
from ..selectors import block_use, budget_figures, outcomes_for
from ..services import (
    award_confirm,
    contract_answer,
    contract_terms_set,
    direct_contract_create,
    variation_decide,
    variation_propose,
)
from ..services.monitoring import (
    kpi_set,
    milestone_add,
    milestone_pay,
    paid_so_far,
    payment_record,
    policy_for,
    return_decide,
    return_submit,
)
from ..services.quality import action_add, action_done, visit_correct, visit_finalise, visit_record
from ..services.ratings import rate_return, yearly_summary

BUYERS = (Role.COMMISSIONER, Role.PROCUREMENT_OFFICER)


@roles(Role.PROVIDER)
def mine(request):
    organisations = organisations_for(user=request.user, authority=request.authority)
    if request.method == "POST":
        contract = object_or_404(Contract, request.POST.get("contract"), organisation__in=organisations)
        # (Any authority's: a joint framework's participants contract with the lead's providers.)
        try:
            contract_answer(
                contract=contract,
                answered_by=request.user,
                accept=request.POST.get("action") == "accept",
                reason=request.POST.get("reason", "")[:1000],
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Your answer is recorded.")
        return redirect("contracts:mine")
    return render(
        request,
        "contracts/mine.html",
        {
            "contracts": Contract.objects.filter(organisation__in=organisations).select_related(
                "organisation", "authority"
            )
        },
    )


def _whole(value: str, what: str) -> int:
    try:
        number = int(value.strip() or "0")
    except ValueError:
        raise ServiceError(f"Enter {what} as a whole number, like 2.") from None
    if number < 0:
        raise ServiceError(f"{what.capitalize()} cannot be negative.")
    return number


def _decimal(value: str, what: str) -> Decimal:
    try:
        return Decimal(value.strip().replace(",", "") or "0")
    except InvalidOperation:
        raise ServiceError(f"Enter {what} as a number, like 12.5.") from None


def _ratings(contract: Contract):
    policy, kpis = policy_for(contract.authority), list(contract.kpis.all())
    returns = list(contract.returns.select_related("payment"))
    return [rate_return(ret, kpis, policy) for ret in returns], policy


@roles(Role.PROVIDER)
def provider_detail(request, contract_id):
    organisations = organisations_for(user=request.user, authority=request.authority)
    contract = get_object_or_404(Contract, pk=contract_id, organisation__in=organisations)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "correct":
                visit = object_or_404(QualityVisit, request.POST.get("visit"), contract=contract)
                visit_correct(
                    visit=visit, corrections=request.POST.get("corrections", "")[:4000], corrected_by=request.user
                )
                messages.success(request, "Your corrections are sent to the council.")
            else:
                item = object_or_404(ActionPlanItem, request.POST.get("item"), visit__contract=contract)
                action_done(item=item, note=request.POST.get("note", "")[:1000], done_by=request.user)
                messages.success(request, "Action marked done.")
        except ServiceError as error:
            messages.error(request, error.message)
        return redirect("contracts:provider-contract", contract.pk)
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
        },
    )


@roles(Role.PROVIDER)
def return_form(request, return_id):
    organisations = organisations_for(user=request.user, authority=request.authority)
    ret = get_object_or_404(
        ContractReturn.objects.select_related("contract"), pk=return_id, contract__organisation__in=organisations
    )
    if request.method == "POST":
        try:
            return_submit(
                contract_return=ret,
                submitted_by=request.user,
                hours_delivered=_decimal(request.POST.get("hours", ""), "the hours"),
                incidents=_whole(request.POST.get("incidents", ""), "incidents"),
                complaints=_whole(request.POST.get("complaints", ""), "complaints"),
                amount_claimed=parse_pounds(request.POST.get("amount", ""), required=True),
                notes=request.POST.get("notes", "")[:4000],
            )
        except (ServiceError, ValueError) as error:
            messages.error(request, getattr(error, "message", str(error)))
            return redirect("contracts:return", ret.pk)
        messages.success(request, "Return sent. The council will approve it or ask about it.")
        return redirect("contracts:provider-contract", ret.contract_id)
    from ..services.monitoring import period_facts

    return render(
        request,
        "contracts/return_form.html",
        {"ret": ret, "facts": period_facts(ret.contract, ret.period_start, ret.period_end)},
    )


@roles(*BUYERS)
def detail(request, contract_id):
    contract = get_object_or_404(
        Contract.objects.select_related("organisation"), pk=contract_id, authority=request.authority
    )
    if request.method == "POST":
        try:
            message = _act(request, contract)
        except (ServiceError, ValueError) as error:
            messages.error(request, getattr(error, "message", str(error)))
        else:
            messages.success(request, message)
        return redirect("contracts:detail", contract.pk)
    rated, policy = _ratings(contract)
    return render(
        request,
        "contracts/detail.html",
        {
            "contract": contract,
            "rated": rated,
            "payments": contract.payments.all(),
            "paid": paid_so_far(contract),
            "kpis": contract.kpis.all(),
            "measures": KPI.Measure.choices,
            "variations": contract.variations.all(),
            "variation_kinds": Variation.Kind.choices,
            "payment_kinds": Payment.Kind.choices[1:],
            "services": Service.objects.filter(authority=request.authority, organisation=contract.organisation),
            "chosen": set(contract.services.values_list("pk", flat=True)),
            "use": block_use(contract, timezone.localdate()),
            "policy": policy,
            "visits": contract.visits.prefetch_related("actions"),
            "score_choices": sorted(SCORES.items(), reverse=True),
            "summary": yearly_summary(contract, year_of(timezone.localdate()), policy),
            "outcomes": outcomes_for(Feedback.objects.filter(service__in=contract.services.all())),
        },
    )


def _act(request, contract: Contract) -> str:
    action, post = request.POST.get("action"), request.POST
    if action == "services":
        chosen = Service.objects.filter(
            authority=request.authority,
            organisation=contract.organisation,
            pk__in=valid_pks(Service, post.getlist("services")),
        )
        contract.services.set(chosen)
        return "The services delivered under this contract are saved."
    if action == "terms":
        contract_terms_set(
            contract=contract,
            extensions_left_months=_whole(post.get("extensions", ""), "the months"),
            break_clause=post.get("break_clause", "")[:500],
            set_by=request.user,
        )
        return "Terms saved."
    if action == "visit":
        standards = policy_for(contract.authority).quality_standards
        visit_record(
            contract=contract,
            visited_by=request.user,
            visited_on=parse_date(post.get("visited_on", ""), "the visit date"),
            scores={
                name: int(post.get(f"score-{n}")) if (post.get(f"score-{n}") or "").isdigit() else None
                for n, (name, _) in enumerate(standards)
            },
            evidence={name: post.get(f"evidence-{n}", "")[:2000] for n, (name, _) in enumerate(standards)},
        )
        return "Visit recorded; the draft report is with the provider to check the facts."
    if action == "plan-action":
        visit = get_object_or_404(QualityVisit, pk=post.get("visit"), contract=contract)
        action_add(
            visit=visit,
            action=post.get("plan_action", "")[:1000],
            due_on=parse_date(post.get("due_on", ""), "the due date"),
            added_by=request.user,
        )
        return "Action added to the plan."
    if action == "finalise":
        visit = get_object_or_404(QualityVisit, pk=post.get("visit"), contract=contract)
        visit_finalise(visit=visit, response=post.get("response", "")[:4000], finalised_by=request.user)
        return "Report final."
    if action == "kpi":
        kpi_set(
            contract=contract,
            measure=post.get("measure", ""),
            target=_decimal(post.get("target", ""), "the target"),
            set_by=request.user,
        )
        return "KPI saved."
    if action == "vary":
        kind, raw = post.get("kind", ""), post.get("after", "").strip()
        try:
            after = {
                "price": lambda v: parse_pounds(v, required=True),
                "volume": lambda v: _whole(v, "the hours"),
                "term": dt.date.fromisoformat,
            }[kind](raw)
        except KeyError:
            raise ServiceError("Choose what the variation changes.") from None
        except ValueError:
            raise ServiceError(
                "Give the new figure: pounds for price, whole hours for volume, a date like 2028-03-31 for the term."
            ) from None
        variation = variation_propose(
            contract=contract, kind=kind, after=after, reason=post.get("reason", "")[:2000], proposed_by=request.user
        )
        return (
            "Variation proposed: it is beyond the council's tolerance, so its approval needs a formal decision."
            if variation.needs_decision
            else "Variation proposed: someone else now approves it."
        )
    if action in ("approve-variation", "reject-variation"):
        variation = get_object_or_404(Variation, pk=post.get("variation"), contract=contract)
        variation_decide(
            variation=variation,
            decided_by=request.user,
            approve=action == "approve-variation",
            decision_reference=post.get("decision", "")[:100],
            note=post.get("note", "")[:1000],
        )
        return "Variation decided."
    if action in ("approve-return", "query-return"):
        ret = get_object_or_404(ContractReturn, pk=post.get("return"), contract=contract)
        return_decide(
            contract_return=ret,
            decided_by=request.user,
            approve=action == "approve-return",
            reason=post.get("reason", "")[:1000],
        )
        return "Return approved and the payment recorded." if action == "approve-return" else "Return queried."
    if action == "milestone":
        milestone_add(
            contract=contract,
            title=post.get("title", "")[:300],
            due_on=parse_date(post.get("due_on", ""), "the due date"),
            amount=parse_pounds(post.get("amount", ""), required=True),
            added_by=request.user,
        )
        return "Milestone added."
    if action == "pay-milestone":
        milestone = get_object_or_404(Milestone, pk=post.get("milestone"), contract=contract)
        milestone_pay(milestone=milestone, approved_by=request.user)
        return "Milestone paid."
    if action == "payment":
        payment_record(
            contract=contract,
            kind=post.get("kind", ""),
            amount=parse_pounds(post.get("amount", ""), required=True),
            description=post.get("description", "")[:300],
            approved_by=request.user,
        )
        return "Payment recorded."
    raise ServiceError("Choose what to do.")


@roles(*BUYERS)
def budget(request):
    """The year's budget by line; only the budgets are typed in."""
    from ..services.budgets import budget_set

    year = requested_year(request.GET.get("year", ""), timezone.localdate())
    if request.method == "POST":
        try:
            budget_set(
                authority=request.authority,
                year=year,
                kind=request.POST.get("kind", ""),
                amount=parse_pounds(request.POST.get("amount", ""), required=True),
                set_by=request.user,
            )
        except (ServiceError, ValueError) as error:
            messages.error(request, getattr(error, "message", str(error)))
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
            "kinds": BudgetLine.Kind.choices,
            "totals": {
                name: sum((getattr(f, name) for f in figures), Decimal(0))
                for name in ("budget", "committed", "spent", "forecast", "variance")
            },
        },
    )


@roles(*BUYERS)
def listing(request):
    if request.method == "POST":
        award = object_or_404(Award, request.POST.get("award"), authority=request.authority)
        try:
            award_confirm(award=award, confirmed_by=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Award confirmed; the contract is offered to the provider.")
        return redirect("contracts:list")
    return render(
        request,
        "contracts/list.html",
        {
            "contracts": Contract.objects.filter(authority=request.authority).select_related("organisation"),
            "awards": Award.objects.filter(authority=request.authority, status=Award.Status.STANDSTILL).select_related(
                "lot__opportunity", "submission__organisation"
            ),
        },
    )


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
    if request.method == "POST":
        post = request.POST
        try:
            organisation = (
                organisations.filter(pk=post.get("organisation")).first() if post.get("organisation") else None
            )
            if organisation is None:
                raise ServiceError("Choose the provider.")
            contract = direct_contract_create(
                opportunity=opportunity,
                organisation=organisation,
                value=parse_pounds(post.get("value", ""), required=True),
                starts_on=parse_date(post.get("starts_on", ""), "the start"),
                ends_on=parse_date(post.get("ends_on", ""), "the end"),
                created_by=request.user,
            )
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect("contracts:direct", opportunity.pk)
        messages.success(request, "Recorded: the agreement is offered to the provider to accept.")
        return redirect("contracts:detail", contract.pk)
    return render(request, "contracts/direct.html", {"opportunity": opportunity, "organisations": organisations})
