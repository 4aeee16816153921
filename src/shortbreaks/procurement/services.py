"""Writes for procurement: building and publishing an opportunity, clarifications, providers'
submissions (sealed until the deadline), and opening them once it has passed."""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit

from .models import Answer, Clarification, Lot, Membership, Opportunity, ProcurementPolicy, Question, Submission

COMPETITIVE = {
    Opportunity.Route.OPEN,
    Opportunity.Route.TWO_STAGE,
    Opportunity.Route.FRAMEWORK,
    Opportunity.Route.DYNAMIC_LIST,
    Opportunity.Route.BLOCK,
    Opportunity.Route.GRANT,
}
DIRECT = {Opportunity.Route.SPOT, Opportunity.Route.IN_HOUSE}


def policy_for(authority) -> ProcurementPolicy:
    policy, _ = ProcurementPolicy.objects.get_or_create(authority=authority)
    return policy


def threshold_warnings(opportunity: Opportunity) -> list[str]:
    """What the value means under the authority's own rules and the light-touch regime."""
    policy = policy_for(opportunity.authority)
    value = opportunity.estimated_value
    warnings = []
    if value >= policy.light_touch_threshold:
        warnings.append(
            f"The estimated value, £{value:,.0f}, is at or above the light-touch threshold "
            f"(£{policy.light_touch_threshold:,.0f} including VAT): the Procurement Act 2023's notices "
            "and rules for light-touch contracts apply."
        )
    if value >= policy.tender_threshold and opportunity.route in DIRECT:
        warnings.append(
            f"The estimated value, £{value:,.0f}, is above the council's tender threshold "
            f"(£{policy.tender_threshold:,.0f}): a {opportunity.get_route_display().lower()} needs a "
            "recorded exemption."
        )
    term, reopens = opportunity.term_months or 0, opportunity.reopens_every_months
    if opportunity.route == Opportunity.Route.FRAMEWORK and term > 48 and not reopens:
        warnings.append("A framework may last four years at most, unless it is an open framework that re-opens.")
    if opportunity.route == Opportunity.Route.FRAMEWORK and reopens:
        if reopens > 36:
            warnings.append("An open framework must re-open within its first three years.")
        if term > 96:
            warnings.append("An open framework may last eight years at most.")
        from .frameworks import reopening_due

        due = reopening_due(opportunity, timezone.localdate())
        if due and due <= timezone.localdate() + dt.timedelta(days=90):
            warnings.append(f"The framework is due to re-open to new providers by {due:%d %B %Y}.")
    return warnings


@transaction.atomic(durable=True)
def opportunity_create(
    *, authority, created_by, reference: str, title: str, description: str, route: str, **details
) -> Opportunity:
    if Opportunity.objects.filter(authority=authority, reference=reference).exists():
        raise NotAllowed(f"Reference {reference} is already used: choose another.")
    opportunity = Opportunity.objects.create(
        authority=authority,
        created_by=created_by,
        reference=reference,
        title=title,
        description=description,
        route=route,
        **details,
    )
    _check_details(opportunity)
    audit_record(
        authority=authority,
        actor=created_by,
        action="procurement.created",
        target=opportunity,
        summary=f"Opportunity {opportunity} drafted ({opportunity.get_route_display()})",
    )
    return opportunity


def _check_details(opportunity: Opportunity) -> None:
    if opportunity.route in DIRECT and not opportunity.justification.strip():
        raise NotAllowed(f"Record why a {opportunity.get_route_display().lower()} is the right route.")
    if (
        opportunity.price_formula != Opportunity.PriceFormula.NONE
        and opportunity.quality_weight + opportunity.price_weight != 100
    ):
        raise NotAllowed("Quality and price must add up to 100.")
    if opportunity.price_formula == Opportunity.PriceFormula.BANDS and not _bands_valid(opportunity.price_bands):
        raise NotAllowed("Price bands need percentages above the lowest price, rising, each with marks from 0 to 100.")
    if (
        opportunity.clarification_deadline
        and opportunity.submission_deadline
        and opportunity.clarification_deadline >= opportunity.submission_deadline
    ):
        raise NotAllowed("Clarification questions must close before the submission deadline.")


def _bands_valid(bands) -> bool:
    try:
        pairs = [(float(within), float(marks)) for within, marks in bands]
    except (TypeError, ValueError):
        return False
    withins = [w for w, _ in pairs]
    return bool(pairs) and withins == sorted(set(withins)) and all(w >= 0 and 0 <= m <= 100 for w, m in pairs)


@transaction.atomic(durable=True)
def opportunity_update(*, opportunity: Opportunity, updated_by, **changes) -> Opportunity:
    """While a draft, anything; once open, a change tells every provider who has submitted, who
    must confirm or resubmit. Closed opportunities do not change."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status not in (Opportunity.Status.DRAFT, Opportunity.Status.OPEN):
        raise NotAllowed("Submissions are open: this opportunity cannot change any more.")
    if opportunity.status == Opportunity.Status.OPEN and "route" in changes and changes["route"] != opportunity.route:
        raise NotAllowed("The route cannot change once the opportunity is published.")
    for name, value in changes.items():
        setattr(opportunity, name, value)
    _check_details(opportunity)
    if opportunity.status == Opportunity.Status.OPEN and opportunity.submission_deadline <= timezone.now():
        raise NotAllowed("The new deadline has already passed.")
    opportunity.save()
    if opportunity.status == Opportunity.Status.OPEN:
        _tell_submitters(opportunity)
    audit_record(
        authority=opportunity.authority,
        actor=updated_by,
        action="procurement.changed",
        target=opportunity,
        summary=f"{opportunity} changed: {', '.join(sorted(changes))}",
    )
    return opportunity


def _tell_submitters(opportunity: Opportunity) -> None:
    submitted = opportunity.submissions.filter(status=Submission.Status.SUBMITTED).select_related("organisation")
    for submission in submitted:
        email_after_commit(
            to=[submission.organisation.email],
            subject=f"{opportunity.reference} has changed",
            body=f"{opportunity} changed after you submitted. Check the changes, then confirm your "
            "submission or resubmit it before the deadline:\n"
            f"{absolute(opportunity.authority, 'procurement:respond', opportunity.pk, submission.lot_id)}\n",
            why=f"{submission.organisation.name} has submitted a bid for {opportunity.reference}",
            authority=opportunity.authority,
        )
    submitted.update(needs_confirmation=True)


@transaction.atomic(durable=True)
def lot_add(
    *,
    opportunity: Opportunity,
    title: str,
    description: str,
    value: Decimal,
    added_by,
    max_providers: int = 1,
    guaranteed_hours: int | None = None,
) -> Lot:
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status != Opportunity.Status.DRAFT:
        raise NotAllowed("Lots can be added only while the opportunity is a draft.")
    if opportunity.route == Opportunity.Route.BLOCK and not guaranteed_hours:
        raise NotAllowed("A block contract lot needs its guaranteed minimum volume (hours a year).")
    number = (opportunity.lots.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    lot = Lot.objects.create(
        authority=opportunity.authority,
        opportunity=opportunity,
        number=number,
        title=title,
        description=description,
        value=value,
        max_providers=max(1, max_providers or 1),
        guaranteed_hours=guaranteed_hours,
    )
    audit_record(
        authority=opportunity.authority,
        actor=added_by,
        action="procurement.lot",
        target=lot,
        summary=f"{lot} added to {opportunity.reference}",
    )
    return lot


@transaction.atomic(durable=True)
def question_add(
    *, opportunity: Opportunity, kind: str, text: str, guidance: str, weight: int, panel: str, added_by
) -> Question:
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status != Opportunity.Status.DRAFT:
        raise NotAllowed("Questions can be added only while the opportunity is a draft.")
    if kind == Question.Kind.SELECTION:
        weight = 0  # pass or fail
    elif not 1 <= weight <= 100:
        raise NotAllowed("An award question needs a weight between 1 and 100.")
    number = (
        opportunity.questions.filter(kind=kind).order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    question = Question.objects.create(
        authority=opportunity.authority,
        opportunity=opportunity,
        kind=kind,
        number=number,
        text=text,
        guidance=guidance,
        weight=weight,
        panel=panel,
    )
    audit_record(
        authority=opportunity.authority,
        actor=added_by,
        action="procurement.question",
        target=question,
        summary=f"{question.get_kind_display()} question {number} added to {opportunity.reference}",
    )
    return question


@transaction.atomic(durable=True)
def panel_share_set(*, opportunity: Opportunity, panel: str, share: int, set_by) -> Opportunity:
    """The commissioner gives a panel of parents or young people a share of the quality marks,
    for criteria the panel agrees itself."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status != Opportunity.Status.DRAFT:
        raise NotAllowed("Panel shares are set while the opportunity is a draft.")
    if panel not in (Question.Panel.PARENTS, Question.Panel.YOUNG_PEOPLE) or not 0 <= share <= 100:
        raise NotAllowed("Give the parents' or young people's panel a share from 0 to 100.")
    shares = dict(opportunity.panel_shares or {})
    if share:
        shares[panel] = share
    else:
        shares.pop(panel, None)
    if sum(shares.values()) > 100:
        raise NotAllowed("The panels' shares add up to more than 100%.")
    opportunity.panel_shares = shares
    opportunity.save(update_fields=["panel_shares"])
    audit_record(
        authority=opportunity.authority,
        actor=set_by,
        action="procurement.panel_share",
        target=opportunity,
        summary=f"{Question.Panel(panel).label} given {share}% of the quality marks",
    )
    return opportunity


def panel_question_add(*, evaluator, text: str, guidance: str, weight: int) -> Question:
    """A criterion the panel agreed, within its share."""
    opportunity = Opportunity.objects.get(pk=evaluator.opportunity_id)
    share = (opportunity.panel_shares or {}).get(evaluator.panel)
    if not share:
        raise NotAllowed("Your panel has not been given a share of the marks to set criteria for.")
    used = sum(
        opportunity.questions.filter(kind=Question.Kind.AWARD, panel=evaluator.panel).values_list("weight", flat=True)
    )
    if used + weight > share:
        raise NotAllowed(f"Your panel has {share - used}% of its {share}% left to give.")
    return question_add(
        opportunity=opportunity,
        kind=Question.Kind.AWARD,
        text=text,
        guidance=guidance,
        weight=weight,
        panel=evaluator.panel,
        added_by=evaluator.user,
    )


def publish_problems(opportunity: Opportunity, now: dt.datetime) -> list[str]:
    if opportunity.route in DIRECT:
        return [
            f"A {opportunity.get_route_display().lower()} is not advertised: record the agreement with its provider."
        ]
    problems = []
    if not opportunity.lots.exists():
        problems.append("Add at least one lot.")
    if opportunity.route == Opportunity.Route.DYNAMIC_LIST:
        if not opportunity.questions.filter(kind=Question.Kind.SELECTION).exists():
            problems.append("Publish the criteria providers are admitted against: add at least one selection question.")
    elif opportunity.route in COMPETITIVE:
        if opportunity.route == Opportunity.Route.TWO_STAGE and not (
            opportunity.selection_deadline
            and opportunity.submission_deadline
            and now < opportunity.selection_deadline < opportunity.submission_deadline
        ):
            problems.append("Set a selection-stage deadline in the future, before the submission deadline.")
        if (
            opportunity.route == Opportunity.Route.TWO_STAGE
            and not opportunity.questions.filter(kind=Question.Kind.SELECTION).exists()
        ):
            problems.append("A two-stage tender needs selection questions for its first stage.")
        if not opportunity.submission_deadline or opportunity.submission_deadline <= now:
            problems.append("Set a submission deadline in the future.")
        if not opportunity.clarification_deadline:
            problems.append("Set a deadline for clarification questions.")
        award = list(opportunity.questions.filter(kind=Question.Kind.AWARD))
        if not award:
            problems.append("Add at least one award question.")
        elif sum(q.weight for q in award) != 100:
            problems.append(f"The award questions' weights add up to {sum(q.weight for q in award)}: make them 100.")
        for panel, share in (opportunity.panel_shares or {}).items():
            given = sum(q.weight for q in award if q.panel == panel)
            if given != share:
                problems.append(
                    f"The {Question.Panel(panel).label.lower()} has set criteria worth {given}% of its {share}%."
                )
    return problems


@transaction.atomic(durable=True)
def opportunity_publish(*, opportunity: Opportunity, published_by) -> Opportunity:
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status != Opportunity.Status.DRAFT:
        raise NotAllowed("Only a draft can be published.")
    now = timezone.now()
    if problems := publish_problems(opportunity, now):
        raise NotAllowed("Not published yet. " + " ".join(problems))
    opportunity.status, opportunity.published_at = Opportunity.Status.OPEN, now
    opportunity.save(update_fields=["status", "published_at"])
    audit_record(
        authority=opportunity.authority,
        actor=published_by,
        action="procurement.published",
        target=opportunity,
        summary=f"{opportunity} published",
        details={"warnings": threshold_warnings(opportunity)},
    )
    return opportunity


@transaction.atomic(durable=True)
def clarification_ask(*, opportunity: Opportunity, organisation, question: str, asked_by) -> Clarification:
    opportunity = Opportunity.objects.get(pk=opportunity.pk)
    if opportunity.status != Opportunity.Status.OPEN or (
        opportunity.clarification_deadline and timezone.now() >= opportunity.clarification_deadline
    ):
        raise NotAllowed("Clarification questions for this opportunity have closed.")
    if not question.strip():
        raise NotAllowed("Write your question.")
    clarification = Clarification.objects.create(
        authority=opportunity.authority, opportunity=opportunity, asked_by=organisation, question=question.strip()
    )
    audit_record(
        authority=opportunity.authority,
        actor=asked_by,
        action="procurement.clarification.asked",
        target=clarification,
        summary=f"Clarification asked on {opportunity.reference}",
    )
    return clarification


@transaction.atomic(durable=True)
def clarification_answer(*, clarification: Clarification, answer: str, answered_by) -> Clarification:
    """Published to everyone interested, without saying who asked."""
    if not answer.strip():
        raise NotAllowed("Write the answer.")
    clarification = (
        Clarification.objects.select_for_update(of=("self",)).select_related("opportunity").get(pk=clarification.pk)
    )
    clarification.answer, clarification.published_at = answer.strip(), timezone.now()
    clarification.save(update_fields=["answer", "published_at"])
    opportunity = clarification.opportunity
    emails = set(opportunity.submissions.values_list("organisation__email", flat=True)) | set(
        opportunity.clarifications.values_list("asked_by__email", flat=True)
    )
    email_after_commit(
        to=sorted(e for e in emails if e),
        subject=f"Clarification published: {opportunity.reference}",
        body=f"Q: {clarification.question}\n\nA: {clarification.answer}\n\n"
        f"Every published answer: {absolute(opportunity.authority, 'procurement:detail', opportunity.pk)}\n",
        why=f"your organisation is bidding for {opportunity.reference} or asked the council a question about it",
        authority=opportunity.authority,
    )
    audit_record(
        authority=opportunity.authority,
        actor=answered_by,
        action="procurement.clarification.published",
        target=clarification,
        summary=f"Clarification published on {opportunity.reference}",
    )
    return clarification


def in_selection_stage(opportunity: Opportunity, now: dt.datetime) -> bool:
    return (
        opportunity.route == Opportunity.Route.TWO_STAGE
        and opportunity.selection_deadline is not None
        and now < opportunity.selection_deadline
    )


def _open_for_submissions(opportunity: Opportunity, now: dt.datetime) -> None:
    if opportunity.route == Opportunity.Route.DYNAMIC_LIST:  # providers apply at any time
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
    if opportunity.route == Opportunity.Route.TWO_STAGE and not selection_stage:
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
        action="procurement.confirmed",
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
    if (
        opportunity.price_formula != Opportunity.PriceFormula.NONE
        and submission.price is None
        and opportunity.route != Opportunity.Route.DYNAMIC_LIST
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
        action="procurement.submitted",
        target=submission,
        summary=f"A submission for {opportunity.reference} lot {submission.lot.number} was received",
    )
    return submission


@transaction.atomic(durable=True)
def submission_withdraw(*, submission: Submission, withdrawn_by) -> Submission:
    submission = Submission.objects.select_for_update(of=("self",)).select_related("opportunity").get(pk=submission.pk)
    _open_for_submissions(submission.opportunity, timezone.now())
    submission.status, submission.submitted_at = Submission.Status.WITHDRAWN, None
    submission.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(
        authority=submission.authority,
        actor=withdrawn_by,
        action="procurement.withdrawn",
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
        raise NotAllowed(
            f"Submissions are sealed until {timezone.localtime(opportunity.submission_deadline):%d %B %Y %H:%M:%S}."
        )
    opportunity.status, opportunity.opened_at = Opportunity.Status.CLOSED, now
    opportunity.save(update_fields=["status", "opened_at"])
    if opportunity.route == Opportunity.Route.TWO_STAGE:
        # A selection-stage response never followed by a full tender is not a bid.
        opportunity.submissions.filter(
            status=Submission.Status.SUBMITTED, submitted_at__lt=opportunity.selection_deadline
        ).update(status=Submission.Status.WITHDRAWN)
    count = opportunity.submissions.filter(status=Submission.Status.SUBMITTED).count()
    audit_record(
        authority=opportunity.authority,
        actor=opened_by,
        action="procurement.opened",
        target=opportunity,
        summary=f"{count} submission(s) for {opportunity} opened",
    )
    return opportunity


@transaction.atomic(durable=True)
def application_decide(*, submission: Submission, decided_by, admit: bool, reasons: str) -> Membership:
    """A dynamic list application: admitted, or not with the criteria it did not meet."""
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("opportunity", "lot", "organisation")
        .get(pk=submission.pk)
    )
    if submission.opportunity.route != Opportunity.Route.DYNAMIC_LIST:
        raise NotAllowed("Only dynamic list applications are decided one by one.")
    if (
        submission.status != Submission.Status.SUBMITTED
        or Membership.objects.filter(submission=submission, decided_at__gte=submission.submitted_at).exists()
    ):
        raise NotAllowed("This application is not waiting for a decision.")
    if not admit and not reasons.strip():
        raise NotAllowed("Say which published criteria the application does not meet.")
    if Membership.objects.filter(
        lot=submission.lot, organisation=submission.organisation, status=Membership.Status.ADMITTED
    ).exists():
        raise NotAllowed(f"{submission.organisation} is already on the list for this lot.")
    membership = Membership.objects.create(
        authority=submission.authority,
        opportunity=submission.opportunity,
        lot=submission.lot,
        organisation=submission.organisation,
        submission=submission,
        reasons=reasons.strip(),
        decided_by=decided_by,
        status=Membership.Status.ADMITTED if admit else Membership.Status.REFUSED,
        decided_at=timezone.now(),
    )
    audit_record(
        authority=submission.authority,
        actor=decided_by,
        action="procurement.admission",
        target=membership,
        summary=f"{submission.organisation} {'admitted to' if admit else 'not admitted to'} "
        f"{submission.opportunity.reference} lot {submission.lot.number}",
        details={"reasons": reasons},
    )
    email_after_commit(
        to=[submission.organisation.email],
        subject=f"Your application: {submission.opportunity.reference}",
        body=(
            f"You are on the list for lot {submission.lot.number}: {submission.lot.title}.\n"
            if admit
            else f"Your application for lot {submission.lot.number} was not admitted: {reasons}\n"
            "You can apply again at any time once you meet the criteria:\n"
            f"{absolute(submission.authority, 'procurement:detail', submission.opportunity_id)}\n"
        ),
        why=f"{submission.organisation.name} applied to join {submission.opportunity.reference}",
        authority=submission.authority,
    )
    return membership


@transaction.atomic(durable=True)
def membership_remove(*, membership, removed_by, reasons: str):
    """Removal is by the published criteria too, with the reasons recorded and sent."""
    from .models import Membership

    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("opportunity", "lot", "organisation")
        .get(pk=membership.pk)
    )
    if membership.status != Membership.Status.ADMITTED:
        raise NotAllowed("Only a provider on the list can be removed.")
    if not reasons.strip():
        raise NotAllowed("Say which published criteria the provider no longer meets.")
    membership.status, membership.reasons = Membership.Status.REMOVED, reasons.strip()
    membership.decided_by, membership.decided_at = removed_by, timezone.now()
    membership.save(update_fields=["status", "reasons", "decided_by", "decided_at"])
    # Removed from the list, a new application starts afresh.
    Submission.objects.filter(pk=membership.submission_id).update(status=Submission.Status.WITHDRAWN)
    audit_record(
        authority=membership.authority,
        actor=removed_by,
        action="procurement.removed",
        target=membership,
        summary=f"{membership.organisation} removed from {membership.opportunity.reference} lot "
        f"{membership.lot.number}",
        details={"reasons": reasons},
    )
    email_after_commit(
        to=[membership.organisation.email],
        subject=f"Removed from {membership.opportunity.reference}",
        body=f"You have been removed from the list for lot {membership.lot.number}: {reasons}\n",
        why=f"{membership.organisation.name} was on the list for {membership.opportunity.reference}",
        authority=membership.authority,
    )
    return membership


@transaction.atomic(durable=True)
def document_add(*, opportunity: Opportunity, title: str, upload, uploaded_by, submission: Submission | None = None):
    """A document of the opportunity, or of a draft bid (before the deadline). Adding one to a
    published opportunity is a change: providers who submitted are asked to confirm."""
    from shortbreaks.directory.services.publications import document_check

    from .models import ProcurementDocument

    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    content_type = document_check(upload)
    if submission is not None:
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        _open_for_submissions(opportunity, timezone.now())
        if submission.status == Submission.Status.SUBMITTED:
            raise NotAllowed("You have submitted this bid: withdraw it to add documents, then submit it again.")
        if submission.documents.count() >= 10:
            raise NotAllowed("Attach at most 10 documents to a bid.")
    elif opportunity.status not in (Opportunity.Status.DRAFT, Opportunity.Status.OPEN):
        raise NotAllowed("Documents can be added until submissions close.")
    document = ProcurementDocument.objects.create(
        authority=opportunity.authority,
        opportunity=opportunity,
        submission=submission,
        title=title.strip() or upload.name[:200],
        file=upload,
        content_type=content_type,
        size=upload.size,
        original_filename=upload.name[:200],
        uploaded_by=uploaded_by,
    )
    if submission is None and opportunity.status == Opportunity.Status.OPEN:
        _tell_submitters(opportunity)
    audit_record(
        authority=opportunity.authority,
        actor=uploaded_by,
        action="procurement.document",
        target=document,
        summary=f"A document was added to {'a bid for ' if submission else ''}{opportunity.reference}",
    )
    return document


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
        opportunity.route != Opportunity.Route.TWO_STAGE
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
        action="procurement.shortlist",
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
            f"{timezone.localtime(opportunity.submission_deadline):%d %B %Y %H:%M}:\n"
            f"{absolute(opportunity.authority, 'procurement:respond', opportunity.pk, submission.lot_id)}\n"
            if shortlisted
            else f"You were not shortlisted for {opportunity}: {reasons}\nYou need not write a full tender.\n"
        ),
        why=f"{submission.organisation.name} answered the selection stage of {opportunity.reference}",
        authority=opportunity.authority,
    )
    return submission


@transaction.atomic(durable=True)
def opportunity_announce(*, opportunity: Opportunity, announced_by) -> Opportunity:
    """Tell the market ahead of the tender (a planning notice in the open data)."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status != Opportunity.Status.DRAFT or opportunity.announced_at:
        raise NotAllowed("Only a draft not yet announced can be announced.")
    if not opportunity.lots.exists():
        raise NotAllowed("Add the lots first, so the market knows what is planned.")
    opportunity.announced_at = timezone.now()
    opportunity.save(update_fields=["announced_at"])
    audit_record(
        authority=opportunity.authority,
        actor=announced_by,
        action="procurement.announced",
        target=opportunity,
        summary=f"{opportunity} announced ahead of the tender",
    )
    return opportunity
