from django.contrib import admin, messages
from django.utils.html import format_html

from pim.admin import ReadOnlyAdminMixin

from .models import ChannelToken, WebhookDelivery, WebhookEvent
from .services import channel_token_create, token_revoke
from .webhooks.services import webhook_event_retry_now


@admin.register(ChannelToken)
class ChannelTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix_display", "name", "channel", "created_at", "last_used_at", "state")
    list_filter = ("channel", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix")
    fields = ("channel", "name", "prefix", "created_at", "created_by", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "created_at", "created_by", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # A token is never moved to another channel: revoke it and create a new one.
        return self.readonly_fields + (("channel",) if obj else ())

    @admin.display(description="token")
    def prefix_display(self, obj):
        return f"{obj.prefix}…"

    @admin.display(description="state")
    def state(self, obj):
        return "revoked" if obj.revoked_at else "active"

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name"])
            return
        issued = channel_token_create(channel=obj.channel, name=obj.name, user=request.user)
        obj.pk = issued.token.pk
        obj.__dict__.update(
            {f.attname: getattr(issued.token, f.attname) for f in obj._meta.concrete_fields}
        )
        self.message_user(
            request,
            format_html(
                "Token for {}: <code>{}</code> — copy it now: it is shown this once and "
                "cannot be read again.", obj.channel, issued.raw,
            ),
            messages.WARNING,
        )

    @admin.action(description="Revoke selected tokens")
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            token_revoke(token=token)
        self.message_user(request, "Revoked. Clients using them now get 401.", messages.SUCCESS)


class WebhookDeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    fields = ("attempt", "attempted_at", "status_code", "error", "duration_ms", "url")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "id", "event", "style_code", "version", "channel", "created_at", "attempts",
        "delivered_at", "next_attempt_at",
    )
    list_filter = ("channel", "event", ("delivered_at", admin.EmptyFieldListFilter))
    search_fields = ("style_code", "id")
    list_select_related = ("channel",)
    readonly_fields = (
        "id", "channel", "event", "style_code", "version", "payload", "created_at",
        "delivered_at", "attempts", "next_attempt_at", "claimed_until",
    )
    inlines = [WebhookDeliveryInline]
    actions = ["retry_now"]

    @admin.action(description="Retry selected undelivered events now")
    def retry_now(self, request, queryset):
        pending = list(queryset.filter(delivered_at__isnull=True))
        for event in pending:
            webhook_event_retry_now(event=event)
        self.message_user(request, f"{len(pending)} event(s) queued again.", messages.SUCCESS)
