"""Documents of an opportunity, or of a draft bid (sealed with it)."""

from django.utils import timezone

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.storage import atomic_with_files, store_file
from shortbreaks.directory.services.publications import document_check
from shortbreaks.procurement.audit import Audit

from ..models import (
    Opportunity,
    ProcurementDocument,
    Submission,
)
from .submissions import _open_for_submissions, _tell_submitters


@atomic_with_files
def document_add(*, opportunity: Opportunity, title: str, upload, uploaded_by, submission: Submission | None = None):
    """A document of the opportunity, or of a draft bid (before the deadline). Adding one to a
    published opportunity is a change: providers who submitted are asked to confirm."""

    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    content_type = document_check(upload)
    if submission is not None:
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        _open_for_submissions(opportunity, timezone.now())
        if submission.status == Submission.Status.SUBMITTED:
            raise NotAllowed("You have submitted this bid: withdraw it to add documents, then submit it again.")
        if submission.documents.count() >= 10:
            raise NotAllowed("Attach at most 10 documents to a bid.")
    elif opportunity.status not in (Opportunity.Status.DRAFT, Opportunity.Status.OPEN):
        raise NotAllowed("Documents can be added until submissions close.")
    document = ProcurementDocument(
        authority=opportunity.authority,
        opportunity=opportunity,
        submission=submission,
        title=title.strip() or upload.name[:200],
        content_type=content_type,
        size=upload.size,
        original_filename=upload.name[:200],
        uploaded_by=uploaded_by,
    )
    store_file(document.file, upload)
    document.save()
    if submission is None and opportunity.status == Opportunity.Status.OPEN:
        _tell_submitters(opportunity)
    audit_record(
        authority=opportunity.authority,
        actor=uploaded_by,
        action=Audit.PROCUREMENT_DOCUMENT,
        target=document,
        summary=f"A document was added to {'a bid for ' if submission else ''}{opportunity.reference}",
    )
    return document
