import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from shortbreaks.core.models import Authority
from shortbreaks.core.roles import Role


class User(AbstractUser):
    """A person who signs in. Their username is their email address."""

    full_name = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return self.full_name or self.get_username()

    @property
    def display_name(self) -> str:
        return self.full_name or self.email or self.username

    def all_roles(self) -> frozenset[tuple[int, str]]:
        """(authority id, role) for every role held, read once per request."""
        if "_all_roles" not in self.__dict__:
            self.__dict__["_all_roles"] = frozenset(self.role_assignments.values_list("authority_id", "role"))
        return self.__dict__["_all_roles"]

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
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.get_role_display()} in {self.authority}"


class SecondFactorLink(models.Model):
    """A one-time link, emailed to a member of staff, through which alone they set up their
    authenticator app. Knowing the password is not enough to own the second factor: the link
    goes to the account's email, expires, and works once. Only its hash is kept."""

    LIFETIME_HOURS = 24

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="second_factor_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Second factor link for {self.user}"

    def usable(self, now) -> bool:
        return self.used_at is None and now < self.expires_at
