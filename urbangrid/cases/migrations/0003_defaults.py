"""Default step limits, reasons and approval policies. Step limits follow the defaults of
../shared/reference/standards.md §4.6 (受理 10 min, 核实 1 工作时, 立案/派遣/结案 30 min, 核查 1 工作时
after 反馈), which real systems configure in minutes; the standards give no official values.
The default disposal limit (5 工作日 = 40 working hours) applies to types without a 处置时限.
Approvals follow CJ/T 315 practice (standards.md §4.4): a first routine extension is approved by
the shift leader, a second one and any 挂账 by the centre's leadership."""

from django.db import migrations

STEP_LIMITS = [("accept", 10), ("verify", 60), ("file", 30), ("dispatch", 30), ("dispose", 2400), ("check", 60), ("close", 30)]

REASONS = {
    "reject": [("duplicate", "重复上报"), ("out_of_jurisdiction", "不属于本辖区"), ("not_city_management", "不属于城市管理范畴"),
               ("invalid", "信息不全或无法核实")],
    "not_file": [("not_found", "经核实问题不存在"), ("below_condition", "不符合立案条件"), ("duplicate", "重复案件"),
                 ("resolved", "问题已自行消除")],
    "return": [("not_our_duty", "非本单位职责"), ("wrong_location", "位置信息有误"), ("wrong_type", "问题分类错误"),
               ("needs_other", "需其他单位处置")],
    "extension": [("engineering", "工程量大，需较长工期"), ("weather", "受天气影响"), ("materials", "需采购材料或设备"),
                  ("coordination", "需协调其他单位")],
    "suspend": [("engineering", "工程类，需立项实施"), ("seasonal", "季节性原因无法处置"), ("funding", "资金尚未落实"),
                ("planning", "需规划或审批")],
    "rework": [("not_done", "问题未处置"), ("incomplete", "处置不彻底"), ("recurred", "问题复现"), ("wrong_photo", "照片与问题不符")],
    "cancel": [("duplicate", "重复案件"), ("mistake", "误报或录入错误"), ("out_of_scope", "不属于城市管理范畴")],
    "override": [("better_department", "另有更合适的处置单位"), ("redispatch", "回退后重新派遣"), ("local_arrangement", "属地协调安排"),
                 ("leader_instruction", "领导指定")],
}

POLICIES = [("extension", 1, "shift_leader"), ("extension", 2, "leader"), ("suspend", 1, "leader")]


def load(apps, schema_editor):
    StepLimit = apps.get_model("cases", "StepLimit")
    Reason = apps.get_model("cases", "Reason")
    ApprovalPolicy = apps.get_model("cases", "ApprovalPolicy")
    for step, minutes in STEP_LIMITS:
        StepLimit.objects.update_or_create(step=step, defaults={"minutes": minutes})
    for category, rows in REASONS.items():
        for code, label in rows:
            Reason.objects.update_or_create(category=category, code=code, defaults={"label": label})
    for kind, nth, role in POLICIES:
        ApprovalPolicy.objects.update_or_create(kind=kind, from_count=nth, defaults={"approver_role": role})


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_model")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
