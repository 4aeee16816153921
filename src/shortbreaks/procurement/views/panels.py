"""The commissioner's panel forms on an opportunity's page: inviting someone to a panel, and
withdrawing an invitation not yet accepted (procurement/invitations.py). Each is posted here;
a problem shows the opportunity's page again with what was typed and the message."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import dateformat, timezone

from shortbreaks.accounts.models import Invitation
from shortbreaks.accounts.services.invitations import invitation_withdraw
from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.lookups import object_or_404

from ..forms import PanelInviteForm, PanelWithdrawForm
from ..invitations import panel_invite
from ..models import Evaluator
from .staff import BUYERS, manage_page, managed


def _back(opportunity):
    return redirect(reverse("procurement:manage", args=[opportunity.pk]) + "#evaluation")


@roles(*BUYERS)
def invite(request, opportunity_id):
    opportunity = managed(request, opportunity_id)
    if request.method != "POST":
        return _back(opportunity)
    form = PanelInviteForm(request.POST, prefix="invite")
    if form.is_valid():
        data = form.cleaned_data
        try:
            done = panel_invite(
                opportunity=opportunity,
                email=data["email"],
                full_name=data["full_name"],
                panel=data["panel"],
                invited_by=request.user,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            if isinstance(done, Evaluator):
                messages.success(
                    request,
                    f"{done.user.display_name} is on the evaluation ({done.get_panel_display()}). "
                    "We have emailed them.",
                )
            else:
                messages.success(
                    request,
                    f"Invitation sent to {done.email}. It works once, until "
                    f"{dateformat.format(timezone.localtime(done.expires_at), 'j F Y')}.",
                )
            return _back(opportunity)
    return manage_page(request, opportunity, invite_form=form)


@roles(*BUYERS)
def withdraw(request, opportunity_id):
    opportunity = managed(request, opportunity_id)
    if request.method != "POST":
        return _back(opportunity)
    form = PanelWithdrawForm(request.POST)
    if form.is_valid():
        invitation = object_or_404(
            Invitation.objects.filter(
                authority=request.authority, purpose=Invitation.Purpose.PANEL, subject_id=str(opportunity.pk)
            ),
            form.cleaned_data["invitation"],
        )
        try:
            invitation_withdraw(invitation=invitation, withdrawn_by=request.user)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"The invitation to {invitation.email} no longer works.")
            return _back(opportunity)
    return manage_page(request, opportunity, withdraw_form=form)
