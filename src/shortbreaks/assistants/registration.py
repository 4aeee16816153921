"""A personal assistant registering: someone new opens an account (its email confirmed by a
link before the role works, accounts/services/signup.py) and starts a draft profile in the same
transaction; someone signed in starts the profile and takes the role. A draft is never shown
to families (selectors.visible_to_families): the PA completes it from their home and asks to be
vetted."""

from django.db import transaction

from shortbreaks.accounts.models import RoleAssignment
from shortbreaks.accounts.services.signup import account_open
from shortbreaks.assistants.audit import Audit
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.postcodes import locate
from shortbreaks.core.roles import Role
from shortbreaks.core.sites import absolute

from .models import Assistant


def _profile_start(*, authority, user, display_name: str, postcode: str, actor) -> Assistant:
    place = locate(postcode)  # PostcodeError says what is wrong
    assistant = Assistant.objects.create(
        authority=authority,
        user=user,
        display_name=display_name.strip(),
        postcode=place.postcode,
        latitude=place.latitude,
        longitude=place.longitude,
        status=Assistant.Status.DRAFT,
    )
    audit_record(
        authority=authority,
        actor=actor,
        action=Audit.ASSISTANT_REGISTERED,
        target=assistant,
        summary=f"{assistant} registered as a personal assistant",
    )
    return assistant


@transaction.atomic(durable=True)
def assistant_register(
    *, authority, full_name: str, email: str, password: str, display_name: str, postcode: str, client: str
) -> Assistant | None:
    """A new account and its draft profile. None when the address already has an account:
    nothing is created and the caller shows the same page as for a new one."""
    locate(postcode)  # before the account, so a bad postcode leaves no trace
    user = account_open(
        authority=authority,
        full_name=full_name,
        email=email,
        password=password,
        role=Role.PERSONAL_ASSISTANT,
        client=client,
        next_step=(
            "To offer your services as a personal assistant, sign in and open this page: "
            f"{absolute(authority, 'assistants:register')}"
        ),
    )
    if user is None:
        return None
    return _profile_start(authority=authority, user=user, display_name=display_name, postcode=postcode, actor=None)


@transaction.atomic(durable=True)
def assistant_profile_start(*, authority, user, display_name: str, postcode: str) -> Assistant:
    """Someone signed in offers themselves as a PA: the role here and a draft profile."""
    existing = Assistant.objects.filter(user=user).first()
    if existing is not None:
        if existing.authority_id != authority.pk:
            raise NotAllowed("Your personal assistant profile is with another council.")
        raise NotAllowed("You already have a personal assistant profile here.")
    RoleAssignment.objects.get_or_create(user=user, authority=authority, role=Role.PERSONAL_ASSISTANT)
    user.forget_roles()
    return _profile_start(authority=authority, user=user, display_name=display_name, postcode=postcode, actor=user)
