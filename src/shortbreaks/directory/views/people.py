"""The people acting for a provider's organisation. Everyone who acts for it sees the list and
may leave; its administrators invite, remove and share or hand over their role (the services
check who may, under the organisation's lock)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from shortbreaks.accounts.models import Invitation
from shortbreaks.accounts.selectors import pending_invitations
from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role

from ..forms.registration import InviteColleagueForm, MemberForm, PeopleActionForm
from ..selectors.listings import provider_organisation
from ..selectors.registrations import administers, members_of
from ..services.members import administrator_hand_over, administrator_set, colleague_invite, colleague_remove

# What each button on the page asks for, and what is said once it is done.
ACTIONS = {
    "remove": "{name} no longer acts for {organisation}.",
    "leave": "You no longer act for {organisation}.",
    "share": "{name} is now an administrator too.",
    "step_down": "{name} is no longer an administrator.",
    "hand_over": "{name} is now the administrator in your place.",
}


@roles(Role.PROVIDER)
def people(request):
    """The people acting for the provider's own organisation, for them alone; what each may do
    the services decide. If it cannot be done the page comes back with what was typed and why."""
    organisation = provider_organisation(request)
    members = list(members_of(organisation))
    posted = request.method == "POST"
    asked = PeopleActionForm(request.POST if posted else None)
    action = asked.cleaned_data["action"] if posted and asked.is_valid() else ""
    invite_form = InviteColleagueForm(request.POST if action == "invite" else None)
    member_form = MemberForm(request.POST if action in ACTIONS else None, members=members)
    failed = asked if posted and not action else None
    if action == "invite":
        if invite_form.is_valid():
            data = invite_form.cleaned_data
            try:
                colleague_invite(
                    organisation=organisation,
                    email=data["email"],
                    full_name=data["full_name"],
                    administers=data["administers"],
                    invited_by=request.user,
                )
            except ServiceError as error:
                invite_form.add_error(None, error.message)
            else:
                messages.success(request, f"We have emailed an invitation to {data['email']}.")
                return _back(organisation)
        failed = invite_form
    elif action in ACTIONS:
        if member_form.is_valid():
            member = member_form.chosen()
            if action in ("remove", "leave"):
                action = "leave" if member.user_id == request.user.pk else "remove"
            try:
                _act(action, organisation=organisation, member=member, user=request.user)
            except ServiceError as error:
                member_form.add_error(None, error.message)
            else:
                messages.success(
                    request, ACTIONS[action].format(name=member.user.display_name, organisation=organisation.name)
                )
                if action == "leave":
                    return redirect("accounts:home")
                return _back(organisation)
        failed = member_form
    me = next((m for m in members if m.user_id == request.user.pk), None)
    return render(
        request,
        "directory/provider/people.html",
        {
            "organisation": organisation,
            "members": members,
            "me": me,
            "is_administrator": administers(user=request.user, organisation=organisation),
            "invitations": pending_invitations(
                authority=request.authority, purpose=Invitation.Purpose.COLLEAGUE, organisation=organisation
            ),
            "invite_form": invite_form,
            "form": failed,
        },
        status=400 if failed else 200,
    )


def _act(action: str, *, organisation, member, user) -> None:
    if action in ("remove", "leave"):
        colleague_remove(organisation=organisation, member=member, removed_by=user)
    elif action == "share":
        administrator_set(organisation=organisation, member=member, administers=True, changed_by=user)
    elif action == "step_down":
        administrator_set(organisation=organisation, member=member, administers=False, changed_by=user)
    else:
        administrator_hand_over(organisation=organisation, to=member, handed_over_by=user)


def _back(organisation):
    return redirect(f"{reverse('directory:provider-people')}?org={organisation.pk}")
