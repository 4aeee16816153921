"""Procurement documents. The opportunity's own are public once it is published; a bid's are
sealed with the bid (selectors/sealing.py decides). All are served as downloads. A document
that cannot be added shows its page again with the title typed and the reason."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from shortbreaks.core.access import public, roles
from shortbreaks.core.downloads import attachment
from shortbreaks.core.errors import ServiceError
from shortbreaks.core.roles import Role
from shortbreaks.directory.selectors.listings import provider_organisation

from ..forms.documents import DocumentForm
from ..models import ProcurementDocument
from ..selectors import readable_submissions
from ..selectors.sealing import own_submission
from ..services import document_add
from .public import bid_lot, respond_page
from .staff import BUYERS, manage_page, managed


@roles(*BUYERS)
def upload(request, opportunity_id):
    opportunity = managed(request, opportunity_id)
    if request.method != "POST":
        return redirect("procurement:manage", opportunity.pk)
    form = DocumentForm(request.POST, request.FILES, auto_id="doc-%s")
    if form.is_valid():
        try:
            document_add(
                opportunity=opportunity,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                uploaded_by=request.user,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Document added.")
            return redirect("procurement:manage", opportunity.pk)
    return manage_page(request, opportunity, failed=form, failed_name="document_form", status=400)


@roles(Role.PROVIDER)
def bid_upload(request, opportunity_id, lot_id):
    opportunity, lot = bid_lot(request, opportunity_id, lot_id)
    if request.method != "POST":
        return redirect("procurement:respond", opportunity.pk, lot.pk)
    form = DocumentForm(request.POST, request.FILES, auto_id="doc-%s")
    if form.is_valid():
        submission = own_submission(lot=lot, organisation=provider_organisation(request))
        try:
            if submission is None:
                raise ServiceError("Save your bid as a draft first, then add documents to it.")
            document_add(
                opportunity=opportunity,
                submission=submission,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                uploaded_by=request.user,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Document added to your bid.")
            return redirect("procurement:respond", opportunity.pk, lot.pk)
    return respond_page(request, opportunity, lot, document_form=form, status=400)


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
        document.file,
        filename=document.original_filename,
        content_type=document.content_type,
        private=document.submission_id is not None,
    )
