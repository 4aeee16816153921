"""Applying for targeted short breaks, deciding, reviewing, and keeping eligibility current."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from shortbreaks.accounts.selectors import emails_of
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import ChangedMeanwhile, NotAllowed
from shortbreaks.core.models import AuditEvent, Authority
from shortbreaks.core.roles import Role
from shortbreaks.core.sites import absolute
from shortbreaks.core.storage import atomic_with_files, store_file
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.directory.services.publications import document_check
from shortbreaks.families.audit import Audit

from ..eligibility import all_met, check_criteria, criteria_problems
from ..models import Child, Eligibility, EligibilityApplication, EligibilityPolicy, EvidenceDocument

Status = EligibilityApplication.Status
# Evidence may also be a photo of a letter.
EVIDENCE_TYPES = {"image/jpeg": "JPEG photo", "image/png": "PNG image"}


def policy_in_force(authority: Authority) -> EligibilityPolicy | None:
    return EligibilityPolicy.objects.filter(authority=authority, status=EligibilityPolicy.Status.PUBLISHED).first()


@transaction.atomic(durable=True)
def policy_publish(
    *,
    authority: Authority,
    summary: str,
    criteria: list[dict],
    automatic: str,
    published_by,
    valid_months: int = 12,
    reminder_days: int = 30,
) -> EligibilityPolicy:
    """A new version of the criteria, in force from now (the previous one is retired)."""
    problems = criteria_problems(criteria)
    if problems:
        raise NotAllowed("The criteria cannot be published: " + "; ".join(problems))
    EligibilityPolicy.objects.filter(authority=authority, status=EligibilityPolicy.Status.PUBLISHED).update(
        status=EligibilityPolicy.Status.RETIRED
    )
    version = (EligibilityPolicy.objects.filter(authority=authority).aggregate(v=Max("version"))["v"] or 0) + 1
    policy = EligibilityPolicy.objects.create(
        authority=authority,
        version=version,
        summary=summary,
        criteria=criteria,
        automatic=automatic,
        valid_months=valid_months,
        reminder_days=reminder_days,
        status=EligibilityPolicy.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    audit_record(
        authority=authority,
        actor=published_by,
        action=Audit.ELIGIBILITY_POLICY_PUBLISHED,
        target=policy,
        summary=f"Published version {version} of the eligibility criteria",
    )
    return policy


def _grant(application: EligibilityApplication, today: dt.date) -> Eligibility:
    Eligibility.objects.filter(child=application.child, tier="targeted", status=Eligibility.Status.ACTIVE).update(
        status=Eligibility.Status.EXPIRED
    )
    return Eligibility.objects.create(
        authority=application.authority,
        child=application.child,
        tier="targeted",
        policy=application.policy,
        application=application,
        valid_from=today,
        expires_on=today + relativedelta(months=application.policy.valid_months),
    )


@atomic_with_files
def application_submit(*, child: Child, declarations: dict, evidence, submitted_by) -> EligibilityApplication:
    """A family applies. Every criterion is checked against the record; where the policy says
    so and all are met, the application is approved at once, otherwise an officer decides."""
    policy = policy_in_force(child.authority)
    if policy is None:
        raise NotAllowed("Applications are not open yet: the council has not published its criteria.")
    child = Child.objects.select_for_update(of=("self",)).select_related("family").get(pk=child.pk)
    if child.applications.filter(status__in=[Status.SUBMITTED, Status.REVIEW_REQUESTED]).exists():
        raise NotAllowed(f"There is already an application for {child.first_name} waiting for a decision.")
    content_types = []
    for upload in evidence:
        content_type = document_check(upload, extra_types=EVIDENCE_TYPES)
        content_types.append(content_type)
    today = timezone.localdate()
    checks = check_criteria(policy.criteria, child=child, family=child.family, declarations=declarations, on=today)
    application = EligibilityApplication.objects.create(
        authority=child.authority,
        child=child,
        policy=policy,
        declarations=declarations,
        checks=checks,
        submitted_by=submitted_by,
    )
    for upload, content_type in zip(evidence, content_types, strict=True):
        document = EvidenceDocument(
            application=application,
            content_type=content_type,
            size=upload.size,
            original_filename=upload.name[:200],
        )
        store_file(document.file, upload)
        document.save()
    audit_record(
        authority=child.authority,
        actor=submitted_by,
        action=Audit.ELIGIBILITY_APPLIED,
        target=child,
        summary=f"Applied for targeted short breaks for {child.first_name}",
        details={"application": str(application.pk), "evidence": len(evidence)},
    )
    automatic = policy.automatic == EligibilityPolicy.Automatic.ALL_MET or (
        policy.automatic == EligibilityPolicy.Automatic.ALL_MET_WITH_EHCP and child.has_ehc_plan
    )
    if automatic and all_met(checks):
        _decide(
            application,
            decided_by=None,
            approve=True,
            today=today,
            reasons="Approved automatically: every criterion is met.",
        )
    else:
        email_after_commit(
            to=child.family.contact_emails(),
            subject=f"We have your short breaks application for {child.first_name}",
            body=f"Thank you. We have your application for targeted short breaks for {child.first_name}, "
            f"sent on {timezone.localtime(application.submitted_at):%-d %B %Y}.\n\n"
            "An officer at the council will decide it and email you the decision and the reasons. "
            "You do not need to do anything else now.\n\n"
            f"Your family page: {absolute(child.authority, 'families:home')}\n",
            why=f"your family applied to {child.authority.name} for targeted short breaks for {child.first_name}",
            authority=child.authority,
        )
        email_after_commit(
            to=emails_of(authority=child.authority, role=Role.OFFICER),
            subject="A short breaks application to decide",
            body=f"Family {child.family.reference} has applied for targeted short breaks.\n\n"
            f"{absolute(child.authority, 'families:application', application.pk)}\n",
            why=f"as an officer at {child.authority.name}, you decide applications for targeted short breaks",
            authority=child.authority,
        )
    return application


def _decide(application: EligibilityApplication, *, decided_by, approve: bool, reasons: str, today: dt.date) -> None:
    application.status = Status.APPROVED if approve else Status.REFUSED
    application.decided_by, application.decided_at, application.reasons = decided_by, timezone.now(), reasons
    application.save(update_fields=["status", "decided_by", "decided_at", "reasons"])
    child = application.child
    if approve:
        eligibility = _grant(application, today)
        body = (
            f"{child.first_name} can now book targeted short breaks until {eligibility.expires_on:%-d %B %Y}.\n\n"
            f"{child.first_name}'s eligibility code is {eligibility.code}. Give it when you book.\n\n"
            f"Your family page: {absolute(application.authority, 'families:home')}\n"
        )
    else:
        body = (
            f"We have not approved targeted short breaks for {child.first_name}.\n\nWhy: {reasons}\n\n"
            "If you think we got this wrong, you can ask for a review:\n"
            f"{absolute(application.authority, 'families:review', application.pk)}\n"
        )
    audit_record(
        authority=application.authority,
        actor=decided_by,
        target=child,
        action=Audit.ELIGIBILITY_APPROVED if approve else Audit.ELIGIBILITY_REFUSED,
        summary=f"{'Approved' if approve else 'Refused'} targeted short breaks for {child.first_name}",
        details={"application": str(application.pk), "reasons": reasons},
    )
    email_after_commit(
        to=child.family.contact_emails(),
        subject=f"Your short breaks application for {child.first_name}",
        body=body,
        why=f"your family applied to {application.authority.name} for targeted short breaks for {child.first_name}",
        authority=application.authority,
    )


@transaction.atomic(durable=True)
def application_decide(
    *, application: EligibilityApplication, decided_by, approve: bool, reasons: str
) -> EligibilityApplication:
    if not reasons.strip():
        raise NotAllowed("Give the reasons for the decision: the family will read them.")
    application = (
        EligibilityApplication.objects.select_for_update(of=("self",))
        .select_related("child", "policy")
        .get(pk=application.pk)
    )
    if application.status not in (Status.SUBMITTED, Status.REVIEW_REQUESTED):
        raise ChangedMeanwhile(
            f"This application has already been decided: {application.get_status_display().lower()}."
        )
    if application.status == Status.REVIEW_REQUESTED:
        if decided_by is not None and application.decided_by_id == decided_by.pk:
            raise NotAllowed("A review must be decided by a different officer from the first decision.")
        application.reviewed = True
        application.save(update_fields=["reviewed"])
    _decide(application, decided_by=decided_by, approve=approve, reasons=reasons.strip(), today=timezone.localdate())
    return application


@transaction.atomic(durable=True)
def application_request_review(
    *, application: EligibilityApplication, requested_by, reason: str
) -> EligibilityApplication:
    if not reason.strip():
        raise NotAllowed("Tell us why you think the decision is wrong.")
    application = (
        EligibilityApplication.objects.select_for_update(of=("self",)).select_related("child").get(pk=application.pk)
    )
    if application.status != Status.REFUSED:
        raise NotAllowed("Only a refused application can be reviewed.")
    if application.reviewed:
        raise NotAllowed("This application has already been reviewed. Contact the council to discuss it.")
    application.status, application.review_reason = Status.REVIEW_REQUESTED, reason.strip()
    application.save(update_fields=["status", "review_reason"])
    audit_record(
        authority=application.authority,
        actor=requested_by,
        action=Audit.ELIGIBILITY_REVIEW_REQUESTED,
        target=application.child,
        summary=f"Review asked for: {application.child.first_name}",
        details={"application": str(application.pk), "reason": application.review_reason},
    )
    email_after_commit(
        to=emails_of(authority=application.authority, role=Role.OFFICER),
        subject="A short breaks decision to review",
        body="A family has asked for a review.\n\n"
        f"{absolute(application.authority, 'families:application', application.pk)}\n",
        why=f"as an officer at {application.authority.name}, you review decisions on targeted short breaks",
        authority=application.authority,
    )
    return application


# Code checks per person per hour: enough for a busy session's door, too few to guess codes
# (8 characters from 32: about 10^12 of them). A burst of codes that do not exist tells the
# officers, once an hour, who is checking.
CHECKS_PER_HOUR = 60
WRONG_CODES_BEFORE_TELLING = 10


class TooManyChecks(NotAllowed):
    pass


def eligibility_check_code(*, authority: Authority, code: str, checked_by) -> Eligibility | None:
    """A provider checks a code at booking: only what they need to see (first name, year of
    birth, valid until), and the check is recorded (the record is also the throttle, shared by
    every server)."""
    hour_ago = timezone.now() - dt.timedelta(hours=1)
    mine = AuditEvent.objects.filter(
        authority=authority, actor=checked_by, action=Audit.ELIGIBILITY_CODE_CHECKED, created_at__gte=hour_ago
    )
    if mine.count() >= CHECKS_PER_HOUR:
        raise TooManyChecks(
            f"You have checked {CHECKS_PER_HOUR} codes in the last hour, the most we allow. Try again later, "
            f"or call {authority.name} if a family is waiting."
        )
    normalised = code.strip().upper().replace(" ", "")
    if len(normalised) == 8:
        normalised = f"{normalised[:4]}-{normalised[4:]}"
    eligibility = (
        Eligibility.objects.filter(authority=authority, code=normalised, status=Eligibility.Status.ACTIVE)
        .select_related("child")
        .first()
    )
    with transaction.atomic():
        audit_record(
            authority=authority,
            actor=checked_by,
            action=Audit.ELIGIBILITY_CODE_CHECKED,
            target=eligibility.child if eligibility else authority,
            summary=f"Code {'valid' if eligibility else 'not valid'} when checked",
            details={"code_valid": bool(eligibility)},
        )
        if eligibility is None:
            _tell_officers_of_a_burst(authority=authority, checked_by=checked_by, since=hour_ago)
    if eligibility and eligibility.expires_on < timezone.localdate():
        return None
    return eligibility


def _tell_officers_of_a_burst(*, authority: Authority, checked_by, since: dt.datetime) -> None:
    wrong = AuditEvent.objects.filter(
        authority=authority,
        actor=checked_by,
        action=Audit.ELIGIBILITY_CODE_CHECKED,
        created_at__gte=since,
        details__code_valid=False,
    ).count()
    told = AuditEvent.objects.filter(
        authority=authority, actor=checked_by, action=Audit.ELIGIBILITY_CODE_BURST, created_at__gte=since
    ).exists()
    if wrong < WRONG_CODES_BEFORE_TELLING or told:
        return
    audit_record(
        authority=authority,
        actor=checked_by,
        action=Audit.ELIGIBILITY_CODE_BURST,
        target=authority,
        summary=f"{wrong} codes that do not exist checked in an hour by {checked_by.display_name}",
    )
    email_after_commit(
        to=emails_of(authority=authority, role=Role.OFFICER),
        subject="Many wrong eligibility codes checked",
        body=(
            f"{checked_by.display_name} ({checked_by.email}) has checked {wrong} eligibility codes that do not "
            "exist in the last hour. That can be someone guessing codes. They can check at most "
            f"{CHECKS_PER_HOUR} an hour. The audit trail has each check.\n"
        ),
        why=f"you are an officer at {authority.name}, and officers are told when someone may be guessing codes",
        authority=authority,
    )


def eligibility_housekeeping(*, today: dt.date | None = None) -> tuple[int, int]:
    """Daily: remind families whose eligibility ends soon, and expire what has ended.
    Returns (reminders sent, eligibilities expired)."""
    today = today or timezone.localdate()
    reminded = expired = 0
    with transaction.atomic():
        expired = Eligibility.objects.filter(status=Eligibility.Status.ACTIVE, expires_on__lt=today).update(
            status=Eligibility.Status.EXPIRED
        )
    due = Eligibility.objects.filter(status=Eligibility.Status.ACTIVE, reminder_sent_at__isnull=True).select_related(
        "policy", "child__family", "authority"
    )
    for eligibility in due.iterator():
        if eligibility.expires_on - dt.timedelta(days=eligibility.policy.reminder_days) > today:
            continue
        with transaction.atomic():
            locked = Eligibility.objects.select_for_update().get(pk=eligibility.pk)
            if locked.reminder_sent_at is not None:
                continue
            locked.reminder_sent_at = timezone.now()
            locked.save(update_fields=["reminder_sent_at"])
            child = eligibility.child
            email_after_commit(
                to=child.family.contact_emails(),
                subject=f"Renew {child.first_name}'s short breaks",
                body=f"{child.first_name}'s eligibility for targeted short breaks ends on "
                f"{eligibility.expires_on:%-d %B %Y}. Apply again to renew it:\n"
                f"{absolute(eligibility.authority, 'families:apply', child.pk)}\n",
                why=f"{child.first_name} has targeted short breaks from {eligibility.authority.name}, "
                "and we remind families before they end",
                authority=eligibility.authority,
            )
            reminded += 1
    return reminded, expired
