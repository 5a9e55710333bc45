# MapCell gains a row per major class and one for everything ("*") in each cell, keyed
# (type_code, cell) so a tile reads only the rows of its key; the counts are recomputed.

from django.db import migrations, models


def rebuild(apps, schema_editor):
    from urbangrid.components.mapcells import rebuild_rows

    rebuild_rows(apps.get_model("components", "Component"), apps.get_model("components", "MapCell"))


class Migration(migrations.Migration):

    dependencies = [
        ('components', '0004_map_cells_per_type'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='mapcell',
            name='unique_map_cell_type',
        ),
        migrations.AlterField(
            model_name='mapcell',
            name='type_code',
            field=models.CharField(help_text='type code, 2-digit major class, or * for all', max_length=5),
        ),
        migrations.AddConstraint(
            model_name='mapcell',
            constraint=models.UniqueConstraint(fields=('type_code', 'cell'), name='unique_map_cell'),
        ),
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
