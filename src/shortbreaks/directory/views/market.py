"""What the commissioner publishes for the market. Anyone may read intentions, documents and
events; registering for an event needs the provider role."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.core.access import has_role, public, roles
from shortbreaks.core.downloads import attachment
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role

from ..forms.publications import RegistrationForm
from ..models import CommissioningIntention, ProviderEvent, StrategyDocument
from ..selectors.listings import provider_organisation
from ..services.publications import event_register, places_left


def _published_intentions(authority):
    return CommissioningIntention.objects.filter(
        authority=authority, status=CommissioningIntention.Status.PUBLISHED
    ).prefetch_related("needs", "break_kinds")


def _upcoming_events(authority):
    return ProviderEvent.objects.filter(
        authority=authority, status=ProviderEvent.Status.PUBLISHED, starts_at__gte=timezone.now()
    )


@public
def market(request):
    return render(
        request,
        "directory/market/index.html",
        {
            "intentions": _published_intentions(request.authority),
            "documents": StrategyDocument.objects.filter(authority=request.authority),
            "events": _upcoming_events(request.authority)[:5],
        },
    )


@public
def intention_detail(request, intention_id):
    intention = get_object_or_404(_published_intentions(request.authority), pk=intention_id)
    return render(request, "directory/market/intention.html", {"intention": intention})


@public
def document_download(request, document_id):
    """Always a download with the sniffed type, never rendered as a page of ours."""
    document = get_object_or_404(StrategyDocument, pk=document_id, authority=request.authority)
    return attachment(document.file, filename=document.original_filename, content_type=document.content_type)


@public
def events(request):
    return render(request, "directory/market/events.html", {"events": _upcoming_events(request.authority)})


@public
def event_detail(request, event_id):
    event = get_object_or_404(ProviderEvent, pk=event_id, authority=request.authority)
    can_register = request.user.is_authenticated and has_role(request, Role.PROVIDER)
    return render(
        request,
        "directory/market/event.html",
        {
            "event": event,
            "places_left": places_left(event),
            "can_register": can_register,
            "form": RegistrationForm(
                initial={"attendee_name": request.user.display_name, "attendee_email": request.user.email}
            )
            if can_register
            else None,
            "open": event.status == ProviderEvent.Status.PUBLISHED and timezone.now() < event.registration_closes_at,
        },
    )


@roles(Role.PROVIDER)
def event_register_view(request, event_id):
    event = get_object_or_404(ProviderEvent, pk=event_id, authority=request.authority)
    organisation = provider_organisation(request)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event_register(event=event, organisation=organisation, registered_by=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"{form.cleaned_data['attendee_name']} is registered for {event.title}. "
                "We have emailed a confirmation.",
            )
            return redirect("directory:event", event.pk)
    return render(
        request,
        "directory/market/event.html",
        {
            "event": event,
            "places_left": places_left(event),
            "can_register": True,
            "form": form,
            "open": event.status == ProviderEvent.Status.PUBLISHED and timezone.now() < event.registration_closes_at,
        },
    )
