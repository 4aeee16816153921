"""The caseload, for council officers (and no one else): children's records, assessments,
allocations and budget accounts of the request's authority."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render

from shortbreaks.accounts.roles import Role
from shortbreaks.core.access import roles
from shortbreaks.core.audit import audit_trail
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.paging import paginate

from ..forms.allocation import AssessmentForm, PaymentForm
from ..models import Allocation, Child
from ..services.allocation import allocation_from_assessment, rule_in_force
from ..services.budget import ledger_post


@roles(Role.OFFICER)
def caseload(request):
    children = Child.objects.filter(authority=request.authority).select_related("family").order_by("last_name", "first_name")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        children = children.filter(Q(first_name__icontains=query) | Q(last_name__icontains=query)
                                   | Q(family__reference__iexact=query))
    context = paginate(request, children, per_page=50)
    context["query"] = query
    return render(request, "families/officer/caseload.html", context)


def _child(request, child_id) -> Child:
    return get_object_or_404(Child.objects.filter(authority=request.authority).select_related("family"), pk=child_id)


@roles(Role.OFFICER)
def child_record(request, child_id):
    child = _child(request, child_id)
    account = getattr(child, "budget", None)
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if account is None:
            form.add_error(None, "This child has no budget account: record an assessment first.")
        else:
            data = form.cleaned_data
            try:
                ledger_post(account=account, kind=data["kind"], amount=data["amount"], actor=request.user,
                            description=data["description"], reference=data["reference"])
            except ServiceError as error:
                form.add_error("amount", error.message)
            else:
                messages.success(request, "Recorded on the budget account.")
                return redirect("families:child", child.pk)
    return render(request, "families/officer/child.html", {
        "child": child, "account": account, "form": form,
        "allocations": child.allocations.select_related("rule", "granted_by"),
        "current": child.allocations.filter(status=Allocation.Status.ACTIVE).first(),
        "entries": account.entries.order_by("-created_at")[:20] if account else [],
        "audit": audit_trail(authority=request.authority, target=child)[:20],
    })


@roles(Role.OFFICER)
def assess(request, child_id):
    child = _child(request, child_id)
    rule = rule_in_force(request.authority)
    if rule is None:
        messages.error(request, "No allocation rule is in force yet: a commissioner must publish one first.")
        return redirect("families:child", child.pk)
    form = AssessmentForm(request.POST or None, spec=rule.spec)
    if request.method == "POST" and form.is_valid():
        try:
            allocation = allocation_from_assessment(child=child, answers=form.answers(), assessor=request.user,
                                                    assessed_on=form.cleaned_data["assessed_on"],
                                                    notes=form.cleaned_data["notes"])
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{child.first_name}: {allocation.band_name}, £{allocation.annual_amount:,.2f} "
                                      f"a year ({allocation.total_points} points).")
            return redirect("families:child", child.pk)
    return render(request, "families/officer/assess.html", {"child": child, "rule": rule, "form": form})
