"""The documented default schemes of CJ/T 292 / GB/T 30428.4 (standards.md §5): weights per
subject kind, grade bands A–E (§5.7) and their local labels, with a note where the standard's
weights are unknown (§8)."""

from django.db import migrations



def load(apps, schema_editor):
    from urbangrid.evaluation.defaults import BANDS, DEFAULTS, LABELS

    Scheme = apps.get_model("evaluation", "Scheme")
    for kind in ("department", "street", "community", "supervisor"):  # the posts: 0003
        row = DEFAULTS[kind]
        Scheme.objects.update_or_create(
            subject_kind=kind,
            defaults={"weights": row["weights"], "bands": BANDS, "labels": LABELS, "note": row["note"]},
        )


def unload(apps, schema_editor):
    apps.get_model("evaluation", "Scheme").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_scheme")]

    operations = [migrations.RunPython(load, unload)]
