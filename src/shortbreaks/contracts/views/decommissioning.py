"""Decommissioning plans: commissioners and officers only, because the plan names the children
affected (special category data in context: it says they use a disability service)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.forms import parse_date
from shortbreaks.core.lookups import object_or_404, valid_pk
from shortbreaks.core.roles import Role
from shortbreaks.directory.models import Service

from ..models import AffectedChild, DecommissioningPlan
from ..services.decommissioning import alternative_set, plan_complete, plan_create, plan_refresh

STAFF = (Role.COMMISSIONER, Role.OFFICER)


@roles(*STAFF)
def plans(request):
    services = Service.objects.filter(authority=request.authority).order_by("name")
    if request.method == "POST":
        post = request.POST
        try:
            service = services.filter(pk=valid_pk(Service, post.get("service"))).first()
            if service is None:
                raise ServiceError("Choose the service.")
            plan = plan_create(
                service=service,
                change=post.get("change", ""),
                reasons=post.get("reasons", "")[:4000],
                communications=post.get("communications", "")[:4000],
                families_told_by=parse_date(post.get("families_told_by", ""), "when families are told"),
                last_day=parse_date(post.get("last_day", ""), "the last day"),
                created_by=request.user,
            )
        except (ServiceError, ValueError) as error:
            messages.error(request, getattr(error, "message", str(error)))
            return redirect("contracts:plans")
        messages.success(request, f"Plan started: {plan.affected.count()} children affected.")
        return redirect("contracts:plan", plan.pk)
    return render(
        request,
        "contracts/plans.html",
        {
            "plans": DecommissioningPlan.objects.filter(authority=request.authority).select_related("service"),
            "services": services,
            "changes": DecommissioningPlan.Change.choices,
        },
    )


@roles(*STAFF)
def plan(request, plan_id):
    plan = get_object_or_404(
        DecommissioningPlan.objects.select_related("service"), pk=plan_id, authority=request.authority
    )
    if request.method == "POST":
        post = request.POST
        try:
            if post.get("action") == "complete":
                plan_complete(plan=plan, completed_by=request.user)
                messages.success(request, "Plan completed.")
            else:
                entry = object_or_404(AffectedChild, post.get("entry"), plan=plan)
                alternative = (
                    Service.objects.filter(
                        authority=request.authority, pk=valid_pk(Service, post.get("alternative"))
                    ).first()
                    if post.get("alternative")
                    else None
                )
                told = parse_date(post["told_on"], "the date the family was told") if post.get("told_on") else None
                alternative_set(
                    entry=entry,
                    alternative=alternative,
                    notes=post.get("notes", "")[:1000],
                    told_on=told,
                    set_by=request.user,
                )
                messages.success(request, "Alternative recorded.")
        except (ServiceError, ValueError) as error:
            messages.error(request, getattr(error, "message", str(error)))
        return redirect("contracts:plan", plan.pk)
    added = plan_refresh(plan=plan)
    affected = list(plan.affected.select_related("child", "alternative"))
    return render(
        request,
        "contracts/plan.html",
        {
            "plan": plan,
            "affected": affected,
            "added": added,
            "without": [e for e in affected if not e.has_alternative],
            "services": Service.objects.filter(authority=request.authority, status=Service.Status.ACTIVE)
            .exclude(pk=plan.service_id)
            .order_by("name"),
        },
    )
