"""The default schemes of the centre's posts (standards.md §5.2–5.4): 受理员, 值班长, 派遣员, with
the published weights. The 受理数 / 派遣数 score bands are a local implementation's [I] (see the
notes and evaluation.defaults)."""

from django.db import migrations, models

POSTS = ("intake", "shift_leader", "dispatcher")


def load(apps, schema_editor):
    from urbangrid.evaluation.defaults import BANDS, DEFAULTS, LABELS

    Scheme = apps.get_model("evaluation", "Scheme")
    for kind in POSTS:
        row = DEFAULTS[kind]
        Scheme.objects.update_or_create(
            subject_kind=kind,
            defaults={"weights": row["weights"], "bands": BANDS, "labels": LABELS, "note": row["note"]},
        )


def unload(apps, schema_editor):
    apps.get_model("evaluation", "Scheme").objects.filter(subject_kind__in=POSTS).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0002_default_schemes")]

    operations = [
        migrations.AlterField(
            model_name="scheme",
            name="subject_kind",
            field=models.CharField(
                choices=[
                    ("department", "Disposal department"),
                    ("street", "Street"),
                    ("community", "Community"),
                    ("supervisor", "Field supervisor"),
                    ("intake", "Intake operator"),
                    ("shift_leader", "Shift leader"),
                    ("dispatcher", "Dispatcher"),
                ],
                max_length=16,
                unique=True,
                verbose_name="subject kind",
            ),
        ),
        migrations.RunPython(load, unload),
    ]
