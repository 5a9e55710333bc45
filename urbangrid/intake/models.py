"""What the channels keep beside the case itself: supervisors' duty and tracks, citizens'
receipts, follow-up calls and ratings (回访), hotline calls, documents from above, machine
sources' evidence, the API clients of Open311 / 12345 / machines, and updates owed to them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DutyShift(models.Model):
    """A supervisor on duty (上岗) from `started_at` until `ended_at` (下岗)."""

    user = models.ForeignKey(
        "accounts.User", verbose_name=_("supervisor"), on_delete=models.CASCADE, related_name="duty_shifts"
    )
    started_at = models.DateTimeField(_("on duty from"))
    ended_at = models.DateTimeField(_("off duty at"), null=True, blank=True)

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(ended_at__isnull=True), name="one_open_shift_per_user"
            )
        ]
        indexes = [models.Index(fields=["ended_at", "started_at"])]


class Position(models.Model):
    """One point of a supervisor's track, sent by the field app while on duty (WGS84)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="positions")
    shift = models.ForeignKey(
        DutyShift, on_delete=models.CASCADE, null=True, blank=True, related_name="points"
    )
    at = models.DateTimeField(_("time"))
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    accuracy = models.FloatField(_("accuracy (m)"), null=True, blank=True)
    grid_code = models.CharField(_("unit grid"), max_length=15, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["user", "at"]
        indexes = [models.Index(fields=["user", "at"]), models.Index(fields=["at"])]


class Receipt(models.Model):
    """What a citizen holds after reporting: an unguessable code to follow and rate the report.
    The device and phone are kept for rate limits and call-backs, never shown to the public."""

    code = models.CharField(_("receipt number"), max_length=16, unique=True)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="receipts")
    device_id = models.CharField(_("device"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        indexes = [
            models.Index(fields=["device_id", "created_at"]),
            models.Index(fields=["phone", "created_at"]),
        ]


class FollowUp(models.Model):
    """A follow-up (回访) of a closed case: scheduled after closing, done by a call or by the
    citizen rating in the app; its result feeds public satisfaction."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone call")
        APP = "app", _("Citizen app")

    class Result(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASICALLY = "basically", _("Basically satisfied")
        UNSATISFIED = "unsatisfied", _("Unsatisfied")
        UNREACHABLE = "unreachable", _("Not reachable")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="follow_ups")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    due_at = models.DateTimeField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=12, choices=Result.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    operator = models.ForeignKey(
        "accounts.User", verbose_name=_("operator"), on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["done_at", "due_at"])]


class Call(models.Model):
    """An incoming hotline call (12319): popped by the telephony webhook, answered at the desk
    with a report or with an answer (咨询, recorded but not a case)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("In progress")
        REPORT = "report", _("Report")
        CONSULTATION = "consultation", _("Consultation answered")
        FOLLOW_UP = "follow_up", _("Follow-up call")
        INVALID = "invalid", _("Invalid call")

    call_id = models.CharField(_("call id"), max_length=64, unique=True)
    caller = models.CharField(_("caller number"), max_length=32, db_index=True)
    line = models.CharField(_("line"), max_length=16, default="12319")
    started_at = models.DateTimeField(_("started"))
    operator = models.ForeignKey(
        "accounts.User", verbose_name=_("operator"), on_delete=models.PROTECT, null=True, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
    )
    question = models.TextField(_("question"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-started_at"]


class Directive(models.Model):
    """A matter assigned from above (上级交办) or a leader's instruction (领导批示): the issuing
    body, its document number and the reply it is owed, on its own clock."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="directive")
    issuer = models.CharField(_("issued by"), max_length=100)
    document_number = models.CharField(_("document number"), max_length=64)
    reply_due_at = models.DateTimeField(_("reply due"))
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        indexes = [models.Index(fields=["replied_at", "reply_due_at"])]


class ApiClient(models.Model):
    """A system that reports through the API: an Open311 app, the 12345 platform, a video
    analysis or sensor source. Reports are made as its service account; only the key's digest
    is stored."""

    class Kind(models.TextChoices):
        OPEN311 = "open311", _("Open311 client")
        TRANSFER_12345 = "transfer_12345", _("12345 platform")
        MACHINE = "machine", _("Machine source (video, sensor)")
        TELEPHONY = "telephony", _("Telephony system (call pop-up)")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    key_digest = models.CharField(max_length=64, unique=True)
    key_prefix = models.CharField(_("key starts with"), max_length=8)
    account = models.ForeignKey(
        "accounts.User", verbose_name=_("service account"), on_delete=models.PROTECT, related_name="+"
    )
    callback_url = models.URLField(_("status callback URL"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return self.name


class ServiceRequestToken(models.Model):
    """Open311's token for a POSTed request, answered by `tokens/{token}`."""

    token = models.CharField(max_length=40, unique=True)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()


class RequestUpdate(models.Model):
    """A comment or photo added to a request from outside (Open311 servicerequestupdates)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="outside_updates")
    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.TextField(_("description"), max_length=4000)
    media = models.FileField(_("media"), upload_to="updates/", blank=True)
    author = models.CharField(_("author"), max_length=100, blank=True)
    at = models.DateTimeField(_("time"))
    # The client's own id of the update (Idempotency-Key): a resend finds the first one.
    external_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("request update")
        verbose_name_plural = _("request updates")
        ordering = ["case", "at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "external_id"],
                condition=~models.Q(external_id=""),
                name="one_update_per_client_id",
            )
        ]


class Evidence(models.Model):
    """A machine source's evidence file (image, video clip, sensor record), content-addressed."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="evidence")
    device_id = models.CharField(_("source device"), max_length=64)
    file = models.FileField(_("file"), upload_to="evidence/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField(_("received"))

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")


class OutboundUpdate(models.Model):
    """A status change owed to an outside system (the 12345 platform, an Open311 client's
    callback): queued in the transaction of the change, sent by the background job."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="outbound")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    payload = models.JSONField()
    created_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "created_at"])]
