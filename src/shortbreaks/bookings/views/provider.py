"""Registers for providers: the sessions of their own services, and of schemes they
coordinate, with who is booked; they mark attendance here (one child, or everyone at once, and
undo a mark). A child's care needs are shown only where the family agreed to share them."""

from django.contrib import messages
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.paging import paginate
from shortbreaks.core.roles import Role
from shortbreaks.directory.models import Service
from shortbreaks.directory.selectors.listings import organisations_for

from ..forms.provider import AttendanceForm, SchemeCancelForm, SessionsForm
from ..models import Booking, Scheme, Session
from ..selectors.registers import (
    ON_REGISTER,
    RECENT_DAYS,
    emergency_contacts_for,
    register_bookings,
    upcoming_and_past,
    with_booked,
)
from ..services.attendance import attendance_record, attendance_record_everyone, attendance_undo
from ..services.booking import booking_cancel
from ..services.sessions import sessions_from_schedule

SESSIONS_PER_PAGE = 25
SCHEME_SESSIONS_PER_PAGE = 10  # each a table of its bookings


def _sessions_for(request):
    organisations = organisations_for(user=request.user, authority=request.authority)
    return Session.objects.filter(
        Q(service__organisation__in=organisations) | Q(scheme__coordinator__in=organisations),
        authority=request.authority,
    ).select_related("service")


@roles(Role.PROVIDER)
def sessions(request):
    """Sessions from RECENT_DAYS ago on, soonest first; older registers, kept, latest first
    (`?past=1`); both paged."""
    past = request.GET.get("past") == "1"
    upcoming, older = upcoming_and_past(_sessions_for(request))
    coordinated = Scheme.objects.filter(
        authority=request.authority, coordinator__in=organisations_for(user=request.user, authority=request.authority)
    )
    return render(
        request,
        "bookings/provider/sessions.html",
        {
            "schemes": coordinated,
            "past": past,
            "recent_days": RECENT_DAYS,
            **paginate(request, older if past else upcoming, per_page=SESSIONS_PER_PAGE),
        },
    )


def _render_register(request, session, form, status=200):
    bookings = list(register_bookings(session))
    for booking in bookings:
        booking.emergency_contacts = emergency_contacts_for(booking)
    can_mark = session.date <= timezone.localdate()
    return render(
        request,
        "bookings/provider/register.html",
        {
            "session": session,
            "bookings": bookings,
            "form": form,
            "can_mark": can_mark,
            "anyone_to_mark": can_mark and any(b.status == Booking.Status.CONFIRMED for b in bookings),
        },
        status=status,
    )


@roles(Role.PROVIDER)
def register(request, session_id):
    session = get_object_or_404(with_booked(_sessions_for(request)), pk=session_id)
    if request.method != "POST":
        return _render_register(request, session, AttendanceForm(session=session))
    form = AttendanceForm(request.POST, session=session)
    if form.is_valid():
        action, booking = form.cleaned_data["action"], form.cleaned_data.get("booking")
        try:
            if action == AttendanceForm.EVERYONE:
                marked = attendance_record_everyone(session=session, recorded_by=request.user)
                done = f"Marked {len(marked)} {'child' if len(marked) == 1 else 'children'} as attended."
            elif action == AttendanceForm.UNDO:
                attendance_undo(booking=booking, undone_by=request.user)
                done = f"{booking.child.first_name}'s attendance is undone: mark it again."
            else:
                came = action == AttendanceForm.CAME
                attendance_record(booking=booking, attended=came, recorded_by=request.user)
                done = f"{booking.child.first_name} {'came' if came else 'did not come'}: recorded."
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect("bookings:register", session.pk)
    return _render_register(request, session, form, status=400)


@roles(Role.PROVIDER)
def add_sessions(request, service_id):
    organisations = organisations_for(user=request.user, authority=request.authority)
    service = get_object_or_404(Service, pk=service_id, organisation__in=organisations, is_published=True)
    form = SessionsForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            one_off = data.pop("pattern") == SessionsForm.ONE_OFF
            try:
                added = sessions_from_schedule(service=service, created_by=request.user, one_off=one_off, **data)
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                if added.made:
                    count = len(added.made)
                    messages.success(
                        request,
                        f"Added {count} session{'s' if count != 1 else ''} of {service.name}. "
                        f"{added.skipped_words()}".strip(),
                    )
                    return redirect("bookings:sessions")
                form.add_error(None, added.why_none(data["start"], data["end"]))
        status = 400
    else:
        status = 200
    return render(
        request,
        "bookings/provider/add_sessions.html",
        {"service": service, "form": form, "schedules": service.schedules.all()},
        status=status,
    )


@roles(Role.PROVIDER)
def scheme_bookings(request, scheme_id):
    """The coordinator's view of a scheme: every booking on every provider's sessions, with
    transport and one-to-one needs for planning; they can cancel on a family's behalf."""
    organisations = organisations_for(user=request.user, authority=request.authority)
    scheme = get_object_or_404(Scheme, pk=scheme_id, authority=request.authority, coordinator__in=organisations)
    form = SchemeCancelForm(request.POST or None, scheme=scheme)
    if request.method == "POST":
        if form.is_valid():
            booking = form.cleaned_data["booking"]
            try:
                booking_cancel(booking=booking, cancelled_by=request.user)
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    f"{booking.child.first_name}'s place on {booking.session} is cancelled "
                    "and offered to the waiting list.",
                )
                return redirect("bookings:scheme-bookings", scheme.pk)
    sessions = (
        scheme.sessions.filter(date__gte=timezone.localdate() - timezone.timedelta(days=RECENT_DAYS))
        .select_related("service__organisation")
        .order_by("date", "starts_at", "pk")
        .prefetch_related(
            Prefetch(
                "bookings",
                # Everyone the register lists (a no-show still took the place), so the two agree.
                queryset=Booking.objects.filter(status__in=ON_REGISTER)
                .select_related("child__family")
                .order_by("child__first_name"),
                to_attr="live",
            )
        )
    )
    return render(
        request,
        "bookings/provider/scheme.html",
        {"scheme": scheme, "form": form, **paginate(request, sessions, per_page=SCHEME_SESSIONS_PER_PAGE)},
        status=400 if form.is_bound else 200,
    )
