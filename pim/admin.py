"""Admin pieces shared by the apps, and the admin theme's page."""
import admin_interface.admin
from admin_interface.models import Theme
from django.contrib import admin


class ReadOnlyAdminMixin:
    """Records the system writes (stock from the stores, webhook deliveries, jobs, scores):
    the admin shows them and offers no add, change or delete. Works on model admins and
    inlines alike."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ThemeAdmin(admin_interface.admin.ThemeAdmin):
    """django-admin-interface's themes without the options this admin does not use: the
    related-object modal (pages are never framed) and the language chooser (no set_language
    view). A theme without its own logo or favicon shows Fashion PIM's."""

    fieldsets = [(name, options) for name, options in admin_interface.admin.ThemeAdmin.fieldsets
                 if not {"related_modal_active", "language_chooser_active"} & {*options["fields"]}]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("logo", "favicon"):
            field.help_text = f"Leave blank to use Fashion PIM's {db_field.name} (pim/static/pim/)."
        return field


admin.site.unregister(Theme)
admin.site.register(Theme, ThemeAdmin)
