"""Providers' submissions, sealed until the deadline (`_open_for_submissions` is the one check
every submission write goes through), the two-stage shortlist, and the audited opening."""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.core.templatetags.govuk import day_and_time
from shortbreaks.procurement.audit import Audit

from ..models import (
    Answer,
    Lot,
    Opportunity,
    Question,
    Submission,
)
from ..routes import rules_for

when = day_and_time  # the deadlines' words, as the pages say them


def in_selection_stage(opportunity: Opportunity, now: dt.datetime) -> bool:
    return (
        rules_for(opportunity.route).selection_stage
        and opportunity.selection_deadline is not None
        and now < opportunity.selection_deadline
    )


def _open_for_submissions(opportunity: Opportunity, now: dt.datetime) -> None:
    if not rules_for(opportunity.route).deadline:  # providers apply at any time
        if opportunity.status != Opportunity.Status.OPEN:
            raise NotAllowed(f"{opportunity.reference} is not taking applications.")
        return
    if (
        opportunity.status != Opportunity.Status.OPEN
        or not opportunity.submission_deadline
        or now >= opportunity.submission_deadline
    ):
        raise NotAllowed(f"The deadline for {opportunity.reference} has passed: submissions are closed.")


@transaction.atomic(durable=True)
def submission_save(
    *, opportunity: Opportunity, lot: Lot, organisation, answers: dict, price: Decimal | None, saved_by
) -> Submission:
    """Save a draft (or change a submitted one, which makes it a draft again until resubmitted)."""
    now = timezone.now()
    opportunity = Opportunity.objects.get(pk=opportunity.pk)
    _open_for_submissions(opportunity, now)
    if lot.opportunity_id != opportunity.pk:
        raise NotAllowed("That lot is not part of this opportunity.")
    if price is not None and price < 0:
        raise NotAllowed("The price cannot be negative.")
    try:
        with transaction.atomic():
            submission, _ = Submission.objects.get_or_create(
                lot=lot,
                organisation=organisation,
                defaults={"authority": opportunity.authority, "opportunity": opportunity},
            )
    except IntegrityError:
        submission = Submission.objects.get(lot=lot, organisation=organisation)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    selection_stage = in_selection_stage(opportunity, now)
    if rules_for(opportunity.route).selection_stage and not selection_stage:
        if submission.shortlisted is not True:
            raise NotAllowed("Only providers shortlisted at the selection stage can write the full tender.")
        if (
            submission.status == Submission.Status.SUBMITTED
            and submission.submitted_at < opportunity.selection_deadline
        ):
            submission.status = Submission.Status.DRAFT  # the first stage's answers become the tender's draft
    if submission.status == Submission.Status.SUBMITTED:
        raise NotAllowed(
            "You have submitted this bid: withdraw it to change it, then submit it again before the deadline."
        )
    questions = {
        str(q.pk): q for q in opportunity.questions.all() if not selection_stage or q.kind == Question.Kind.SELECTION
    }
    for question_id, text in answers.items():
        if question_id not in questions:
            if selection_stage and not text.strip():
                continue  # the award questions' empty boxes in the first stage
            raise NotAllowed(
                "One of the answers is for a question this opportunity does not ask"
                + (" at the selection stage." if selection_stage else ".")
            )
        Answer.objects.update_or_create(submission=submission, question=questions[question_id], defaults={"text": text})
    submission.price, submission.status = price, Submission.Status.DRAFT
    submission.save(update_fields=["price", "status", "updated_at"])
    return submission


@transaction.atomic(durable=True)
def submission_confirm(*, submission: Submission, confirmed_by) -> Submission:
    """The opportunity changed after the provider submitted: they confirm the bid stands."""
    submission = Submission.objects.select_for_update(of=("self",)).select_related("opportunity").get(pk=submission.pk)
    _open_for_submissions(submission.opportunity, timezone.now())
    if submission.status != Submission.Status.SUBMITTED or not submission.needs_confirmation:
        raise NotAllowed("There is nothing to confirm.")
    submission.needs_confirmation = False
    submission.save(update_fields=["needs_confirmation", "updated_at"])
    audit_record(
        authority=submission.authority,
        actor=confirmed_by,
        action=Audit.PROCUREMENT_CONFIRMED,
        target=submission,
        summary=f"A submission for {submission.opportunity.reference} was confirmed after a change",
    )
    return submission


@transaction.atomic(durable=True)
def submission_submit(*, submission: Submission, submitted_by) -> Submission:
    now = timezone.now()
    submission = (
        Submission.objects.select_for_update(of=("self",)).select_related("opportunity", "lot").get(pk=submission.pk)
    )
    opportunity = submission.opportunity
    _open_for_submissions(opportunity, now)
    answered = {a.question_id for a in submission.answers.all() if a.text.strip()}
    selection_stage = in_selection_stage(opportunity, now)
    missing = [
        q
        for q in opportunity.questions.all()
        if q.pk not in answered and (not selection_stage or q.kind == Question.Kind.SELECTION)
    ]
    problems = [f"Answer {q.get_kind_display().split(' ')[0].lower()} question {q.number}." for q in missing]
    grant = rules_for(opportunity.route).award_conditions
    if submission.price is None and not selection_stage and grant:
        problems.append("Give the amount requested.")
    elif (
        opportunity.price_formula != Opportunity.PriceFormula.NONE
        and submission.price is None
        and rules_for(opportunity.route).price
        and not selection_stage
    ):
        problems.append("Give your price.")
    if problems:
        raise NotAllowed("Not submitted yet. " + " ".join(problems))
    submission.status, submission.submitted_at, submission.needs_confirmation = Submission.Status.SUBMITTED, now, False
    submission.save(update_fields=["status", "submitted_at", "needs_confirmation", "updated_at"])
    # Audit names the event, never the content: the bid stays sealed.
    audit_record(
        authority=opportunity.authority,
        actor=submitted_by,
        action=Audit.PROCUREMENT_SUBMITTED,
        target=submission,
        summary=f"A submission for {opportunity.reference} lot {submission.lot.number} was received",
    )
    _send_receipt(submission, submitted_by, now)
    return submission


def _send_receipt(submission: Submission, submitted_by, now: dt.datetime) -> None:
    """The provider's receipt: when the bid arrived and where to read it back (never its content,
    which stays on the site behind the provider's sign-in)."""
    opportunity, lot = submission.opportunity, submission.lot
    sealed = rules_for(opportunity.route).sealed
    email_after_commit(
        to=[submission.organisation.email, getattr(submitted_by, "email", "")],
        subject=f"Bid received: {opportunity.reference}, lot {lot.number}",
        body=(
            f"We received {submission.organisation.name}'s bid for {opportunity}, lot {lot.number} "
            f"({lot.title}), on {when(now)}.\n"
            + (
                "Nobody at the council can read it before the deadline. "
                if sealed and opportunity.submission_deadline
                else ""
            )
            + "Read back what you submitted:\n"
            f"{absolute(opportunity.authority, 'procurement:respond', opportunity.pk, lot.pk)}\n"
        ),
        why=f"{submission.organisation.name} submitted a bid for {opportunity.reference}",
        authority=opportunity.authority,
    )


@transaction.atomic(durable=True)
def submission_withdraw(*, submission: Submission, withdrawn_by) -> Submission:
    submission = Submission.objects.select_for_update(of=("self",)).select_related("opportunity").get(pk=submission.pk)
    _open_for_submissions(submission.opportunity, timezone.now())
    submission.status, submission.submitted_at = Submission.Status.WITHDRAWN, None
    submission.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(
        authority=submission.authority,
        actor=withdrawn_by,
        action=Audit.PROCUREMENT_WITHDRAWN,
        target=submission,
        summary=f"A submission for {submission.opportunity.reference} was withdrawn",
    )
    return submission


@transaction.atomic(durable=True)
def submissions_open(*, opportunity: Opportunity, opened_by) -> Opportunity:
    """After the deadline, and only then: the audited moment the council first sees the bids."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    now = timezone.now()
    if opportunity.status != Opportunity.Status.OPEN:
        raise NotAllowed("Only an opportunity open for submissions can be opened.")
    if not opportunity.submission_deadline or now < opportunity.submission_deadline:
        raise NotAllowed(f"Submissions are sealed until {when(opportunity.submission_deadline)}.")
    opportunity.status, opportunity.opened_at = Opportunity.Status.CLOSED, now
    opportunity.save(update_fields=["status", "opened_at"])
    if rules_for(opportunity.route).selection_stage:
        # A selection-stage response never followed by a full tender is not a bid.
        opportunity.submissions.filter(
            status=Submission.Status.SUBMITTED, submitted_at__lt=opportunity.selection_deadline
        ).update(status=Submission.Status.WITHDRAWN)
    submitted = opportunity.submissions.filter(status=Submission.Status.SUBMITTED)
    count, unconfirmed = submitted.count(), submitted.filter(needs_confirmation=True).count()
    audit_record(
        authority=opportunity.authority,
        actor=opened_by,
        action=Audit.PROCUREMENT_OPENED,
        target=opportunity,
        summary=f"{count} submission{'' if count == 1 else 's'} for {opportunity} opened",
        # Bids whose bidders never confirmed them after a change are not evaluated.
        details={"not_confirmed": unconfirmed},
    )
    return opportunity


@transaction.atomic(durable=True)
def shortlist_decide(*, submission: Submission, decided_by, shortlisted: bool, reasons: str) -> Submission:
    """The selection stage's outcome, told to the provider before they write a full tender."""
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("opportunity", "organisation")
        .get(pk=submission.pk)
    )
    opportunity, now = submission.opportunity, timezone.now()
    if (
        not rules_for(opportunity.route).selection_stage
        or in_selection_stage(opportunity, now)
        or now >= opportunity.submission_deadline
    ):
        raise NotAllowed("Shortlist between the selection-stage deadline and the submission deadline.")
    if submission.status != Submission.Status.SUBMITTED or submission.submitted_at >= opportunity.selection_deadline:
        raise NotAllowed("Only selection-stage responses received by its deadline are shortlisted.")
    if not shortlisted and not reasons.strip():
        raise NotAllowed("Say which selection criteria were not met.")
    submission.shortlisted, submission.shortlist_reasons = shortlisted, reasons.strip()
    submission.save(update_fields=["shortlisted", "shortlist_reasons", "updated_at"])
    audit_record(
        authority=submission.authority,
        actor=decided_by,
        action=Audit.PROCUREMENT_SHORTLIST,
        target=submission,
        summary=f"{submission.organisation} {'shortlisted' if shortlisted else 'not shortlisted'} for "
        f"{opportunity.reference}",
        details={"reasons": reasons},
    )
    email_after_commit(
        to=[submission.organisation.email],
        subject=f"Selection stage: {opportunity.reference}",
        body=(
            f"You are shortlisted for {opportunity}. Write your full tender by "
            f"{when(opportunity.submission_deadline)}:\n"
            f"{absolute(opportunity.authority, 'procurement:respond', opportunity.pk, submission.lot_id)}\n"
            if shortlisted
            else f"You were not shortlisted for {opportunity}: {reasons}\nYou need not write a full tender.\n"
        ),
        why=f"{submission.organisation.name} answered the selection stage of {opportunity.reference}",
        authority=opportunity.authority,
    )
    return submission


def _tell_submitters(opportunity: Opportunity, *, earlier_because: str = "") -> None:
    """A published opportunity changed: those who submitted confirm or resubmit. A deadline
    brought forward is told to every bidder, drafts too, with the reason."""
    bids = (
        opportunity.submissions.exclude(status=Submission.Status.WITHDRAWN)
        .select_related("organisation")
        .order_by("-status")  # submitted before drafts: one email each, about the submitted bid
    )
    if not earlier_because:
        bids = bids.filter(status=Submission.Status.SUBMITTED)
    deadline = opportunity.submission_deadline
    told = set()
    for submission in bids:
        email = submission.organisation.email
        if email in told:  # one email each, whichever lots they bid on
            continue
        told.add(email)
        submitted = submission.status == Submission.Status.SUBMITTED
        body = f"{opportunity} changed after you {'submitted' if submitted else 'started your bid'}."
        if earlier_because:
            body += (
                f" The submission deadline is now earlier: {when(deadline)}. The council's reason: {earlier_because}"
            )
        body += (
            " Check the changes, then confirm your submission or resubmit it before the deadline:\n"
            if submitted
            else " Check the changes before you submit:\n"
        )
        email_after_commit(
            to=[email],
            subject=f"{opportunity.reference} has changed",
            body=body
            + f"{absolute(opportunity.authority, 'procurement:respond', opportunity.pk, submission.lot_id)}\n",
            why=f"{submission.organisation.name} is bidding for {opportunity.reference}",
            authority=opportunity.authority,
        )
    opportunity.submissions.filter(status=Submission.Status.SUBMITTED).update(needs_confirmation=True)
