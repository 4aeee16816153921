"""Opportunities as anyone sees them (the council's published tender notices), and what a
provider does with one: ask a clarification question, draft and submit a bid per lot. A
provider sees only its own submissions. Each form is a Django form; a problem shows the page
again with what was typed and the reason."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from shortbreaks.core.access import public, roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role
from shortbreaks.directory.selectors.listings import organisations_for, provider_organisation

from ..forms.documents import DocumentForm
from ..forms.public import AskForm, BidForm, BidStandsForm
from ..models import Award, CallOff, Lot, Submission
from ..routes import asks_amount, priced, rules_for
from ..scoring import lot_results
from ..selectors import open_opportunities, public_opportunities, published_clarifications, readable_submissions
from ..selectors.frameworks import member_call_offs
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


def _accepting(opportunity, now) -> bool:
    return opportunity.status == "open" and bool(
        not rules_for(opportunity.route).deadline
        or (opportunity.submission_deadline and opportunity.submission_deadline > now)
    )


def _detail_page(request, opportunity, *, ask_form=None, status=200):
    mine = None  # for providers: their own submissions
    if request.user.is_authenticated and Role.PROVIDER in request.user.roles_in(request.authority):
        mine = readable_submissions(user=request.user, authority=request.authority, opportunity=opportunity)
    now = timezone.now()
    accepting = _accepting(opportunity, now)
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
    by_lot = {s.lot_id: s for s in mine} if mine is not None else {}
    return render(
        request,
        "procurement/public_detail.html",
        {
            # Each lot with the provider's own bid on it, or None: a bid on one lot still
            # leaves the others to bid on.
            "lots": [(lot, by_lot.get(lot.pk)) for lot in opportunity.lots.all()],
            "outcomes": outcomes,
            "priced": priced(opportunity),
            "documents": opportunity.documents.filter(submission__isnull=True),
            "opportunity": opportunity,
            "clarifications": published_clarifications(opportunity),
            "mine": mine,
            "accepting": accepting,
            "call_offs": member_call_offs(organisations_for(user=request.user, authority=request.authority)).filter(
                framework=opportunity, method=CallOff.Method.MINI, status=CallOff.Status.OPEN
            )
            if mine is not None
            else [],
            "questions": opportunity.questions.all(),
            "now": now,
            "ask_form": ask_form or AskForm(),
        },
        status=status,
    )


@public
def detail(request, opportunity_id):
    return _detail_page(
        request, get_object_or_404(public_opportunities(authority=request.authority), pk=opportunity_id)
    )


@roles(Role.PROVIDER)
def ask(request, opportunity_id):
    opportunity = get_object_or_404(public_opportunities(authority=request.authority), pk=opportunity_id)
    if request.method != "POST":
        return redirect("procurement:detail", opportunity.pk)
    form = AskForm(request.POST)
    if form.is_valid():
        try:
            clarification_ask(
                opportunity=opportunity,
                organisation=provider_organisation(request),
                question=form.cleaned_data["question"],
                asked_by=request.user,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Question sent. The answer is published to every provider, without your name.")
            return redirect("procurement:detail", opportunity.pk)
    return _detail_page(request, opportunity, ask_form=form, status=400)


def bid_lot(request, opportunity_id, lot_id):
    opportunity = get_object_or_404(public_opportunities(authority=request.authority), pk=opportunity_id)
    return opportunity, get_object_or_404(Lot, pk=lot_id, opportunity=opportunity)


def _bid_form(opportunity, submission, data=None):
    questions = list(opportunity.questions.all())
    selection_stage = in_selection_stage(opportunity, timezone.now())
    if selection_stage:
        questions = [q for q in questions if q.kind == "selection"]
    given = answers_of(submission)
    initial = {f"answer-{q.pk}": given.get(q.pk, "") for q in questions}
    if submission is not None and submission.price is not None:
        initial["price"] = submission.price
    return BidForm(
        data,
        questions=questions,
        priced=priced(opportunity) and not selection_stage,
        grant=asks_amount(opportunity) and not selection_stage,
        initial=initial,
    )


def respond_page(request, opportunity, lot, *, form=None, document_form=None, status=200):
    """The provider's bid on a lot, with the form that came back with errors, if any."""
    submission = own_submission(lot=lot, organisation=provider_organisation(request))
    submitted = submission is not None and submission.status == Submission.Status.SUBMITTED
    given = answers_of(submission) if submitted else {}
    return render(
        request,
        "procurement/respond.html",
        {
            "accepting": _accepting(opportunity, timezone.now()),
            # What the provider submitted, read back: each question it answered, as sent.
            "read_back": [(q, given[q.pk]) for q in opportunity.questions.all() if q.pk in given],
            "selection_stage": in_selection_stage(opportunity, timezone.now()),
            "grant": asks_amount(opportunity),
            "documents": submission.documents.all() if submission else [],
            "opportunity": opportunity,
            "lot": lot,
            "submission": submission,
            "failed": form if form is not None and form.errors else document_form,
            "form": form if isinstance(form, BidForm) else _bid_form(opportunity, submission),
            "document_form": document_form or DocumentForm(auto_id="doc-%s"),
        },
        status=status,
    )


@roles(Role.PROVIDER)
def respond(request, opportunity_id, lot_id):
    opportunity, lot = bid_lot(request, opportunity_id, lot_id)
    if request.method != "POST":
        return respond_page(request, opportunity, lot)
    organisation = provider_organisation(request)
    submission = own_submission(lot=lot, organisation=organisation)
    if submission is not None and submission.status == Submission.Status.SUBMITTED:
        form = BidStandsForm(request.POST)
        if form.is_valid():
            try:
                if form.cleaned_data["action"] == "withdraw":
                    submission_withdraw(submission=submission, withdrawn_by=request.user)
                    messages.success(request, "Withdrawn. You can change it and submit again until the deadline.")
                    return redirect("procurement:respond", opportunity.pk, lot.pk)
                submission_confirm(submission=submission, confirmed_by=request.user)
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Confirmed: your submission stands as it is.")
                return redirect("procurement:detail", opportunity.pk)
        return respond_page(request, opportunity, lot, form=form, status=400)
    form = _bid_form(opportunity, submission, request.POST)
    if form.is_valid():
        try:
            submission = submission_save(
                opportunity=opportunity,
                lot=lot,
                organisation=organisation,
                answers=form.answers(),
                price=form.cleaned_data.get("price"),
                saved_by=request.user,
            )
            if form.submitting:
                submission_submit(submission=submission, submitted_by=request.user)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            if form.submitting:
                messages.success(request, "Submitted. Nobody at the council can read it before the deadline.")
                return redirect("procurement:detail", opportunity.pk)
            messages.success(request, "Draft saved.")
            return redirect("procurement:respond", opportunity.pk, lot.pk)
    return respond_page(request, opportunity, lot, form=form, status=400)
