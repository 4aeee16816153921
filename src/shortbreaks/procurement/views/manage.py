"""The buttons that build an opportunity, on its page (views/staff.py shows it): a lot, a
question, a panel's share, an evaluator, answering a clarification, announcing and publishing.
Each posts here with a form of its own; a problem shows the page again with what was typed.
While it is a draft a lot or a question is changed on a page of its own, and removed after a
page asking to confirm."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.form_fields import ButtonForm

from ..forms.manage import ClarificationAnswerForm
from ..forms.opportunities import LotForm, QuestionForm
from ..models import Lot, Question
from ..services import (
    clarification_answer,
    evaluator_add,
    lot_add,
    lot_remove,
    lot_update,
    opportunity_announce,
    opportunity_publish,
    panel_share_set,
    question_add,
    question_remove,
    question_update,
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


LOT_FIELDS = ("title", "description", "value", "max_providers", "guaranteed_hours")
QUESTION_FIELDS = ("kind", "text", "guidance", "weight", "panel")


def _change_page(request, opportunity, thing, form_class, fields, change, done):
    """A lot's or a question's own page: its form, filled in; saved, or shown again (status 400)
    with what was typed and the reason."""
    initial = {name: getattr(thing, name) for name in fields}
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            change(form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect("procurement:manage", opportunity.pk)
    return render(
        request,
        "procurement/change_part.html",
        {"opportunity": opportunity, "thing": thing, "form": form, "is_lot": isinstance(thing, Lot)},
        status=400 if form.is_bound else 200,
    )


def _remove_page(request, opportunity, thing, remove, done):
    """Asks first; the button removes it. A refusal is shown at the top, status 400."""
    form = ButtonForm(request.POST if request.method == "POST" else None)  # a button sends nothing else
    if form.is_bound and form.is_valid():
        try:
            remove()
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect("procurement:manage", opportunity.pk)
    return render(
        request,
        "procurement/remove_part.html",
        {"opportunity": opportunity, "thing": thing, "form": form, "is_lot": isinstance(thing, Lot)},
        status=400 if form.is_bound else 200,
    )


@roles(*BUYERS)
def lot_change(request, opportunity_id, lot_id):
    opportunity = managed(request, opportunity_id)
    lot = get_object_or_404(Lot, pk=lot_id, opportunity=opportunity)
    return _change_page(
        request,
        opportunity,
        lot,
        LotForm,
        LOT_FIELDS,
        lambda data: lot_update(lot=lot, changed_by=request.user, **data),
        f"Lot {lot.number} saved.",
    )


@roles(*BUYERS)
def lot_delete(request, opportunity_id, lot_id):
    opportunity = managed(request, opportunity_id)
    lot = get_object_or_404(Lot, pk=lot_id, opportunity=opportunity)
    return _remove_page(
        request,
        opportunity,
        lot,
        lambda: lot_remove(lot=lot, removed_by=request.user),
        f"Lot {lot.number}, {lot.title}, removed. The lots after it moved up a number.",
    )


@roles(*BUYERS)
def question_change(request, opportunity_id, question_id):
    opportunity = managed(request, opportunity_id)
    question = get_object_or_404(Question, pk=question_id, opportunity=opportunity)
    return _change_page(
        request,
        opportunity,
        question,
        QuestionForm,
        QUESTION_FIELDS,
        lambda data: question_update(question=question, changed_by=request.user, **data),
        "Question saved.",
    )


@roles(*BUYERS)
def question_delete(request, opportunity_id, question_id):
    opportunity = managed(request, opportunity_id)
    question = get_object_or_404(Question, pk=question_id, opportunity=opportunity)
    return _remove_page(
        request,
        opportunity,
        question,
        lambda: question_remove(question=question, removed_by=request.user),
        f"{question.kind.capitalize()} question {question.number} removed.",
    )
