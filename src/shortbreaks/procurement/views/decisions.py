"""The buttons that decide on an opportunity, on its page (views/staff.py shows it): opening
the submissions, shortlisting, admitting to and removing from a dynamic list, awarding a lot,
re-opening a framework and recording its regional commissioning. Each posts here with a form
of its own; a problem shows the page again with what was typed. Which submissions can be
decided on is selectors/sealing.py's to say (staff.decidable)."""

from django.views.decorators.http import require_POST

from shortbreaks.core.access import roles

from ..forms.manage import ApplicationForm, AwardForm, RemoveForm, ShortlistForm
from ..models import JointArrangement
from ..services import (
    application_decide,
    award_decide,
    framework_reopen,
    membership_remove,
    shortlist_decide,
    submissions_open,
)
from ..services.joint import arrangement_record, participant_add
from .manage import button
from .staff import BUYERS, decidable, page_action, row_action


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


@roles(*BUYERS)
def award(request, opportunity_id):
    def act(opportunity, form):
        lot = form.cleaned_data["lot"]
        done = award_decide(lot=lot, decided_by=request.user, conditions=form.cleaned_data["conditions"])
        return (
            f"Lot {lot.number} awarded. Every bidder has their assessment summary; the "
            f"standstill period ends {done.standstill_ends_on:%d %B %Y}."
        )

    return row_action(
        request, opportunity_id, lambda opportunity, data: AwardForm(data, opportunity=opportunity), act, ""
    )


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
