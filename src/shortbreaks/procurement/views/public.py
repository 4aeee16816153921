"""Opportunities as anyone sees them (the council's published tender notices), and what a
provider does with one: ask a clarification question, draft and submit a bid per lot. A
provider sees only its own submissions."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.core.access import public, roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.forms import parse_pounds
from shortbreaks.core.roles import Role
from shortbreaks.directory.selectors.listings import organisations_for, provider_organisation

from ..models import Award, CallOff, Lot
from ..routes import rules_for
from ..scoring import lot_results
from ..selectors import open_opportunities, public_opportunities, published_clarifications, readable_submissions
from ..selectors.sealing import answers_of, own_submission
from ..services import (
    assessment_summary,
    clarification_ask,
    in_selection_stage,
    submission_confirm,
    submission_save,
    submission_submit,
    submission_withdraw,
)


@public
def listing(request):
    return render(
        request,
        "procurement/public_list.html",
        {"opportunities": open_opportunities(authority=request.authority, now=timezone.now())},
    )


@public
def detail(request, opportunity_id):
    opportunity = get_object_or_404(public_opportunities(authority=request.authority), pk=opportunity_id)
    mine = None  # for providers: their own submissions
    if request.user.is_authenticated and Role.PROVIDER in request.user.roles_in(request.authority):
        mine = readable_submissions(user=request.user, authority=request.authority, opportunity=opportunity)
    now = timezone.now()
    accepting = opportunity.status == "open" and (
        not rules_for(opportunity.route).deadline
        or (opportunity.submission_deadline and opportunity.submission_deadline > now)
    )
    outcomes = []
    if mine is not None:
        for award in Award.objects.filter(lot__opportunity=opportunity).select_related("lot", "submission"):
            results = {r.submission.pk: r for r in lot_results(award.lot)}
            winner = results.get(award.submission_id)
            outcomes += [
                (award.lot, assessment_summary(results[s.pk], winner, award))
                for s in mine
                if s.lot_id == award.lot_id and s.pk in results and winner
            ]
    return render(
        request,
        "procurement/public_detail.html",
        {
            "outcomes": outcomes,
            "documents": opportunity.documents.filter(submission__isnull=True),
            "opportunity": opportunity,
            "clarifications": published_clarifications(opportunity),
            "mine": mine,
            "accepting": accepting,
            "call_offs": CallOff.objects.filter(
                framework=opportunity,
                method=CallOff.Method.MINI,
                status=CallOff.Status.OPEN,
                lot__memberships__organisation__in=organisations_for(user=request.user, authority=request.authority),
                lot__memberships__status="admitted",
            ).distinct()
            if mine is not None
            else [],
            "questions": opportunity.questions.all(),
            "now": timezone.now(),
        },
    )


@roles(Role.PROVIDER)
def ask(request, opportunity_id):
    opportunity = get_object_or_404(public_opportunities(authority=request.authority), pk=opportunity_id)
    if request.method == "POST":
        try:
            clarification_ask(
                opportunity=opportunity,
                organisation=provider_organisation(request),
                question=request.POST.get("question", "")[:2000],
                asked_by=request.user,
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Question sent. The answer is published to every provider, without your name.")
    return redirect("procurement:detail", opportunity.pk)


@roles(Role.PROVIDER)
def respond(request, opportunity_id, lot_id):
    opportunity = get_object_or_404(public_opportunities(authority=request.authority), pk=opportunity_id)
    lot = get_object_or_404(Lot, pk=lot_id, opportunity=opportunity)
    organisation = provider_organisation(request)
    submission = own_submission(lot=lot, organisation=organisation)
    questions = list(opportunity.questions.all())
    problems = []
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "withdraw" and submission:
                submission_withdraw(submission=submission, withdrawn_by=request.user)
                messages.success(request, "Withdrawn. You can change it and submit again until the deadline.")
                return redirect("procurement:respond", opportunity.pk, lot.pk)
            if action == "confirm" and submission:
                submission_confirm(submission=submission, confirmed_by=request.user)
                messages.success(request, "Confirmed: your submission stands as it is.")
                return redirect("procurement:detail", opportunity.pk)
            price = parse_pounds(request.POST.get("price", ""), required=False)
            answers = {str(q.pk): request.POST.get(f"answer-{q.pk}", "")[:20000] for q in questions}
            submission = submission_save(
                opportunity=opportunity,
                lot=lot,
                organisation=organisation,
                answers=answers,
                price=price,
                saved_by=request.user,
            )
            if action == "submit":
                submission_submit(submission=submission, submitted_by=request.user)
                messages.success(request, "Submitted. Nobody at the council can read it before the deadline.")
                return redirect("procurement:detail", opportunity.pk)
            messages.success(request, "Draft saved.")
            return redirect("procurement:respond", opportunity.pk, lot.pk)
        except ServiceError as error:
            problems.append(error.message)
    given = answers_of(submission)
    selection_stage = in_selection_stage(opportunity, timezone.now())
    if selection_stage:
        questions = [q for q in questions if q.kind == "selection"]
    return render(
        request,
        "procurement/respond.html",
        {
            "selection_stage": selection_stage,
            "documents": submission.documents.all() if submission else [],
            "opportunity": opportunity,
            "lot": lot,
            "submission": submission,
            "problems": problems,
            "rows": [(q, request.POST.get(f"answer-{q.pk}", given.get(q.pk, ""))) for q in questions],
            "price": request.POST.get("price", submission.price if submission and submission.price is not None else ""),
        },
    )
