"""Personal assistants (PAs): people a family employs through the child's budget to support
the child at home or out and about. A PA is seen by families only once an officer has vetted
them, while their DBS check and training are in date, and unless they hide their profile."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from shortbreaks.core.models import AuthorityOwned
from shortbreaks.core.postcodes import KM_PER_MILE
from shortbreaks.families.models import Child


class Skill(models.TextChoices):
    AUTISM = "autism", "Autism"
    EPILEPSY = "epilepsy", "Epilepsy and rescue medication"
    PEG = "peg", "PEG feeding"
    MOVING = "moving", "Moving and handling"
    BSL = "bsl", "British Sign Language (BSL)"
    MAKATON = "makaton", "Makaton"
    BEHAVIOUR = "behaviour", "Positive behaviour support"
    MEDICATION = "medication", "Giving medication"
    PERSONAL_CARE = "personal_care", "Personal care"


# The skills a child's recorded needs suggest, pre-selected when a parent searches.
NEED_SKILLS = {
    "autism": [Skill.AUTISM],
    "learning-disability": [Skill.MAKATON, Skill.PERSONAL_CARE],
    "adhd": [Skill.BEHAVIOUR],
    "physical-disability": [Skill.MOVING, Skill.PERSONAL_CARE],
    "sensory-impairment": [Skill.BSL],
    "complex-health": [Skill.EPILEPSY, Skill.MEDICATION],
    "behaviour-that-challenges": [Skill.BEHAVIOUR],
    "communication": [Skill.MAKATON],
    "life-limiting": [Skill.MEDICATION, Skill.PERSONAL_CARE],
}


class Part(models.TextChoices):
    MORNING = "morning", "Morning"
    AFTERNOON = "afternoon", "Afternoon"
    EVENING = "evening", "Evening"
    OVERNIGHT = "overnight", "Overnight"


DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def hours_between(starts_at, ends_at) -> Decimal:
    minutes = (ends_at.hour * 60 + ends_at.minute) - (starts_at.hour * 60 + starts_at.minute)
    return Decimal(minutes) / 60


class Assistant(AuthorityOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", "Not sent for vetting"
        SUBMITTED = "submitted", "Waiting for an officer to vet"
        VETTED = "vetted", "Vetted"
        REFUSED = "refused", "Not approved"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assistant_profile")
    display_name = models.CharField("name families see", max_length=100)
    about = models.TextField("about you", blank=True, max_length=2000)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    travel_km = models.PositiveSmallIntegerField("how far you will travel, in km", default=10)
    hourly_rate = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("0"))
    dbs_certificate = models.CharField("DBS certificate number", max_length=12, blank=True)
    dbs_issued_on = models.DateField(null=True, blank=True)
    # The authority's rule: an enhanced DBS check is renewed three years after issue.
    dbs_renew_by = models.DateField(null=True, blank=True)
    hidden = models.BooleanField(default=False, help_text="Hidden profiles are not shown to families.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    status_reason = models.CharField(max_length=500, blank=True)
    vetted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    vetted_at = models.DateTimeField(null=True, blank=True)
    dbs_warned_on = models.DateField(null=True, blank=True)
    dbs_lapse_told_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["display_name"]
        constraints = [models.CheckConstraint(condition=Q(hourly_rate__gte=0), name="assistant_rate_not_negative")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def travel_miles(self) -> int:
        """Families and PAs read distances in miles, as the directory shows them."""
        return round(self.travel_km / KM_PER_MILE)


class AssistantSkill(models.Model):
    assistant = models.ForeignKey(Assistant, on_delete=models.CASCADE, related_name="skills")
    skill = models.CharField(max_length=20, choices=Skill.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assistant", "skill"], name="one_row_per_assistant_skill")]


class Availability(models.Model):
    assistant = models.ForeignKey(Assistant, on_delete=models.CASCADE, related_name="availability")
    day = models.PositiveSmallIntegerField()  # 0 Monday .. 6 Sunday
    part = models.CharField(max_length=10, choices=Part.choices)

    class Meta:
        verbose_name_plural = "availability"
        constraints = [
            models.UniqueConstraint(fields=["assistant", "day", "part"], name="one_row_per_assistant_slot"),
            models.CheckConstraint(condition=Q(day__lte=6), name="availability_day_of_week"),
        ]

    @property
    def label(self) -> str:
        return f"{DAYS[self.day]} {self.get_part_display().lower()}"


class Training(AuthorityOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assistant = models.ForeignKey(Assistant, on_delete=models.CASCADE, related_name="training")
    course = models.CharField(max_length=200)
    skill = models.CharField(max_length=20, choices=Skill.choices, blank=True)
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True, help_text="Leave empty if it does not expire.")
    warned_on = models.DateField(null=True, blank=True)
    lapse_told_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["expires_on", "course"]
        verbose_name_plural = "training"
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("completed_on")),
                name="training_expires_after_completion",
            )
        ]


class Reference(AuthorityOwned):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assistant = models.ForeignKey(Assistant, on_delete=models.CASCADE, related_name="references")
    referee = models.CharField("referee's name", max_length=200)
    relationship = models.CharField("how they know you", max_length=200)
    email = models.EmailField("referee's email")
    received_on = models.DateField(null=True, blank=True)  # recorded by the vetting officer


class AssistantBooking(AuthorityOwned):
    """A family asks a PA for some hours; the money is committed on the child's budget when
    they ask, released if the PA declines, and paid on the approved timesheet."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Asked, waiting for the PA"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"
        COMPLETED = "completed", "Worked and paid"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assistant = models.ForeignKey(Assistant, on_delete=models.PROTECT, related_name="bookings")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="assistant_bookings")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    hourly_rate = models.DecimalField(max_digits=6, decimal_places=2)
    amount = models.DecimalField(max_digits=8, decimal_places=2)  # committed on the budget
    message = models.TextField(blank=True, max_length=1000)
    # Where the PA is to come and how to reach the family, as the family chose to share them
    # when asking (a phone number only if they gave one).
    meet_at = models.CharField("where", max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    answer_note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # The family's page key: a retried request commits the child's money once.
    idempotency_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-date", "-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="assistant_booking_times_ordered"),
            models.UniqueConstraint(
                fields=["requested_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="assistant_booking_key_once",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="assistant_booking_amount_not_negative"),
        ]

    @property
    def hours(self) -> Decimal:
        return hours_between(self.starts_at, self.ends_at).quantize(Decimal("0.01"))


class Timesheet(AuthorityOwned):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for the family to approve"
        APPROVED = "approved", "Approved and paid"
        QUERIED = "queried", "Queried by the family"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    booking = models.OneToOneField(AssistantBooking, on_delete=models.PROTECT, related_name="timesheet")
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    query_reason = models.CharField(max_length=500, blank=True)
    submitted_at = models.DateTimeField(auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The family's page key when approving: a retried "Approve and pay" pays once.
    decision_key = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="timesheet_hours_in_a_day"),
            models.UniqueConstraint(
                fields=["decided_by", "decision_key"],
                condition=~Q(decision_key=""),
                name="timesheet_decision_key_once",
            ),
        ]

    @property
    def owed(self) -> Decimal:
        """Hours worked at the booked rate: what approving pays."""
        return (self.hours * self.booking.hourly_rate).quantize(Decimal("0.01"))
