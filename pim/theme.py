"""The admin's theme: Fashion PIM's colours for django-admin-interface.

``FASHION_PIM`` is the theme a fresh database gets (pim/migrations/0001_admin_theme.py);
admins change it, or add others, in the admin (Admin interface > Themes). Its CSS variables are
written out in pim/static/pim/admin-theme.css, so pages carry only those of the active theme
that differ (``theme_variables_changed``) instead of the whole block of variables.
"""
from types import SimpleNamespace

FASHION_PIM = {
    "name": "Fashion PIM",
    "title": "Fashion PIM",
    "title_color": "#FFFFFF",
    "title_visible": True,
    "logo_color": "#FFFFFF",
    "logo_max_width": 400,
    "logo_max_height": 40,
    "logo_visible": True,
    "env_name": "",
    "env_color": "#E74C3C",
    "env_visible_in_header": False,
    "env_visible_in_favicon": False,
    "language_chooser_active": False,
    "css_header_background_color": "#211A33",
    "css_header_text_color": "#CEC6E4",
    "css_header_link_color": "#FFFFFF",
    "css_header_link_hover_color": "#D9CCFF",
    "css_module_background_color": "#56358F",
    "css_module_background_selected_color": "#EFEAF8",
    "css_module_text_color": "#FFFFFF",
    "css_module_link_color": "#FFFFFF",
    "css_module_link_selected_color": "#FFFFFF",
    "css_module_link_hover_color": "#E2D6FF",
    "css_module_rounded_corners": True,
    "css_generic_link_color": "#56358F",
    "css_generic_link_hover_color": "#382063",
    "css_generic_link_active_color": "#6E4DB0",
    "css_save_button_background_color": "#56358F",
    "css_save_button_background_hover_color": "#382063",
    "css_save_button_text_color": "#FFFFFF",
    "css_delete_button_background_color": "#B3261E",
    "css_delete_button_background_hover_color": "#8C1D18",
    "css_delete_button_text_color": "#FFFFFF",
    # Related objects open in the admin's own pop-up windows: a modal would frame the admin
    # (X-Frame-Options stays DENY) and load 70 KB of scripts on every page.
    "related_modal_active": False,
    "related_modal_background_color": "#000000",
    "related_modal_background_opacity": "0.3",
    "related_modal_rounded_corners": True,
    "related_modal_close_button_visible": True,
    "list_filter_highlight": True,
    "list_filter_dropdown": False,
    "list_filter_sticky": True,
    "list_filter_removal_links": True,
    "foldable_apps": False,
    "show_fieldsets_as_tabs": False,
    "show_inlines_as_tabs": False,
    "collapsible_stacked_inlines": False,
    "collapsible_tabular_inlines": False,
    "recent_actions_visible": True,
    "form_actions_sticky": True,
    # The product page keeps its own save bar in view; the theme's would cover it.
    "form_submit_sticky": False,
    "form_pagination_sticky": True,
}

# CSS variable (after "--admin-interface-") and the theme's field it holds.
COLOURS = {
    "title-color": "title_color",
    "logo-color": "logo_color",
    "env-color": "env_color",
    "header-background-color": "css_header_background_color",
    "header-text-color": "css_header_text_color",
    "header-link-color": "css_header_link_color",
    "header-link-hover-color": "css_header_link_hover_color",
    "module-background-color": "css_module_background_color",
    "module-background-selected-color": "css_module_background_selected_color",
    "module-text-color": "css_module_text_color",
    "module-link-color": "css_module_link_color",
    "module-link-selected-color": "css_module_link_selected_color",
    "module-link-hover-color": "css_module_link_hover_color",
    "generic-link-color": "css_generic_link_color",
    "generic-link-hover-color": "css_generic_link_hover_color",
    "generic-link-active-color": "css_generic_link_active_color",
    "save-button-background-color": "css_save_button_background_color",
    "save-button-background-hover-color": "css_save_button_background_hover_color",
    "save-button-text-color": "css_save_button_text_color",
    "delete-button-background-color": "css_delete_button_background_color",
    "delete-button-background-hover-color": "css_delete_button_background_hover_color",
    "delete-button-text-color": "css_delete_button_text_color",
    "related-modal-background-color": "related_modal_background_color",
    "related-modal-background-opacity": "related_modal_background_opacity",
}


def theme_variables(theme) -> dict[str, str]:
    """The CSS variables admin_interface's own base_site.html writes for ``theme``."""
    values = {name: str(getattr(theme, field)) for name, field in COLOURS.items()}
    values["main-border-top"] = (
        "10px solid var(--admin-interface-module-background-color)"
        if theme.css_header_background_color != theme.css_module_background_color else "0px")
    width, height = theme.logo_max_width or 0, theme.logo_max_height or 0
    values["logo-max-width"] = f"min({width}px, 100%)" if width > 0 else "100%"
    values["logo-max-height"] = f"{height}px" if height > 0 else "unset"
    values["related-modal-border-radius"] = "4px" if theme.related_modal_rounded_corners else "0px"
    values["module-border-radius"] = "4px" if theme.css_module_rounded_corners else "0px"
    values["related-modal-close-button-display"] = (
        "unset" if theme.related_modal_close_button_visible else "none")
    return {f"--admin-interface-{name}": value for name, value in values.items()}


DEFAULT_VARIABLES = theme_variables(SimpleNamespace(**FASHION_PIM))


def theme_variables_changed(theme) -> dict[str, str]:
    """The variables of ``theme`` that differ from those of admin-theme.css."""
    return {name: value for name, value in theme_variables(theme).items()
            if DEFAULT_VARIABLES[name] != value}
