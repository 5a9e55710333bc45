"""The channels in the maintenance console. API clients are created through
`clients.create_client`, whose raw key is shown once after saving and never again;
deactivating is an audited configuration change. The other channel records are written by
their services and only looked at here; phone numbers stay masked in the lists."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts import permissions
from urbangrid.accounts.privacy import mask_phone
from urbangrid.core import configuration
from urbangrid.core.admin import ReadOnlyAdmin

from . import clients
from .models import (
    ApiClient,
    Call,
    Directive,
    DutyShift,
    Evidence,
    FollowUp,
    OutboundUpdate,
    Position,
    Receipt,
    RequestUpdate,
)


class ApiClientForm(forms.ModelForm):
    callback_url = forms.URLField(label=_("status callback URL"), required=False, assume_scheme="https")

    class Meta:
        model = ApiClient
        fields = ("name", "kind", "callback_url", "active")


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    form = ApiClientForm
    list_display = ("name", "kind", "key_prefix", "account", "active", "created_at")
    list_filter = ("kind", "active")
    search_fields = ("name", "key_prefix")
    readonly_fields = ("key_prefix", "account", "created_at")
    actions = ["deactivate"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            note = _(
                "The key is shown once, right after saving: copy it then and hand it to the client's operator."
            )
            return [(None, {"fields": ("name", "kind", "callback_url"), "description": note})]
        return [
            (
                None,
                {"fields": ("name", "kind", "callback_url", "active", "key_prefix", "account", "created_at")},
            )
        ]

    def get_readonly_fields(self, request, obj=None):
        # The kind decides the service account's role: changing it later would silently change rights.
        return self.readonly_fields + (("kind",) if obj else ())

    def has_delete_permission(self, request, obj=None):
        return False  # cases point at the service account; deactivate instead

    def save_model(self, request, obj, form, change):
        if change:
            configuration.save_row(request.user, obj, form.changed_data)
            return
        permissions.require(request.user, "config.edit")
        client, raw = clients.create_client(
            request.user, name=obj.name, kind=obj.kind, callback_url=obj.callback_url
        )
        obj.pk, obj.account, obj.key_prefix, obj.created_at = (
            client.pk,
            client.account,
            client.key_prefix,
            client.created_at,
        )
        obj.key_digest = client.key_digest
        messages.warning(
            request,
            _(
                "The API key of %(name)s is %(key)s — copy it now: it is stored only as a digest and will not be shown again."
            )
            % {"name": client.name, "key": raw},
        )

    @admin.action(description=_("Deactivate the selected API clients"))
    def deactivate(self, request, queryset):
        for client in queryset.filter(active=True):
            client.active = False
            configuration.save_row(request.user, client, ["active"])


class MaskedPhoneMixin:
    @admin.display(description=_("phone"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone) if obj.phone else ""


@admin.register(DutyShift)
class DutyShiftAdmin(ReadOnlyAdmin):
    list_display = ("user", "started_at", "ended_at")
    list_filter = ("ended_at",)
    date_hierarchy = "started_at"


@admin.register(Position)
class PositionAdmin(ReadOnlyAdmin):
    list_display = ("user", "at", "lon", "lat", "accuracy", "grid_code")
    date_hierarchy = "at"


@admin.register(Receipt)
class ReceiptAdmin(MaskedPhoneMixin, ReadOnlyAdmin):
    list_display = ("code", "case", "masked_phone", "created_at")
    search_fields = ("code", "case__number")
    exclude = ("phone", "device_id")


@admin.register(FollowUp)
class FollowUpAdmin(MaskedPhoneMixin, ReadOnlyAdmin):
    list_display = ("case", "channel", "masked_phone", "due_at", "done_at", "result", "operator")
    list_filter = ("channel", "result")
    exclude = ("phone",)


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = ("call_id", "masked_caller", "line", "started_at", "outcome", "operator", "case")
    list_filter = ("outcome", "line")
    date_hierarchy = "started_at"
    exclude = ("caller",)

    @admin.display(description=_("caller number"))
    def masked_caller(self, obj):
        return mask_phone(obj.caller)


@admin.register(Directive)
class DirectiveAdmin(ReadOnlyAdmin):
    list_display = ("case", "issuer", "document_number", "reply_due_at", "replied_at")
    search_fields = ("document_number", "issuer", "case__number")


@admin.register(RequestUpdate)
class RequestUpdateAdmin(ReadOnlyAdmin):
    list_display = ("case", "client", "at", "description")
    list_filter = ("client",)
    exclude = ("author",)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("case", "device_id", "content_type", "size", "received_at")
    list_filter = ("content_type",)


@admin.register(OutboundUpdate)
class OutboundUpdateAdmin(ReadOnlyAdmin):
    list_display = ("client", "case", "created_at", "attempts", "sent_at", "error")
    list_filter = ("client", "sent_at")
