"""Building and running opportunities, for commissioners and procurement officers. Bids are
shown only through selectors/sealing.py: nothing before the deadline has passed and
the submissions have been opened (an audited event)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.accounts.models import Invitation, User
from shortbreaks.accounts.selectors import pending_invitations
from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.forms import parse_date
from shortbreaks.core.lookups import object_or_404, valid_pk
from shortbreaks.core.models import Authority
from shortbreaks.core.roles import Role

from ..forms import LotForm, OpportunityForm, PanelInviteForm, QuestionForm
from ..joint import arrangement_record, participant_add
from ..models import Clarification, JointArrangement, Lot, Membership, Opportunity, Question
from ..scoring import lot_results
from ..selectors import readable_submissions, selection_stage_responses
from ..selectors.sealing import decidable_submission
from ..services import (
    application_decide,
    award_decide,
    clarification_answer,
    evaluator_add,
    framework_reopen,
    lot_add,
    membership_remove,
    opportunity_announce,
    opportunity_create,
    opportunity_publish,
    opportunity_update,
    panel_share_set,
    publish_problems,
    question_add,
    shortlist_decide,
    submissions_open,
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
    )


def managed(request, opportunity_id) -> Opportunity:
    return get_object_or_404(
        Opportunity.objects.prefetch_related("lots__award"), pk=opportunity_id, authority=request.authority
    )


@roles(*BUYERS)
def manage(request, opportunity_id):
    opportunity = managed(request, opportunity_id)
    lot_form, question_form = LotForm(prefix="lot"), QuestionForm(prefix="question")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "lot":
                lot_form = LotForm(request.POST, prefix="lot")
                if lot_form.is_valid():
                    lot_add(opportunity=opportunity, added_by=request.user, **lot_form.cleaned_data)
                    messages.success(request, "Lot added.")
                    return redirect("procurement:manage", opportunity.pk)
            elif action == "question":
                question_form = QuestionForm(request.POST, prefix="question")
                if question_form.is_valid():
                    question_add(opportunity=opportunity, added_by=request.user, **question_form.cleaned_data)
                    messages.success(request, "Question added.")
                    return redirect("procurement:manage", opportunity.pk)
            elif action == "announce":
                opportunity_announce(opportunity=opportunity, announced_by=request.user)
                messages.success(request, "Announced: the open data now shows it as planned.")
                return redirect("procurement:manage", opportunity.pk)
            elif action == "publish":
                opportunity_publish(opportunity=opportunity, published_by=request.user)
                messages.success(request, "Published: providers can see it and submit.")
                return redirect("procurement:manage", opportunity.pk)
            elif action == "answer":
                clarification = object_or_404(Clarification, request.POST.get("clarification"), opportunity=opportunity)
                clarification_answer(
                    clarification=clarification, answer=request.POST.get("answer", ""), answered_by=request.user
                )
                messages.success(request, "Answer published to every provider, without saying who asked.")
                return redirect("procurement:manage", opportunity.pk)
            elif action == "share":
                try:
                    share = int(request.POST.get("share", ""))
                except ValueError:
                    raise ServiceError("Give the share as a whole number from 0 to 100.") from None
                panel_share_set(
                    opportunity=opportunity, panel=request.POST.get("panel", ""), share=share, set_by=request.user
                )
                messages.success(
                    request, "Panel share saved. Add the panel's members as evaluators; they set its criteria."
                )
                return redirect("procurement:manage", opportunity.pk)
            elif action == "evaluator":
                # Only people of this council are looked up: whether an address has an account
                # elsewhere on the installation, and whose it is, is not this council's to learn.
                user = (
                    User.objects.filter(
                        email__iexact=request.POST.get("email", "").strip(),
                        role_assignments__authority=request.authority,
                    )
                    .distinct()
                    .first()
                )
                if user is None:
                    raise ServiceError(
                        f"Nobody with that email address has a role at {request.authority.name}. "
                        "Give them a role here first, then add them."
                    )
                evaluator_add(
                    opportunity=opportunity,
                    user=user,
                    panel=request.POST.get("panel", ""),
                    is_moderator=bool(request.POST.get("moderator")),
                    added_by=request.user,
                )
                messages.success(request, f"{user.display_name} added to the evaluation.")
                return redirect("procurement:manage", opportunity.pk)
            elif action == "award":
                lot = object_or_404(Lot, request.POST.get("lot"), opportunity=opportunity)
                award = award_decide(
                    lot=lot, decided_by=request.user, conditions=request.POST.get("conditions", "")[:4000]
                )
                messages.success(
                    request,
                    f"Lot {lot.number} awarded. Every bidder has their assessment summary; the "
                    f"standstill period ends {award.standstill_ends_on:%d %B %Y}.",
                )
                return redirect("procurement:manage", opportunity.pk)
            elif action in ("shortlist", "reject"):
                submission = decidable_submission(
                    user=request.user,
                    authority=request.authority,
                    opportunity=opportunity,
                    pk=request.POST.get("submission"),
                    now=timezone.now(),
                )
                shortlist_decide(
                    submission=submission,
                    decided_by=request.user,
                    shortlisted=action == "shortlist",
                    reasons=request.POST.get("reasons", "")[:2000],
                )
                messages.success(request, "Decision recorded and the provider told.")
                return redirect("procurement:manage", opportunity.pk)
            elif action in ("admit", "refuse"):
                submission = decidable_submission(
                    user=request.user,
                    authority=request.authority,
                    opportunity=opportunity,
                    pk=request.POST.get("submission"),
                    now=timezone.now(),
                )
                application_decide(
                    submission=submission,
                    decided_by=request.user,
                    admit=action == "admit",
                    reasons=request.POST.get("reasons", "")[:2000],
                )
                messages.success(request, "Decision recorded and the provider told.")
                return redirect("procurement:manage", opportunity.pk)
            elif action == "remove":
                membership = object_or_404(Membership, request.POST.get("membership"), opportunity=opportunity)
                membership_remove(
                    membership=membership, removed_by=request.user, reasons=request.POST.get("reasons", "")[:2000]
                )
                messages.success(request, "Removed from the list, with the reasons sent to the provider.")
                return redirect("procurement:manage", opportunity.pk)
            elif action == "joint":
                arrangement_record(
                    framework=opportunity,
                    terms=request.POST.get("terms", "")[:8000],
                    agreed_on=parse_date(request.POST.get("agreed_on", ""), "the date of the agreement"),
                    recorded_by=request.user,
                )
                messages.success(request, "Joint commissioning recorded. Add the authorities taking part.")
                return redirect("procurement:manage", opportunity.pk)
            elif action == "joint-participant":
                arrangement = get_object_or_404(JointArrangement, framework=opportunity)
                other = (
                    Authority.objects.exclude(pk=request.authority.pk)
                    .filter(pk=valid_pk(Authority, request.POST.get("authority")))
                    .first()
                )
                if other is None:
                    raise ServiceError("Choose the authority joining.")
                participant_add(
                    arrangement=arrangement,
                    authority=other,
                    joined_on=parse_date(request.POST.get("joined_on", ""), "the date it joined"),
                    signed_for_by=request.POST.get("signed_for_by", "")[:200],
                    added_by=request.user,
                )
                messages.success(request, f"{other.name} has joined the framework.")
                return redirect("procurement:manage", opportunity.pk)
            elif action == "reopen":
                reopening = framework_reopen(framework=opportunity, reopened_by=request.user)
                messages.success(
                    request, "Re-opening drafted on the framework's terms: set its deadlines, then publish it."
                )
                return redirect("procurement:manage", reopening.pk)
            elif action == "open":
                submissions_open(opportunity=opportunity, opened_by=request.user)
                messages.success(request, "Submissions opened. This is recorded in the audit trail.")
                return redirect("procurement:manage", opportunity.pk)
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect("procurement:manage", opportunity.pk)
    return manage_page(request, opportunity, lot_form=lot_form, question_form=question_form)


def manage_page(request, opportunity, *, lot_form=None, question_form=None, invite_form=None, withdraw_form=None):
    """The opportunity's page, with any form that came back with errors (the panel forms are
    posted to their own views, procurement/views/panels.py, which show this page again)."""
    return render(
        request,
        "procurement/manage.html",
        {
            "opportunity": opportunity,
            "lot_form": lot_form or LotForm(prefix="lot"),
            "question_form": question_form or QuestionForm(prefix="question"),
            "invite_form": invite_form or PanelInviteForm(prefix="invite"),
            "withdraw_form": withdraw_form,
            "panel_invitations": pending_invitations(
                authority=request.authority, purpose=Invitation.Purpose.PANEL, subject_id=str(opportunity.pk)
            ),
            "warnings": threshold_warnings(opportunity),
            "problems": publish_problems(opportunity, timezone.now())
            if opportunity.status == Opportunity.Status.DRAFT
            else [],
            "clarifications": opportunity.clarifications.all(),
            "now": timezone.now(),
            "submissions": readable_submissions(
                user=request.user, authority=request.authority, opportunity=opportunity
            ).prefetch_related("answers__question", "documents"),
            "memberships": opportunity.memberships.select_related("organisation", "lot"),
            "selection_responses": selection_stage_responses(
                user=request.user, authority=request.authority, opportunity=opportunity, now=timezone.now()
            ),
            "decided": {
                m.submission_id
                for m in opportunity.memberships.select_related("submission")
                if m.submission.submitted_at and m.decided_at >= m.submission.submitted_at
            },
            "evaluators": opportunity.evaluators.select_related("user"),
            "panels": Question.Panel.choices,
            "arrangement": JointArrangement.objects.filter(framework=opportunity)
            .prefetch_related("participants__authority")
            .first(),
            "other_authorities": Authority.objects.exclude(pk=request.authority.pk).order_by("name"),
            "results": [(lot, lot_results(lot), getattr(lot, "award", None)) for lot in opportunity.lots.all()]
            if opportunity.opened_at
            else [],
        },
    )


@roles(*BUYERS)
def edit(request, opportunity_id):
    opportunity = get_object_or_404(Opportunity, pk=opportunity_id, authority=request.authority)
    fields = list(OpportunityForm.base_fields)
    initial = {name: getattr(opportunity, name) for name in fields}
    initial["price_bands"] = ", ".join(f"{a}:{b}" for a, b in opportunity.price_bands or [])
    form = OpportunityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if getattr(opportunity, k) != v and k != "reference"}
        try:
            opportunity_update(opportunity=opportunity, updated_by=request.user, **changes)
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
    return render(request, "procurement/edit.html", {"opportunity": opportunity, "form": form})
