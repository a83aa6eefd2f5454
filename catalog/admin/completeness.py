"""Completeness where people work: the list's filter, the product page panel, the dashboard."""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode

from catalog.completeness.engine import locale_of
from catalog.completeness.selectors import (
    ANY_LOCALE,
    completeness_dashboard,
    completeness_panel,
    products_completeness_filter,
)
from catalog.models import Channel, Product, ProductCompleteness
from catalog.selectors import category_path_labels
from catalog.services.translations import translation_confirm
from pim.admin import ReadOnlyAdminMixin


def filter_value(channel_code: str, locale: str, complete: bool) -> str:
    return f"{channel_code}:{locale}:{'complete' if complete else 'incomplete'}"


class CompletenessFilter(admin.SimpleListFilter):
    """“Incomplete for Web shop in French”: one choice per channel x locale (or any locale)."""

    title = "completeness"
    parameter_name = "completeness"

    def lookups(self, request, model_admin):
        return self.channel_choices(Channel.objects.order_by("code"))

    @staticmethod
    def channel_choices(channels) -> list[tuple[str, str]]:
        choices = []
        for channel in channels:
            for complete in (False, True):
                state = "Complete" if complete else "Incomplete"
                choices.append((filter_value(channel.code, ANY_LOCALE, complete),
                                f"{state} for {channel.name}"
                                + (" (all locales)" if complete else " (any locale)")))
                choices += [
                    (filter_value(channel.code, loc, complete),
                     f"{state} for {channel.name} in {locale_of(loc).label}")
                    for loc in channel.locales
                ]
        return choices

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            channel_code, locale, state = self.value().split(":")
        except ValueError:
            return queryset.none()
        if state not in ("complete", "incomplete"):
            return queryset.none()
        return products_completeness_filter(queryset, channel_code=channel_code, locale=locale,
                                            complete=state == "complete")


class ProductCompletenessAdminMixin:
    """For the product admin: the completeness panel and translation confirmation (the
    grid reads the list's scores itself)."""

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path("<int:object_id>/translations/confirm/",
                 self.admin_site.admin_view(self.translation_confirm_view),
                 name="%s_%s_translation_confirm" % info),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["completeness_panel"] = completeness_panel(obj)
            context["completeness_confirm_url"] = reverse(
                "admin:catalog_product_translation_confirm", args=[obj.pk])
            context["completeness_can_confirm"] = self.has_change_permission(request, obj)
        return super().render_change_form(request, context, add=add, change=change,
                                          form_url=form_url, obj=obj)

    def translation_confirm_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        product = get_object_or_404(Product, pk=object_id)
        if not (self.has_change_permission(request, product)
                or hasattr(request.user, "translator_assignment")):
            raise PermissionDenied
        change_url = reverse("admin:catalog_product_change", args=[product.pk])
        locale, fields = request.POST.get("locale", ""), request.POST.getlist("field")
        try:
            count = translation_confirm(product=product, locale=locale, fields=fields,
                                        user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or "You may not confirm this translation.")
        else:
            messages.success(request, f"{count} {locale} translation(s) confirmed unchanged.")
        return HttpResponseRedirect(change_url)


@admin.register(ProductCompleteness)
class CompletenessDashboardAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """“Completeness” in the admin index: the dashboard by channel, locale and category."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("catalog.view_product")

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        data = completeness_dashboard()
        products_url = reverse("admin:catalog_product_changelist")

        def link(channel_code, locale, complete, category=None):
            query = {"completeness": filter_value(channel_code, locale, complete)}
            if category:
                query["category"] = category
            return f"{products_url}?{urlencode(query)}"

        channels = [entry["channel"] for entry in data["channels"]]
        for entry in data["channels"]:
            code = entry["channel"].code
            entry["rows"] = [
                {"locale": locale, "cell": cell,
                 "complete_url": link(code, locale.code, True),
                 "incomplete_url": link(code, locale.code, False)}
                for locale, cell in entry["locales"]
            ]
        labels = category_path_labels()
        categories = [
            {"label": labels.get(category_id, str(category_id)), "products": count,
             "cells": [{"incomplete": data["incomplete"].get((category_id, c.pk), 0),
                        "url": link(c.code, ANY_LOCALE, False, category_id)} for c in channels]}
            for category_id, count in data["products_in"].items()
        ]
        categories.sort(key=lambda row: row["label"])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Completeness by channel, locale and category",
            "channels": data["channels"],
            "channel_list": channels,
            "categories": categories,
            "products_url": products_url,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/catalog/completeness/dashboard.html", context)
