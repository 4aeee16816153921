"""Data subject requests for a family (UK GDPR articles 15 and 17): export everything held about
them, or erase it where the law allows. Erasure anonymises the people and deletes their
special category data and evidence, but keeps what the council must keep: the budget ledger
(public money) and the audit trail."""

import datetime as dt
import io
import json
import zipfile
from pathlib import PurePosixPath

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.forms.models import model_to_dict

from shortbreaks.accounts.services.closing import account_anonymise
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.models import AuditEvent
from shortbreaks.families.audit import Audit

from ..models import (
    Allocation,
    Assessment,
    BudgetAccount,
    Carer,
    Child,
    Eligibility,
    EligibilityApplication,
    EvidenceDocument,
    Family,
    LedgerEntry,
)
from ..models.families import PREFER_NOT_TO_SAY

ERASED = "Erased"


def _rows(queryset, exclude=()) -> list[dict]:
    return [model_to_dict(obj, exclude=list(exclude)) | {"id": str(obj.pk)} for obj in queryset]


def family_export(*, family: Family, exported_by) -> tuple[str, bytes]:
    """A ZIP of everything held about the family: data.json and the evidence files."""
    children = Child.objects.filter(family=family)
    data = {
        "exported_at": dt.datetime.now(dt.UTC).isoformat(),
        "authority": family.authority.name,
        "family": model_to_dict(family) | {"id": str(family.pk)},
        "carers": _rows(Carer.objects.filter(family=family), exclude=["user"]),
        "children": [
            model_to_dict(c, exclude=["needs", "user"]) | {"id": str(c.pk), "needs": [n.name for n in c.needs.all()]}
            for c in children
        ],
        "applications": _rows(EligibilityApplication.objects.filter(child__in=children)),
        "eligibility": _rows(Eligibility.objects.filter(child__in=children)),
        "assessments": _rows(Assessment.objects.filter(child__in=children)),
        "allocations": _rows(Allocation.objects.filter(child__in=children)),
        "budget_accounts": _rows(BudgetAccount.objects.filter(child__in=children)),
        "ledger": _rows(LedgerEntry.objects.filter(account__child__in=children).order_by("created_at")),
        "history": [
            {"when": e.created_at.isoformat(), "what": e.summary, "action": e.action}
            for e in AuditEvent.objects.filter(
                authority=family.authority, target_id__in=[str(c.pk) for c in children] + [str(family.pk)]
            ).order_by("created_at")
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2))
        for document in EvidenceDocument.objects.filter(application__child__in=children):
            with document.file.open("rb") as handle:
                archive.writestr(
                    f"evidence/{document.pk}-{PurePosixPath(document.original_filename).name}", handle.read()
                )
    with transaction.atomic():
        audit_record(
            authority=family.authority,
            actor=exported_by,
            action=Audit.FAMILY_EXPORTED,
            target=family,
            summary=f"Exported everything held about family {family.reference}",
        )
    return f"family-{family.reference}.zip", buffer.getvalue()


@transaction.atomic(durable=True)
def family_erase(*, family: Family, erased_by, reason: str) -> Family:
    if not reason.strip():
        raise NotAllowed("Record why the family's data is being erased (for example, their request of a date).")
    family = Family.objects.select_for_update().get(pk=family.pk)
    children = list(Child.objects.select_for_update().filter(family=family))
    if BudgetAccount.objects.filter(child__in=children, committed__gt=0).exists():
        raise NotAllowed(
            "This family has breaks booked and not yet delivered: cancel or complete them first, "
            "so the money is settled."
        )
    documents = list(EvidenceDocument.objects.filter(application__child__in=children))
    files = [document.file for document in documents]
    EvidenceDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()
    EligibilityApplication.objects.filter(child__in=children).update(
        declarations={}, checks=[], reasons=ERASED, review_reason=""
    )
    Eligibility.objects.filter(child__in=children, status=Eligibility.Status.ACTIVE).update(
        status=Eligibility.Status.REVOKED
    )
    Assessment.objects.filter(child__in=children).update(answers={}, notes="")
    Allocation.objects.filter(child__in=children).update(explanation=[], status=Allocation.Status.SUPERSEDED)
    for child in children:
        child.needs.clear()
        child.first_name, child.last_name = ERASED, ""
        child.date_of_birth = child.date_of_birth.replace(month=1, day=1)  # the year stays, for statistics
        child.communication_needs = child.medical_needs = child.school = child.emergency_contacts = ""
        child.share_emergency_contacts = False
        child.sex = child.ethnicity = PREFER_NOT_TO_SAY
        child.has_ehc_plan = False
        account = child.user
        child.user = None
        child.save()
        if account is not None:
            _anonymise_account(account)
    for carer in Carer.objects.filter(family=family).select_related("user"):
        if carer.user is not None:
            _anonymise_account(carer.user)
        carer.user, carer.full_name, carer.email, carer.phone = None, ERASED, "", ""
        carer.save()
    family.home_postcode = family.home_postcode.split(" ")[0]  # the district stays, for statistics
    family.consent_to_share = False
    family.save(update_fields=["home_postcode", "consent_to_share"])
    audit_record(
        authority=family.authority,
        actor=erased_by,
        action=Audit.FAMILY_ERASED,
        target=family,
        summary=f"Erased the personal data of family {family.reference}",
        details={"reason": reason.strip(), "children": len(children), "evidence_files": len(files)},
    )
    # Files go only once the database change is certain.
    transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files])
    return family


def _anonymise_account(user) -> None:
    """A family member's account is switched off and stripped of who they are, unless they also
    work in the service (then only their link to the family goes)."""
    if user.role_assignments.exclude(role__in=["parent", "young_person"]).exists() or user.is_staff:
        return
    account_anonymise(user, how="erased", name=ERASED)
