"""The log of the demo build: which named steps ran, at which scale and seed, and whether each
finished, so a second `urbangrid demo` reuses the county and a step added later still runs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BuildStep(models.Model):
    name = models.CharField(_("step"), max_length=40, unique=True)
    scale = models.CharField(_("scale"), max_length=16)
    seed = models.IntegerField(_("seed"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    seconds = models.FloatField(_("duration (s)"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("demo build step")
        verbose_name_plural = _("demo build steps")
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return self.name
