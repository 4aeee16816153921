"""Scoring, for the evaluators of an opportunity: officers, and parents and young people on
its panels. Nothing is shown before the evaluator has declared, for the lot, that they have no
conflict of interest; bids are shown as "Bid A", "Bid B", never with the bidder's name."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.lookups import object_or_404
from shortbreaks.core.roles import Role

from ..models import ConflictDeclaration, Evaluator, Lot, Question, Score
from ..selectors import evaluations_of
from ..selectors.sealing import bid_for_evaluator, bids_for_evaluator
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
    if request.method == "POST":
        try:
            weight = int(request.POST.get("weight", ""))
        except ValueError:
            messages.error(request, "Give the weight as a whole number.")
        else:
            try:
                panel_question_add(
                    evaluator=evaluator,
                    text=request.POST.get("text", "")[:4000],
                    guidance=request.POST.get("guidance", "")[:4000],
                    weight=weight,
                )
            except ServiceError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "Your panel's criterion is added.")
        return redirect("procurement:evaluate", opportunity_id)
    opportunity = evaluator.opportunity
    share = (opportunity.panel_shares or {}).get(evaluator.panel)
    declared = {d.lot_id: d for d in ConflictDeclaration.objects.filter(evaluator=evaluator)}
    return render(
        request,
        "procurement/evaluate_lots.html",
        {
            "evaluator": evaluator,
            "opportunity": opportunity,
            "share": share,
            "criteria": opportunity.questions.filter(panel=evaluator.panel, kind=Question.Kind.AWARD),
            "rows": [(lot, declared.get(lot.pk)) for lot in opportunity.lots.all()],
        },
    )


@roles(*EVALUATORS)
def score(request, opportunity_id, lot_id):
    evaluator = _evaluator(request, opportunity_id)
    lot = get_object_or_404(Lot, pk=lot_id, opportunity=evaluator.opportunity)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "declare":
                conflict_declare(
                    evaluator=evaluator,
                    lot=lot,
                    has_conflict=request.POST.get("conflict") == "yes",
                    details=request.POST.get("details", "")[:1000],
                )
                messages.success(request, "Declaration recorded.")
            else:
                submission = bid_for_evaluator(evaluator, lot, request.POST.get("submission"))
                question = object_or_404(Question, request.POST.get("question"), opportunity=evaluator.opportunity)
                try:
                    value = int(request.POST.get("score", ""))
                except ValueError:
                    raise ServiceError("Choose a score from 0 to 10.") from None
                reason = request.POST.get("justification", "")[:4000]
                if request.POST.get("action") == "agree":
                    score_agree(
                        moderator=evaluator, submission=submission, question=question, score=value, rationale=reason
                    )
                else:
                    score_record(
                        evaluator=evaluator, submission=submission, question=question, score=value, justification=reason
                    )
                messages.success(request, "Score saved.")
        except ServiceError as error:
            messages.error(request, error.message)
        return redirect("procurement:score", evaluator.opportunity_id, lot.pk)
    declaration = ConflictDeclaration.objects.filter(evaluator=evaluator, lot=lot).first()
    bids = []
    readable = bids_for_evaluator(evaluator, lot)  # nothing unless declared and opened
    if readable:
        questions = [
            q for q in evaluator.opportunity.questions.all() if evaluator.is_moderator or q.panel == evaluator.panel
        ]
        submissions = [submission for submission, _ in readable]
        scores = Score.objects.filter(submission__in=submissions).select_related("evaluator__user")
        mine = {
            (s.submission_id, s.question_id): s for s in scores if s.evaluator_id == evaluator.pk and not s.moderated
        }
        agreed = {(s.submission_id, s.question_id): s for s in scores if s.moderated}
        others = {}
        if evaluator.is_moderator:
            for s in scores:
                if not s.moderated:
                    others.setdefault((s.submission_id, s.question_id), []).append(s)
        for n, (submission, answers) in enumerate(readable):
            bids.append(
                {
                    "letter": chr(ord("A") + n),
                    "submission": submission,
                    "rows": [
                        {
                            "question": q,
                            "answer": answers.get(q.pk, ""),
                            "mine": mine.get((submission.pk, q.pk)),
                            "agreed": agreed.get((submission.pk, q.pk)),
                            "others": others.get((submission.pk, q.pk), []),
                        }
                        for q in questions
                    ],
                }
            )
    return render(
        request,
        "procurement/evaluate_lot.html",
        {
            "evaluator": evaluator,
            "opportunity": evaluator.opportunity,
            "lot": lot,
            "declaration": declaration,
            "bids": bids,
            "scale": range(11),
        },
    )
