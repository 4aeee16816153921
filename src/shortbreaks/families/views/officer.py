"""The caseload, for council officers (and no one else): children's records, assessments,
allocations and budget accounts of the request's authority."""

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from shortbreaks.accounts.selectors import account_policy
from shortbreaks.core.access import roles
from shortbreaks.core.audit import audit_trail
from shortbreaks.core.downloads import attachment
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.paging import paginate
from shortbreaks.core.roles import Role

from ..forms.allocation import AssessmentForm, DirectPaymentAuditForm, PaymentForm
from ..forms.eligibility import CaseloadImportForm, DecisionForm, EraseForm
from ..imports import COLUMNS, ImportRejected, import_caseload
from ..models import Allocation, Child, EligibilityApplication, EvidenceDocument, Family
from ..selectors.invitations import pending_for
from ..services.allocation import allocation_from_assessment, rule_in_force
from ..services.budget import direct_payment_audit_record, ledger_post
from ..services.eligibility import application_decide
from ..services.subject_requests import family_erase, family_export


@roles(Role.OFFICER)
def caseload(request):
    children = (
        Child.objects.filter(authority=request.authority).select_related("family").order_by("last_name", "first_name")
    )
    query = request.GET.get("q", "").strip()[:100]
    if query:
        children = children.filter(
            Q(first_name__icontains=query) | Q(last_name__icontains=query) | Q(family__reference__iexact=query)
        )
    context = paginate(request, children, per_page=50)
    context["query"] = query
    return render(request, "families/officer/caseload.html", context)


def _child(request, child_id) -> Child:
    return get_object_or_404(Child.objects.filter(authority=request.authority).select_related("family"), pk=child_id)


@roles(Role.OFFICER)
def child_record(request, child_id):
    """A child's record for the council's officers only: needs, allocations, budget, carers."""
    return _child_page(request, _child(request, child_id))


def _child_page(request, child, *, form=None, audit_form=None, status=200):
    account = getattr(child, "budget", None)
    return render(
        request,
        "families/officer/child.html",
        {
            "child": child,
            "account": account,
            "form": form or PaymentForm(),
            "audit_form": audit_form or DirectPaymentAuditForm(),
            "allocations": child.allocations.select_related("rule", "granted_by"),
            "current": child.allocations.filter(status=Allocation.Status.ACTIVE).first(),
            "entries": account.entries.order_by("-created_at")[:20] if account else [],
            "audits": account.audits.select_related("auditor") if account else [],
            "audit": audit_trail(authority=request.authority, target=child)[:20],
            "carers": child.family.carers.select_related("user"),
            "invitations": pending_for(authority=request.authority, families=[child.family], children=[child]),
            "from_age": account_policy(request.authority).young_person_from_age,
        },
        status=status,
    )


@roles(Role.OFFICER)
def child_payment(request, child_id):
    """An officer records a payment or correction on the child's budget account."""
    child = _child(request, child_id)
    account = getattr(child, "budget", None)
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if account is None:
            form.add_error(None, "This child has no budget account: record an assessment first.")
        else:
            data = form.cleaned_data
            try:
                ledger_post(
                    account=account,
                    kind=data["kind"],
                    amount=data["amount"],
                    actor=request.user,
                    description=data["description"],
                    reference=data["reference"],
                )
            except ServiceError as error:
                form.add_error("amount", error.message)
            else:
                messages.success(request, "Recorded on the budget account.")
                return redirect("families:child", child.pk)
    return _child_page(request, child, form=form, status=400 if form.errors else 200)


@roles(Role.OFFICER)
def child_direct_payment_audit(request, child_id):
    """An officer records the audit of a direct payment's spending."""
    child = _child(request, child_id)
    account = getattr(child, "budget", None)
    audit_form = DirectPaymentAuditForm(request.POST or None)
    if request.method == "POST" and audit_form.is_valid():
        if account is None:
            audit_form.add_error(None, "This child has no budget account: record an assessment first.")
        else:
            try:
                direct_payment_audit_record(account=account, auditor=request.user, **audit_form.cleaned_data)
            except ServiceError as error:
                audit_form.add_error(None, error.message)
            else:
                messages.success(request, "Direct payment audit recorded.")
                return redirect("families:child", child.pk)
    return _child_page(request, child, audit_form=audit_form, status=400 if audit_form.errors else 200)


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
            allocation = allocation_from_assessment(
                child=child,
                answers=form.answers(),
                assessor=request.user,
                assessed_on=form.cleaned_data["assessed_on"],
                notes=form.cleaned_data["notes"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"{child.first_name}: {allocation.band_name}, £{allocation.annual_amount:,.2f} "
                f"a year ({allocation.total_points} points).",
            )
            return redirect("families:child", child.pk)
    return render(request, "families/officer/assess.html", {"child": child, "rule": rule, "form": form})


@roles(Role.OFFICER)
def applications(request):
    waiting = (
        EligibilityApplication.objects.filter(
            authority=request.authority,
            status__in=[EligibilityApplication.Status.SUBMITTED, EligibilityApplication.Status.REVIEW_REQUESTED],
        )
        .select_related("child__family")
        .order_by("submitted_at")
    )
    return render(request, "families/officer/applications.html", {"applications": waiting})


def _application(request, application_id) -> EligibilityApplication:
    return get_object_or_404(
        EligibilityApplication.objects.select_related("child__family", "policy", "decided_by"),
        pk=application_id,
        authority=request.authority,
    )


@roles(Role.OFFICER)
def application_detail(request, application_id):
    application = _application(request, application_id)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application_decide(
                application=application,
                decided_by=request.user,
                reasons=form.cleaned_data["reasons"],
                approve=form.cleaned_data["decision"] == "approve",
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, f"Decision recorded for {application.child.first_name}. The family has been told."
            )
            return redirect("families:applications")
    return render(
        request,
        "families/officer/application.html",
        {
            "application": application,
            "form": form,
            "evidence": application.evidence.all(),
        },
    )


@roles(Role.OFFICER)
def evidence_download(request, application_id, evidence_id):
    """Special category data: officers of this authority only, and always as a download."""
    application = _application(request, application_id)
    document = get_object_or_404(EvidenceDocument, pk=evidence_id, application=application)
    return attachment(
        document.file, filename=document.original_filename, content_type=document.content_type, private=True
    )


@roles(Role.OFFICER)
def caseload_import(request):
    """Upload the caseload from the case management system: all rows or none."""
    form = CaseloadImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            counts = import_caseload(
                authority=request.authority, name=upload.name, content=upload.read(), imported_by=request.user
            )
        except ImportRejected as rejected:
            problems = rejected.problems
            form.add_error(
                "file",
                f"Nothing was imported: the file has {len(problems)} problem"
                f"{'s' if len(problems) != 1 else ''}, listed below",
            )
        else:
            messages.success(
                request,
                f"Imported: {counts['families_created']} new families, "
                f"{counts['children_created']} new children, {counts['children_updated']} updated.",
            )
            return redirect("families:caseload")
    return render(
        request,
        "families/officer/import.html",
        {"form": form, "problems": problems[:200], "more": max(0, len(problems) - 200), "columns": COLUMNS},
    )


@roles(Role.OFFICER)
def family_export_view(request, family_id):
    """Everything held about a family, for a subject access request: officers only."""
    family = get_object_or_404(Family, pk=family_id, authority=request.authority)
    name, content = family_export(family=family, exported_by=request.user)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@roles(Role.OFFICER)
def family_erase_view(request, family_id):
    family = get_object_or_404(Family, pk=family_id, authority=request.authority)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            family_erase(family=family, erased_by=request.user, reason=form.cleaned_data["reason"])
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"The personal data of family {family.reference} has been erased. "
                "Its budget records and history are kept.",
            )
            return redirect("families:caseload")
    return render(
        request, "families/officer/erase.html", {"family": family, "form": form, "children": family.children.all()}
    )
