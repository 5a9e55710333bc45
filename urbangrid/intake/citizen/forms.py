"""The citizen's report form. The service checks everything that matters (photos, place, phone,
limits); the form only carries the fields and gives each refusal its place on the page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from urbangrid.cases.forms import PhotosField

# Which field a refusal of the service belongs to; others are shown above the form.
FIELD_OF_CODE = {
    "bad_photo": "photos",
    "photo_too_large": "photos",
    "too_many_photos": "photos",
    "outside_county": "place",
    "location_required": "place",
    "bad_phone": "phone",
    "type_required": "type_code",
    "unknown_type": "type_code",
    "description_required": "description",
}


class ReportForm(forms.Form):
    submission_id = forms.CharField(widget=forms.HiddenInput, max_length=64)
    type_code = forms.CharField(
        widget=forms.HiddenInput,
        max_length=5,
        error_messages={"required": _("Choose what kind of problem it is.")},
    )
    description = forms.CharField(
        label=_("What is wrong?"),
        max_length=2000,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": _("For example: the manhole cover is broken")}
        ),
        error_messages={"required": _("Describe the problem in a few words.")},
    )
    lon = forms.CharField(widget=forms.HiddenInput, required=False)
    lat = forms.CharField(widget=forms.HiddenInput, required=False)
    address = forms.CharField(label=_("Place"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        max_length=20,
        required=False,
        help_text=_(
            "Only for telling you the result and asking if you are satisfied; never shown to the public."
        ),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    photos = PhotosField(label=_("Photos"))

    place_error = ""

    def refuse(self, error) -> None:
        """Put a service refusal next to the field it concerns (the place: next to the map)."""
        field = FIELD_OF_CODE.get(error.code)
        if field == "place":
            self.place_error = str(error.message)
        else:
            self.add_error(field, str(error.message))
