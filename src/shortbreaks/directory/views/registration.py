"""Registering an organisation (anyone: signed out, with a new account; signed in, with their
own), and the commissioner's review of a registration."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from shortbreaks.accounts.views.signing_up import SENT_TO
from shortbreaks.core.access import public, roles
from shortbreaks.core.clients import client_ip
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.lookups import object_or_404
from shortbreaks.core.roles import Role

from ..forms.registration import OrganisationDetailsForm, RegisterWithAccountForm, RegistrationDecisionForm
from ..models import Organisation
from ..selectors.registrations import likely_duplicates, members_of
from ..services.registrations import organisation_register, registration_approve, registration_refuse


@public
def register(request):
    signed_in = request.user.is_authenticated
    form_class = OrganisationDetailsForm if signed_in else RegisterWithAccountForm
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = organisation_register(
                authority=request.authority,
                details=form.details(),
                registrant=request.user if signed_in else None,
                account=None
                if signed_in
                else {"full_name": data["full_name"], "email": data["email"], "password": data["password1"]},
                client=client_ip(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            if not signed_in:
                # The same page whether or not the address already had an account.
                request.session[SENT_TO] = data["email"]
                return redirect("accounts:check-email")
            messages.success(
                request,
                f"You registered {organisation.name}. The council will check it; until it is approved, you can add "
                "services, but families will not see them.",
            )
            return redirect(f"{reverse('directory:provider-home')}?org={organisation.pk}")
    return render(request, "directory/register.html", {"form": form, "signed_in": signed_in})


@roles(Role.COMMISSIONER)
def registration_review(request, organisation_id):
    """An organisation registered with this council, for its commissioners: its details, who
    registered it, likely duplicates, and the decision while it waits. If the decision cannot be
    made the page comes back with the reason typed and why."""
    organisation = object_or_404(
        Organisation.objects.select_related("registered_by", "decided_by"), organisation_id, authority=request.authority
    )
    form = RegistrationDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and organisation.registration != Organisation.Registration.PENDING:
        form.add_error(None, "This registration has already been decided.")
    elif request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                registration_approve(organisation=organisation, decided_by=request.user)
                messages.success(request, f"You approved {organisation.name}. It is now in the directory.")
            else:
                registration_refuse(
                    organisation=organisation, decided_by=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, f"You refused {organisation.name}. We have told them why.")
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            return redirect("directory:manage-home")
    return render(
        request,
        "directory/manage/registration_review.html",
        {
            "organisation": organisation,
            "duplicates": likely_duplicates(organisation),
            "members": members_of(organisation),
            "refuse_form": form,
            "form": form if form.errors else None,
        },
        status=400 if form.errors else 200,
    )
