"""The buttons that build an opportunity, on its page (views/staff.py shows it): a lot, a
question, a panel's share, an evaluator, answering a clarification, announcing and publishing.
Each posts here with a form of its own; a problem shows the page again with what was typed."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.form_fields import ButtonForm

from ..forms.manage import ClarificationAnswerForm
from ..services import (
    clarification_answer,
    evaluator_add,
    lot_add,
    opportunity_announce,
    opportunity_publish,
    panel_share_set,
    question_add,
)
from .staff import BUYERS, manage_page, managed, page_action, row_action


@roles(*BUYERS)
def lot(request, opportunity_id):
    return page_action(
        request,
        opportunity_id,
        "lot_form",
        lambda opportunity, form: lot_add(opportunity=opportunity, added_by=request.user, **form.cleaned_data) and None,
        "Lot added.",
    )


@roles(*BUYERS)
def question(request, opportunity_id):
    return page_action(
        request,
        opportunity_id,
        "question_form",
        lambda opportunity, form: (
            question_add(opportunity=opportunity, added_by=request.user, **form.cleaned_data) and None
        ),
        "Question added.",
    )


@roles(*BUYERS)
def share(request, opportunity_id):
    return page_action(
        request,
        opportunity_id,
        "share_form",
        lambda opportunity, form: (
            panel_share_set(
                opportunity=opportunity,
                panel=form.cleaned_data["panel"],
                share=form.cleaned_data["share"],
                set_by=request.user,
            )
            and None
        ),
        "Panel share saved. Add the panel's members as evaluators; they set its criteria.",
    )


@roles(*BUYERS)
def evaluator(request, opportunity_id):
    def act(opportunity, form):
        user = form.cleaned_data["user"]
        evaluator_add(
            opportunity=opportunity,
            user=user,
            panel=form.cleaned_data["panel"],
            is_moderator=form.cleaned_data["moderator"],
            added_by=request.user,
        )
        return f"{user.display_name} added to the evaluation."

    return page_action(request, opportunity_id, "evaluator_form", act, "")


@roles(*BUYERS)
def answer(request, opportunity_id):
    return row_action(
        request,
        opportunity_id,
        lambda opportunity, data: ClarificationAnswerForm(data, opportunity=opportunity),
        lambda opportunity, form: (
            clarification_answer(
                clarification=form.cleaned_data["clarification"],
                answer=form.cleaned_data["answer"],
                answered_by=request.user,
            )
            and None
        ),
        "Answer published to every provider, without saying who asked.",
    )


def button(request, opportunity_id, act, done):
    """A button with nothing typed beside it: the service's refusal is shown at the top."""
    opportunity = managed(request, opportunity_id)
    form = ButtonForm(request.POST)
    if form.is_valid():
        try:
            target = act(opportunity) or opportunity
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect("procurement:manage", target.pk)
    return manage_page(request, opportunity, failed=form, status=400)


@roles(*BUYERS)
@require_POST
def announce(request, opportunity_id):
    return button(
        request,
        opportunity_id,
        lambda opportunity: opportunity_announce(opportunity=opportunity, announced_by=request.user) and None,
        "Announced: the open data now shows it as planned.",
    )


@roles(*BUYERS)
@require_POST
def publish(request, opportunity_id):
    return button(
        request,
        opportunity_id,
        lambda opportunity: opportunity_publish(opportunity=opportunity, published_by=request.user) and None,
        "Published: providers can see it and submit.",
    )
