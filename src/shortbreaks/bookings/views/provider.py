"""Registers for providers: the sessions of their own services, and of schemes they
coordinate, with who is booked; they mark attendance here. A child's care needs are shown only
where the family agreed to share them."""

from django import forms
from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.form_fields import date_field
from shortbreaks.core.lookups import object_or_404
from shortbreaks.core.roles import Role
from shortbreaks.directory.models import Service
from shortbreaks.directory.selectors.listings import organisations_for

from ..models import Booking, Scheme, Session
from ..models.bookings import LIVE
from ..services.booking import attendance_record, booking_cancel
from ..services.sessions import sessions_from_schedule


def _sessions_for(request):
    organisations = organisations_for(user=request.user, authority=request.authority)
    return Session.objects.filter(
        Q(service__organisation__in=organisations) | Q(scheme__coordinator__in=organisations),
        authority=request.authority,
    ).select_related("service")


@roles(Role.PROVIDER)
def sessions(request):
    today = timezone.localdate()
    upcoming = (
        _sessions_for(request)
        .filter(date__gte=today - timezone.timedelta(days=14))
        .annotate(booked=Count("bookings", filter=Q(bookings__status__in=LIVE)))
        .order_by("date", "starts_at")[:100]
    )
    coordinated = Scheme.objects.filter(
        authority=request.authority, coordinator__in=organisations_for(user=request.user, authority=request.authority)
    )
    return render(request, "bookings/provider/sessions.html", {"sessions": upcoming, "schemes": coordinated})


@roles(Role.PROVIDER)
def register(request, session_id):
    session = get_object_or_404(_sessions_for(request), pk=session_id)
    if request.method == "POST":
        booking = object_or_404(Booking, request.POST.get("booking"), session=session)
        try:
            attendance_record(booking=booking, attended=request.POST.get("attended") == "yes", recorded_by=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Recorded for {booking.child.first_name}.")
        return redirect("bookings:register", session.pk)
    bookings = (
        session.bookings.filter(status__in=[*LIVE, Booking.Status.NO_SHOW])
        .select_related("child__family")
        .prefetch_related("child__needs")
        .order_by("child__first_name")
    )
    return render(
        request,
        "bookings/provider/register.html",
        {
            "session": session,
            "bookings": bookings,
            "can_mark": session.date <= timezone.localdate(),
        },
    )


class SessionsForm(forms.Form):
    start = date_field("First date", "the first date", hint="For example, 6 April 2027")
    end = date_field("Last date", "the last date", hint="For example, 17 April 2027")
    places = forms.IntegerField(label="Places in each session", min_value=1, max_value=500)
    support_staff = forms.IntegerField(label="Staff free for one-to-one support", min_value=0, max_value=100, initial=0)
    transport_seats = forms.IntegerField(label="Transport seats (0 if none)", min_value=0, max_value=200, initial=0)
    price = forms.DecimalField(
        label="Price charged to the child's budget, in pounds (0 if free)",
        min_value=0,
        max_digits=8,
        decimal_places=2,
        initial=0,
    )
    tier = forms.ChoiceField(
        label="Who can book", choices=Session.Tier.choices, widget=forms.RadioSelect, initial=Session.Tier.TARGETED
    )
    open_days_before = forms.IntegerField(
        label="Booking opens this many days before", min_value=0, max_value=365, initial=28
    )
    cancel_days_before = forms.IntegerField(
        label="Free cancellation up to this many days before", min_value=0, max_value=60, initial=2
    )


@roles(Role.PROVIDER)
def add_sessions(request, service_id):
    organisations = organisations_for(user=request.user, authority=request.authority)
    service = get_object_or_404(Service, pk=service_id, organisation__in=organisations, is_published=True)
    form = SessionsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = sessions_from_schedule(service=service, created_by=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Added {len(made)} session{'s' if len(made) != 1 else ''} of {service.name}.")
            return redirect("bookings:sessions")
    return render(
        request,
        "bookings/provider/add_sessions.html",
        {"service": service, "form": form, "schedules": service.schedules.all()},
    )


@roles(Role.PROVIDER)
def scheme_bookings(request, scheme_id):
    """The coordinator's view of a scheme: every booking on every provider's sessions, with
    transport and one-to-one needs for planning; they can cancel on a family's behalf."""
    organisations = organisations_for(user=request.user, authority=request.authority)
    scheme = get_object_or_404(Scheme, pk=scheme_id, authority=request.authority, coordinator__in=organisations)
    if request.method == "POST":
        booking = object_or_404(Booking, request.POST.get("booking"), session__scheme=scheme)
        try:
            booking_cancel(booking=booking, cancelled_by=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                f"{booking.child.first_name}'s place on {booking.session} is cancelled "
                "and offered to the waiting list.",
            )
        return redirect("bookings:scheme-bookings", scheme.pk)
    sessions = (
        scheme.sessions.filter(date__gte=timezone.localdate() - timezone.timedelta(days=14))
        .select_related("service__organisation")
        .order_by("date", "starts_at")
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=Booking.objects.filter(status__in=LIVE)
                .select_related("child__family")
                .order_by("child__first_name"),
                to_attr="live",
            )
        )
    )
    return render(request, "bookings/provider/scheme.html", {"scheme": scheme, "sessions": sessions})
