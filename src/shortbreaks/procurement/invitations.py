"""Inviting people to an opportunity's evaluation panels, before or after it is published (a
parents' or young people's panel sets its own criteria while the opportunity is a draft).

Someone who already holds a role at this council that can sit on the panel joins it at once
(evaluation.evaluator_add). Anyone else, with an account or not, is emailed an invitation that
gives the panel member's role (accounts/services/invitations.py); accepting it makes them an
evaluator (panel_join, run inside the accepting transaction by accounts.signals). Only this
council's people are looked up, so what the commissioner sees never says whether an address
has an account elsewhere on the installation. The officers' panel is for this council's staff
only: nobody is invited to it by email."""

from django.db import transaction

from shortbreaks.accounts.models import Invitation, User, normalise_email
from shortbreaks.accounts.services.invitations import invitation_send
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.lookups import valid_pk
from shortbreaks.core.roles import STAFF_ROLES, Role
from shortbreaks.procurement.audit import Audit

from .models import Evaluator, Opportunity, Question
from .routes import rules_for
from .services.evaluation import PANEL_ROLES, evaluator_add

PANEL = Invitation.Purpose.PANEL
INVITED_PANELS = (Question.Panel.PARENTS, Question.Panel.YOUNG_PEOPLE)
FINISHED = (Opportunity.Status.AWARDED, Opportunity.Status.CANCELLED)


def _check_open_for_panels(opportunity: Opportunity) -> None:
    if not rules_for(opportunity.route).panels:
        raise NotAllowed(f"A {opportunity.get_route_display().lower()} is not evaluated: it has no panels.")
    if opportunity.status in FINISHED:
        raise NotAllowed(
            f"The evaluation of {opportunity.reference} has finished ({opportunity.get_status_display().lower()})."
        )


def _person_here(authority, email: str) -> User | None:
    """Someone holding a role at this council with that address; nobody else is looked up."""
    return User.objects.filter(email=normalise_email(email), role_assignments__authority=authority).distinct().first()


def panel_invite(
    *, opportunity: Opportunity, email: str, full_name: str, panel: str, invited_by
) -> Evaluator | Invitation:
    """Add the person to the panel if they can sit on it already; otherwise email them an
    invitation. Returns the Evaluator or the Invitation."""
    if panel not in Question.Panel.values:
        raise NotAllowed("Choose one of the panels.")
    _check_open_for_panels(opportunity)
    person = _person_here(opportunity.authority, email)
    if person is not None and panel in INVITED_PANELS and person.roles_in(opportunity.authority) & STAFF_ROLES:
        raise NotAllowed(
            f"{person.display_name} is on {opportunity.authority.name}'s staff: add them to the council officers' "
            "panel. The parents' and young people's panels are for families."
        )
    if person is not None and person.roles_in(opportunity.authority) & PANEL_ROLES[panel]:
        return evaluator_add(opportunity=opportunity, user=person, panel=panel, is_moderator=False, added_by=invited_by)
    if panel not in INVITED_PANELS:
        raise NotAllowed(
            f"The council officers' panel is for staff of {opportunity.authority.name}, and nobody with that email "
            "address is a commissioner, procurement officer or council officer here. Ask the authority "
            "administrator to invite them as staff first, or invite them to the parents' or young people's panel."
        )
    return _invitation_send(
        opportunity=opportunity, email=email, full_name=full_name, panel=panel, invited_by=invited_by
    )


@transaction.atomic(durable=True)
def _invitation_send(*, opportunity: Opportunity, email: str, full_name: str, panel: str, invited_by) -> Invitation:
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    _check_open_for_panels(opportunity)
    email = normalise_email(email)
    if Evaluator.objects.filter(opportunity=opportunity, user__email=email).exists():
        raise NotAllowed(f"{email} is already on the evaluation of {opportunity.reference}.")
    label = Question.Panel(panel).label.lower()
    invitation = invitation_send(
        authority=opportunity.authority,
        purpose=PANEL,
        email=email,
        invited_by=invited_by,
        what=f"sit on the {label} for {opportunity.reference}, {opportunity.title}",
        roles=[Role.PANEL_MEMBER],
        full_name=full_name,
        subject_id=str(opportunity.pk),
        subject_label=opportunity.reference,
        details={"panel": panel},
    )
    audit_record(
        authority=opportunity.authority,
        actor=invited_by,
        action=Audit.PROCUREMENT_PANEL_INVITED,
        target=opportunity,
        summary=f"{email} invited to the {label} for {opportunity.reference}",
        details={"invitation": str(invitation.pk), "panel": panel},
    )
    return invitation


def panel_join(*, invitation: Invitation, user) -> Evaluator:
    """The invited person joins the panel: inside the transaction that accepts the invitation
    (which has just given them the panel member's role), so a refusal here accepts nothing.
    Accepting twice, or after being added by the commissioner meanwhile, changes nothing."""
    opportunity = (
        Opportunity.objects.select_for_update()
        .filter(pk=valid_pk(Opportunity, invitation.subject_id), authority=invitation.authority)
        .first()
    )
    if opportunity is None:
        raise NotAllowed("The procurement this invitation was for no longer exists.")
    _check_open_for_panels(opportunity)
    panel = (invitation.details or {}).get("panel")
    if panel not in INVITED_PANELS:
        raise NotAllowed("This invitation does not name a panel. Ask the council for a new one.")
    # The roles the invitation has just given count, whatever the account's own state.
    held = set(invitation.roles) | user.roles_in(invitation.authority)
    if not held & PANEL_ROLES[panel]:
        raise NotAllowed(f"You do not hold a role that can sit on the {Question.Panel(panel).label.lower()}.")
    evaluator, created = Evaluator.objects.get_or_create(
        opportunity=opportunity,
        user=user,
        defaults={"authority": opportunity.authority, "panel": panel, "is_moderator": False},
    )
    if created:
        audit_record(
            authority=opportunity.authority,
            actor=user,
            action=Audit.PROCUREMENT_EVALUATOR,
            target=evaluator,
            summary=f"{user.display_name} joins the evaluation of {opportunity.reference} "
            f"({evaluator.get_panel_display()}), by invitation",
        )
    return evaluator


def invitation_accepted(sender, *, invitation, user, **kwargs):
    """accounts.signals.invitation_accepted, connected in apps.py."""
    if invitation.purpose == PANEL:
        panel_join(invitation=invitation, user=user)
