"""The rich-text editor of the editorial description, one widget for the product page and
the translator's page.

django-prose-editor, served from our static files. Its extensions are chosen so the editor
only produces what the server's sanitiser keeps (``EDITORIAL_TAGS``): paragraphs, h3/h4,
bold, italic, underline, lists without numbering attributes, line breaks and links without
a target. The server sanitises on every save whatever the editor sends.
"""
import base64
import hashlib
import re

from django_prose_editor.widgets import AdminProseEditorWidget

from catalog.models.fields import SanitizedHTMLField

EDITORIAL_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Heading": {"levels": [3, 4]},
    "BulletList": True,
    "OrderedList": {"enableListAttributes": False},
    "ListItem": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "History": True,
}
# What the editor leaves in an empty field: no text at all.
_EMPTY = re.compile(r"^\s*(<(p|h3|h4)>\s*(<br>)?\s*</\2>\s*)*$")


class EditorialHTMLWidget(AdminProseEditorWidget):
    class Media:
        css = {"all": ["catalog/editorial_editor.css"]}

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, config={"extensions": EDITORIAL_EXTENSIONS},
                         preset="configurable")

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return "" if isinstance(value, str) and _EMPTY.match(value) else value


EDITORIAL_FORMFIELD_OVERRIDES = {SanitizedHTMLField: {"widget": EditorialHTMLWidget}}

_IMPORTMAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.S)


def _allow_importmaps(response):
    hashes = [f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
              for body in _IMPORTMAP.findall(response.content)]
    if hashes:
        response._csp_update = {"script-src": hashes}


def allow_inline_importmaps(response):
    """Let the page's import map through the Content-Security-Policy (script-src 'self').

    The editor's modules name each other through an import map, which browsers only read
    inline; its exact text is allowed by hash, nothing else inline is.
    """
    if getattr(response, "is_rendered", True):
        _allow_importmaps(response)
    else:
        response.add_post_render_callback(_allow_importmaps)
    return response


class EditorialEditorAdminMixin:
    """For an admin whose form has an editorial description: the shared rich-text editor."""

    formfield_overrides = EDITORIAL_FORMFIELD_OVERRIDES

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return allow_inline_importmaps(
            super().changeform_view(request, object_id, form_url, extra_context))
