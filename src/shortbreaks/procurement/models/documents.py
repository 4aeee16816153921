"""Documents of an opportunity, or of a bid (sealed with it)."""

import uuid

from django.conf import settings
from django.db import models

from shortbreaks.core.downloads import stored_name
from shortbreaks.core.models import AuthorityOwned

from .opportunities import Opportunity
from .submissions import Submission


def _document_path(instance, filename: str) -> str:
    return stored_name(f"procurement/{instance.authority_id}", filename)


class ProcurementDocument(AuthorityOwned):
    """A document of the opportunity (public once published) or of a bid (sealed with it).
    Checked for type and size on upload and always served as a download."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="documents")
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=_document_path, max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    original_filename = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
