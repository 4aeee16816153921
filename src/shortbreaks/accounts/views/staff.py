"""The authority administrator's pages: the council's staff, inviting them, their roles,
switching accounts off and on, and resetting a lost authenticator app. Only authority
administrators may use them; every change is audited (services/staff.py)."""

from django.contrib import messages
from django.shortcuts import redirect, render

from shortbreaks.core.access import roles
from shortbreaks.core.audit import audit_trail
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.lookups import object_or_404
from shortbreaks.core.roles import STAFF_ROLES, Role

from ..forms import ConfirmForm, StaffInviteForm, StaffRolesForm
from ..models import Invitation, User
from ..selectors import pending_invitations, staff_of
from ..services.invitations import invitation_days, invitation_withdraw
from ..services.staff import account_switch, second_factor_reset, staff_invite, staff_roles_set


def _member(request, user_id) -> User:
    return object_or_404(
        User.objects.filter(
            role_assignments__authority=request.authority, role_assignments__role__in=STAFF_ROLES
        ).distinct(),
        user_id,
    )


@roles(Role.ADMINISTRATOR)
def staff(request):
    return render(
        request,
        "accounts/staff/list.html",
        {
            "staff": staff_of(authority=request.authority),
            "invitations": pending_invitations(authority=request.authority, purpose=Invitation.Purpose.STAFF),
        },
    )


@roles(Role.ADMINISTRATOR)
def invite(request):
    form = StaffInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            staff_invite(
                authority=request.authority,
                email=data["email"],
                full_name=data["full_name"],
                roles=data["roles"],
                invited_by=request.user,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"Invitation sent to {data['email']}. It works once, for {invitation_days(request.authority)} days.",
            )
            return redirect("accounts:staff")
    return render(request, "accounts/staff/invite.html", {"form": form, "days": invitation_days(request.authority)})


@roles(Role.ADMINISTRATOR)
def member(request, user_id):
    person = _member(request, user_id)
    held = [a.role for a in person.role_assignments.filter(authority=request.authority, role__in=STAFF_ROLES)]
    form = StaffRolesForm(request.POST or None, initial={"roles": held})
    if request.method == "POST" and form.is_valid():
        try:
            staff_roles_set(
                authority=request.authority, user=person, roles=form.cleaned_data["roles"], changed_by=request.user
            )
        except ServiceError as error:
            form.add_error("roles", error.message)
        else:
            messages.success(request, f"{person.display_name}'s roles are saved.")
            return redirect("accounts:staff")
    return _member_page(request, person, form)


def _member_page(request, person, form, status=200):
    return render(
        request,
        "accounts/staff/member.html",
        {
            "person": person,
            "form": form,
            "has_app": person.totpdevice_set.filter(confirmed=True).exists(),
            "trail": audit_trail(authority=request.authority, target=person)[:20],
        },
        status=status,
    )


def _act(request, user_id, action, done: str):
    """A button on the person's page; if it cannot be done, the page says why."""
    person = _member(request, user_id)
    confirm = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and confirm.is_valid():
        try:
            action(person)
        except ServiceError as error:
            held = [a.role for a in person.role_assignments.filter(authority=request.authority, role__in=STAFF_ROLES)]
            form = StaffRolesForm({"roles": held})
            form.is_valid()
            form.add_error(None, error.message)
            return _member_page(request, person, form, status=400)
        messages.success(request, done.format(name=person.display_name))
    return redirect("accounts:staff-member", person.pk)


@roles(Role.ADMINISTRATOR)
def switch_off(request, user_id):
    return _act(
        request,
        user_id,
        lambda person: account_switch(authority=request.authority, user=person, active=False, changed_by=request.user),
        "{name}'s account is switched off: they cannot sign in.",
    )


@roles(Role.ADMINISTRATOR)
def switch_on(request, user_id):
    return _act(
        request,
        user_id,
        lambda person: account_switch(authority=request.authority, user=person, active=True, changed_by=request.user),
        "{name}'s account is switched on again.",
    )


@roles(Role.ADMINISTRATOR)
def reset_second_factor(request, user_id):
    return _act(
        request,
        user_id,
        lambda person: second_factor_reset(authority=request.authority, user=person, reset_by=request.user),
        "{name}'s authenticator app no longer works. We have emailed them an invitation to set up a new one.",
    )


@roles(Role.ADMINISTRATOR)
def withdraw(request, invitation_id):
    invitation = object_or_404(
        Invitation.objects.filter(authority=request.authority, purpose=Invitation.Purpose.STAFF), invitation_id
    )
    if request.method == "POST" and ConfirmForm(request.POST).is_valid():
        try:
            invitation_withdraw(invitation=invitation, withdrawn_by=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"The invitation to {invitation.email} no longer works.")
    return redirect("accounts:staff")
