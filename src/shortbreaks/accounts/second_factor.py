"""Setting up a member of staff's second factor, only through a one-time link sent to their
email (see OneTimeLink) or straight after accepting an emailed invitation: a password alone
never enrols an authenticator app."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit

from .links import link_found, link_issue, sent_lately
from .models import OneTimeLink

RESEND_AFTER = dt.timedelta(minutes=10)
PURPOSE = OneTimeLink.Purpose.SECOND_FACTOR


@transaction.atomic
def link_send(*, user, authority, force: bool = False) -> bool:
    """Email a new link, unless one went in the last ten minutes (so reloading the page, or
    someone with the password, cannot flood the inbox). Returns whether one was sent."""
    # "Send another link" may ask again after a minute; anything else waits ten.
    if sent_lately(user=user, purpose=PURPOSE, within=dt.timedelta(minutes=1) if force else RESEND_AFTER):
        return False
    _, token = link_issue(user=user, purpose=PURPOSE, authority=authority)
    email_after_commit(
        to=[user.email],
        subject="Set up your authenticator app for short breaks",
        body=(
            f"Hello {user.display_name},\n\n"
            "To finish signing in, set up an authenticator app on your phone from this link. It works once, "
            f"for {OneTimeLink.LIFETIME_HOURS} hours, and only after you have signed in with your password:\n\n"
            f"{absolute(authority, 'accounts:two-factor-link', token)}\n"
        ),
        why=(
            "someone signed in to your council staff account with its password and it has no authenticator "
            "app yet. If that was not you, change your password now and tell your council's administrator"
        ),
        authority=authority,
    )
    return True


def link_for(*, user, token: str) -> OneTimeLink | None:
    """The person's own link, if it still works."""
    link = link_found(token=token, purpose=PURPOSE, user=user)
    return link if link is not None and link.usable(timezone.now()) else None


def enrolment_granted(*, user) -> OneTimeLink:
    """A link straight into the session, for someone who has just shown they own the email by
    opening an invitation: they set up their app in the same visit."""
    link, _ = link_issue(user=user, purpose=PURPOSE, hours=1)
    return link
