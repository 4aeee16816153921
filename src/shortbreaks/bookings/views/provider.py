"""Registers for providers: the sessions of their own services, and of schemes they
coordinate, with who is booked; they mark attendance here. A child's care needs are shown only
where the family agreed to share them."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.accounts.roles import Role
from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.directory.selectors.listings import organisations_for

from ..models import Booking, Session
from ..models.bookings import LIVE
from ..services.booking import attendance_record


def _sessions_for(request):
    organisations = organisations_for(user=request.user, authority=request.authority)
    return Session.objects.filter(Q(service__organisation__in=organisations) | Q(scheme__coordinator__in=organisations),
                                  authority=request.authority).select_related("service")


@roles(Role.PROVIDER)
def sessions(request):
    today = timezone.localdate()
    upcoming = (_sessions_for(request).filter(date__gte=today - timezone.timedelta(days=14))
                .annotate(booked=Count("bookings", filter=Q(bookings__status__in=LIVE))).order_by("date", "starts_at")[:100])
    return render(request, "bookings/provider/sessions.html", {"sessions": upcoming})


@roles(Role.PROVIDER)
def register(request, session_id):
    session = get_object_or_404(_sessions_for(request), pk=session_id)
    if request.method == "POST":
        booking = get_object_or_404(Booking, pk=request.POST.get("booking"), session=session)
        try:
            attendance_record(booking=booking, attended=request.POST.get("attended") == "yes", recorded_by=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Recorded for {booking.child.first_name}.")
        return redirect("bookings:register", session.pk)
    bookings = (session.bookings.filter(status__in=[*LIVE, Booking.Status.NO_SHOW])
                .select_related("child__family").prefetch_related("child__needs").order_by("child__first_name"))
    return render(request, "bookings/provider/register.html", {
        "session": session, "bookings": bookings, "can_mark": session.date <= timezone.localdate(),
    })
