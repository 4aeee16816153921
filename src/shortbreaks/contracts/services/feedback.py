"""Feedback and outcomes from parents and children, providers' replies, moderation of reviews
for the public page, and safeguarding alerts."""

from django.db import transaction
from django.utils import timezone

from shortbreaks.accounts.selectors import emails_of
from shortbreaks.contracts.audit import Audit
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.idempotency import once
from shortbreaks.core.roles import Role
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit

from ..models import Feedback, SafeguardingAlert, SafeguardingStep
from ..models.feedback import CHILD_OUTCOMES, OUTCOMES
from ..selectors import policy_for


@transaction.atomic(durable=True)
def feedback_give(
    *,
    service,
    given_by,
    enjoyed: str,
    felt_safe: str = "",
    child=None,
    session=None,
    from_child: bool = False,
    outcomes: dict | None = None,
    comment: str = "",
    may_publish: bool = False,
) -> Feedback:
    """The caller has checked that the child is the giver's own (or the giver themselves)."""
    if enjoyed not in Feedback.Enjoyed.values:
        raise NotAllowed("Choose how the break was." if not from_child else "Pick a face for how it was.")
    if felt_safe and felt_safe not in Feedback.Safe.values:
        raise NotAllowed("Choose whether you felt safe.")
    if session is not None and session.service_id != service.pk:
        raise NotAllowed("That session is not part of this service.")
    outcomes = {k: v for k, v in (outcomes or {}).items() if k in (CHILD_OUTCOMES if from_child else OUTCOMES)}
    feedback = Feedback.objects.create(
        authority=service.authority,
        service=service,
        session=session,
        child=child,
        given_by=given_by,
        from_child=from_child,
        enjoyed=enjoyed,
        felt_safe=felt_safe,
        comment=comment.strip(),
        **outcomes,
        # Children's words are never published; a parent's comment only with their agreement.
        review=Feedback.Review.PENDING
        if may_publish and comment.strip() and not from_child
        else Feedback.Review.PRIVATE,
    )
    if felt_safe == Feedback.Safe.NO:
        _raise_alert(feedback)
    return feedback


def alert_recipients(authority) -> tuple[list[str], str]:
    """Who is told of an alert, and why: never nowhere. The officer named in the monitoring
    policy; else everyone holding the safeguarding officer role; else every council officer;
    else the council's own address. (selectors/feedback.safeguarding_contact names the same.)"""
    policy = policy_for(authority)
    if policy.safeguarding_officer_email:
        return [policy.safeguarding_officer_email], (
            f"you are the safeguarding officer named in {authority.name}'s monitoring policy"
        )
    if officers := emails_of(authority=authority, role=Role.SAFEGUARDING_OFFICER):
        return officers, f"you are a safeguarding officer at {authority.name}"
    if officers := emails_of(authority=authority, role=Role.OFFICER):
        return officers, f"you are an officer at {authority.name}, which has not named a safeguarding officer"
    return [authority.contact_email], (
        f"yours is {authority.name}'s contact address, and no council officer has an account yet"
    )


def _raise_alert(feedback: Feedback) -> SafeguardingAlert:
    authority = feedback.authority
    to, why = alert_recipients(authority)
    alert = SafeguardingAlert.objects.create(authority=feedback.authority, feedback=feedback, sent_to=", ".join(to))
    audit_record(
        authority=feedback.authority,
        actor=feedback.given_by,
        action=Audit.SAFEGUARDING_ALERT,
        target=alert,
        summary=f"A child said they felt unsafe at {feedback.service.name}",
    )
    who = "A child" if feedback.from_child else "A parent, for their child,"
    email_after_commit(
        to=[address for address in to if address],
        subject="Safeguarding alert: a child felt unsafe",
        body=f"{who} said they did not feel safe at {feedback.service.name}"
        + (f" on {feedback.session.date:%A %-d %B %Y}" if feedback.session else "")
        + ".\n\n"
        + (f"In their words: {feedback.comment}\n\n" if feedback.comment else "")
        + "Sign in to see who it was, the family's contacts and the provider, and record each step you take: "
        + f"{absolute(authority, 'contracts:safeguarding-alert', alert.pk)}\n",
        why=why,
        authority=authority,
    )
    return alert


# Who may record what was done about an alert (the views admit the same roles).
ALERT_ROLES = frozenset({Role.OFFICER, Role.SAFEGUARDING_OFFICER})


def safeguarding_step_add(
    *, alert: SafeguardingAlert, kind: str, note: str, taken_by, idempotency_key: str = ""
) -> SafeguardingStep:
    """One step on an alert, at the time it is recorded. The page's key makes a second post of
    the same form return the step the first made, not record it twice."""
    return once(
        lambda: _step_add(alert=alert, kind=kind, note=note, taken_by=taken_by, idempotency_key=idempotency_key),
        done_before=lambda: (
            SafeguardingStep.objects.filter(taken_by=taken_by, idempotency_key=idempotency_key).first()
            if idempotency_key
            else None
        ),
    )


@transaction.atomic(durable=True)
def _step_add(*, alert, kind, note, taken_by, idempotency_key) -> SafeguardingStep:
    """The alert's row is locked so that two officers recording at once are put in order and a
    closed alert takes no more steps."""
    alert = SafeguardingAlert.objects.select_for_update().get(pk=alert.pk)
    if not ALERT_ROLES & taken_by.roles_in(alert.authority):
        raise NotAllowed("Only the council's officers and safeguarding officers can record steps on an alert.")
    if kind not in SafeguardingStep.Kind.values:
        raise NotAllowed("Choose what was done.")
    if not note.strip():
        raise NotAllowed("Write the outcome." if kind == SafeguardingStep.CLOSING else "Write what was done.")
    closing = alert.steps.filter(kind=SafeguardingStep.CLOSING).first()
    if closing is not None:
        day = timezone.localtime(closing.taken_at)
        raise NotAllowed(f"This alert was closed on {day.day} {day:%B %Y}: it takes no more steps.")
    step = SafeguardingStep.objects.create(
        authority=alert.authority,
        alert=alert,
        kind=kind,
        note=note.strip(),
        taken_by=taken_by,
        taken_at=timezone.now(),
        idempotency_key=idempotency_key,
    )
    audit_record(
        authority=alert.authority,
        actor=taken_by,
        action=Audit.SAFEGUARDING_CLOSED if kind == SafeguardingStep.CLOSING else Audit.SAFEGUARDING_STEP,
        target=alert,
        summary=f"Safeguarding alert: {step.get_kind_display().lower()}",
        details={"step": str(step.pk), "kind": kind},
    )
    return step


@transaction.atomic(durable=True)
def feedback_reply(*, feedback: Feedback, reply: str, replied_by) -> Feedback:
    """The provider's public-facing reply (the caller checks it is their service)."""
    if not reply.strip():
        raise NotAllowed("Write your reply.")
    feedback.reply, feedback.replied_at = reply.strip(), timezone.now()
    feedback.save(update_fields=["reply", "replied_at"])
    audit_record(
        authority=feedback.authority,
        actor=replied_by,
        action=Audit.FEEDBACK_REPLIED,
        target=feedback,
        summary=f"Reply to feedback on {feedback.service.name}",
    )
    return feedback


@transaction.atomic(durable=True)
def feedback_moderate(*, feedback: Feedback, publish: bool, moderated_by) -> Feedback:
    if feedback.review != Feedback.Review.PENDING:
        raise NotAllowed("Only feedback a parent agreed to publish, not yet moderated, can be moderated.")
    feedback.review = Feedback.Review.PUBLISHED if publish else Feedback.Review.REJECTED
    feedback.save(update_fields=["review"])
    audit_record(
        authority=feedback.authority,
        actor=moderated_by,
        action=Audit.FEEDBACK_MODERATED,
        target=feedback,
        summary=f"Review of {feedback.service.name} {'published' if publish else 'not published'}",
    )
    return feedback
