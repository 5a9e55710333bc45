"""The doorway for plain configuration rows (reasons, step limits, routing rules, calendars,
departments…) edited in the 应用维护 console: permission check, save, and an audit record of
what changed, in one transaction."""

from django.db import transaction
from django.forms.models import model_to_dict

from urbangrid.accounts import permissions
from urbangrid.audit import services as audit

permissions.register("config.edit")  # system administrators only


def _label(obj) -> str:
    return obj._meta.label_lower


@transaction.atomic
def save_row(actor, obj, changed_fields=()) -> None:
    permissions.require(actor, "config.edit")
    created = obj.pk is None
    obj.save()
    fields = {k: v for k, v in model_to_dict(obj).items() if created or k in changed_fields}
    audit.append(actor, "config.create" if created else "config.update", _label(obj), obj.pk, fields)


@transaction.atomic
def delete_row(actor, obj) -> None:
    permissions.require(actor, "config.edit")
    label, pk, fields = _label(obj), obj.pk, model_to_dict(obj)
    obj.delete()
    audit.append(actor, "config.delete", label, pk, fields)
