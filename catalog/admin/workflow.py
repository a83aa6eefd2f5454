"""Workflow in the product admin: transitions as buttons on the page and bulk actions in the
list, each through the workflow services, and the transition log on the product page."""
import nested_admin
from django import forms
from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from catalog.models import Channel, Product, ProductTransition
from catalog.models.publishing import live_snapshots_tombstoned_by_caller
from catalog.services.publishing import published_channels
from catalog.services.workflow import (
    TRANSITIONS,
    product_delete,
    product_transition,
    transition_allowed,
)

Action = ProductTransition.Action
# Transitions that ask for channels or a comment before they run.
WITH_CHANNELS = {Action.APPROVE, Action.UNPUBLISH}
NEEDS_FORM = {Action.APPROVE, Action.REJECT, Action.UNPUBLISH, Action.ARCHIVE}
BUTTON_LABELS = {
    Action.SUBMIT: "Submit for review",
    Action.APPROVE: "Approve and publish…",
    Action.REJECT: "Reject…",
    Action.UNPUBLISH: "Unpublish…",
    Action.ARCHIVE: "Archive…",
    Action.RESTORE: "Restore to draft",
}


class TransitionForm(forms.Form):
    channels = forms.ModelMultipleChoiceField(
        queryset=Channel.objects.order_by("code"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave every box empty for all channels.",
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        if action not in WITH_CHANNELS:
            del self.fields["channels"]
        if action == Action.REJECT:
            self.fields["comment"].required = True
            self.fields["comment"].help_text = "Tell the merchandiser what to change."
            self.fields["comment"].error_messages["required"] = (
                "Say why the product is rejected: a comment is required."
            )

    def service_kwargs(self) -> dict:
        kwargs = {"comment": self.cleaned_data.get("comment", "")}
        if self.action in WITH_CHANNELS:
            kwargs["channels"] = list(self.cleaned_data["channels"]) or None
        return kwargs


class TransitionInline(nested_admin.NestedTabularInline):
    """Every transition of the product: who, when, what, to which channels, why."""

    model = ProductTransition
    fields = ("created_at", "action", "from_status", "to_status", "channels", "user",
              "product_version", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "workflow step"
    verbose_name_plural = "workflow history"
    classes = ("collapse",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


def _run(request, action: str, product: Product, kwargs: dict) -> bool:
    """Run one transition; tell the user what happened. True when it was done."""
    try:
        product_transition(action=action, product=product, user=request.user, **kwargs)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "You do not have permission to do this.")
        return False
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    return True


def _make_bulk_action(action: str):
    def bulk(modeladmin, request, queryset):
        return modeladmin.workflow_bulk(request, queryset, action)

    bulk.__name__ = f"workflow_{action}"
    bulk.short_description = f"{BUTTON_LABELS[action].rstrip('…')} the selected products"
    bulk.allowed_permissions = (f"workflow_{action}",)
    return bulk


class ProductWorkflowAdminMixin:
    """Adds the workflow to ProductAdmin. Every path goes through catalog.services.workflow."""

    workflow_template = "admin/catalog/product/workflow_transition.html"
    actions = [_make_bulk_action(a) for a in TRANSITIONS]

    # Permission hooks of the bulk actions (their `allowed_permissions`).
    def has_workflow_submit_permission(self, request):
        return transition_allowed(user=request.user, action=Action.SUBMIT)

    def has_workflow_approve_permission(self, request):
        return transition_allowed(user=request.user, action=Action.APPROVE)

    def has_workflow_reject_permission(self, request):
        return transition_allowed(user=request.user, action=Action.REJECT)

    def has_workflow_archive_permission(self, request):
        return transition_allowed(user=request.user, action=Action.ARCHIVE)

    def has_workflow_unpublish_permission(self, request):
        return transition_allowed(user=request.user, action=Action.UNPUBLISH)

    def has_workflow_restore_permission(self, request):
        return transition_allowed(user=request.user, action=Action.RESTORE)

    # Deleting, one product or many, goes through product_delete: published ones leave
    # tombstones on their channels.
    def get_deleted_objects(self, objs, request):
        with live_snapshots_tombstoned_by_caller():
            return super().get_deleted_objects(objs, request)

    def delete_model(self, request, obj):
        self._tombstoned(request, product_delete(product=obj, user=request.user))

    def delete_queryset(self, request, queryset):
        tombstones = []
        for product in queryset.order_by("style_code"):
            tombstones += product_delete(product=product, user=request.user)
        self._tombstoned(request, tombstones)

    def _tombstoned(self, request, tombstones):
        by_style: dict[str, set[str]] = {}
        for snapshot in tombstones:
            by_style.setdefault(snapshot.style_code, set()).add(snapshot.channel.code)
        for style_code, channels in sorted(by_style.items()):
            messages.info(request, f"{style_code} was unpublished from {', '.join(sorted(channels))}: "
                                   "their feeds now list it as deleted.")

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if obj is not None:
            inlines.append(TransitionInline(self.model, self.admin_site))
        return inlines

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path("<int:object_id>/workflow/<str:action>/",
                 self.admin_site.admin_view(self.workflow_view),
                 name="%s_%s_workflow" % info),
            *super().get_urls(),
        ]

    def workflow_buttons(self, request, product: Product) -> list[dict]:
        """The transitions that mean something for this product now and that this user may make.

        An approved product offers approval again only for edits since its approval or for
        channels it is not live on, and submission only to someone who cannot approve; nothing
        offers unpublishing a product that is live nowhere.
        """
        info = self.model._meta.app_label, self.model._meta.model_name
        allowed = {action for action, (_, states) in TRANSITIONS.items()
                   if product.status in states and transition_allowed(user=request.user,
                                                                      action=action)}
        live = {c.pk for c in published_channels(product)}
        if not live:
            allowed.discard(Action.UNPUBLISH)
        labels = dict(BUTTON_LABELS)
        if product.status == Product.Status.APPROVED:
            approved_version = (product.transitions.filter(action=Action.APPROVE)
                                .values_list("product_version", flat=True).first())
            edited = approved_version is None or product.version > approved_version
            unpublished = Channel.objects.exclude(pk__in=live).exists()
            if not (edited or unpublished):
                allowed.discard(Action.APPROVE)
            if not edited or Action.APPROVE in allowed:
                allowed.discard(Action.SUBMIT)
            if edited:
                labels[Action.APPROVE] = "Approve changes and publish…"
                labels[Action.SUBMIT] = "Submit changes for review"
        return [
            {"label": labels[action], "action": action,
             "url": reverse("admin:%s_%s_workflow" % info, args=[product.pk, action])}
            for action in TRANSITIONS if action in allowed
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["workflow_buttons"] = self.workflow_buttons(request, obj)
        return super().render_change_form(request, context, add=add, change=change,
                                          form_url=form_url, obj=obj)

    def workflow_view(self, request, object_id, action):
        product = get_object_or_404(Product, pk=object_id)
        change_url = reverse("admin:catalog_product_change", args=[product.pk])
        if action not in TRANSITIONS:
            messages.error(request, f"Unknown workflow step “{action}”.")
            return HttpResponseRedirect(change_url)
        if not transition_allowed(user=request.user, action=action):
            raise PermissionDenied
        if action not in NEEDS_FORM and request.method == "POST":
            _run(request, action, product, {}) and messages.success(
                request, f"{product.style_code}: {Action(action).label.lower()}.")
            return HttpResponseRedirect(change_url)
        form = TransitionForm(request.POST or None, action=action)
        if request.method == "POST" and form.is_valid():
            if _run(request, action, product, form.service_kwargs()):
                messages.success(request, f"{product.style_code}: {Action(action).label.lower()}.")
            return HttpResponseRedirect(change_url)
        return self._workflow_page(request, action, [product], form)

    def _workflow_page(self, request, action, products, form, bulk=False):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{BUTTON_LABELS[action].rstrip('…')}: "
                     + (products[0].style_code if len(products) == 1 else f"{len(products)} products"),
            "action": action,
            "action_label": BUTTON_LABELS[action].rstrip("…"),
            "products": products,
            "form": form,
            "bulk": bulk,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, self.workflow_template, context)

    def workflow_bulk(self, request, queryset, action):
        products = list(queryset.order_by("style_code"))
        if action in NEEDS_FORM:
            form = TransitionForm(request.POST if "workflow_confirm" in request.POST else None,
                                  action=action)
            if not form.is_bound or not form.is_valid():
                return self._workflow_page(request, action, products, form, bulk=True)
            kwargs = form.service_kwargs()
        else:
            kwargs = {}
        done = [p.style_code for p in products if _run(request, action, p, kwargs)]
        if done:
            messages.success(
                request, f"{Action(action).label}: {len(done)} product(s) ({', '.join(done[:20])}"
                         f"{'…' if len(done) > 20 else ''}).")
        return None

