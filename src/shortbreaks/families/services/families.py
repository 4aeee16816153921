import secrets

from django.db import IntegrityError, transaction

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.models import Authority
from shortbreaks.core.postcodes import PostcodeError, locate
from shortbreaks.directory.models import TaxonomyTerm
from shortbreaks.families.audit import Audit

from ..eligibility import area_districts, outside_area
from ..models import Carer, Child, EligibilityApplication, Family
from ..selectors.access import children_of_carer
from .eligibility import policy_in_force


def _area(authority: Authority) -> list[str] | None:
    """The council's area, from the eligibility policy in force (None: no area set)."""
    policy = policy_in_force(authority)
    return area_districts(policy.criteria if policy else None)


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
        if problem := outside_area(authority=authority, postcode=postcode, districts=_area(authority)):
            raise NotAllowed(problem)
        family = Family.objects.create(
            authority=authority,
            reference=_new_reference(authority),
            home_postcode=postcode,
            preferred_contact=family_data["preferred_contact"],
            consent_to_share=family_data["consent_to_share"],
        )
        Carer.objects.create(
            family=family,
            user=parent,
            full_name=parent.display_name,
            email=parent.email,
            phone=family_data.get("phone", ""),
        )
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


CHILD_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "communication_needs",
    "medical_needs",
    "has_ehc_plan",
    "school",
    "emergency_contacts",
    "share_emergency_contacts",
    "sex",
    "ethnicity",
)
DECIDED = (EligibilityApplication.Status.APPROVED, EligibilityApplication.Status.REFUSED)


@transaction.atomic(durable=True)
def child_update(*, child: Child, parent, child_data: dict) -> Child:
    """A parent corrects what they told the council about a child. Only a carer of the child's
    family who may still see the child (children_of_carer) may. The audit row names the fields
    changed, never their values (needs and health are special category data). Needs changed
    after an eligibility decision are noted in it for the officer; the decision stands."""
    # The rule first (its query is DISTINCT, which cannot lock), then the row itself.
    if not children_of_carer(user=parent, authority=child.authority).filter(pk=child.pk).exists():
        raise NotAllowed("You can change only your own children's details.")
    child = Child.objects.select_for_update().get(pk=child.pk)  # as it is now, under the lock
    changed = [name for name in CHILD_FIELDS if getattr(child, name) != child_data[name]]
    for name in CHILD_FIELDS:
        setattr(child, name, child_data[name])
    child.full_clean(exclude=["authority", "family"])
    child.save()
    before = set(child.needs.values_list("code", flat=True))
    needs = list(TaxonomyTerm.objects.filter(taxonomy__code="needs", code__in=child_data["needs"]))
    if before != {term.code for term in needs}:
        changed.append("needs")
        child.needs.set(needs)
    details: dict = {"changed": changed}
    summary = f"{child.first_name}'s details corrected by their parent"
    decision = child.applications.filter(status__in=DECIDED).order_by("-decided_at").first()
    if "needs" in changed and decision is not None:
        details["needs_changed_after_decision"] = {"application": str(decision.pk), "decision": decision.status}
        summary += f": needs changed after the eligibility decision ({decision.get_status_display().lower()})"
    audit_record(
        authority=child.authority,
        actor=parent,
        action=Audit.FAMILY_CHILD_UPDATED,
        target=child,
        summary=summary[:300],
        details=details,
    )
    return child
