"""Decommissioning plans: commissioners and officers only, because the plan names the children
affected (special category data in context: it says they use a disability service). Each
button posts to a view of its own; if it cannot be done the page says why, keeping what was
typed."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role
from shortbreaks.directory.models import Service

from ..forms.decommissioning import AlternativeForm, CompletePlanForm, PlanForm
from ..models import DecommissioningPlan
from ..services.decommissioning import alternative_set, plan_complete, plan_create, plan_refresh

STAFF = (Role.COMMISSIONER, Role.OFFICER)


@roles(*STAFF)
def plans(request):
    services = plannable_services(request.authority)
    form = PlanForm(request.POST or None, services=services)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = plan_create(
                service=data["service"],
                change=data["change"],
                reasons=data["reasons"],
                communications=data["communications"],
                families_told_by=data["families_told_by"],
                last_day=data["last_day"],
                created_by=request.user,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            count = plan.affected.count()
            messages.success(request, f"Plan started: {count} {'child' if count == 1 else 'children'} affected.")
            return redirect("contracts:plan", plan.pk)
    return render(
        request,
        "contracts/plans.html",
        {
            "plans": DecommissioningPlan.objects.filter(authority=request.authority).select_related("service"),
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


def plannable_services(authority):
    """Each running service once, with its provider (named in the picker): not one
    defunct, nor one with a plan in progress."""
    return (
        Service.objects.filter(authority=authority)
        .exclude(status=Service.Status.DEFUNCT)
        .exclude(decommissioning_plans__status=DecommissioningPlan.Status.DRAFT)
        .select_related("organisation")
        .distinct()
        .order_by("name", "organisation__name")
    )


def _plan(request, plan_id) -> DecommissioningPlan:
    return get_object_or_404(
        DecommissioningPlan.objects.select_related("service"), pk=plan_id, authority=request.authority
    )


def _alternatives(request, plan):
    return (
        Service.objects.filter(authority=request.authority, status=Service.Status.ACTIVE)
        .exclude(pk=plan.service_id)
        .order_by("name")
    )


def _plan_page(request, plan, failed=None, failed_row="", status=200):
    added = plan_refresh(plan=plan) if failed is None else 0
    affected = list(plan.affected.select_related("child", "alternative"))
    return render(
        request,
        "contracts/plan.html",
        {
            "plan": plan,
            "affected": affected,
            "added": added,
            "without": [e for e in affected if not e.has_alternative],
            "services": _alternatives(request, plan),
            "failed": failed,
            "failed_row": failed_row,
        },
        status=status,
    )


@roles(*STAFF)
def plan(request, plan_id):
    return _plan_page(request, _plan(request, plan_id))


@roles(*STAFF)
def alternative(request, plan_id):
    plan = _plan(request, plan_id)
    if request.method != "POST":
        return redirect("contracts:plan", plan.pk)
    form = AlternativeForm(request.POST, plan=plan, services=_alternatives(request, plan))
    if form.is_valid():
        data = form.cleaned_data
        try:
            alternative_set(
                entry=data["entry"],
                alternative=data["alternative"],
                notes=data["notes"],
                told_on=data["told_on"],
                set_by=request.user,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Alternative recorded.")
            return redirect("contracts:plan", plan.pk)
    return _plan_page(request, plan, form, form.row_id, status=400)


@roles(*STAFF)
def complete(request, plan_id):
    plan = _plan(request, plan_id)
    if request.method != "POST":
        return redirect("contracts:plan", plan.pk)
    form = CompletePlanForm(request.POST)
    if form.is_valid():
        try:
            plan_complete(plan=plan, completed_by=request.user)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Plan completed.")
            return redirect("contracts:plan", plan.pk)
    return _plan_page(request, plan, form, status=400)
