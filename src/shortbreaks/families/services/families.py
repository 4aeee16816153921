import secrets

from django.db import IntegrityError, transaction

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.models import Authority
from shortbreaks.core.postcodes import PostcodeError, locate
from shortbreaks.directory.models import TaxonomyTerm
from shortbreaks.families.audit import Audit

from ..models import Carer, Child, Family


def _new_reference(authority: Authority) -> str:
    for _ in range(10):
        reference = f"F-{secrets.token_hex(4).upper()}"
        if not Family.objects.filter(authority=authority, reference=reference).exists():
            return reference
    raise IntegrityError("Could not find a free family reference")


@transaction.atomic(durable=True)
def child_add(*, authority: Authority, parent, child_data: dict, family_data: dict | None = None) -> Child:
    """A parent tells the council about a child. Their first child also opens their family
    record, with them as its carer."""
    family = Family.objects.filter(authority=authority, carers__user=parent).first()
    if family is None:
        if not family_data:
            raise NotAllowed("Tell us your home postcode first.")
        try:
            postcode = locate(family_data["home_postcode"]).postcode
        except PostcodeError as error:
            raise NotAllowed(str(error)) from None
        family = Family.objects.create(
            authority=authority,
            reference=_new_reference(authority),
            home_postcode=postcode,
            preferred_contact=family_data["preferred_contact"],
            consent_to_share=family_data["consent_to_share"],
        )
        Carer.objects.create(family=family, user=parent, full_name=parent.display_name, email=parent.email)
    needs = list(TaxonomyTerm.objects.filter(taxonomy__code="needs", code__in=child_data["needs"]))
    child = Child(authority=authority, family=family, **{k: v for k, v in child_data.items() if k != "needs"})
    child.full_clean(exclude=["authority", "family"])
    child.save()
    child.needs.set(needs)
    audit_record(
        authority=authority,
        actor=parent,
        action=Audit.FAMILY_CHILD_ADDED,
        target=child,
        summary=f"{child.first_name} added to family {family.reference}",
    )
    return child
