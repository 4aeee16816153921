"""Feedback. Parents (for their own children) and young people (for themselves) tell us how a
break they went to was; a parent can hand the child-friendly version to their child. Providers
(role provider) see feedback on their own services without who gave it and never a
safeguarding concern, and reply. Commissioners and officers moderate reviews for the public
page. Safeguarding alerts, with the child's name, are in views/safeguarding.py (officers and
safeguarding officers only)."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role
from shortbreaks.directory.models import Service
from shortbreaks.directory.selectors.listings import organisations_for
from shortbreaks.families.models import Child
from shortbreaks.families.selectors.access import children_of_carer

from ..forms.feedback import GiveForm, ModerateForm, ReplyForm
from ..models import Feedback
from ..models.feedback import OUTCOMES
from ..selectors import outcomes_for, provider_feedback
from ..selectors.feedback import breaks_to_review, safeguarding_contact
from ..services.feedback import feedback_give, feedback_moderate, feedback_reply

# The outcomes as a parent ticks them (first person for the carer's own).
FORM_LABELS = OUTCOMES | {"carer_had_break": "I had a real break", "carer_less_stressed": "I feel less stressed"}
# The session remembers which feedback was just sent, so its page can say what happens next.
SENT = "contracts.feedback_sent"


def _own_children(request):
    """The giver's own children (children_of_carer, the one rule) and a young person's own
    record; never an officer's whole caseload."""
    return Child.objects.filter(
        Q(pk__in=children_of_carer(user=request.user, authority=request.authority).values("pk")) | Q(user=request.user),
        authority=request.authority,
    )


def _give(request, *, from_child: bool, template: str):
    today = timezone.localdate()
    breaks = breaks_to_review(
        children=_own_children(request), authority=request.authority, today=today, from_child=from_child
    )
    form = GiveForm(request.POST or None, breaks=breaks, today=today, outcomes=FORM_LABELS, from_child=from_child)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        booking = data["booking"]
        try:
            feedback = feedback_give(
                service=booking.session.service,
                session=booking.session,
                child=booking.child,
                given_by=request.user,
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
            request.session[SENT] = str(feedback.pk)
            return redirect("contracts:feedback-sent")
    history = Feedback.objects.filter(authority=request.authority, given_by=request.user).select_related(
        "service", "child", "session"
    )[:100]
    history = list(history)
    has_breaks = breaks.exists()
    return render(
        request,
        template,
        {
            "form": form,
            "has_breaks": has_breaks,
            # Every break already told about (not none been to yet): the page thanks them.
            "all_told": not has_breaks and any(f.from_child == from_child for f in history),
            "contact": safeguarding_contact(request.authority),
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
    """A parent's feedback on a break one of their own children went to. Parents only (a young
    person is sent to their own version); the list holds their own children's breaks alone."""
    if Role.PARENT not in request.user.roles_in(request.authority):
        return redirect("contracts:feedback-child")  # a young person answers for themselves
    return _give(request, from_child=False, template="contracts/feedback_give.html")


@roles(Role.PARENT, Role.YOUNG_PERSON)
def give_child(request):
    """The child's own version: a young person about their own breaks, or a child on their
    parent's phone about that family's. Nobody else's children are listed."""
    return _give(request, from_child=True, template="contracts/feedback_child.html")


@roles(Role.PARENT, Role.YOUNG_PERSON)
def sent(request):
    """What happens next, for the feedback this person has just sent (only their own: the
    session names it and it must be theirs). If the child did not feel safe, it says who at
    the council will read it, and where to get help now."""
    sent_id = request.session.get(SENT)
    feedback = (
        Feedback.objects.filter(authority=request.authority, given_by=request.user, pk=sent_id)
        .select_related("service__organisation", "session", "child")
        .first()
        if sent_id
        else None
    )
    if feedback is None:
        return redirect("contracts:feedback")
    return render(
        request,
        "contracts/feedback_sent.html",
        {
            "feedback": feedback,
            "unsafe": feedback.felt_safe == Feedback.Safe.NO,
            "contact": safeguarding_contact(request.authority),
        },
    )


def _provider_feedback(request):
    organisations = organisations_for(user=request.user, authority=request.authority)
    return organisations, provider_feedback(services=Service.objects.filter(organisation__in=organisations))


@roles(Role.PROVIDER)
def provider_list(request):
    """A provider's own services' feedback, without who gave it and never a safeguarding
    concern (selectors.provider_feedback); providers only, and only their organisations'."""
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
    """Reviews parents agreed to publish, waiting for the council to check them: commissioners
    and officers of this council. They carry no child's name."""
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
