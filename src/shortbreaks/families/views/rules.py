"""Allocation rules, for commissioners: versions, drafts, the what-if, publishing. The what-if
shows families only by their case reference and amounts, never a child's record."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.paging import paginate
from shortbreaks.core.roles import Role

from ..forms.allocation import DraftRuleForm, RuleActionForm
from ..models import AllocationRule
from ..selectors.whatif import allocation_whatif
from ..services.allocation import rule_draft_create, rule_draft_update, rule_publish


def _rule(request, rule_id) -> AllocationRule:
    return get_object_or_404(AllocationRule, pk=rule_id, authority=request.authority)


@roles(Role.COMMISSIONER)
def rules(request):
    return render(
        request,
        "families/rules/list.html",
        {
            "rules": AllocationRule.objects.filter(authority=request.authority),
        },
    )


@roles(Role.COMMISSIONER)
def rule_detail(request, rule_id):
    """One of this council's allocation rule versions, for its commissioners: a draft is edited
    and published here, any version copied into a new draft. If it cannot be done the page comes
    back with what was typed and why."""
    rule = _rule(request, rule_id)
    posted = request.method == "POST"
    asked = RuleActionForm(request.POST if posted else None)
    action = asked.cleaned_data["action"] if posted and asked.is_valid() else None
    if action == "copy":
        try:
            draft = rule_draft_create(authority=request.authority, based_on=rule, created_by=request.user)
        except ServiceError as error:
            asked.add_error(None, error.message)
        else:
            messages.success(request, f"Version {draft.version} is a new draft, copied from version {rule.version}.")
            return redirect("families:rule", draft.pk)
    elif action == "publish":
        try:
            rule_publish(rule=rule, published_by=request.user)
        except ServiceError as error:
            asked.add_error(None, error.message)
        else:
            messages.success(request, f"Version {rule.version} is now in force.")
            return redirect("families:rule", rule.pk)
    elif action == "" and rule.status != AllocationRule.Status.DRAFT:
        asked.add_error(None, "Only a draft can be changed: make a new draft from this version.")
    form = None
    if rule.status == AllocationRule.Status.DRAFT:
        form = DraftRuleForm(request.POST if action == "" else None, rule=rule)
        if action == "" and form.is_valid():
            try:
                rule_draft_update(
                    rule=rule,
                    spec=form.to_spec(),
                    annual_budget=form.cleaned_data["annual_budget"],
                    name=form.cleaned_data["name"],
                    updated_by=request.user,
                    family_contributions_allowed=form.cleaned_data["family_contributions_allowed"],
                )
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Draft saved. See below what it would do.")
                return redirect("families:rule-whatif", rule.pk)
    failed = asked if asked.errors else form if form is not None and form.errors else None
    return render(
        request,
        "families/rules/detail.html",
        {"rule": rule, "form": form, "summary": failed},
        status=400 if failed else 200,
    )


@roles(Role.COMMISSIONER)
def rule_whatif(request, rule_id):
    rule = _rule(request, rule_id)
    result = allocation_whatif(authority=request.authority, rule=rule)
    context = {"rule": rule, "result": result}
    context.update(paginate(request, result.changes, per_page=50))
    return render(request, "families/rules/whatif.html", context)
