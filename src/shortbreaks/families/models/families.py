"""Families and children. Children's disability and health details are special category data:
only the family itself and the authority's officers may read them (see selectors/access.py)."""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from shortbreaks.core.models import AuthorityOwned
from shortbreaks.directory.models import TaxonomyTerm

PREFER_NOT_TO_SAY = "prefer_not_to_say"


class Family(AuthorityOwned):
    class Contact(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone call"
        TEXT = "text", "Text message"
        POST = "post", "Letter"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=20, help_text="The council's case reference, e.g. F-001234.")
    home_postcode = models.CharField(max_length=10)
    preferred_contact = models.CharField(max_length=10, choices=Contact.choices, default=Contact.EMAIL)
    consent_to_share = models.BooleanField(
        default=False, help_text="The family agrees that providers they book with may see their child's care needs."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "families"
        ordering = ["reference"]
        constraints = [models.UniqueConstraint(fields=["authority", "reference"], name="family_reference_unique")]

    def __str__(self) -> str:
        return self.reference

    def contact_emails(self) -> list[str]:
        """Where to write to the family: each carer's own address, else their account's."""
        emails = (
            carer.email or (carer.user.email if carer.user else "") for carer in self.carers.select_related("user")
        )
        return [email for email in emails if email]


class Carer(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="carers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="carer_of"
    )
    full_name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=50, default="Parent")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["full_name"]
        constraints = [models.UniqueConstraint(fields=["family", "user"], name="carer_once_per_family")]

    def __str__(self) -> str:
        return self.full_name


class Child(AuthorityOwned):
    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        PREFER_NOT = PREFER_NOT_TO_SAY, "Prefer not to say"

    class Ethnicity(models.TextChoices):
        # The 2021 Census high-level groups.
        ASIAN = "asian", "Asian or Asian British"
        BLACK = "black", "Black, Black British, Caribbean or African"
        MIXED = "mixed", "Mixed or multiple ethnic groups"
        WHITE = "white", "White"
        OTHER = "other", "Another ethnic group"
        PREFER_NOT = PREFER_NOT_TO_SAY, "Prefer not to say"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="children")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    needs = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="+")
    communication_needs = models.TextField(blank=True)
    medical_needs = models.TextField("medical needs that affect care", blank=True)
    has_ehc_plan = models.BooleanField("has an education, health and care plan", default=False)

    class Support(models.TextChoices):
        GROUP = "group", "Joins in with the group's staff"
        ONE_TO_ONE = "one_to_one", "Needs one-to-one support (1:1)"
        TWO_TO_ONE = "two_to_one", "Needs two staff at times (2:1)"

    support = models.CharField(
        "support needed at activities", max_length=20, choices=Support.choices, default=Support.GROUP
    )
    school = models.CharField(max_length=200, blank=True)
    # Who to call in an emergency, as the parent typed it (names, how they relate, numbers).
    # Providers see it on their registers only if the parent agreed (share_emergency_contacts).
    emergency_contacts = models.TextField(blank=True)
    share_emergency_contacts = models.BooleanField(
        default=False, help_text="The parent agrees that providers they book with may see the emergency contacts."
    )
    # Equality Act 2010 s149 monitoring, each with "prefer not to say".
    sex = models.CharField(max_length=20, choices=Sex.choices, default=Sex.PREFER_NOT)
    ethnicity = models.CharField(max_length=20, choices=Ethnicity.choices, default=Ethnicity.PREFER_NOT)
    # A young person aged 16 or over may have their own account.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="child_record"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "children"
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["authority", "last_name"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: dt.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def staff_units(self) -> int:
        """How much of a session's individual-support staffing this child uses."""
        return self.staff_units_for().get(self.support, 0)

    @classmethod
    def staff_units_for(cls) -> dict:
        """Staff units by support level (the rest use none), for Python and for queries."""
        return {cls.Support.ONE_TO_ONE: 1, cls.Support.TWO_TO_ONE: 2}

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def name_for_providers(self) -> str:
        """What a provider (a scheme's coordinator included) sees: first name and last initial."""
        return f"{self.first_name} {self.last_name[:1]}." if self.last_name else self.first_name
