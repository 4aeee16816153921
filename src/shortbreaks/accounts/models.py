import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from shortbreaks.core.models import Authority
from shortbreaks.core.roles import Role


def normalise_email(address: str) -> str:
    """Email addresses are one person whatever their case: stored, compared and looked up in
    lower case everywhere (sign-in, sign-up, reset, invitations)."""
    return (address or "").strip().lower()


class People(UserManager):
    @classmethod
    def normalize_email(cls, email):
        return normalise_email(email)

    def get_by_natural_key(self, username):
        return self.get(**{self.model.USERNAME_FIELD: normalise_email(username)})


class User(AbstractUser):
    """A person who signs in. Their username is their email address, in lower case."""

    full_name = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # False from sign-up until the emailed link is opened: until then the roles they asked
    # for (parent, provider, personal assistant) do nothing (see all_roles).
    email_confirmed = models.BooleanField(default=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = People()

    class Meta(AbstractUser.Meta):
        constraints = [
            models.CheckConstraint(condition=Q(email=Lower("email")), name="user_email_in_lower_case"),
            models.UniqueConstraint(Lower("email"), condition=~Q(email=""), name="user_email_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.get_username()

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        self.username = normalise_email(self.username) or self.email
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.full_name or self.email or self.username

    def all_roles(self) -> frozenset[tuple[int, str]]:
        """(authority id, role) for every role held, read once per request. Someone who has
        not yet confirmed their email holds none."""
        if not self.email_confirmed:
            return frozenset()
        if "_all_roles" not in self.__dict__:
            self.__dict__["_all_roles"] = frozenset(self.role_assignments.values_list("authority_id", "role"))
        return self.__dict__["_all_roles"]

    def forget_roles(self) -> None:
        self.__dict__.pop("_all_roles", None)

    def roles_in(self, authority: Authority | None) -> frozenset[str]:
        if not self.is_authenticated or authority is None:
            return frozenset()
        return frozenset(role for authority_id, role in self.all_roles() if authority_id == authority.pk)

    def organisation_ids_in(self, authority: Authority | None) -> list:
        """The provider organisations this person acts for in an authority."""
        if authority is None:
            return []
        return list(
            self.role_assignments.filter(
                authority=authority, role=Role.PROVIDER, organisation__isnull=False
            ).values_list("organisation_id", flat=True)
        )


class RoleAssignment(models.Model):
    """A role held by a person in one authority; a provider role names the organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="members",
    )
    # A provider's administrator invites and removes colleagues; an organisation keeps one.
    administers = models.BooleanField(default=False)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # A role is held once per authority (and once per organisation for providers).
            models.UniqueConstraint(
                fields=["user", "authority", "role"],
                condition=Q(organisation__isnull=True),
                name="role_assignment_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "authority", "role", "organisation"],
                condition=Q(organisation__isnull=False),
                name="role_assignment_unique_per_organisation",
            ),
            models.CheckConstraint(
                condition=(Q(role=Role.PROVIDER) & Q(organisation__isnull=False))
                | (~Q(role=Role.PROVIDER) & Q(organisation__isnull=True)),
                name="role_assignment_provider_has_organisation",
            ),
            models.CheckConstraint(
                condition=Q(administers=False) | Q(role=Role.PROVIDER), name="role_assignment_administers_provider"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.get_role_display()} in {self.authority}"


class OneTimeLink(models.Model):
    """A link emailed to a person that works once and expires: to confirm their email after
    signing up, or to set up a member of staff's authenticator app (knowing the password is
    not enough to own the second factor). Only its hash is kept."""

    class Purpose(models.TextChoices):
        CONFIRM_EMAIL = "confirm_email", "Confirm an email address"
        SECOND_FACTOR = "second_factor", "Set up an authenticator app"

    LIFETIME_HOURS = 24

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="one_time_links")
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.SECOND_FACTOR)
    # Where the link was asked for: the site its email links to.
    authority = models.ForeignKey(Authority, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.get_purpose_display()} for {self.user}"

    def usable(self, now) -> bool:
        return self.used_at is None and now < self.expires_at


class Invitation(models.Model):
    """A one-time link, valid for days, inviting someone by email to a role: council staff,
    a provider's colleague, a second carer, a young person to their own record, a member of
    an evaluation panel. Opening it creates the account (or adds the role to the one they
    have); the app the invitation is to (families, procurement) finishes the job when it is
    accepted (accounts.signals.invitation_accepted). Only the token's hash is kept."""

    class Purpose(models.TextChoices):
        STAFF = "staff", "Council staff"
        COLLEAGUE = "colleague", "A provider's colleague"
        CARER = "carer", "A parent or carer joining a family"
        YOUNG_PERSON = "young_person", "A young person's own account"
        PANEL = "panel", "An evaluation panel"
        SECOND_FACTOR = "second_factor", "Setting up an authenticator app again"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    email = models.EmailField()
    full_name = models.CharField(max_length=200, blank=True)
    roles = models.JSONField(default=list, help_text="The roles accepting gives.")
    organisation = models.ForeignKey(
        "directory.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    administers = models.BooleanField(default=False)
    # What the invitation is to, for the app that finishes it: a family, a child, a procurement.
    subject_id = models.CharField(max_length=64, blank=True)
    subject_label = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["authority", "purpose", "subject_id"])]
        constraints = [models.CheckConstraint(condition=Q(email=Lower("email")), name="invitation_email_in_lower_case")]

    def __str__(self):
        return f"Invitation to {self.email}: {self.get_purpose_display()}"

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def usable(self, now) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None and now < self.expires_at

    @property
    def role_labels(self) -> str:
        return ", ".join(Role(r).label for r in self.roles) or self.get_purpose_display()

    @property
    def gives_staff_role(self) -> bool:
        from shortbreaks.core.roles import STAFF_ROLES

        return self.purpose == self.Purpose.SECOND_FACTOR or bool(set(self.roles) & STAFF_ROLES)


class AccountPolicy(models.Model):
    """An authority's rules for people's accounts, versioned: the newest is in force. One is
    made with every authority (signals.py)."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(default=1)
    young_person_from_age = models.PositiveSmallIntegerField(
        default=13, help_text="From this age a child may be invited to an account of their own."
    )
    parents_see_until_age = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=18,
        help_text="From this age a young person with their own account is no longer shown to their parents. "
        "Empty: always shown.",
    )
    record_kept_until_age = models.PositiveSmallIntegerField(
        default=25, help_text="The council keeps a child's record until this birthday."
    )
    closed_account_kept_years = models.PositiveSmallIntegerField(
        default=6, help_text="After an account is closed, the council's record of what it did is kept this long."
    )
    invitation_days = models.PositiveSmallIntegerField(default=7)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name_plural = "account policies"
        constraints = [models.UniqueConstraint(fields=["authority", "version"], name="account_policy_version_unique")]

    def __str__(self):
        return f"Account policy {self.version} of {self.authority}"
