"""Scoring, for the evaluators of an opportunity: officers, and parents and young people on
its panels. Nothing is shown before the evaluator has declared, for the lot, whether they have
a conflict of interest; bids are shown as "Bid A", "Bid B", never with the bidder's name, and
come only from selectors/sealing.py. Each form posts to its own view; a problem shows the page
again with what was typed and the reason."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role

from ..forms.evaluate import AgreeForm, ConflictForm, CriterionForm, ScoreForm
from ..models import ConflictDeclaration, Evaluator, Lot, Question, Score
from ..scoring import failed_selection
from ..selectors import evaluations_of
from ..selectors.sealing import bids_for_evaluator, scorable_bids
from ..services import conflict_declare, panel_question_add, score_agree, score_record

EVALUATORS = (Role.OFFICER, Role.COMMISSIONER, Role.PROCUREMENT_OFFICER, Role.PANEL_MEMBER, Role.YOUNG_PERSON)


def _evaluator(request, opportunity_id) -> Evaluator:
    evaluator = (
        Evaluator.objects.select_related("opportunity")
        .filter(opportunity_id=opportunity_id, user=request.user, authority=request.authority)
        .first()
    )
    if evaluator is None:
        raise Http404("You are not evaluating this opportunity.")
    return evaluator


@roles(*EVALUATORS)
def my_evaluations(request):
    """Every opportunity this person evaluates here, what they can do now, and its deadline."""
    return render(
        request,
        "procurement/my_evaluations.html",
        {"evaluations": evaluations_of(user=request.user, authority=request.authority, now=timezone.now())},
    )


@roles(*EVALUATORS)
def lots(request, opportunity_id):
    """The lots to score; and, while a draft, the criteria a panel sets within its share."""
    evaluator = _evaluator(request, opportunity_id)
    form = CriterionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            panel_question_add(evaluator=evaluator, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Your panel's criterion is added.")
            return redirect("procurement:evaluate", opportunity_id)
    opportunity = evaluator.opportunity
    declared = {d.lot_id: d for d in ConflictDeclaration.objects.filter(evaluator=evaluator)}
    return render(
        request,
        "procurement/evaluate_lots.html",
        {
            "evaluator": evaluator,
            "opportunity": opportunity,
            "share": (opportunity.panel_shares or {}).get(evaluator.panel),
            "criteria": opportunity.questions.filter(panel=evaluator.panel, kind=Question.Kind.AWARD),
            "rows": [(lot, declared.get(lot.pk)) for lot in opportunity.lots.all()],
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


def _questions(evaluator: Evaluator, *, moderating: bool):
    questions = evaluator.opportunity.questions.all()
    return questions if moderating else questions.filter(panel=evaluator.panel)


def _score_form(form_class, evaluator, lot, data=None, **kwargs):
    return form_class(
        data,
        bids=scorable_bids(evaluator, lot),
        questions=_questions(evaluator, moderating=form_class is AgreeForm),
        **kwargs,
    )


def _lot_page(request, evaluator, lot, *, failed=None, status=200):
    declaration = ConflictDeclaration.objects.filter(evaluator=evaluator, lot=lot).first()
    bids = []
    readable = bids_for_evaluator(evaluator, lot)  # nothing unless declared and opened
    if readable:
        every_question = list(evaluator.opportunity.questions.all())
        questions = [q for q in every_question if evaluator.is_moderator or q.panel == evaluator.panel]
        submissions = [submission for submission, _ in readable]
        scores = Score.objects.filter(submission__in=submissions).select_related("evaluator__user")
        mine = {
            (s.submission_id, s.question_id): s for s in scores if s.evaluator_id == evaluator.pk and not s.moderated
        }
        agreed = {(s.submission_id, s.question_id): s for s in scores if s.moderated}
        # A bid that failed selection is not scored further: only its selection answers stay,
        # so the moderator can still change an agreed fail.
        failed_bids = failed_selection({key: s.score for key, s in agreed.items()}, every_question)
        others = {}
        if evaluator.is_moderator:
            for s in scores:
                if not s.moderated:
                    others.setdefault((s.submission_id, s.question_id), []).append(s)

        def form_for(form_class, submission, question, given):
            row = (str(submission.pk), str(question.pk))
            if type(failed) is form_class and failed.row_id == "-".join(row):
                form = failed
            else:
                # An empty form needs no choices: only a bound one looks its bid and question up.
                form = form_class(
                    bids=None,
                    questions=None,
                    row=row,
                    initial={"score": given.score, "justification": given.justification} if given else {},
                )
            if question.kind == Question.Kind.SELECTION:
                form.pass_or_fail()
            return form

        for n, (submission, answers) in enumerate(readable):
            rows = []
            failed_bid = submission.pk in failed_bids
            for q in questions:
                if failed_bid and q.kind != Question.Kind.SELECTION:
                    continue
                key = (submission.pk, q.pk)
                rows.append(
                    {
                        "question": q,
                        "answer": answers.get(q.pk, ""),
                        "agreed": agreed.get(key),
                        "others": others.get(key, []),
                        "score_form": form_for(ScoreForm, submission, q, mine.get(key))
                        if q.panel == evaluator.panel or evaluator.is_moderator
                        else None,
                        "agree_form": form_for(AgreeForm, submission, q, agreed.get(key))
                        if evaluator.is_moderator
                        else None,
                    }
                )
            bids.append({"letter": chr(ord("A") + n), "submission": submission, "rows": rows, "failed": failed_bid})
    return render(
        request,
        "procurement/evaluate_lot.html",
        {
            "evaluator": evaluator,
            "opportunity": evaluator.opportunity,
            "lot": lot,
            "declaration": declaration,
            "conflict_form": failed if isinstance(failed, ConflictForm) else ConflictForm(),
            "failed": failed,
            "bids": bids,
        },
        status=status,
    )


def _scoring(request, opportunity_id, lot_id):
    evaluator = _evaluator(request, opportunity_id)
    return evaluator, get_object_or_404(Lot, pk=lot_id, opportunity=evaluator.opportunity)


@roles(*EVALUATORS)
@require_safe
def score(request, opportunity_id, lot_id):
    """The lot's page. (Its forms post to declare, score_save and score_agreed.)"""
    return _lot_page(request, *_scoring(request, opportunity_id, lot_id))


@roles(*EVALUATORS)
def declare(request, opportunity_id, lot_id):
    evaluator, lot = _scoring(request, opportunity_id, lot_id)
    if request.method != "POST":
        return redirect("procurement:score", evaluator.opportunity_id, lot.pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            conflict_declare(
                evaluator=evaluator, lot=lot, has_conflict=form.has_conflict, details=form.cleaned_data["details"]
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Declaration recorded.")
            return redirect("procurement:score", evaluator.opportunity_id, lot.pk)
    return _lot_page(request, evaluator, lot, failed=form, status=400)


def _save_score(request, opportunity_id, lot_id, form_class):
    evaluator, lot = _scoring(request, opportunity_id, lot_id)
    if request.method != "POST":
        return redirect("procurement:score", evaluator.opportunity_id, lot.pk)
    form = _score_form(form_class, evaluator, lot, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if form_class is AgreeForm:
                score_agree(
                    moderator=evaluator,
                    submission=data["submission"],
                    question=data["question"],
                    score=data["score"],
                    rationale=data["justification"],
                )
            else:
                score_record(
                    evaluator=evaluator,
                    submission=data["submission"],
                    question=data["question"],
                    score=data["score"],
                    justification=data["justification"],
                )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Score saved.")
            return redirect("procurement:score", evaluator.opportunity_id, lot.pk)
    return _lot_page(request, evaluator, lot, failed=form, status=400)


@roles(*EVALUATORS)
def score_save(request, opportunity_id, lot_id):
    return _save_score(request, opportunity_id, lot_id, ScoreForm)


@roles(*EVALUATORS)
def score_agreed(request, opportunity_id, lot_id):
    return _save_score(request, opportunity_id, lot_id, AgreeForm)
