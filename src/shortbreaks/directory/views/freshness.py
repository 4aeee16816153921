"""Confirming a listing is still right. A provider confirms its own organisation's listings
(the provider role for that organisation); a commissioner or council officer of the request's
authority confirms the listings of the council's in-house services, and no others."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role

from ..forms.freshness import ListingCheckForm
from ..models import ListingChange, Organisation, Service
from ..selectors.freshness import check_due_on, is_out_of_date, listing_policy_for
from ..selectors.listings import provider_organisation
from ..selectors.services import with_details
from ..services.freshness import listing_confirm


def _check_page(request, service: Service, *, as_council: bool, done_url: str, edit_url: str | None):
    form = ListingCheckForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            listing_confirm(service=service, confirmed_by=request.user, as_council=as_council)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            policy = listing_policy_for(request.authority)
            messages.success(
                request,
                f"Thank you: {service.name} is confirmed as still right. "
                f"We will remind you to check it again before {policy.check_every_days} days have passed.",
            )
            return redirect(done_url)
    policy = listing_policy_for(request.authority)
    today = timezone.localdate()
    return render(
        request,
        "directory/listing_check.html",
        {
            "form": form,
            "service": service,
            "locations": [sal.location for sal in service.service_at_locations.all()],
            "due_on": check_due_on(service, policy),
            "out_of_date": is_out_of_date(service, today, policy),
            "pending": service.changes.filter(status=ListingChange.Status.PENDING).exists(),
            "back_url": done_url,
            "edit_url": edit_url,
        },
    )


@roles(Role.PROVIDER)
def provider_service_check(request, service_id):
    organisation = provider_organisation(request)
    service = get_object_or_404(with_details(organisation.services.all()), pk=service_id)
    home = reverse("directory:provider-home") + f"?org={organisation.pk}"
    edit = reverse("directory:provider-service-edit", args=[service.pk]) + f"?org={organisation.pk}"
    return _check_page(request, service, as_council=False, done_url=home, edit_url=edit)


@roles(Role.COMMISSIONER, Role.OFFICER)
def council_service_check(request, service_id):
    service = get_object_or_404(with_details(Service.objects.filter(authority=request.authority)), pk=service_id)
    if service.organisation.kind != Organisation.Kind.IN_HOUSE:
        raise Http404("Only in-house services are the council's to confirm")
    return _check_page(
        request, service, as_council=True, done_url=reverse("directory:manage-home") + "#unchecked", edit_url=None
    )
