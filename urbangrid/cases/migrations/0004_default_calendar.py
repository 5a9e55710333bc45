"""The default working calendar (08:30–12:00, 13:30–17:30, Monday to Friday, so one 工作日 is the
7.5 working hours of one day; warning at 80 % of a limit) with the official holiday schedules shipped in
fixtures/cn_holidays.json (国务院办公厅 notices for 2025 and 2026). Administrators edit both."""

from django.db import migrations


def create(apps, schema_editor):
    from urbangrid.cases.calendar import load_holidays

    WorkCalendar = apps.get_model("cases", "WorkCalendar")
    calendar, _ = WorkCalendar.objects.get_or_create(
        code="default",
        defaults={"name": "县数字城管工作日历", "weekend": [6, 7], "workday_hours": 7.5, "is_default": True},
    )
    load_holidays(calendar)


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_defaults")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
