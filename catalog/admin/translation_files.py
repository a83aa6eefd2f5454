"""Translators' files in the admin: export (a page and an action on the translator's list)
and import with a dry run and the report of each unit. The services decide; these views
parse the form and show the result."""
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from catalog.io.xliff import VERSIONS
from catalog.services.errors import ContentError
from catalog.services.translation_files import (
    MAX_FILE_BYTES,
    export_locales,
    may_import_for_translator,
    translations_export,
    translations_import,
)
from catalog.services.translations import translator_locales

LOCALE_LABELS = dict(settings.LANGUAGES)
SELECTION_KEY = "translation_export_selection"


class ExportForm(forms.Form):
    locale = forms.ChoiceField(label="Target locale")
    version = forms.ChoiceField(label="XLIFF version", initial="2.0", choices=[
        ("2.0", "XLIFF 2.0"), ("1.2", "XLIFF 1.2 (older CAT tools)")])
    scope = forms.ChoiceField(widget=forms.RadioSelect, initial="waiting", choices=[
        ("waiting", "What waits for translation: missing and outdated texts"),
        ("selection", "Every text of the products chosen in the list")])

    def __init__(self, *args, locales, selection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locale"].choices = [(c, f"{LOCALE_LABELS.get(c, c)} ({c})")
                                         for c in locales]
        if not selection:
            self.fields["scope"].choices = self.fields["scope"].choices[:1]
        else:
            self.fields["scope"].initial = "selection"
            self.fields["scope"].choices[1] = (
                "selection", f"Every text of the {len(selection)} product(s) chosen in the list")


class ImportForm(forms.Form):
    file = forms.FileField(label="XLIFF file", help_text="XLIFF 2.0 or 1.2, as exported here "
                           "and translated in a CAT tool (.xlf, .xliff).")
    dry_run = forms.BooleanField(label="Dry run: check and report, store nothing",
                                 required=False, initial=True)
    translator = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False,
        label="On behalf of translator",
        help_text="An agency's file: it is applied with this translator's locales, as theirs.")

    def __init__(self, *args, may_assign, **kwargs):
        super().__init__(*args, **kwargs)
        if may_assign:
            self.fields["translator"].queryset = get_user_model().objects.filter(
                translator_assignment__isnull=False).order_by("username")
        else:
            del self.fields["translator"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(f"The file is larger than {MAX_FILE_BYTES // 2**20} MB: "
                                  "export and translate fewer products at a time.")
        return upload


def _memo(request, name, compute):
    """Once per request: the list page asks several times (links, actions, each row)."""
    key = f"_translation_files_{name}"
    if not hasattr(request, key):
        setattr(request, key, compute(request.user))
    return getattr(request, key)


def request_export_locales(request) -> list[str]:
    return _memo(request, "export_locales", export_locales)


def request_translator_locales(request) -> list[str]:
    return _memo(request, "translator_locales", translator_locales)


class TranslationFilesAdminMixin:
    """For the translator's list: export and import pages, and the export action."""

    change_list_template = "admin/catalog/producttranslation/change_list.html"
    actions = ["export_xliff"]

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("export/", self.admin_site.admin_view(self.export_view),
                 name="%s_%s_export" % info),
            path("import/", self.admin_site.admin_view(self.import_view),
                 name="%s_%s_import" % info),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}),
                         "may_export": bool(request_export_locales(request)),
                         "may_import": self._may_import(request)}
        return super().changelist_view(request, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request_export_locales(request):
            actions.pop("export_xliff", None)
        return actions

    @admin.action(description="Export the chosen products for translation (XLIFF)")
    def export_xliff(self, request, queryset):
        request.session[SELECTION_KEY] = list(queryset.values_list("pk", flat=True)[:10_000])
        return redirect(f"{reverse('admin:catalog_producttranslation_export')}?selection=1")

    def _may_import(self, request) -> bool:
        return bool(request_translator_locales(request)) or (
            may_import_for_translator(request.user)
            and request.user.has_perm("catalog.view_producttranslation"))

    def export_view(self, request):
        locales = export_locales(request.user)
        if not (locales and self.has_view_permission(request)):
            return redirect("admin:index")
        selection = (request.session.get(SELECTION_KEY) or []
                     if request.GET.get("selection") else [])
        form = ExportForm(request.POST or None, locales=locales, selection=selection)
        if request.method == "POST" and form.is_valid():
            locale, version = form.cleaned_data["locale"], form.cleaned_data["version"]
            products = selection if form.cleaned_data["scope"] == "selection" else None
            response = HttpResponse(content_type="application/xliff+xml; charset=utf-8")
            stamp = timezone.now().strftime("%Y%m%d-%H%M")
            response["Content-Disposition"] = (
                f'attachment; filename="translations-{locale}-{stamp}-xliff{version}.xlf"')
            try:
                translations_export(locale=locale, user=request.user, out=response,
                                    products=products, version=version)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                return response
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form,
                   "title": "Export for translators (XLIFF)", "versions": VERSIONS,
                   "selection": selection}
        return TemplateResponse(request, "admin/catalog/producttranslation/export.html",
                                context)

    def import_view(self, request):
        if not (self._may_import(request) and self.has_view_permission(request)):
            return redirect("admin:index")
        may_assign = may_import_for_translator(request.user)
        form = ImportForm(request.POST or None, request.FILES or None, may_assign=may_assign)
        report = None
        if request.method == "POST" and form.is_valid():
            try:
                report = translations_import(
                    file=form.cleaned_data["file"].read(MAX_FILE_BYTES + 1), user=request.user,
                    dry_run=form.cleaned_data["dry_run"],
                    translator=form.cleaned_data.get("translator"),
                    file_name=form.cleaned_data["file"].name)
            except ContentError as exc:
                for key, texts in exc.paths.items():
                    form.add_error(key if key in form.fields else None, texts)
            else:
                level = (messages.WARNING if report.count("refused") or report.count("outdated")
                         else messages.SUCCESS)
                prefix = "Dry run, nothing stored. " if report.dry_run else ""
                self.message_user(request, prefix + report.summary(), level)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form,
                   "report": report, "title": "Import a translators' file (XLIFF)",
                   "locales": translator_locales(request.user)}
        return TemplateResponse(request, "admin/catalog/producttranslation/import.html",
                                context)
