"""Building and running opportunities, for commissioners and procurement officers. Bids are
shown only through selectors/sealing.py: nothing before the deadline has passed and
the submissions have been opened (an audited event).

The opportunity's page (here) shows every form; each button posts to a view of its own
(views/manage.py for building it, views/decisions.py for deciding on it, views/panels.py for
its panels, views/documents.py for its documents). If it cannot be done the page is shown
again, with status 400, what was typed and the reason."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from shortbreaks.accounts.models import Invitation
from shortbreaks.accounts.selectors import pending_invitations
from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.models import Authority
from shortbreaks.core.roles import Role

from ..forms.buttons import relabel
from ..forms.documents import DocumentForm
from ..forms.manage import (
    ApplicationForm,
    AwardForm,
    ClarificationAnswerForm,
    EvaluatorForm,
    JointForm,
    PanelShareForm,
    ParticipantForm,
    RemoveForm,
    ShortlistForm,
)
from ..forms.opportunities import LotForm, OpportunityChangeForm, OpportunityForm, PanelInviteForm, QuestionForm
from ..models import JointArrangement, Membership, Opportunity
from ..routes import priced, rules_for
from ..scoring import lot_results
from ..selectors import readable_submissions, selection_stage_responses
from ..selectors.sealing import decidable_submissions
from ..services import (
    award_weights,
    opportunity_create,
    opportunity_update,
    publish_problems,
    real_changes,
    threshold_warnings,
)

BUYERS = (Role.COMMISSIONER, Role.PROCUREMENT_OFFICER)


@roles(*BUYERS)
def opportunities(request):
    form = OpportunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = opportunity_create(authority=request.authority, created_by=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Draft created. Add its lots and questions, then publish it.")
            return redirect("procurement:manage", opportunity.pk)
    return render(
        request,
        "procurement/staff_list.html",
        {
            "opportunities": Opportunity.objects.filter(authority=request.authority).prefetch_related("lots"),
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


def managed(request, opportunity_id) -> Opportunity:
    return get_object_or_404(
        Opportunity.objects.prefetch_related("lots__award"), pk=opportunity_id, authority=request.authority
    )


def _arrangement(opportunity):
    return JointArrangement.objects.filter(framework=opportunity).prefetch_related("participants__authority").first()


def other_authorities(request):
    return Authority.objects.exclude(pk=request.authority.pk).order_by("name")


def page_form(request, opportunity, name, data=None, files=None):
    """One of the page's own forms (not a row's), each with ids of its own."""
    if name == "lot_form":
        return LotForm(data, prefix="lot")
    if name == "question_form":
        return QuestionForm(data, prefix="question")
    if name == "invite_form":
        return PanelInviteForm(data, prefix="invite")
    if name == "share_form":
        return PanelShareForm(data, auto_id="share-%s")
    if name == "evaluator_form":
        return EvaluatorForm(data, auto_id="ev-%s", authority=request.authority)
    if name == "document_form":
        return DocumentForm(data, files, auto_id="doc-%s")
    if name == "joint_form":
        arrangement = _arrangement(opportunity)
        initial = {"terms": arrangement.terms, "agreed_on": arrangement.agreed_on} if arrangement else {}
        return JointForm(data, auto_id="joint-%s", initial=initial)
    if name == "participant_form":
        return ParticipantForm(data, auto_id="jp-%s", authorities=other_authorities(request))
    raise KeyError(name)


PAGE_FORMS = (
    "lot_form",
    "question_form",
    "invite_form",
    "share_form",
    "evaluator_form",
    "document_form",
    "joint_form",
    "participant_form",
)


def decidable(request, opportunity):
    return decidable_submissions(
        user=request.user, authority=request.authority, opportunity=opportunity, now=timezone.now()
    )


def _row_form(form_class, row, failed, **kwargs):
    """The row's form: the one that failed, if it was this row's, else an empty one."""
    if failed is not None and type(failed) is form_class and failed.row_id == str(row.pk):
        return failed
    return form_class(auto_id=f"%s-{row.pk}", **kwargs)


def manage_page(
    request,
    opportunity,
    *,
    lot_form=None,
    question_form=None,
    invite_form=None,
    withdraw_form=None,
    failed=None,
    failed_name="",
    status=200,
):
    """The opportunity's page, with the form that came back with errors: `failed` (named
    `failed_name` if it is one of the page's own forms rather than a row's)."""
    now = timezone.now()
    context = {name: page_form(request, opportunity, name) for name in PAGE_FORMS}
    for name, form in (("lot_form", lot_form), ("question_form", question_form), ("invite_form", invite_form)):
        if form is not None:
            context[name] = form
    if failed_name:
        context[failed_name] = failed
    row_failed = None if failed_name else failed
    selection = selection_stage_responses(
        user=request.user, authority=request.authority, opportunity=opportunity, now=now
    )
    submissions = readable_submissions(
        user=request.user, authority=request.authority, opportunity=opportunity
    ).prefetch_related("answers__question", "documents")
    memberships = opportunity.memberships.select_related("organisation", "lot", "submission")
    decided = {
        m.submission_id for m in memberships if m.submission.submitted_at and m.decided_at >= m.submission.submitted_at
    }
    removals = []
    for m in memberships:
        form = None
        if m.status == Membership.Status.ADMITTED:
            form = _row_form(RemoveForm, m, row_failed, opportunity=opportunity)
            relabel(form, "reasons", f"Criteria no longer met (to remove {m.organisation.name})")
        removals.append((m, form))
    one_by_one = rules_for(opportunity.route).decided_one_by_one
    evaluators = list(opportunity.evaluators.select_related("user"))
    return render(
        request,
        "procurement/manage.html",
        context
        | {
            "opportunity": opportunity,
            "failed": failed,
            "withdraw_form": withdraw_form,
            "panel_invitations": pending_invitations(
                authority=request.authority, purpose=Invitation.Purpose.PANEL, subject_id=str(opportunity.pk)
            ),
            "warnings": threshold_warnings(opportunity),
            "priced": priced(opportunity),
            "problems": publish_problems(opportunity, now) if opportunity.status == Opportunity.Status.DRAFT else [],
            # Before publishing: how officers' and panels' shares add up, so weights make room.
            "weights": award_weights(opportunity)
            if opportunity.status == Opportunity.Status.DRAFT and rules_for(opportunity.route).award_questions
            else None,
            "clarifications": [
                (
                    c,
                    None
                    if c.published_at
                    else _row_form(ClarificationAnswerForm, c, row_failed, opportunity=opportunity),
                )
                for c in opportunity.clarifications.all()
            ],
            "now": now,
            # (An empty row form needs no choices: only a bound one looks its row up.)
            "submissions": [
                (
                    s,
                    _row_form(ApplicationForm, s, row_failed, submissions=None)
                    if one_by_one and s.pk not in decided
                    else None,
                )
                for s in submissions
            ],
            "memberships": memberships,
            "removals": removals,
            "selection_responses": [
                (
                    response,
                    answers,
                    _row_form(ShortlistForm, response, row_failed, submissions=None)
                    if response.shortlisted is None
                    else None,
                )
                for response, answers in selection
            ],
            "evaluators": evaluators,
            # A buyer on the evaluation (the moderator, say) scores from here: no menu leads there.
            "my_evaluation": next((e for e in evaluators if e.user_id == request.user.pk), None),
            "arrangement": _arrangement(opportunity),
            "results": [
                (
                    lot,
                    lot_results(lot),
                    getattr(lot, "award", None),
                    _row_form(AwardForm, lot, row_failed, opportunity=opportunity),
                )
                for lot in opportunity.lots.all()
            ]
            if opportunity.opened_at
            else [],
        },
        status=status,
    )


@roles(*BUYERS)
@require_safe
def manage(request, opportunity_id):
    return manage_page(request, managed(request, opportunity_id))


def page_action(request, opportunity_id, name, act, done):
    """A form of the page's own: act(opportunity, form) does it and returns the message (or
    None to say `done`)."""
    opportunity = managed(request, opportunity_id)
    if request.method != "POST":
        return redirect("procurement:manage", opportunity.pk)
    form = page_form(request, opportunity, name, request.POST, request.FILES)
    if form.is_valid():
        try:
            said = act(opportunity, form)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, said or done)
            return redirect("procurement:manage", opportunity.pk)
    return manage_page(request, opportunity, failed=form, failed_name=name, status=400)


def row_action(request, opportunity_id, make_form, act, done):
    """A form in one row of the page (a clarification, a submission, a lot): make_form(
    opportunity, data) builds it with its rows scoped to the opportunity."""
    opportunity = managed(request, opportunity_id)
    if request.method != "POST":
        return redirect("procurement:manage", opportunity.pk)
    form = make_form(opportunity, request.POST)
    if form.is_valid():
        try:
            said = act(opportunity, form)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, said or done)
            return redirect("procurement:manage", opportunity.pk)
    return manage_page(request, opportunity, failed=form, status=400)


@roles(*BUYERS)
def edit(request, opportunity_id):
    opportunity = get_object_or_404(Opportunity, pk=opportunity_id, authority=request.authority)
    fields = list(OpportunityForm.base_fields)
    initial = {name: getattr(opportunity, name) for name in fields}
    initial["price_bands"] = ", ".join(f"{a}:{b}" for a, b in opportunity.price_bands or [])
    form = OpportunityChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        submitted = {k: v for k, v in form.cleaned_data.items() if k not in ("reference", "deadline_reason")}
        changes = real_changes(opportunity, submitted)
        if not changes:
            messages.success(request, "Nothing changed.")
            return redirect("procurement:manage", opportunity.pk)
        try:
            opportunity_update(
                opportunity=opportunity,
                updated_by=request.user,
                deadline_reason=form.cleaned_data["deadline_reason"],
                **changes,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                "Saved."
                + (
                    " Providers who had submitted are asked to confirm or resubmit."
                    if opportunity.status == Opportunity.Status.OPEN
                    else ""
                ),
            )
            return redirect("procurement:manage", opportunity.pk)
    return render(
        request,
        "procurement/edit.html",
        {"opportunity": opportunity, "form": form},
        status=400 if form.is_bound else 200,
    )
