"""Feedback. Parents (for their own children) and young people (for themselves) give it; a
parent can hand the child-friendly version to their child. Providers (role provider) see
feedback on their own services without who gave it and never a safeguarding concern, and
reply. Commissioners and officers moderate reviews for the public page. Safeguarding alerts,
with the child's name, are for council officers only."""

import datetime as dt

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone

from shortbreaks.bookings.models import Booking
from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role
from shortbreaks.directory.models import Service
from shortbreaks.directory.selectors.listings import organisations_for
from shortbreaks.directory.selectors.search import public_services
from shortbreaks.families.models import Child
from shortbreaks.families.selectors.access import children_of_carer

from ..forms.feedback import AlertForm, GiveForm, ModerateForm, ReplyForm
from ..models import Feedback, SafeguardingAlert
from ..models.feedback import OUTCOMES
from ..selectors import outcomes_for, provider_feedback
from ..services.feedback import alert_handle, feedback_give, feedback_moderate, feedback_reply

# The outcomes as a parent ticks them (first person for the carer's own).
FORM_LABELS = OUTCOMES | {"carer_had_break": "I had a real break", "carer_less_stressed": "I feel less stressed"}


def _choices(request):
    """The services a giver may comment on: those their children booked in the last year (a
    parent), or every active service (a young person, or a parent choosing another)."""
    # Their own children, and a young person's own record (never an officer's whole caseload).
    children = Child.objects.filter(
        Q(pk__in=children_of_carer(user=request.user, authority=request.authority).values("pk")) | Q(user=request.user),
        authority=request.authority,
    )
    booked = Booking.objects.filter(
        child__in=children, session__date__gte=timezone.localdate() - dt.timedelta(days=365)
    )
    # Only what families can see in the directory: never a hidden listing or an unapproved provider.
    services = public_services(authority=request.authority).filter(status=Service.Status.ACTIVE)
    ordered = list(services.filter(pk__in=booked.values("session__service"))) or list(services.order_by("name")[:200])
    return children, ordered


def _give(request, *, from_child: bool, template: str):
    children, services = _choices(request)
    form = GiveForm(
        request.POST or None,
        # Any service families can see, not only those listed first.
        services=public_services(authority=request.authority).filter(status=Service.Status.ACTIVE),
        children=children,
        outcomes=FORM_LABELS,
        from_child=from_child,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            feedback_give(
                service=data["service"],
                given_by=request.user,
                child=data["child"],
                from_child=from_child,
                enjoyed=data["enjoyed"],
                felt_safe=data["felt_safe"],
                # Ticked or not: the form asks "which are true", so an unticked box is a no.
                outcomes=form.outcomes(),
                comment=data["comment"],
                may_publish=data["publish"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, "Thank you. We have your feedback." if not from_child else "Thank you for telling us!"
            )
            return redirect(request.path)
    history = Feedback.objects.filter(authority=request.authority, given_by=request.user).select_related(
        "service", "child"
    )[:100]
    return render(
        request,
        template,
        {
            "form": form,
            "children": children,
            "services": services,
            "outcomes": FORM_LABELS,
            "ticked": [name for name in FORM_LABELS if form.is_bound and form.data.get(name)],
            "enjoyed": Feedback.Enjoyed.choices,
            "safe": Feedback.Safe.choices,
            "history": history,
        },
        status=400 if form.is_bound else 200,
    )


@roles(Role.PARENT, Role.YOUNG_PERSON)
def give(request):
    if Role.PARENT not in request.user.roles_in(request.authority):
        return redirect("contracts:feedback-child")  # a young person answers for themselves
    return _give(request, from_child=False, template="contracts/feedback_give.html")


@roles(Role.PARENT, Role.YOUNG_PERSON)
def give_child(request):
    return _give(request, from_child=True, template="contracts/feedback_child.html")


def _provider_feedback(request):
    organisations = organisations_for(user=request.user, authority=request.authority)
    return organisations, provider_feedback(services=Service.objects.filter(organisation__in=organisations))


@roles(Role.PROVIDER)
def provider_list(request):
    organisations, feedback = _provider_feedback(request)
    form = None
    if request.method == "POST":
        form = ReplyForm(request.POST, feedback=feedback)
        if form.is_valid():
            try:
                feedback_reply(
                    feedback=form.cleaned_data["feedback"], reply=form.cleaned_data["reply"], replied_by=request.user
                )
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Reply saved.")
                return redirect("contracts:provider-feedback")
    services = Service.objects.filter(organisation__in=organisations).order_by("name")
    return render(
        request,
        "contracts/provider_feedback.html",
        {
            "feedback": feedback[:200],
            "rollup": [
                (service, outcomes_for(feedback.filter(service=service)))
                for service in services
                if any(f.service_id == service.pk for f in feedback[:200])
            ],
            "failed": form,
            "failed_row": form.row_id if form is not None else "",
        },
        status=400 if form is not None else 200,
    )


@roles(Role.COMMISSIONER, Role.OFFICER)
def reviews(request):
    pending = Feedback.objects.filter(authority=request.authority, review=Feedback.Review.PENDING).select_related(
        "service"
    )
    form = None
    if request.method == "POST":
        form = ModerateForm(request.POST, pending=pending)
        if form.is_valid():
            try:
                feedback_moderate(
                    feedback=form.cleaned_data["feedback"],
                    publish=form.cleaned_data["action"] == "publish",
                    moderated_by=request.user,
                )
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Review moderated.")
                return redirect("contracts:reviews")
    return render(
        request,
        "contracts/reviews.html",
        {"pending": pending, "failed": form},
        status=400 if form is not None else 200,
    )


@roles(Role.OFFICER, Role.SAFEGUARDING_OFFICER)
def safeguarding(request):
    alerts = SafeguardingAlert.objects.filter(authority=request.authority).select_related(
        "feedback__service", "feedback__child", "feedback__session", "feedback__given_by", "handled_by"
    )
    form = None
    if request.method == "POST":
        form = AlertForm(request.POST, alerts=alerts)
        if form.is_valid():
            try:
                alert_handle(
                    alert=form.cleaned_data["alert"],
                    handled_by=request.user,
                    action_taken=form.cleaned_data["action_taken"],
                )
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Recorded.")
                return redirect("contracts:safeguarding")
    return render(
        request,
        "contracts/safeguarding.html",
        {
            "alerts": alerts,
            "failed": form,
            "failed_row": form.row_id if form is not None else "",
        },
        status=400 if form is not None else 200,
    )
