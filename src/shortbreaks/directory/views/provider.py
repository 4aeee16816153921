"""Provider self-service. Only people holding the provider role for an organisation may use
these pages, and only for their own organisation's records."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role

from ..forms.listings import OrganisationForm, ServiceForm
from ..forms.publications import SubscriptionForm
from ..models import ListingChange, OpportunitySubscription, TaxonomyTerm
from ..selectors.freshness import check_due_on, is_due_soon, is_out_of_date, listing_policy_for
from ..selectors.listings import provider_organisation
from ..selectors.services import services_of_organisation
from ..services.listings import (
    listing_change_withdraw,
    organisation_change_submit,
    service_change_submit,
)
from ..services.publications import subscription_delete, subscription_save
from ..services.snapshots import organisation_snapshot, service_snapshot


@roles(Role.PROVIDER)
def provider_home(request):
    organisation = provider_organisation(request)
    changes = organisation.changes.select_related("service").order_by("-submitted_at")[:20]
    services = services_of_organisation(organisation=organisation)
    policy, today = listing_policy_for(request.authority), timezone.localdate()
    published = [service for service in services if service.is_published]
    out_of_date = {s.pk for s in published if is_out_of_date(s, today, policy)}
    due_soon = {s.pk for s in published if is_due_soon(s, today, policy)}
    return render(
        request,
        "directory/provider/home.html",
        {
            "organisation": organisation,
            "services": services,
            "policy": policy,
            "out_of_date": out_of_date,
            "due_soon": due_soon,
            "to_check": [(s, check_due_on(s, policy)) for s in published if s.pk in out_of_date | due_soon],
            "changes": changes,
            "subscriptions": organisation.subscriptions.all(),
            "registrations": organisation.event_registrations.filter(cancelled_at__isnull=True).select_related("event"),
        },
    )


@roles(Role.PROVIDER)
def service_edit(request, service_id=None):
    organisation = provider_organisation(request)
    service = None
    original: dict = {}
    if service_id is not None:
        service = get_object_or_404(organisation.services.all(), pk=service_id)
        pending = service.changes.filter(status=ListingChange.Status.PENDING).first()
        # Carry on from the change waiting for approval, so nothing typed is lost.
        original = pending.proposed if pending else service_snapshot(service)
    form = ServiceForm(request.POST or None, organisation=organisation, original=original)
    if request.method == "POST" and form.is_valid():
        try:
            service_change_submit(
                organisation=organisation, service=service, proposed=form.snapshot(), submitted_by=request.user
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                "Your change has been sent to the council for approval. Families will see it once it is approved.",
            )
            return redirect("directory:provider-home")
    return render(
        request,
        "directory/provider/service_form.html",
        {
            "form": form,
            "service": service,
            "organisation": organisation,
        },
    )


@roles(Role.PROVIDER)
def organisation_edit(request):
    organisation = provider_organisation(request)
    pending = organisation.changes.filter(subject="organisation", status=ListingChange.Status.PENDING).first()
    initial = pending.proposed if pending else organisation_snapshot(organisation)
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        organisation_change_submit(organisation=organisation, proposed=form.snapshot(), submitted_by=request.user)
        messages.success(request, "Your change has been sent to the council for approval.")
        return redirect("directory:provider-home")
    return render(request, "directory/provider/organisation_form.html", {"form": form, "organisation": organisation})


@roles(Role.PROVIDER)
def change_withdraw(request, change_id):
    organisation = provider_organisation(request)
    change = get_object_or_404(organisation.changes.all(), pk=change_id)
    if request.method == "POST":
        try:
            listing_change_withdraw(change=change, withdrawn_by=request.user)
            messages.success(request, "You withdrew the change.")
        except ServiceError as error:
            messages.error(request, error.message)
    return redirect("directory:provider-home")


@roles(Role.PROVIDER)
def subscription_edit(request):
    organisation = provider_organisation(request)
    form = SubscriptionForm(request.POST or None, initial={"email": request.user.email})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        terms = TaxonomyTerm.objects.filter(pk__in=data["needs"] + data["break_kinds"])
        subscription_save(
            organisation=organisation,
            email=data["email"],
            needs=[t for t in terms if str(t.pk) in data["needs"]],
            break_kinds=[t for t in terms if str(t.pk) in data["break_kinds"]],
            saved_by=request.user,
        )
        messages.success(request, f"We will email {data['email']} about new opportunities.")
        return redirect("directory:provider-home")
    return render(request, "directory/provider/subscription_form.html", {"form": form, "organisation": organisation})


@roles(Role.PROVIDER)
def subscription_remove(request, subscription_id):
    organisation = provider_organisation(request)
    subscription = get_object_or_404(OpportunitySubscription, pk=subscription_id, organisation=organisation)
    if request.method == "POST":
        subscription_delete(subscription=subscription, deleted_by=request.user)
        messages.success(request, f"{subscription.email} will no longer get news of opportunities.")
    return redirect("directory:provider-home")
