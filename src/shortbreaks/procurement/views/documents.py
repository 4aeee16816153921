"""Procurement documents. The opportunity's own are public once it is published; a bid's are
sealed with the bid (selectors/sealing.py decides). All are served as downloads."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from shortbreaks.core.access import public, roles
from shortbreaks.core.downloads import attachment
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role
from shortbreaks.directory.selectors.listings import provider_organisation

from ..models import Lot, Opportunity, ProcurementDocument
from ..selectors import public_opportunities, readable_submissions
from ..selectors.sealing import own_submission
from ..services import document_add
from .staff import BUYERS


@roles(*BUYERS)
def upload(request, opportunity_id):
    opportunity = get_object_or_404(Opportunity, pk=opportunity_id, authority=request.authority)
    if request.method == "POST":
        try:
            if "file" not in request.FILES:
                raise ServiceError("Choose a file to upload.")
            document_add(
                opportunity=opportunity,
                title=request.POST.get("title", "")[:200],
                upload=request.FILES["file"],
                uploaded_by=request.user,
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Document added.")
    return redirect("procurement:manage", opportunity.pk)


@roles(Role.PROVIDER)
def bid_upload(request, opportunity_id, lot_id):
    opportunity = get_object_or_404(public_opportunities(authority=request.authority), pk=opportunity_id)
    lot = get_object_or_404(Lot, pk=lot_id, opportunity=opportunity)
    if request.method == "POST":
        organisation = provider_organisation(request)
        try:
            if "file" not in request.FILES:
                raise ServiceError("Choose a file to upload.")
            submission = own_submission(lot=lot, organisation=organisation)
            if submission is None:
                raise ServiceError("Save your bid as a draft first, then add documents to it.")
            document_add(
                opportunity=opportunity,
                submission=submission,
                title=request.POST.get("title", "")[:200],
                upload=request.FILES["file"],
                uploaded_by=request.user,
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Document added to your bid.")
    return redirect("procurement:respond", opportunity.pk, lot.pk)


@public
def download(request, opportunity_id, document_id):
    """Anyone may download an opportunity's own documents once it is published; a bid's
    documents only whoever may read the bid."""
    document = get_object_or_404(
        ProcurementDocument.objects.select_related("opportunity"),
        pk=document_id,
        opportunity_id=opportunity_id,
        authority=request.authority,
    )
    if document.submission_id is None:
        if document.opportunity.published_at is None:
            raise Http404("Not published")
    elif (
        not readable_submissions(user=request.user, authority=request.authority, opportunity=document.opportunity)
        .filter(pk=document.submission_id)
        .exists()
    ):
        raise Http404("Sealed")
    return attachment(
        document.file.open("rb"),
        filename=document.original_filename,
        content_type=document.content_type,
        private=document.submission_id is not None,
    )
