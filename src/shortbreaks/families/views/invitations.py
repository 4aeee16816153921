"""Inviting people to a family's account. A parent invites another parent or carer to their
own family, and their own child (from the authority's age) to an account of their own; an
officer does the same from a child's record ("linked by an officer"). Either can withdraw an
invitation not yet accepted. The invitation is accepted on the accounts app's page, and
services/accounts.py finishes it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from shortbreaks.accounts.selectors import account_policy
from shortbreaks.accounts.services.invitations import invitation_days, invitation_withdraw
from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.lookups import object_or_404
from shortbreaks.core.roles import Role

from ..forms.accounts import CarerInviteForm, WithdrawInvitationForm, YoungPersonInviteForm
from ..models import Child, Family
from ..selectors.access import children_of_carer
from ..selectors.invitations import pending_for
from ..services.accounts import InvitationRefused, carer_invite, young_person_invite


def _families_of(request):
    return (
        Family.objects.filter(authority=request.authority, carers__user=request.user).distinct().order_by("reference")
    )


def _refused(form, error: ServiceError) -> None:
    form.add_error(error.field if isinstance(error, InvitationRefused) else None, error.message)


def _carer_page(request, *, families, by_officer: bool, back: str, child=None):
    form = CarerInviteForm(request.POST or None, families=families, days=invitation_days(request.authority))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            carer_invite(
                family=form.chosen_family(),
                full_name=data["full_name"],
                email=data["email"],
                relationship=data["relationship"],
                invited_by=request.user,
                by_officer=by_officer,
            )
        except ServiceError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                f"We have emailed {data['full_name']} at {data['email']} a link to join "
                f"{'the family' if by_officer else 'your family'}'s account. It works once, for "
                f"{account_policy(request.authority).invitation_days} days.",
            )
            return redirect(back)
    return render(
        request,
        "families/accounts/carer_invite.html",
        {"form": form, "back": back, "by_officer": by_officer, "child": child},
    )


def _young_person_page(request, *, child, by_officer: bool, back: str):
    form = YoungPersonInviteForm(request.POST or None, days=invitation_days(request.authority))
    if request.method == "POST" and form.is_valid():
        try:
            young_person_invite(child=child, email=form.cleaned_data["email"], invited_by=request.user)
        except ServiceError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                f"We have emailed {child.first_name} at {form.cleaned_data['email']} a link to set up their own "
                "account.",
            )
            return redirect(back)
    return render(
        request,
        "families/accounts/young_person_invite.html",
        {
            "form": form,
            "child": child,
            "back": back,
            "by_officer": by_officer,
            "from_age": account_policy(request.authority).young_person_from_age,
        },
    )


def _withdraw(request, invitations, back: str):
    form = WithdrawInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation = object_or_404(invitations, form.cleaned_data["invitation"])
        try:
            invitation_withdraw(invitation=invitation, withdrawn_by=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"The invitation to {invitation.email} no longer works.")
    return redirect(back)


# A parent, for their own family.


@roles(Role.PARENT)
def carer_invite_view(request):
    families = list(_families_of(request))
    if not families:
        messages.info(request, "Tell us about your child first: that opens your family's account.")
        return redirect("families:child-new")
    return _carer_page(request, families=families, by_officer=False, back=reverse("families:home"))


@roles(Role.PARENT)
def young_person_invite_view(request, child_id):
    child = object_or_404(
        children_of_carer(user=request.user, authority=request.authority).select_related("family"), child_id
    )
    return _young_person_page(request, child=child, by_officer=False, back=reverse("families:home"))


@roles(Role.PARENT)
def invitation_withdraw_view(request):
    invitations = pending_for(
        authority=request.authority,
        families=_families_of(request),
        children=children_of_carer(user=request.user, authority=request.authority),
    )
    return _withdraw(request, invitations, reverse("families:home"))


# An officer, from a child's record.


def _child(request, child_id) -> Child:
    return object_or_404(Child.objects.filter(authority=request.authority).select_related("family"), child_id)


@roles(Role.OFFICER)
def officer_carer_invite(request, child_id):
    child = _child(request, child_id)
    return _carer_page(
        request, families=[child.family], by_officer=True, back=reverse("families:child", args=[child.pk]), child=child
    )


@roles(Role.OFFICER)
def officer_young_person_invite(request, child_id):
    child = _child(request, child_id)
    return _young_person_page(request, child=child, by_officer=True, back=reverse("families:child", args=[child.pk]))


@roles(Role.OFFICER)
def officer_invitation_withdraw(request, child_id):
    child = _child(request, child_id)
    invitations = pending_for(authority=request.authority, families=[child.family], children=[child])
    return _withdraw(request, invitations, reverse("families:child", args=[child.pk]))
