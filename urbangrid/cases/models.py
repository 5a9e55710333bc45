"""Cases (案卷), their steps and deadlines, and the working calendar the deadlines count on."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from urbangrid.catalog.models import Kind, TimeLimit


class WorkCalendar(models.Model):
    """Working hours and the rule for weekends; the days that break the rule are CalendarDay rows."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    morning_start = models.TimeField(_("morning starts"), default="08:30")
    morning_end = models.TimeField(_("morning ends"), default="12:00")
    afternoon_start = models.TimeField(_("afternoon starts"), default="13:30")
    afternoon_end = models.TimeField(_("afternoon ends"), default="17:30")
    workday_hours = models.DecimalField(
        _("working hours per working day"),
        max_digits=4,
        decimal_places=2,
        default=7.5,
        help_text=_("How many working hours one 工作日 limit counts as."),
    )
    weekend = models.JSONField(
        _("weekend days"), default=list, help_text=_("ISO weekday numbers, 6 = Saturday, 7 = Sunday")
    )
    warning_ratio = models.DecimalField(
        _("warning at share of the limit"), max_digits=3, decimal_places=2, default=0.8
    )
    is_default = models.BooleanField(_("default calendar"), default=False)

    class Meta:
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default_calendar"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CalendarDay(models.Model):
    """A statutory holiday (no work) or a make-up working day (调休, work on a weekend)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        WORKDAY = "workday", _("Make-up working day")

    calendar = models.ForeignKey(WorkCalendar, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["calendar", "date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="unique_calendar_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class Source(models.TextChoices):
    SUPERVISOR = "supervisor", _("Supervisor report")  # 监督员上报
    PUBLIC = "public", _("Public report")  # 公众举报
    HOTLINE_12319 = "hotline_12319", _("12319 hotline")  # 12319热线
    TRANSFER_12345 = "transfer_12345", _("12345 transfer")  # 12345转办
    VIDEO = "video", _("Video discovery")  # 视频发现
    ASSIGNED = "assigned", _("Assigned from above")  # 上级交办
    LEADER = "leader", _("Leader's instruction")  # 领导批示
    MEDIA = "media", _("Media exposure")  # 媒体曝光


PUBLIC_SOURCES = frozenset({Source.PUBLIC, Source.HOTLINE_12319, Source.TRANSFER_12345})


class State(models.TextChoices):
    REPORTED = "reported", _("Awaiting intake")  # 待受理
    VERIFYING = "verifying", _("Awaiting verification")  # 待核实
    FILING = "filing", _("Awaiting filing")  # 待立案
    DISPATCHING = "dispatching", _("Awaiting dispatch")  # 待派遣
    DISPOSING = "disposing", _("Being disposed")  # 处置中
    SUSPENDED = "suspended", _("Long-term ledger")  # 挂账
    CHECKING = "checking", _("Awaiting check")  # 待核查
    CLOSING = "closing", _("Awaiting closing")  # 待结案
    CLOSED = "closed", _("Closed")  # 已结案
    ARCHIVED = "archived", _("Archived")  # 已归档
    REJECTED = "rejected", _("Not accepted")  # 不予受理
    NOT_FILED = "not_filed", _("Not filed")  # 不予立案
    CANCELLED = "cancelled", _("Cancelled")  # 作废
    MERGED = "merged", _("Merged into another case")  # 已合并


TERMINAL_STATES = frozenset({State.ARCHIVED, State.REJECTED, State.NOT_FILED, State.CANCELLED, State.MERGED})
OPEN_STATES = frozenset(set(State.values) - TERMINAL_STATES - {State.CLOSED})


class Step(models.TextChoices):
    """The timed steps of CJ/T 315 / GB/T 30428.8; each has a limit and an on-time mark."""

    ACCEPT = "accept", _("Intake")  # 受理
    VERIFY = "verify", _("Verification")  # 核实
    FILE = "file", _("Filing")  # 立案
    DISPATCH = "dispatch", _("Dispatch")  # 派遣
    DISPOSE = "dispose", _("Disposal")  # 处置
    CHECK = "check", _("Check")  # 核查
    CLOSE = "close", _("Closing")  # 结案


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Light(models.TextChoices):
    GREEN = "green", _("On schedule")
    YELLOW = "yellow", _("Warning")  # 黄灯
    RED = "red", _("Overdue")  # 红灯


class StepLimit(models.Model):
    """Time limit of a step other than disposal (disposal limits are per type: catalog.TimeLimit).
    Real systems configure these in minutes (核实时限/核查时限 (分钟))."""

    step = models.CharField(_("step"), max_length=16, choices=Step.choices, unique=True)
    minutes = models.PositiveIntegerField(_("limit (minutes)"))
    natural = models.BooleanField(
        _("natural time"), default=False, help_text=_("Count wall-clock minutes instead of working minutes")
    )

    class Meta:
        verbose_name = _("step time limit")
        verbose_name_plural = _("step time limits")

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.minutes}"


class Reason(models.Model):
    """Typed reasons, so that refusals, returns, extensions… can be counted."""

    class Category(models.TextChoices):
        REJECT = "reject", _("Not accepted")
        NOT_FILE = "not_file", _("Not filed")
        RETURN = "return", _("Return by department")
        EXTENSION = "extension", _("Extension")
        SUSPEND = "suspend", _("Long-term ledger")
        REWORK = "rework", _("Rework")
        CANCEL = "cancel", _("Cancellation")
        OVERRIDE = "override", _("Dispatch override")

    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    code = models.CharField(_("code"), max_length=32)
    label = models.CharField(_("label"), max_length=50)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reason")
        verbose_name_plural = _("reasons")
        ordering = ["category", "code"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="unique_reason")]

    def __str__(self) -> str:
        return self.label


class RoutingRule(models.Model):
    """The responsibility matrix: area × type → department. The most specific rule wins (longest
    area code, then a type over a major class over any type)."""

    area_code = models.CharField(
        _("area code"),
        max_length=15,
        blank=True,
        help_text=_("District, street, community or grid code; empty for everywhere"),
    )
    type = models.ForeignKey(
        "catalog.CatalogType", verbose_name=_("type"), on_delete=models.CASCADE, null=True, blank=True
    )
    major_code = models.CharField(_("major class"), max_length=2, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, blank=True)
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["area_code", "kind", "major_code"]

    def __str__(self) -> str:
        return f"{self.area_code or '*'} / {self.type or self.major_code or '*'} → {self.department}"


class ApprovalPolicy(models.Model):
    """Who approves an extension or a 挂账 request; the n-th request of a case may need a higher role."""

    class Kind(models.TextChoices):
        EXTENSION = "extension", _("Extension")
        SUSPEND = "suspend", _("Long-term ledger")

    kind = models.CharField(_("request kind"), max_length=16, choices=Kind.choices)
    from_count = models.PositiveSmallIntegerField(
        _("from the n-th request"), default=1, help_text=_("1: every request; 2: the second and later ones")
    )
    approver_role = models.CharField(_("approver role"), max_length=16)

    class Meta:
        verbose_name = _("approval policy")
        verbose_name_plural = _("approval policies")
        constraints = [models.UniqueConstraint(fields=["kind", "from_count"], name="unique_approval_policy")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ≥{self.from_count}: {self.approver_role}"


class CaseCounter(models.Model):
    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=16, unique=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    type = models.ForeignKey(
        "catalog.CatalogType", verbose_name=_("type"), on_delete=models.PROTECT, related_name="+"
    )
    component = models.ForeignKey(
        "components.Component",
        verbose_name=_("component"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    description = models.TextField(_("description"), max_length=2000)
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    tile_key = models.BigIntegerField(db_index=True)
    grid_code = models.CharField(_("unit grid"), max_length=15, db_index=True)
    community_code = models.CharField(_("community"), max_length=12)
    street_code = models.CharField(_("street"), max_length=9, db_index=True)
    address = models.CharField(_("place"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.REPORTED)
    version = models.PositiveIntegerField(_("version"), default=1)
    reporter = models.ForeignKey(
        "accounts.User",
        verbose_name=_("reporter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_cases",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("disposal department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    assignee = models.ForeignKey(
        "accounts.User",
        verbose_name=_("assigned supervisor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        help_text=_("The supervisor who verifies or checks on the spot"),
    )
    holder = models.ForeignKey(
        "accounts.User",
        verbose_name=_("held by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="held_cases",
    )
    held_until = models.DateTimeField(_("held until"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_cases"
    )
    external_ref = models.CharField(_("external reference"), max_length=64, blank=True, db_index=True)
    step = models.CharField(_("current step"), max_length=16, choices=Step.choices, blank=True)
    step_due_at = models.DateTimeField(_("step deadline"), null=True, blank=True)
    step_warn_at = models.DateTimeField(_("step warning"), null=True, blank=True)
    disposal_due_at = models.DateTimeField(_("disposal deadline"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    rework_count = models.PositiveSmallIntegerField(_("rework count"), default=0)
    return_count = models.PositiveSmallIntegerField(_("return count"), default=0)
    extension_count = models.PositiveSmallIntegerField(_("extension count"), default=0)
    urge_count = models.PositiveSmallIntegerField(_("urging count"), default=0)
    reported_at = models.DateTimeField(_("reported at"), db_index=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["state", "step_due_at"]),
            models.Index(fields=["department", "state", "step_due_at"]),
            models.Index(fields=["assignee", "state", "step_due_at"]),
            models.Index(fields=["type", "reported_at"]),
            # The queues filtered by street: without it SQLite (no planner statistics) took the
            # street_code index and read all of the street's history (~0.4 s with 1M cases).
            models.Index(fields=["street_code", "state", "step_due_at"]),
            # The queues sorted by report time ("newest"/"oldest first"): over the open cases
            # only, so that walking it in order never wades through years of archived history
            # (PostgreSQL chose the full reported_at index for "oldest first" and read ~1M rows).
            models.Index(
                fields=["reported_at", "id"],
                condition=models.Q(state__in=sorted(OPEN_STATES)),
                name="cases_case_open_reported",
            ),
            # The command centre's map counts live cases per tile cell from the index alone,
            # without visiting the rows (100,000 open cases: see bench/command_layers.py).
            models.Index(fields=["tile_key", "state", "lon", "lat", "step_due_at"], name="cases_case_map"),
            # The areas' evaluation counts the cases filed in a period from the index alone,
            # without reading years of history (bench/evaluation_month.py).
            models.Index(
                fields=["filed_at"],
                include=["state", "closed_at", "source", "street_code", "community_code"],
                name="cases_case_filed_cover",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class CaseReporter(models.Model):
    """Everyone who reported the problem; merging keeps them all, so all are told the result."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reporters")
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True)
    name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    original_number = models.CharField(_("original case"), max_length=16)
    reported_at = models.DateTimeField(_("reported at"))

    class Meta:
        verbose_name = _("reporter")
        verbose_name_plural = _("reporters")
        # The hotline console looks up a ringing caller's history by phone number.
        indexes = [models.Index(fields=["phone"])]


class CaseStep(models.Model):
    """One timed step of one case: start, deadline, finish and whether it was on time."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=16, choices=Step.choices)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assignee = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    limit_value = models.DecimalField(max_digits=9, decimal_places=4)
    limit_unit = models.CharField(max_length=16, choices=TimeLimit.Unit.choices)
    started_at = models.DateTimeField(_("started"))
    warn_at = models.DateTimeField(_("warning at"))
    due_at = models.DateTimeField(_("deadline"), db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    finished_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    on_time = models.BooleanField(_("on time"), null=True)
    outcome = models.CharField(_("outcome"), max_length=32, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    overdue_noticed_at = models.DateTimeField(null=True, blank=True)
    # 返工: when a failed 核查 or the shift leader sent this done disposal back (the next disposal
    # step's start). Kept on the step so that a month's rework rate is counted with its disposals.
    sent_back_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["case", "started_at", "id"]
        indexes = [
            models.Index(fields=["step", "started_at"]),
            models.Index(fields=["finished_at", "due_at"]),
            # The evaluation of a period reads the steps of one kind due, or finished, in it from
            # these alone: index-only scans on PostgreSQL, where the table is 6 M rows a month in a
            # megacity (bench/evaluation_month.py: all subjects 16.9 s → 10.9 s).
            models.Index(
                fields=["step", "due_at"],
                include=[
                    "id",
                    "department",
                    "assignee",
                    "outcome",
                    "paused_at",
                    "finished_at",
                    "on_time",
                    "started_at",
                    "case",
                    "sent_back_at",
                ],
                name="cases_step_due_cover",
            ),
            models.Index(
                fields=["step", "finished_at"],
                include=[
                    "id",
                    "finished_by",
                    "assignee",
                    "on_time",
                    "outcome",
                    "case",
                    "due_at",
                    "started_at",
                ],
                name="cases_step_finished_cover",
            ),
        ]


class CaseAction(models.Model):
    """The case's timeline (流程轨迹): who did what, when, why. The tamper-evident copy of each
    entry is the audit record it points to."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    action = models.CharField(_("action"), max_length=32)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("role"), max_length=16, blank=True)
    at = models.DateTimeField(_("time"))
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.ForeignKey(Reason, on_delete=models.PROTECT, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    audit_seq = models.BigIntegerField()

    class Meta:
        verbose_name = _("case action")
        verbose_name_plural = _("case actions")
        ordering = ["case", "at", "id"]
        # The posts' evaluation counts a month's 受理 and 派发核查 per user from the index alone.
        indexes = [
            models.Index(
                fields=["action", "at"], include=["actor", "case", "from_state"], name="cases_action_at_cover"
            )
        ]


class CasePhoto(models.Model):
    class Stage(models.TextChoices):
        REPORT = "report", _("When reported")
        VERIFY = "verify", _("Verification")
        DISPOSE = "dispose", _("After disposal")
        CHECK = "check", _("Check")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    image = models.FileField(_("photo"), upload_to="cases/")  # named by content digest, see services.base
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("case photo")
        verbose_name_plural = _("case photos")
        ordering = ["case", "uploaded_at", "id"]


class Request(models.Model):
    """A department's request for an extension (延期) or for the long-term ledger (挂账)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="requests")
    kind = models.CharField(_("kind"), max_length=16, choices=ApprovalPolicy.Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    approver_role = models.CharField(_("approver role"), max_length=16)
    reason = models.ForeignKey(Reason, on_delete=models.PROTECT)
    note = models.TextField(_("note"), blank=True)
    extra_value = models.DecimalField(_("extra time"), max_digits=7, decimal_places=2, null=True, blank=True)
    extra_unit = models.CharField(max_length=16, choices=TimeLimit.Unit.choices, blank=True)
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        indexes = [models.Index(fields=["status", "approver_role"])]
