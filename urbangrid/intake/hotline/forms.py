"""The hotline desk's forms. The report forms are the report desk's (urbangrid.cases.forms
ReportForm: kind, type picker, description, place, photos) with the channel fixed by the desk:
the caller's number and the call id come from the call, the issuer's data from the document."""

from django import forms
from django.utils.translation import gettext_lazy as _

from urbangrid.cases.forms import ReportForm
from urbangrid.cases.models import Source
from urbangrid.intake import calls, directives
from urbangrid.intake.models import FollowUp


class _DeskReportForm(ReportForm):
    """The report desk's form without the fields the desk itself fills in."""

    fixed_fields = ("source", "reporter_phone", "external_ref")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for name in self.fixed_fields:
            self.fields.pop(name, None)

    def report_fields(self) -> dict:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "type_code": d["type"],
            "component_code": d["component"].strip(),
            "urgency": d["urgency"],
            "description": d["description"],
            "lon": d["lon"],
            "lat": d["lat"],
            "address": d["address"],
            "photos": d["photos"],
        }


class CallReportForm(_DeskReportForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["reporter_name"] = forms.CharField(
            label=_("Caller's name"), max_length=50, required=False
        )

    def submit(self, call_id: str):
        return calls.report(
            self.user, call_id, reporter_name=self.cleaned_data["reporter_name"], **self.report_fields()
        )


class ConsultForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    answer = forms.CharField(
        label=_("Answer given"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class InvalidCallForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class NewCallForm(forms.Form):
    caller = forms.CharField(label=_("Caller number"), max_length=32)


class DirectiveForm(_DeskReportForm):
    fixed_fields = ("source", "reporter_name", "reporter_phone", "external_ref")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        choices = [(s.value, s.label) for s in directives.SOURCES]
        self.fields = {
            "directive_source": forms.ChoiceField(label=_("Kind of directive"), choices=choices),
            "issuer": forms.CharField(label=_("Issued by"), max_length=100),
            "document_number": forms.CharField(label=_("Document number"), max_length=64),
            "reply_due_at": forms.DateTimeField(
                label=_("Reply due"),
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
            ),
            **self.fields,
        }
        self.fields["directive_source"].initial = Source.ASSIGNED

    def submit(self):
        d = self.cleaned_data
        return directives.create(
            self.user,
            source=d["directive_source"],
            issuer=d["issuer"],
            document_number=d["document_number"],
            reply_due_at=d["reply_due_at"],  # aware, in the desk's time zone
            **self.report_fields(),
        )


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("Reply"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class FollowUpForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=FollowUp.Result.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"),
        max_length=1000,
        required=False,
        help_text=_("If unsatisfied: the reason (the case reopens)."),
    )
