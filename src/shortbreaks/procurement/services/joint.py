"""Regional commissioning. The lead authority records the arrangement on its framework and the
authorities joining it; each participant then calls off from the framework for itself (its
call-offs and contracts belong to it), and every party sees the joint monitoring picture:
totals per authority and provider, never a family or child (contracts/selectors/joint.py,
shown on the arrangement's page as contracts' panel). Who may call off: selectors/joint.py."""

import datetime as dt

from django.db import transaction

from shortbreaks.accounts.selectors import emails_of
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.models import Authority
from shortbreaks.core.roles import Role
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.procurement.audit import Audit

from ..models import JointArrangement, JointParticipant, Opportunity
from ..routes import rules_for


@transaction.atomic(durable=True)
def arrangement_record(*, framework: Opportunity, terms: str, agreed_on: dt.date, recorded_by) -> JointArrangement:
    if not rules_for(framework.route).joint or framework.reopening_of_id:
        raise NotAllowed("Regional commissioning runs through a framework.")
    if not terms.strip():
        raise NotAllowed("Record what the authorities agreed.")
    arrangement, created = JointArrangement.objects.update_or_create(
        framework=framework,
        defaults={
            "authority": framework.authority,
            "terms": terms.strip(),
            "agreed_on": agreed_on,
            "created_by": recorded_by,
        },
    )
    audit_record(
        authority=framework.authority,
        actor=recorded_by,
        action=Audit.PROCUREMENT_JOINT,
        target=arrangement,
        summary=f"Joint commissioning {'recorded' if created else 'changed'} for {framework.reference}",
    )
    return arrangement


@transaction.atomic(durable=True)
def participant_add(
    *, arrangement: JointArrangement, authority: Authority, signed_for_by: str, joined_on: dt.date, added_by
) -> JointParticipant:
    if authority.pk == arrangement.authority_id:
        raise NotAllowed("The lead authority takes part already.")
    if not signed_for_by.strip():
        raise NotAllowed("Say who signed the agreement for that authority.")
    if JointParticipant.objects.filter(arrangement=arrangement, authority=authority).exists():
        raise NotAllowed(f"{authority.name} has already joined.")
    participant = JointParticipant.objects.create(
        arrangement=arrangement, authority=authority, joined_on=joined_on, signed_for_by=signed_for_by.strip()
    )
    # The joining council's buyers are told where to call off: the arrangement's page on their
    # own site, where the framework's lots are theirs to buy from.
    buyers = {
        e for role in (Role.COMMISSIONER, Role.PROCUREMENT_OFFICER) for e in emails_of(authority=authority, role=role)
    }
    for email in sorted(buyers):
        email_after_commit(
            to=[email],
            subject=f"Your council has joined {arrangement.framework.reference}",
            body=f"{authority.name} has joined {arrangement.framework.title} ({arrangement.framework.reference}), "
            f"led by {arrangement.authority.name}, from {joined_on:%-d %B %Y}. You can call off from it "
            f"and see the joint monitoring here:\n{absolute(authority, 'procurement:joint', arrangement.pk)}\n",
            why=f"You buy for {authority.name}, which {arrangement.authority.name} added to a joint framework",
            authority=authority,
        )
    for side in (arrangement.authority, authority):
        audit_record(
            authority=side,
            actor=added_by,
            action=Audit.PROCUREMENT_JOINT_PARTICIPANT,
            target=arrangement,
            summary=f"{authority.name} joins {arrangement.framework.reference} (led by "
            f"{arrangement.authority.name}), signed for by {participant.signed_for_by}",
        )
    return participant
