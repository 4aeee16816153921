"""Schemes and request rounds, for commissioners: group sessions under a coordinator, open a
round of requests, share the places out fairly and confirm. Commissioners see counts and
outcomes per session, never a child's care needs."""

import datetime as dt

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role

from ..forms.rounds import RoundForm, RoundStepForm, SchemeForm, SchemeSessionsForm
from ..models import RequestRound, Scheme, Session
from ..selectors.registers import ON_REGISTER
from ..selectors.rounds import session_figures
from ..services.rounds import round_allocate_queue, round_confirm, round_open
from ..services.schemes import scheme_create, scheme_sessions_change


@roles(Role.COMMISSIONER)
def schemes(request):
    form = SchemeForm(request.POST or None, authority=request.authority)
    if request.method == "POST" and form.is_valid():
        try:
            scheme = scheme_create(authority=request.authority, created_by=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{scheme} created. Now add its sessions.")
            return redirect("bookings:scheme", scheme.pk)
    listed = (
        Scheme.objects.filter(authority=request.authority)
        .select_related("coordinator")
        .annotate(session_count=Count("sessions", distinct=True))
        .order_by("name")
    )
    return render(request, "bookings/schemes/list.html", {"schemes": listed, "form": form})


@roles(Role.COMMISSIONER)
def scheme(request, scheme_id):
    scheme = get_object_or_404(Scheme.objects.select_related("coordinator"), pk=scheme_id, authority=request.authority)
    today = timezone.localdate()
    posted = request.POST.get("action") if request.method == "POST" else None  # which of the page's two forms
    sessions_form = SchemeSessionsForm(request.POST if posted == "sessions" else None, scheme=scheme)
    if sessions_form.is_valid():
        add, remove = sessions_form.changes()
        try:
            scheme_sessions_change(scheme=scheme, changed_by=request.user, add=add, remove=remove)
        except ServiceError as error:
            sessions_form.add_error(None, error.message)
        else:
            messages.success(request, "The scheme's sessions are changed.")
            return redirect("bookings:scheme", scheme.pk)
    form = RoundForm(
        request.POST if posted and posted != "sessions" else None,
        initial={
            "opens_at": timezone.localtime().replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1),
            "closes_at": timezone.localtime().replace(hour=17, minute=0, second=0, microsecond=0)
            + dt.timedelta(days=7),
        },
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            round_ = round_open(
                scheme=scheme,
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                max_sessions_per_child=data["max_sessions_per_child"],
                max_choices=data["max_choices"],
                need_weights=form.need_weights(),
                opened_by=request.user,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, "Requests are open for the dates you set. Families see it on their bookings page."
            )
            return redirect("bookings:round", round_.pk)
    in_scheme = (
        scheme.sessions.filter(date__gte=today)
        .select_related("service__organisation")
        # Counted as the register counts them: a no-show still took the place.
        .annotate(booked=Count("bookings", filter=Q(bookings__status__in=ON_REGISTER)))
        .order_by("date", "starts_at")
    )
    free = (
        Session.objects.filter(
            authority=request.authority, scheme__isnull=True, date__gte=today, date__lte=today + dt.timedelta(days=180)
        )
        .select_related("service__organisation")
        .order_by("date", "starts_at")[:200]
    )
    return render(
        request,
        "bookings/schemes/detail.html",
        {
            "scheme": scheme,
            "in_scheme": in_scheme,
            "free": free,
            "form": form,
            "sessions_form": sessions_form,
            "ticked": {str(pk) for pk in request.POST.getlist("session")} if sessions_form.is_bound else set(),
            "rounds": scheme.rounds.all(),
        },
        status=400 if request.method == "POST" else 200,
    )


@roles(Role.COMMISSIONER)
def round_detail(request, round_id):
    round_ = get_object_or_404(RequestRound.objects.select_related("scheme"), pk=round_id, authority=request.authority)
    form = RoundStepForm(request.POST or None)
    if form.is_valid():
        try:
            if form.cleaned_data["action"] == RoundStepForm.ALLOCATE:
                round_allocate_queue(round_=round_, requested_by=request.user)
                done = "The places are being shared out. This page shows the result when it is ready."
            else:
                round_confirm(round_=round_, confirmed_by=request.user)
                done = "Confirmed: the places are booked and every family has been told."
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect("bookings:round", round_.pk)
    return render(
        request,
        "bookings/schemes/round.html",
        {
            "round": round_,
            "sessions": session_figures(round_),
            "now": timezone.now(),
            "families": round_.family_requests.count(),
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )
