"""The buttons that decide on an opportunity, on its page (views/staff.py shows it): opening
the submissions, shortlisting, admitting to and removing from a dynamic list, awarding a lot,
re-opening a framework and recording its regional commissioning. Each posts here with a form
of its own; a problem shows the page again with what was typed. Which submissions can be
decided on is selectors/sealing.py's to say (staff.decidable)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import dateformat
from django.views.decorators.http import require_POST

from shortbreaks.core.access import roles
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.lookups import object_or_404

from ..forms.manage import ApplicationForm, AwardForm, RemoveForm, ShortlistForm
from ..models import JointArrangement
from ..routes import rules_for
from ..services import (
    application_decide,
    award_decide,
    framework_reopen,
    membership_remove,
    shortlist_decide,
    submissions_open,
)
from ..services.awards import award_outlook
from ..services.joint import arrangement_record, participant_add
from .manage import button
from .staff import BUYERS, decidable, manage_page, managed, page_action, row_action


@roles(*BUYERS)
@require_POST
def open_submissions(request, opportunity_id):
    return button(
        request,
        opportunity_id,
        lambda opportunity: submissions_open(opportunity=opportunity, opened_by=request.user) and None,
        "Submissions opened. This is recorded in the audit trail.",
    )


@roles(*BUYERS)
@require_POST
def reopen(request, opportunity_id):
    return button(
        request,
        opportunity_id,
        lambda opportunity: framework_reopen(framework=opportunity, reopened_by=request.user),
        "Re-opening drafted on the framework's terms: set its deadlines, then publish it.",
    )


@roles(*BUYERS)
def shortlist(request, opportunity_id):
    return row_action(
        request,
        opportunity_id,
        lambda opportunity, data: ShortlistForm(data, submissions=decidable(request, opportunity)),
        lambda opportunity, form: (
            shortlist_decide(
                submission=form.cleaned_data["submission"],
                decided_by=request.user,
                shortlisted=form.yes,
                reasons=form.cleaned_data["reasons"],
            )
            and None
        ),
        "Decision recorded and the provider told.",
    )


@roles(*BUYERS)
def application(request, opportunity_id):
    return row_action(
        request,
        opportunity_id,
        lambda opportunity, data: ApplicationForm(data, submissions=decidable(request, opportunity)),
        lambda opportunity, form: (
            application_decide(
                submission=form.cleaned_data["submission"],
                decided_by=request.user,
                admit=form.yes,
                reasons=form.cleaned_data["reasons"],
            )
            and None
        ),
        "Decision recorded and the provider told.",
    )


@roles(*BUYERS)
def remove(request, opportunity_id):
    return row_action(
        request,
        opportunity_id,
        lambda opportunity, data: RemoveForm(data, opportunity=opportunity),
        lambda opportunity, form: (
            membership_remove(
                membership=form.cleaned_data["membership"],
                removed_by=request.user,
                reasons=form.cleaned_data["reasons"],
            )
            and None
        ),
        "Removed from the list, with the reasons sent to the provider.",
    )


def _award_page(request, opportunity, lot, form, *, status=200):
    """The confirmation page: what awarding the lot will do (the winner and totals from the one
    calculation, the standstill, who is told), or why it cannot be awarded yet."""
    try:
        outlook, problem = award_outlook(lot=lot), ""
    except ServiceError as error:
        outlook, problem = None, error.message
    rules = rules_for(opportunity.route)
    if outlook and rules.award_conditions and not form.is_bound:
        form.initial["amount_offered"] = outlook.winner.submission.price  # what was requested
    return render(
        request,
        "procurement/award_confirm.html",
        {
            "opportunity": opportunity,
            "lot": lot,
            "form": form,
            "outlook": outlook,
            "problem": problem,
            "rules": rules,
        },
        status=status,
    )


@roles(*BUYERS)
def award(request, opportunity_id):
    """GET (?lot=): the confirmation page. POST: the award, from that page's form; a problem
    shows the confirmation page again (or the opportunity's page, if the lot is not one of its
    lots still to award)."""
    opportunity = managed(request, opportunity_id)
    if request.method != "POST":
        lot = object_or_404(opportunity.lots.filter(award__isnull=True), request.GET.get("lot"))
        return _award_page(request, opportunity, lot, AwardForm(opportunity=opportunity, initial={"lot": lot.pk}))
    form = AwardForm(request.POST, opportunity=opportunity)
    if form.is_valid():
        lot = form.cleaned_data["lot"]
        try:
            done = award_decide(
                lot=lot,
                decided_by=request.user,
                conditions=form.cleaned_data["conditions"],
                amount_offered=form.cleaned_data["amount_offered"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            told = "Every bidder has been emailed their assessment summary"
            if rules_for(opportunity.route).standstill:
                ends = dateformat.format(done.standstill_ends_on, "l j F Y")
                said = f"{told}; the standstill period ends on {ends}."
            else:
                said = (
                    f"{told}. There is no standstill period on a {opportunity.get_route_display().lower()}: "
                    "the award takes effect at once, and the agreement is offered now."
                )
            messages.success(request, f"Lot {lot.number} awarded to {done.submission.organisation.name}. {said}")
            return redirect("procurement:manage", opportunity.pk)
        return _award_page(request, opportunity, lot, form, status=400)
    return manage_page(request, opportunity, failed=form, status=400)


@roles(*BUYERS)
def joint(request, opportunity_id):
    return page_action(
        request,
        opportunity_id,
        "joint_form",
        lambda opportunity, form: (
            arrangement_record(
                framework=opportunity,
                terms=form.cleaned_data["terms"],
                agreed_on=form.cleaned_data["agreed_on"],
                recorded_by=request.user,
            )
            and None
        ),
        "Joint commissioning recorded. Add the authorities taking part.",
    )


@roles(*BUYERS)
def joint_participant(request, opportunity_id):
    def act(opportunity, form):
        from django.http import Http404

        arrangement = JointArrangement.objects.filter(framework=opportunity).first()
        if arrangement is None:
            raise Http404("No joint arrangement.")
        other = form.cleaned_data["authority"]
        participant_add(
            arrangement=arrangement,
            authority=other,
            joined_on=form.cleaned_data["joined_on"],
            signed_for_by=form.cleaned_data["signed_for_by"],
            added_by=request.user,
        )
        return f"{other.name} has joined the framework."

    return page_action(request, opportunity_id, "participant_form", act, "")
