"""A family asks for everything the council holds about it (UK GDPR article 15): a carer asks,
the officers are told, an officer releases it after checking it (a third party's details may
need taking out first, which is why a person does it), and every carer of the family can then
download it (subject_requests.family_export makes the archive)."""

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from shortbreaks.accounts.selectors import emails_of
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.roles import Role
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.families.audit import Audit

from ..models import AccessRequest, Family


@transaction.atomic(durable=True)
def access_request_make(*, family: Family, asked_by) -> AccessRequest:
    family = Family.objects.select_for_update().get(pk=family.pk)
    if open_request := family.access_requests.filter(status=AccessRequest.Status.ASKED).first():
        asked_on = timezone.localtime(open_request.asked_at).date()
        raise NotAllowed(
            f"You already asked for a copy on {asked_on:%-d %B %Y}. We will reply by "
            f"{open_request.due_on:%-d %B %Y}: you can ask again once you have that copy."
        )
    asked_on = timezone.localdate()
    request = AccessRequest.objects.create(
        authority=family.authority, family=family, asked_by=asked_by, due_on=asked_on + relativedelta(months=1)
    )
    audit_record(
        authority=family.authority,
        actor=asked_by,
        action=Audit.FAMILY_ACCESS_ASKED,
        target=family,
        summary=f"Family {family.reference} asked for a copy of everything held about it",
        details={"request": str(request.pk)},
    )
    email_after_commit(
        to=[asked_by.email],
        subject="We have your request for a copy of your information",
        body=f"We have your request for a copy of everything {family.authority.name} holds about your family. "
        f"We will email you by {request.due_on:%-d %B %Y} when it is ready to download.\n\n"
        f"Your family page: {absolute(family.authority, 'families:home')}\n",
        why="you asked for a copy of the information the council holds about your family",
        authority=family.authority,
    )
    child = family.children.order_by("first_name").first()
    where = (
        absolute(family.authority, "families:child", child.pk)
        if child
        else absolute(family.authority, "families:caseload")
    )
    email_after_commit(
        to=emails_of(authority=family.authority, role=Role.OFFICER),
        subject=f"A request for information from family {family.reference}",
        body=f"Family {family.reference} has asked for a copy of everything we hold about it. The law gives "
        f"us until {request.due_on:%-d %B %Y}. Check the download, then release it to the family:\n\n{where}\n",
        why=f"as an officer at {family.authority.name}, you answer families' requests for their information",
        authority=family.authority,
    )
    return request


@transaction.atomic(durable=True)
def access_request_release(*, request: AccessRequest, released_by) -> AccessRequest:
    request = AccessRequest.objects.select_for_update(of=("self",)).select_related("family").get(pk=request.pk)
    if request.status != AccessRequest.Status.ASKED:
        raise NotAllowed("This request has already been answered.")
    request.status, request.released_by, request.released_at = (
        AccessRequest.Status.RELEASED,
        released_by,
        timezone.now(),
    )
    request.save(update_fields=["status", "released_by", "released_at"])
    family = request.family
    audit_record(
        authority=family.authority,
        actor=released_by,
        action=Audit.FAMILY_ACCESS_RELEASED,
        target=family,
        summary=f"Released to family {family.reference} a copy of everything held about it",
        details={"request": str(request.pk)},
    )
    email_after_commit(
        to=family.contact_emails(),
        subject="Your copy of your information is ready",
        body=f"The copy of everything {family.authority.name} holds about your family is ready. Sign in to "
        f"download it:\n\n{absolute(family.authority, 'families:access-download', request.pk)}\n",
        why="your family asked for a copy of the information the council holds about it",
        authority=family.authority,
    )
    return request
