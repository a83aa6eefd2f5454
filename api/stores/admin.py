import segno
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from api.services import token_revoke

from .models import PartnerToken, ScreenToken
from .services import partner_token_create, screen_enrolment_url, screen_token_create


class TokenAdmin(admin.ModelAdmin):
    readonly_fields = ("prefix", "created_at", "created_by", "last_used_at", "revoked_at")
    search_fields = ("name", "prefix")
    actions = ["revoke"]

    @admin.display(description="token")
    def prefix_display(self, obj):
        return f"{obj.prefix}…"

    @admin.display(description="state")
    def state(self, obj):
        return "revoked" if obj.revoked_at else "active"

    def issue(self, request, obj):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name"])
            return
        issued = self.issue(request, obj)
        obj.pk = issued.token.pk
        obj.__dict__.update(
            {f.attname: getattr(issued.token, f.attname) for f in obj._meta.concrete_fields})
        request._issued_token = issued.raw

    @admin.action(description="Revoke selected tokens")
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            token_revoke(token=token)
        self.message_user(request, "Revoked: they are refused from now on.", messages.SUCCESS)


@admin.register(PartnerToken)
class PartnerTokenAdmin(TokenAdmin):
    list_display = ("prefix_display", "name", "kind", "store", "created_at", "last_used_at",
                    "state")
    list_filter = ("kind", "store", ("revoked_at", admin.EmptyFieldListFilter))
    fields = ("kind", "store", "name", *TokenAdmin.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields + (("kind", "store") if obj else ())

    def issue(self, request, obj):
        issued = partner_token_create(kind=obj.kind, store=obj.store, name=obj.name,
                                      user=request.user)
        self.message_user(request, format_html(
            "Token: <code>{}</code> — copy it now: it is shown this once and cannot be read "
            "again.", issued.raw), messages.WARNING)
        return issued


@admin.register(ScreenToken)
class ScreenTokenAdmin(TokenAdmin):
    """Creating one shows, once, the enrolment link and its QR code to open on the screen."""

    list_display = ("prefix_display", "name", "store", "created_at", "last_used_at", "state")
    list_filter = ("store", ("revoked_at", admin.EmptyFieldListFilter))
    fields = ("store", "name", *TokenAdmin.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields + (("store",) if obj else ())

    def issue(self, request, obj):
        return screen_token_create(store=obj.store, name=obj.name, user=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        raw = getattr(request, "_issued_token", None)
        if raw is None:
            return super().response_add(request, obj, post_url_continue)
        link = screen_enrolment_url(store=obj.store, raw=raw,
                                    base_url=request.build_absolute_uri("/").rstrip("/"))
        qr = segno.make(link, error="m").svg_inline(scale=5, dark="#111", light="#fff")
        return TemplateResponse(request, "admin/store_api/screentoken/enrolment.html", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "token": obj, "link": link, "qr": mark_safe(qr),
            "title": f"Enrol a screen in {obj.store.name}",
        })
