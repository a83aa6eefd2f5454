"""The product's history page: its own changes and those of its inlines, newest first."""
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.text import capfirst

from catalog.history import product_history

ENTRIES_PER_PAGE = 100


class ProductHistoryAdminMixin:
    """Replaces the admin's history view (a log of admin actions only) with `product_history`.

    Read-only on purpose: reverting a row from history would write around the services.
    """

    object_history_template = "admin/catalog/product/history.html"

    def history_view(self, request, object_id, extra_context=None):
        product = self.get_object(request, unquote(object_id))
        if product is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, product):
            raise PermissionDenied
        paginator = self.get_paginator(request, product_history(product), ENTRIES_PER_PAGE)
        page = paginator.get_page(request.GET.get(PAGE_VAR, 1))
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {product}",
            "subtitle": None,
            "object": product,
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
            "entries": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "page_var": PAGE_VAR,
            "pagination_required": paginator.num_pages > 1,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)
