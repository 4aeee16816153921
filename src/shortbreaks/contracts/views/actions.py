"""The buttons of a contract's own page (views/contracts.py draws it), one view each: its
services, terms, KPIs, milestones and payments, variations, returns and quality visits. Each
posts a form of its own; if it cannot be done the page is shown again with what was typed and
the reason."""

from shortbreaks.core.access import roles

from ..forms.contracts import FinaliseForm, MilestonePayForm, PlanActionForm, ReturnDecideForm, VariationDecideForm
from ..services import contract_terms_set, variation_decide, variation_propose
from ..services.delivery import contract_services_set
from ..services.monitoring import kpi_set, milestone_add, milestone_pay, payment_record, return_decide
from ..services.quality import action_add, visit_finalise, visit_record
from .contracts import BUYERS, page_action, row_action


@roles(*BUYERS)
def services(request, contract_id):
    return page_action(
        request,
        contract_id,
        "services_form",
        lambda contract, form: contract_services_set(
            contract=contract, services=form.cleaned_data["services"], set_by=request.user
        ),
        "The services delivered under this contract are saved.",
    )


@roles(*BUYERS)
def terms(request, contract_id):
    return page_action(
        request,
        contract_id,
        "terms_form",
        lambda contract, form: contract_terms_set(
            contract=contract,
            extensions_left_months=form.cleaned_data["extensions"],
            break_clause=form.cleaned_data["break_clause"],
            set_by=request.user,
        ),
        "Terms saved.",
    )


@roles(*BUYERS)
def kpi(request, contract_id):
    return page_action(
        request,
        contract_id,
        "kpi_form",
        lambda contract, form: kpi_set(
            contract=contract,
            measure=form.cleaned_data["measure"],
            target=form.cleaned_data["target"],
            set_by=request.user,
        ),
        "KPI saved.",
    )


@roles(*BUYERS)
def milestone(request, contract_id):
    return page_action(
        request,
        contract_id,
        "milestone_form",
        lambda contract, form: milestone_add(
            contract=contract,
            title=form.cleaned_data["title"],
            due_on=form.cleaned_data["due_on"],
            amount=form.cleaned_data["amount"],
            added_by=request.user,
        ),
        "Milestone added.",
    )


@roles(*BUYERS)
def payment(request, contract_id):
    return page_action(
        request,
        contract_id,
        "payment_form",
        lambda contract, form: payment_record(
            contract=contract,
            kind=form.cleaned_data["kind"],
            amount=form.cleaned_data["amount"],
            description=form.cleaned_data["description"],
            approved_by=request.user,
            idempotency_key=form.cleaned_data["idempotency_key"],
        ),
        "Payment recorded.",
    )


@roles(*BUYERS)
def variation(request, contract_id):
    return page_action(
        request,
        contract_id,
        "vary_form",
        lambda contract, form: variation_propose(
            contract=contract,
            kind=form.cleaned_data["kind"],
            after=form.cleaned_data["after"],
            reason=form.cleaned_data["reason"],
            proposed_by=request.user,
        ),
        lambda variation: (
            "Variation proposed: it is beyond the council's tolerance, so its approval needs a formal decision."
            if variation.needs_decision
            else "Variation proposed: someone else now approves it."
        ),
    )


@roles(*BUYERS)
def visit(request, contract_id):
    return page_action(
        request,
        contract_id,
        "visit_form",
        lambda contract, form: visit_record(
            contract=contract,
            visited_by=request.user,
            visited_on=form.cleaned_data["visited_on"],
            scores=form.scores(),
            evidence=form.evidence(),
        ),
        "Visit recorded; the draft report is with the provider to check the facts.",
    )


@roles(*BUYERS)
def variation_decision(request, contract_id):
    return row_action(
        request,
        contract_id,
        VariationDecideForm,
        lambda contract, form: variation_decide(
            variation=form.cleaned_data["variation"],
            decided_by=request.user,
            approve=form.approve,
            decision_reference=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
        ),
        "Variation decided.",
    )


@roles(*BUYERS)
def return_decision(request, contract_id):
    return row_action(
        request,
        contract_id,
        ReturnDecideForm,
        lambda contract, form: return_decide(
            contract_return=form.cleaned_data["contract_return"],
            decided_by=request.user,
            approve=form.approve,
            reason=form.cleaned_data["reason"],
        ),
        lambda ret: (
            "Return approved and the payment recorded." if ret.status == ret.Status.APPROVED else "Return queried."
        ),
    )


@roles(*BUYERS)
def milestone_payment(request, contract_id):
    return row_action(
        request,
        contract_id,
        MilestonePayForm,
        lambda contract, form: milestone_pay(
            milestone=form.cleaned_data["milestone"],
            approved_by=request.user,
            idempotency_key=form.cleaned_data["idempotency_key"],
        ),
        "Milestone paid.",
    )


@roles(*BUYERS)
def visit_action(request, contract_id):
    return row_action(
        request,
        contract_id,
        PlanActionForm,
        lambda contract, form: action_add(
            visit=form.cleaned_data["visit"],
            action=form.cleaned_data["plan_action"],
            due_on=form.cleaned_data["due_on"],
            added_by=request.user,
        ),
        "Action added to the plan.",
    )


@roles(*BUYERS)
def visit_final(request, contract_id):
    return row_action(
        request,
        contract_id,
        FinaliseForm,
        lambda contract, form: visit_finalise(
            visit=form.cleaned_data["visit"], response=form.cleaned_data["response"], finalised_by=request.user
        ),
        "Report final.",
    )
