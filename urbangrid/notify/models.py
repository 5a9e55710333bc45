from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one user (in-app, always) or to a phone number, with its delivery result
    on the configured outside channel (SMS gateway, log, …)."""

    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    kind = models.CharField(_("kind"), max_length=32)
    case_number = models.CharField(_("case"), max_length=16, blank=True, db_index=True)
    text = models.CharField(_("text"), max_length=500)
    created_at = models.DateTimeField(_("created"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=16, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    error = models.CharField(_("delivery error"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text
