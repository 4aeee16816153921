"""The daily warnings about a PA's checks running out (the assistant_checks command)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from shortbreaks.accounts.selectors import emails_of
from shortbreaks.core.roles import Role
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit

from ..models import Assistant, Training
from ..selectors import WARN_DAYS


def expiry_check(*, authority, today: dt.date | None = None) -> dict:
    """Daily: warn the PA and the officers a month before a DBS check or training runs out, and
    tell them when it has (the profile is hidden from families from that day, by the query)."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=WARN_DAYS)
    officers = emails_of(authority=authority, role=Role.OFFICER)
    counts = {"warned": 0, "lapsed": 0}

    def tell(assistant, what: str, lapsed: bool, renew_at: str):
        counts["lapsed" if lapsed else "warned"] += 1
        body = (
            f"{what} Families cannot find {assistant} until it is renewed: record the new date on the profile.\n"
            if lapsed
            else f"{what} Renew it before then, or the profile will be hidden from families.\n"
        )
        subject = f"{'Lapsed' if lapsed else 'Expiring soon'}: {assistant}'s checks"
        # The assistant and the officers act on different pages, for different reasons.
        email_after_commit(
            to=[assistant.user.email],
            subject=subject,
            body=f"{body}\n{renew_at}\n",
            why=f"you are a personal assistant with {authority.name}, and families find you only while your "
            "checks are in date",
            authority=authority,
        )
        email_after_commit(
            to=officers,
            subject=subject,
            body=f"{body}\n{absolute(authority, 'assistants:vet', assistant.pk)}\n",
            why=f"as an officer at {authority.name}, you vet personal assistants",
            authority=authority,
        )

    with transaction.atomic():
        profile = absolute(authority, "assistants:profile")
        for assistant in Assistant.objects.filter(authority=authority, dbs_renew_by__lte=soon).select_related("user"):
            renew_by = f"{assistant.dbs_renew_by:%-d %B %Y}"
            if assistant.dbs_renew_by < today and not assistant.dbs_lapse_told_on:
                tell(assistant, f"{assistant}'s DBS check needed renewing by {renew_by}.", True, profile)
                Assistant.objects.filter(pk=assistant.pk).update(dbs_lapse_told_on=today, dbs_warned_on=today)
            elif assistant.dbs_renew_by >= today and not assistant.dbs_warned_on:
                tell(assistant, f"{assistant}'s DBS check needs renewing by {renew_by}.", False, profile)
                Assistant.objects.filter(pk=assistant.pk).update(dbs_warned_on=today)
        for training in Training.objects.filter(authority=authority, expires_on__lte=soon).select_related(
            "assistant__user"
        ):
            ends = f"{training.expires_on:%-d %B %Y}"
            renew = absolute(authority, "assistants:training-renew", training.pk)
            if training.expires_on < today and not training.lapse_told_on:
                tell(training.assistant, f"{training.course} training ran out on {ends}.", True, renew)
                Training.objects.filter(pk=training.pk).update(lapse_told_on=today, warned_on=today)
            elif training.expires_on >= today and not training.warned_on:
                tell(training.assistant, f"{training.course} training runs out on {ends}.", False, renew)
                Training.objects.filter(pk=training.pk).update(warned_on=today)
    return counts
