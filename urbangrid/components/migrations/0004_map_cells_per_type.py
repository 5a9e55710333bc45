# MapCell counts per (cell, type) instead of (cell, major class), so a map filtered by type
# reads the aggregate too. The counts are recomputed by 0005.

from django.db import migrations, models


def clear(apps, schema_editor):
    apps.get_model("components", "MapCell").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('components', '0003_department_tile_indexes'),
    ]

    operations = [
        migrations.RunPython(clear, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name='mapcell',
            name='unique_map_cell',
        ),
        migrations.RemoveField(
            model_name='mapcell',
            name='major_code',
        ),
        migrations.AddField(
            model_name='mapcell',
            name='type_code',
            field=models.CharField(default='', max_length=5),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name='mapcell',
            constraint=models.UniqueConstraint(fields=('cell', 'type_code'), name='unique_map_cell_type'),
        ),
    ]
