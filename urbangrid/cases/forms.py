"""The forms behind the case page's action buttons and the report desk.

Each action form holds exactly the fields its service needs and calls that service. The forms
only parse input (numbers, choices, files); the services decide what is allowed and refuse with
a code and a translated message, which the page shows beside the form unchanged.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from urbangrid.accounts.models import Department, Role, User
from urbangrid.catalog.models import CatalogType, TimeLimit
from urbangrid.catalog.models import Kind as CatalogKind

from . import routing, services
from .models import Kind, Reason, Request, Source, Urgency
from .services.reporting import SOURCES_BY_ROLE

# The timeline's actions (the workflow's, plus what the system does on its own) as people say them.
ACTION_LABELS = {
    "report": pgettext_lazy("case action", "Report"),
    "accept": pgettext_lazy("case action", "Accept"),
    "reject": pgettext_lazy("case action", "Do not accept"),
    "merge": pgettext_lazy("case action", "Merge"),
    "assign_supervisor": pgettext_lazy("case action", "Send supervisor"),
    "verify": pgettext_lazy("case action", "Verify"),
    "file": pgettext_lazy("case action", "File"),
    "not_file": pgettext_lazy("case action", "Do not file"),
    "dispatch": pgettext_lazy("case action", "Dispatch"),
    "receive": pgettext_lazy("case action", "Receive"),
    "return": pgettext_lazy("case action", "Return"),
    "request_extension": pgettext_lazy("case action", "Ask for extension"),
    "request_suspend": pgettext_lazy("case action", "Ask for long-term ledger"),
    "decide_request": pgettext_lazy("case action", "Decide request"),
    "resume": pgettext_lazy("case action", "Resume disposal"),
    "feedback": pgettext_lazy("case action", "Feed back"),
    "check": pgettext_lazy("case action", "Check"),
    "close": pgettext_lazy("case action", "Close"),
    "rework": pgettext_lazy("case action", "Rework"),
    "archive": pgettext_lazy("case action", "Archive"),
    "reopen": pgettext_lazy("case action", "Reopen"),
    "cancel": pgettext_lazy("case action", "Cancel"),
    "urge": pgettext_lazy("case action", "Urge"),
    "claim": pgettext_lazy("case action", "Claim"),
    "release": pgettext_lazy("case action", "Release"),
    "overdue": pgettext_lazy("case action", "Overdue"),
    "escalate": pgettext_lazy("case action", "Escalated"),
}

# Refusals and cancellations get a red button, so they are not pressed by habit.
DANGER_ACTIONS = frozenset({"reject", "not_file", "return", "rework", "cancel"})


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from the camera or the gallery; the service checks that they are images."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Photos"))
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/*"}))
        super().__init__(required=False, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        files = data if isinstance(data, list | tuple) else [data]
        return [single(f, initial) for f in files if f]


def note_field(label=None, help_text=""):
    return forms.CharField(
        label=label or _("Note"),
        required=False,
        max_length=2000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def reason_field(category: str):
    # Not required here: the service says "a reason is required" in the words users know.
    return forms.ModelChoiceField(
        queryset=Reason.objects.filter(category=category, active=True),
        to_field_name="code",
        required=False,
        label=_("Reason"),
        empty_label=_("— choose a reason —"),
    )


class SupervisorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.username})"


def supervisors():
    return (
        User.objects.filter(is_active=True, role_grants__role=Role.SUPERVISOR)
        .distinct()
        .order_by("full_name", "username")
    )


def type_choices(major_max: str = "") -> list:
    """Matter types grouped by major class, for a <select> with <optgroup>s."""
    groups: dict[str, list] = {}
    qs = CatalogType.objects.filter(kind=CatalogKind.MATTER, active=True).order_by("code")
    if major_max:
        qs = qs.filter(major_code__lte=major_max)
    for t in qs.only("code", "name", "major_code", "major_name"):
        groups.setdefault(f"{t.major_code} {t.major_name}", []).append((t.code, f"{t.code} {t.name}"))
    return list(groups.items())


def dispatch_targets() -> list:
    """Active departments that dispose of cases, grouped by kind; the centre and leaderships
    do not take disposal work."""
    groups: dict[str, list] = {}
    qs = Department.objects.filter(active=True).exclude(
        kind__in=[Department.Kind.CENTRE, Department.Kind.LEADERSHIP]
    )
    for d in qs.order_by("kind", "name"):
        groups.setdefault(str(d.get_kind_display()), []).append((d.code, d.name))
    return list(groups.items())


class ActionForm(forms.Form):
    """One action on one case. A subclass names its workflow `action`, declares its fields and
    implements `perform(cleaned_data)` by calling the action's service. `aside` names the
    template shown beside the fields (conditions, photos, the routing suggestion…); `buttons`
    (field name, value, label, style) lets one form end in several decisions."""

    action = ""
    aside = ""
    buttons: tuple = ()
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.case, self.user = case, user

    @property
    def label(self):
        return ACTION_LABELS[self.action]

    @property
    def danger(self) -> bool:
        return self.action in DANGER_ACTIONS

    def submit(self):
        """Call the action's service with the cleaned data; the service raises on refusal."""
        return self.perform(self.cleaned_data)

    def hidden_inputs(self):
        """Hidden fields other than those the decision buttons carry."""
        carried = {name for name, *_rest in self.buttons}
        return [f for f in self.hidden_fields() if f.name not in carried]

    def _common(self, d: dict) -> dict:
        return {"expected_version": d["version"], "note": d.get("note", "")}


class AcceptForm(ActionForm):
    action = "accept"
    aside = "cases/aside/report.html"
    supervisor = SupervisorChoice(
        queryset=supervisors(),
        required=False,
        label=_("Supervisor who verifies on the spot"),
        help_text=_("Preset to the supervisor responsible for the grid."),
    )
    note = note_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case.source == Source.SUPERVISOR:
            # A supervisor's own report was seen on the spot; it goes straight to filing.
            del self.fields["supervisor"]
        else:
            self.fields["supervisor"].initial = routing.supervisor_for(self.case.grid_code)

    def perform(self, d):
        return services.accept(self.user, self.case.number, supervisor=d.get("supervisor"), **self._common(d))


class RejectForm(ActionForm):
    action = "reject"
    aside = "cases/aside/report.html"
    reason = reason_field(Reason.Category.REJECT)
    note = note_field()

    def perform(self, d):
        reason = d["reason"].code if d["reason"] else ""
        return services.reject(self.user, self.case.number, reason_code=reason, **self._common(d))


class MergeForm(ActionForm):
    action = "merge"
    aside = "cases/aside/report.html"
    into = forms.CharField(
        label=_("Merge into case"),
        max_length=16,
        help_text=_("An earlier open case about the same problem; its reporters are kept and told."),
        widget=forms.TextInput(attrs={"list": "duplicate-numbers", "inputmode": "numeric"}),
    )
    note = note_field()

    def perform(self, d):
        return services.merge(self.user, self.case.number, into=d["into"].strip(), **self._common(d))


class AssignSupervisorForm(ActionForm):
    action = "assign_supervisor"
    supervisor = SupervisorChoice(queryset=supervisors(), label=_("Supervisor"))
    note = note_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].initial = self.case.assignee_id

    def perform(self, d):
        return services.assign_supervisor(
            self.user, self.case.number, supervisor=d["supervisor"], **self._common(d)
        )


def yes_no(yes, no, label):
    return forms.TypedChoiceField(
        label=label,
        choices=[("1", yes), ("0", no)],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )


class VerifyForm(ActionForm):
    action = "verify"
    aside = "cases/aside/report.html"
    confirmed = yes_no(_("The problem is there"), _("Not found on the spot"), _("Result"))
    photos = PhotosField(help_text=_("At least one photo when the problem is there."))
    note = note_field()

    def perform(self, d):
        return services.verify(
            self.user, self.case.number, confirmed=d["confirmed"], photos=d["photos"], **self._common(d)
        )


class FileForm(ActionForm):
    action = "file"
    aside = "cases/aside/filing.html"
    meets_condition = forms.BooleanField(label=_("Meets the filing condition (立案条件)"), required=False)
    type = forms.ChoiceField(
        label=_("Type"), help_text=_("Correct the type if the report chose a wrong one.")
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    note = note_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = type_choices("05" if self.case.kind == Kind.COMPONENT else "")
        self.fields["type"].initial = self.case.type.code
        self.fields["urgency"].initial = self.case.urgency

    def perform(self, d):
        return services.file_case(
            self.user,
            self.case.number,
            meets_condition=d["meets_condition"],
            type_code=d["type"],
            urgency=d["urgency"],
            **self._common(d),
        )


class NotFileForm(ActionForm):
    action = "not_file"
    aside = "cases/aside/filing.html"
    reason = reason_field(Reason.Category.NOT_FILE)
    note = note_field()

    def perform(self, d):
        reason = d["reason"].code if d["reason"] else ""
        return services.not_file(self.user, self.case.number, reason_code=reason, **self._common(d))


class DispatchForm(ActionForm):
    action = "dispatch"
    aside = "cases/aside/suggestion.html"
    department = forms.ChoiceField(label=_("Disposal department"))
    reason = forms.ModelChoiceField(
        queryset=Reason.objects.filter(category=Reason.Category.OVERRIDE, active=True),
        to_field_name="code",
        required=False,
        label=_("Reason for another department"),
        empty_label=_("— only when not the suggested department —"),
    )
    stage = forms.TypedChoiceField(label=_("Disposal stage"), coerce=int, required=False)
    note = note_field(help_text=_("Instructions for the department."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("— choose a department —")), *dispatch_targets()]
        self.suggestion = routing.suggest_department(self.case)
        if self.suggestion.department is not None:
            self.fields["department"].initial = self.suggestion.department.code
        stages = TimeLimit.objects.filter(type_id=self.case.type_id, urgency=self.case.urgency).order_by(
            "stage"
        )
        if len(stages) > 1:
            self.fields["stage"].choices = [(s.stage, f"{s.stage}. {s.stage_name or s}") for s in stages]
        else:
            del self.fields["stage"]

    def perform(self, d):
        department = Department.objects.get(code=d["department"])
        return services.dispatch(
            self.user,
            self.case.number,
            department=department,
            reason_code=d["reason"].code if d["reason"] else "",
            stage=d.get("stage") or 1,
            **self._common(d),
        )


class ReturnForm(ActionForm):
    action = "return"
    reason = reason_field(Reason.Category.RETURN)
    note = note_field(
        label=_("Explanation"), help_text=_("Say why the case is not yours and who should handle it.")
    )

    def perform(self, d):
        reason = d["reason"].code if d["reason"] else ""
        return services.return_case(self.user, self.case.number, reason_code=reason, **self._common(d))


class ExtensionForm(ActionForm):
    action = "request_extension"
    reason = reason_field(Reason.Category.EXTENSION)
    extra_value = forms.DecimalField(label=_("Extra time"), max_digits=7, decimal_places=2)
    extra_unit = forms.ChoiceField(
        label=_("Unit"), choices=TimeLimit.Unit.choices, initial=TimeLimit.Unit.WORK_HOURS
    )
    note = note_field()

    def perform(self, d):
        reason = d["reason"].code if d["reason"] else ""
        return services.request_extension(
            self.user,
            self.case.number,
            reason_code=reason,
            extra_value=d["extra_value"],
            extra_unit=d["extra_unit"],
            **self._common(d),
        )


class SuspendForm(ActionForm):
    action = "request_suspend"
    reason = reason_field(Reason.Category.SUSPEND)
    note = note_field()

    def perform(self, d):
        reason = d["reason"].code if d["reason"] else ""
        return services.request_suspend(self.user, self.case.number, reason_code=reason, **self._common(d))


class DecideForm(ActionForm):
    """Approve or decline a pending 延期 / 挂账 request; the case page and the requests list
    both post here."""

    action = "decide_request"
    aside = "cases/aside/requests.html"
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    request = forms.ModelChoiceField(queryset=Request.objects.none(), label=_("Request"), empty_label=None)
    approve = forms.TypedChoiceField(
        choices=[("1", _("Approve")), ("0", _("Decline"))],
        coerce=lambda v: v == "1",
        widget=forms.HiddenInput,
    )
    note = note_field(label=_("Opinion"), help_text=_("Required when declining."))
    buttons = (("approve", "1", _("Approve"), "primary"), ("approve", "0", _("Decline"), "danger"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer the pending requests; accept any of the case's, so that deciding one twice gets
        # the service's "already decided" rather than a bare invalid choice.
        requests = self.case.requests.select_related("reason")
        self.fields["request"].queryset = (
            requests if self.is_bound else requests.filter(status=Request.Status.PENDING)
        )

    def perform(self, d):
        return services.decide_request(
            self.user, d["request"].pk, approve=d["approve"], note=d["note"], expected_version=d["version"]
        )


class ResumeForm(ActionForm):
    action = "resume"
    note = note_field()

    def perform(self, d):
        return services.resume(self.user, self.case.number, **self._common(d))


class FeedbackForm(ActionForm):
    action = "feedback"
    aside = "cases/aside/closing.html"
    photos = PhotosField(help_text=_("At least one photo after disposal."))
    note = note_field(label=_("What was done"))

    def perform(self, d):
        return services.feedback(self.user, self.case.number, photos=d["photos"], **self._common(d))


class CheckForm(ActionForm):
    action = "check"
    aside = "cases/aside/closing.html"
    passed = yes_no(_("Disposed as required"), _("Not disposed: rework"), _("Result"))
    reason = reason_field(Reason.Category.REWORK)
    photos = PhotosField(help_text=_("At least one photo on the spot."))
    note = note_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = _("Only when it must be reworked.")

    def perform(self, d):
        reason = d["reason"].code if d["reason"] and not d["passed"] else ""
        return services.check(
            self.user,
            self.case.number,
            passed=d["passed"],
            photos=d["photos"],
            reason_code=reason,
            **self._common(d),
        )


class CloseForm(ActionForm):
    action = "close"
    aside = "cases/aside/closing.html"
    meets_condition = forms.BooleanField(label=_("Meets the closing condition (结案条件)"), required=False)
    note = note_field()

    def perform(self, d):
        return services.close(
            self.user, self.case.number, meets_condition=d["meets_condition"], **self._common(d)
        )


class ReworkForm(ActionForm):
    action = "rework"
    aside = "cases/aside/closing.html"
    reason = reason_field(Reason.Category.REWORK)
    note = note_field()

    def perform(self, d):
        reason = d["reason"].code if d["reason"] else ""
        return services.rework(self.user, self.case.number, reason_code=reason, **self._common(d))


class ArchiveForm(ActionForm):
    action = "archive"

    def perform(self, d):
        return services.archive(self.user, self.case.number, expected_version=d["version"])


class CancelForm(ActionForm):
    action = "cancel"
    reason = reason_field(Reason.Category.CANCEL)
    note = note_field(label=_("Explanation"))

    def perform(self, d):
        reason = d["reason"].code if d["reason"] else ""
        return services.cancel(self.user, self.case.number, reason_code=reason, **self._common(d))


class ReceiveForm(ActionForm):
    action = "receive"
    note = note_field()

    def perform(self, d):
        return services.receive(self.user, self.case.number, **self._common(d))


class UrgeForm(ActionForm):
    action = "urge"
    note = note_field(label=_("Urging instruction"))

    def perform(self, d):
        return services.urge(self.user, self.case.number, **self._common(d))


class ClaimForm(ActionForm):
    """A claim is a soft lock and carries no version: holding a case does not change it."""

    action = "claim"
    version = None

    def perform(self, d):
        return services.claim(self.user, self.case.number)


class ReopenForm(ActionForm):
    """重新办理: the citizen was not satisfied (回访不满意); the case goes back to closing."""

    action = "reopen"
    note = note_field(label=_("Citizen's reason"))

    def perform(self, d):
        return services.reopen(
            self.user, self.case.number, reason_note=d["note"], expected_version=d["version"]
        )


class ReleaseForm(ActionForm):
    action = "release"
    version = None

    def perform(self, d):
        return services.release(self.user, self.case.number)


ACTION_FORMS: dict[str, type[ActionForm]] = {
    f.action: f
    for f in (
        AcceptForm,
        RejectForm,
        MergeForm,
        AssignSupervisorForm,
        VerifyForm,
        FileForm,
        NotFileForm,
        DispatchForm,
        ReceiveForm,
        ReturnForm,
        ExtensionForm,
        SuspendForm,
        DecideForm,
        ResumeForm,
        FeedbackForm,
        CheckForm,
        CloseForm,
        ReworkForm,
        ArchiveForm,
        ReopenForm,
        CancelForm,
        UrgeForm,
        ClaimForm,
        ReleaseForm,
    )
}


def report_sources(user) -> list[tuple[str, str]]:
    if user.has_role(Role.ADMIN) or user.is_superuser:
        allowed = set(Source.values)
    else:
        allowed = set().union(*(SOURCES_BY_ROLE.get(r, set()) for r in user.roles))
    return [(value, label) for value, label in Source.choices if value in allowed]


class ReportForm(forms.Form):
    """A new problem: the hotline seat, the supervisor in the street, a citizen."""

    source = forms.ChoiceField(label=_("Source"))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Kind.choices, initial=Kind.MATTER, widget=forms.RadioSelect
    )
    type = forms.ChoiceField(label=_("Type"), required=False)
    component = forms.CharField(
        label=_("Component code"),
        max_length=17,
        required=False,
        help_text=_("The 17-digit code on the component's plate, when known."),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    address = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("Filled in from the map; correct it if the caller says more."),
    )
    lon = forms.FloatField(widget=forms.HiddenInput, required=False)
    lat = forms.FloatField(widget=forms.HiddenInput, required=False)
    reporter_name = forms.CharField(label=_("Caller's name"), max_length=50, required=False)
    reporter_phone = forms.CharField(label=_("Caller's phone"), max_length=32, required=False)
    external_ref = forms.CharField(
        label=_("Number in the sending system"),
        max_length=64,
        required=False,
        help_text=_("For example the 12345 work order number."),
    )
    photos = PhotosField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["source"].choices = report_sources(user)
        self.fields["type"].choices = [("", _("— choose a type —")), *type_choices()]
        if not user.has_role(Role.INTAKE, Role.SHIFT_LEADER, Role.ADMIN):
            # Only the centre's desks record someone else's report.
            for name in ("reporter_name", "reporter_phone", "external_ref"):
                del self.fields[name]

    def submit(self):
        d = self.cleaned_data
        return services.report_case(
            self.user,
            source=d["source"],
            kind=d["kind"],
            type_code=d["type"],
            component_code=d["component"].strip(),
            urgency=d["urgency"],
            description=d["description"],
            lon=d["lon"],
            lat=d["lat"],
            address=d["address"],
            photos=d["photos"],
            reporter_name=d.get("reporter_name", ""),
            reporter_phone=d.get("reporter_phone", ""),
            external_ref=d.get("external_ref", ""),
        )
