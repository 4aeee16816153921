"""A family's own pages. Parents and carers see only their own families; a young person with
an account sees only their own record (selectors/access.py)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from shortbreaks.accounts.selectors import account_policy
from shortbreaks.core.access import has_role, roles, signed_in
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role
from shortbreaks.core.spreadsheets import csv_download
from shortbreaks.directory.selectors.taxonomy import needs_terms

from ..eligibility import area_districts
from ..forms.eligibility import ApplicationForm, ChildForm, FamilyForm, ReviewForm
from ..models import Allocation, Child, Eligibility, EligibilityApplication, Family
from ..rules import band_rows
from ..selectors.access import children_grown_up, children_of_carer, children_visible_to
from ..selectors.invitations import pending_for
from ..selectors.statement import statement_lines
from ..services.eligibility import application_request_review, application_submit, policy_in_force
from ..services.families import child_add, child_update


def _own_child(request, child_id):
    return get_object_or_404(
        children_visible_to(user=request.user, authority=request.authority).select_related("family"), pk=child_id
    )


@roles(Role.PARENT, Role.YOUNG_PERSON)
def family_home(request):
    children = list(
        children_visible_to(user=request.user, authority=request.authority)
        .select_related("family", "budget")
        .prefetch_related("needs")
    )
    is_parent = Role.PARENT in request.user.roles_in(request.authority)
    families = list(
        Family.objects.filter(authority=request.authority, carers__user=request.user)
        .distinct()
        .order_by("reference")
        .prefetch_related("carers__user")
    )
    invitations = list(pending_for(authority=request.authority, families=families, children=children))
    for child in children:
        child.current = child.allocations.filter(status=Allocation.Status.ACTIVE).first()
        child.eligibility = child.eligibilities.filter(status=Eligibility.Status.ACTIVE).first()
        child.application = child.applications.first()
        child.invitations = [i for i in invitations if i.subject_id == str(child.pk)]
    for family in families:
        family.invitations = [i for i in invitations if i.subject_id == str(family.pk)]
    return render(
        request,
        "families/parent/home.html",
        {
            "children": children,
            "families": families if is_parent else [],
            "grown_up": list(children_grown_up(user=request.user, authority=request.authority)) if is_parent else [],
            "policy": policy_in_force(request.authority),
            "account_policy": account_policy(request.authority),
            "is_parent": is_parent,
        },
    )


def _posted(request):
    """The form's data on a POST (even an empty one, so nothing sent is an error), else None."""
    return request.POST if request.method == "POST" else None


def _child_form(request, **kwargs) -> ChildForm:
    return ChildForm(
        _posted(request),
        needs_choices=[(t.code, t.name) for t in needs_terms()],
        oldest_age=account_policy(request.authority).record_kept_until_age,
        **kwargs,
    )


@roles(Role.PARENT)
def child_new(request):
    has_family = Family.objects.filter(authority=request.authority, carers__user=request.user).exists()
    form = _child_form(request)
    family_form = None
    if not has_family:
        policy = policy_in_force(request.authority)
        family_form = FamilyForm(
            _posted(request),
            authority=request.authority,
            districts=area_districts(policy.criteria if policy else None),
        )
    # Both forms checked, so every mistake is shown at once.
    valid = request.method == "POST" and all([form.is_valid(), family_form is None or family_form.is_valid()])
    if valid:
        try:
            child = child_add(
                authority=request.authority,
                parent=request.user,
                child_data=form.cleaned_data,
                family_data=family_form.cleaned_data if family_form else None,
            )
        except ServiceError as error:
            (family_form or form).add_error("home_postcode" if family_form else None, error.message)
        else:
            messages.success(request, f"We have added {child.first_name} to your family.")
            return redirect("families:home")
    status = 400 if request.method == "POST" else 200
    return render(request, "families/parent/child_form.html", {"form": form, "family_form": family_form}, status=status)


@signed_in
def child_change(request, child_id):
    """A parent corrects what they told us about a child. Children's needs and health are
    special category data: only a parent or carer in the child's own family, who may still see
    the child (selectors.access.children_of_carer: not a young person grown up with their own
    account), may see or change these details here. Everyone else, another family's parent, an
    officer here or at another council, a provider, gets the same 404 (declared for any
    signed-in person so that nobody learns from a 403 that the page exists for them). Officers
    see the record on the caseload."""
    carers_children = (
        children_of_carer(user=request.user, authority=request.authority)
        if has_role(request, Role.PARENT)
        else Child.objects.none()
    )
    child = get_object_or_404(carers_children.prefetch_related("needs"), pk=child_id)
    initial = {name: getattr(child, name) for name in ChildForm.base_fields if name != "needs"}
    initial["needs"] = [term.code for term in child.needs.all()]
    form = _child_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            child = child_update(child=child, parent=request.user, child_data=form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"We have saved the changes to {child.first_name}'s details.")
            return redirect("families:home")
    status = 400 if request.method == "POST" else 200
    return render(request, "families/parent/child_form.html", {"form": form, "child": child}, status=status)


@roles(Role.PARENT)
def apply(request, child_id):
    child = _own_child(request, child_id)
    policy = policy_in_force(request.authority)
    if policy is None:
        messages.error(request, "Applications are not open yet.")
        return redirect("families:home")
    form = ApplicationForm(_posted(request), request.FILES or None, criteria=policy.criteria)
    if request.method == "POST" and form.is_valid():
        evidence = [form.cleaned_data["evidence"]] if form.cleaned_data.get("evidence") else []
        try:
            application = application_submit(
                child=child, declarations=form.declarations(), evidence=evidence, submitted_by=request.user
            )
        except ServiceError as error:
            form.add_error("evidence" if "file" in error.message else None, error.message)
        else:
            if application.status == EligibilityApplication.Status.APPROVED:
                messages.success(
                    request,
                    f"{child.first_name} can book targeted short breaks now. "
                    f"The eligibility code is {application.eligibility.code}.",
                )
            else:
                messages.success(
                    request,
                    f"We have your application for {child.first_name}. An officer will "
                    "decide within 10 working days and we will tell you.",
                )
            return redirect("families:home")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "families/parent/apply.html", {"child": child, "policy": policy, "form": form}, status=status
    )


@roles(Role.PARENT)
def request_review(request, application_id):
    application = get_object_or_404(
        EligibilityApplication.objects.filter(
            child__in=children_visible_to(user=request.user, authority=request.authority)
        ),
        pk=application_id,
    )
    form = ReviewForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            application_request_review(
                application=application, requested_by=request.user, reason=form.cleaned_data["reason"]
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "We have your request. A different officer will look at the decision again.")
            return redirect("families:home")
    return render(request, "families/parent/review.html", {"application": application, "form": form})


@roles(Role.PARENT, Role.YOUNG_PERSON)
def allocation_explained(request, child_id):
    child = _own_child(request, child_id)
    allocation = get_object_or_404(child.allocations.select_related("rule"), status=Allocation.Status.ACTIVE)
    return render(
        request,
        "families/parent/allocation.html",
        {
            "child": child,
            "allocation": allocation,
            "bands": band_rows(allocation.rule.spec),
        },
    )


@roles(Role.PARENT, Role.YOUNG_PERSON)
def statement(request, child_id):
    child = _own_child(request, child_id)
    account = getattr(child, "budget", None)
    lines = statement_lines(account)
    if request.GET.get("format") == "csv":
        return statement_csv(child, lines)
    return render(
        request,
        "families/parent/statement.html",
        {"child": child, "account": account, "lines": list(reversed(lines))},  # newest first
    )


def statement_csv(child, lines) -> HttpResponse:
    """The budget statement as the page shows it: each entry dated by its break (where it is for
    one) and by the day it was recorded, in the council's time zone, with its change and the
    balances after it."""
    rows = [
        [
            line.break_on.isoformat() if line.break_on else "",
            line.recorded_on.isoformat(),
            line.entry.get_kind_display(),
            line.what,
            line.entry.delta_available,
            line.entry.delta_committed,
            line.entry.delta_spent,
            line.available,
            line.committed,
            line.spent,
        ]
        for line in lines
    ]
    return csv_download(
        f"budget-statement-{child.first_name.lower()}.csv",
        [
            "Break on",
            "Recorded on",
            "What happened",
            "What for",
            "Available change",
            "Committed change",
            "Spent change",
            "Available after",
            "Committed after",
            "Spent after",
        ],
        rows,
        private=True,
    )
