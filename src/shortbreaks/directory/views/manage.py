"""The commissioner's side of the directory: approving provider changes, history and restore,
and publishing intentions, documents and events. Commissioners of the request's authority
only; every query is scoped to that authority."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.core.access import roles
from shortbreaks.core.audit import audit_trail
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.form_fields import DATE_HINT, TypedDateField
from shortbreaks.core.paging import paginate
from shortbreaks.core.roles import Role
from shortbreaks.core.spreadsheets import csv_download

from ..forms.listings import ChangeDecisionForm, RestoreForm
from ..forms.publications import DocumentForm, EventCancelForm, EventForm, IntentionForm
from ..models import (
    CommissioningIntention,
    ListingChange,
    Organisation,
    ProviderEvent,
    ProviderSupport,
    Service,
)
from ..selectors.freshness import listing_policy_for, out_of_date_listings
from ..selectors.listings import change_history, pending_changes
from ..selectors.registrations import registrations_waiting
from ..services.listings import listing_change_approve, listing_change_return, listing_version_restore
from ..services.publications import (
    document_publish,
    event_cancel,
    event_create,
    event_update,
    intention_publish,
    intention_save,
    places_left,
    provider_support_record,
)
from ..services.snapshots import ORGANISATION_LABELS, SERVICE_LABELS, comparison


@roles(Role.COMMISSIONER)
def manage_home(request):
    authority = request.authority
    unchecked = out_of_date_listings(authority=authority, today=timezone.localdate())
    return render(
        request,
        "directory/manage/home.html",
        {
            "pending": pending_changes(authority=authority),
            "registrations": registrations_waiting(authority=authority),
            "organisation_count": Organisation.objects.filter(authority=authority, is_published=True).count(),
            "service_count": Service.objects.filter(authority=authority, is_published=True).count(),
            "intentions": CommissioningIntention.objects.filter(authority=authority)[:10],
            "events": ProviderEvent.objects.filter(authority=authority).order_by("-starts_at")[:10],
            "policy": listing_policy_for(authority),
            "unchecked": unchecked[:100],
            "unchecked_count": unchecked.count(),
        },
    )


@roles(Role.COMMISSIONER)
def change_review(request, change_id):
    """A provider's change to a listing of this council, for its commissioners: the change side
    by side with what is public, and the decision. If it cannot be made the page comes back with
    the reason typed and why."""
    change = get_object_or_404(
        ListingChange.objects.select_related("organisation", "service", "submitted_by", "decided_by"),
        pk=change_id,
        authority=request.authority,
    )
    labels = SERVICE_LABELS if change.subject == ListingChange.Subject.SERVICE else ORGANISATION_LABELS
    form = ChangeDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and change.status != ListingChange.Status.PENDING:
        form.add_error(None, "This change has already been decided.")
    elif request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                listing_change_approve(change=change, decided_by=request.user)
                change.organisation.refresh_from_db(fields=["is_published", "registration"])
                messages.success(
                    request,
                    f"You approved the change to {change.proposed['name']}. "
                    + (
                        "It is now public."
                        if change.organisation.is_published
                        else f"It will be public once {change.organisation.name} is approved."
                    ),
                )
            else:
                listing_change_return(change=change, decided_by=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, f"You returned the change to {change.organisation.name}.")
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            return redirect("directory:manage-home")
    return render(
        request,
        "directory/manage/change_review.html",
        {
            "change": change,
            "rows": comparison(before=change.original, after=change.proposed, labels=labels),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@roles(Role.COMMISSIONER)
def organisations(request):
    items = Organisation.objects.filter(authority=request.authority).order_by("name")
    context = paginate(request, items, per_page=50)
    context["registrations"] = registrations_waiting(authority=request.authority)
    return render(request, "directory/manage/organisations.html", context)


class SupportForm(forms.ModelForm):
    class Meta:
        model = ProviderSupport
        fields = ["kind", "description", "value", "quantity", "given_on"]
        labels = {
            "value": "Value in pounds (optional)",
            "quantity": "Number of places (optional)",
            "given_on": "Date given",
        }
        help_texts = {"given_on": DATE_HINT}
        widgets = {"kind": forms.RadioSelect}
        field_classes = {"given_on": TypedDateField}


@roles(Role.COMMISSIONER)
def organisation_detail(request, organisation_id):
    organisation = get_object_or_404(Organisation, pk=organisation_id, authority=request.authority)
    form = SupportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        support = form.save(commit=False)
        support.authority = request.authority
        support.organisation = organisation
        provider_support_record(support=support, recorded_by=request.user)
        messages.success(request, "Support recorded.")
        return redirect("directory:manage-organisation", organisation.pk)
    return render(
        request,
        "directory/manage/organisation_detail.html",
        {
            "organisation": organisation,
            "services": organisation.services.order_by("name"),
            "support": organisation.support.all(),
            "form": form,
            "history": change_history(authority=request.authority, organisation=organisation),
            "audit": audit_trail(authority=request.authority, target=organisation)[:50],
        },
    )


@roles(Role.COMMISSIONER)
def service_history(request, service_id):
    """A service's versions, for this council's commissioners: what changed, who asked and who
    decided, and restoring an approved version. A version of another service is a form error."""
    service = get_object_or_404(Service, pk=service_id, authority=request.authority)
    versions = list(change_history(authority=request.authority, service=service))
    for version in versions:
        version.rows = [
            r
            for r in comparison(before=version.original, after=version.proposed, labels=SERVICE_LABELS)
            if r["changed"]
        ]
    form = RestoreForm(
        request.POST if request.method == "POST" else None,
        versions=ListingChange.objects.filter(service=service, authority=request.authority),
    )
    if request.method == "POST" and form.is_valid():
        try:
            listing_version_restore(version=form.cleaned_data["version"], restored_by=request.user)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "You restored that version. It is now public.")
            return redirect("directory:manage-service-history", service.pk)
    return render(
        request,
        "directory/manage/service_history.html",
        {
            "service": service,
            "versions": versions,
            "form": form,
            "audit": audit_trail(authority=request.authority, target=service)[:50],
        },
        status=400 if form.errors else 200,
    )


@roles(Role.COMMISSIONER)
def intention_edit(request, intention_id=None):
    """Write or edit one of this council's commissioning intentions, for its commissioners;
    "Save and publish" tells the subscribed providers."""
    intention = None
    if intention_id:
        intention = get_object_or_404(CommissioningIntention, pk=intention_id, authority=request.authority)
    form = IntentionForm(request.POST or None, instance=intention)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.authority = request.authority
        try:
            intention_save(
                intention=saved,
                needs=form.cleaned_data["needs"],
                break_kinds=form.cleaned_data["break_kinds"],
                saved_by=request.user,
            )
            publish = form.cleaned_data["publish"] and saved.status != CommissioningIntention.Status.PUBLISHED
            if publish:
                intention_publish(intention=saved, published_by=request.user)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            if publish:
                messages.success(request, f"You published {saved.title}. Subscribed providers have been told.")
            else:
                messages.success(request, f"You saved {saved.title}.")
            return redirect("directory:manage-home")
    return render(
        request,
        "directory/manage/intention_form.html",
        {"form": form, "intention": intention},
        status=400 if form.errors else 200,
    )


@roles(Role.COMMISSIONER)
def document_upload(request):
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = document_publish(
                authority=request.authority,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                upload=form.cleaned_data["file"],
                uploaded_by=request.user,
            )
        except ServiceError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, f"You published {document.title}.")
            return redirect("directory:market")
    return render(request, "directory/manage/document_form.html", {"form": form})


@roles(Role.COMMISSIONER)
def event_new(request):
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = event_create(authority=request.authority, created_by=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"You published {event.title}.")
            return redirect("directory:manage-event", event.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "directory/manage/event_form.html", {"form": form}, status=status)


def _event_to_come(request, event_id) -> ProviderEvent:
    return get_object_or_404(
        ProviderEvent, pk=event_id, authority=request.authority, status=ProviderEvent.Status.PUBLISHED
    )


@roles(Role.COMMISSIONER)
def event_edit(request, event_id):
    """Change an event still to come; those registered are told of a new time or venue."""
    event = _event_to_come(request, event_id)
    form = EventForm(request.POST or None, instance=ProviderEvent.objects.get(pk=event.pk))
    if request.method == "POST":
        if form.is_valid():
            try:
                event = event_update(event=event, updated_by=request.user, **form.cleaned_data)
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"You saved the changes to {event.title}.")
                return redirect("directory:manage-event", event.pk)
        status = 400
    else:
        status = 200
    return render(request, "directory/manage/event_form.html", {"form": form, "event": event}, status=status)


@roles(Role.COMMISSIONER)
def event_cancel_view(request, event_id):
    """Cancel an event, saying why: everyone registered is emailed."""
    event = _event_to_come(request, event_id)
    form = EventCancelForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                event_cancel(event=event, cancelled_by=request.user, reason=form.cleaned_data["reason"])
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"You cancelled {event.title}. Everyone registered is being emailed.")
                return redirect("directory:manage-event", event.pk)
        status = 400
    else:
        status = 200
    registered = event.registrations.filter(cancelled_at__isnull=True).count()
    return render(
        request,
        "directory/manage/event_cancel.html",
        {"form": form, "event": event, "registered": registered},
        status=status,
    )


@roles(Role.COMMISSIONER)
def event_attendees(request, event_id):
    event = get_object_or_404(ProviderEvent, pk=event_id, authority=request.authority)
    registrations = event.registrations.filter(cancelled_at__isnull=True).select_related("organisation")
    if request.GET.get("format") == "csv":
        return csv_download(
            f"attendees-{event.pk}.csv",
            ["Name", "Email", "Organisation", "Access needs", "Registered"],
            (
                [
                    r.attendee_name,
                    r.attendee_email,
                    r.organisation.name,
                    r.access_needs,
                    r.created_at.isoformat(timespec="minutes"),
                ]
                for r in registrations
            ),
            private=True,
        )
    return render(
        request,
        "directory/manage/event_attendees.html",
        {
            "event": event,
            "registrations": registrations,
            "places_left": places_left(event),
            "to_come": event.starts_at > timezone.now(),
        },
    )
