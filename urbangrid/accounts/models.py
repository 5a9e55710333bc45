"""Departments, users, roles and data scopes."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SUPERVISOR = "supervisor", _("Field supervisor")
    INTAKE = "intake", _("Intake operator")
    SHIFT_LEADER = "shift_leader", _("Shift leader")
    DISPATCHER = "dispatcher", _("Dispatcher")
    DISPOSER = "disposer", _("Disposal staff")
    LEADER = "leader", _("Leader")
    ADMIN = "admin", _("System administrator")
    CITIZEN = "citizen", _("Citizen")


class Department(models.Model):
    """Any body that owns, maintains or disposes: county departments, streets, communities,
    utilities and other enterprises, and the supervision & command centre itself."""

    class Kind(models.TextChoices):
        CENTRE = "centre", _("Supervision and command centre")
        FUNCTIONAL = "functional", _("County functional department")
        STREET = "street", _("Street / town government")
        COMMUNITY = "community", _("Community / village committee")
        ENTERPRISE = "enterprise", _("Utility or other enterprise")
        LEADERSHIP = "leadership", _("Leadership")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("leadership above"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Where overdue cases escalate to: department → its leadership → county leadership."),
    )
    division = models.ForeignKey(
        "geo.Division",
        verbose_name=_("governed division"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="governments",
        help_text=_("For streets and communities: the division they govern (territorial fallback)."),
    )
    service_areas = models.ManyToManyField(
        "geo.Division", verbose_name=_("service area"), blank=True, related_name="serving_departments"
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class RoleGrant(models.Model):
    """One role held by one user. A user may hold several (a shift leader is often an intake operator too)."""

    user = models.ForeignKey("User", on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user")]
        indexes = [models.Index(fields=["role"])]

    def __str__(self) -> str:
        return self.get_role_display()


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    areas = models.ManyToManyField(
        "geo.Division",
        verbose_name=_("data scope areas"),
        blank=True,
        related_name="scoped_users",
        help_text=_("Empty: the whole jurisdiction (for centre roles) or the department's own data."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def roles(self) -> frozenset[str]:
        cached = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = frozenset(self.role_grants.values_list("role", flat=True)) if self.pk else frozenset()
            self._roles_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def forget_roles(self) -> None:
        self.__dict__.pop("_roles_cache", None)

    # The 系统管理员 role is the maintenance console's user: every model permission, as for a
    # superuser (read-only admins, such as the audit trail's, still refuse changes).
    def has_perm(self, perm, obj=None) -> bool:
        return (self.is_active and Role.ADMIN in self.roles) or super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        return (self.is_active and Role.ADMIN in self.roles) or super().has_module_perms(app_label)


class ApiToken(models.Model):
    """A bearer token for the API. Only a digest of the key is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
