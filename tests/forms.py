"""Read an admin page's form the way a browser submits it, so tests post what users post."""
from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.data: dict[str, object] = {}
        self._select = None
        self._select_multiple = False
        self._textarea = None

    def _put(self, name, value, multiple=False):
        if "__prefix__" in name or "-empty-" in name:
            return
        if multiple:
            self.data.setdefault(name, []).append(value)
        else:
            self.data[name] = value

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._put(name, a.get("value", "on"), multiple=kind == "checkbox")
                return
            self._put(name, a.get("value", ""))
        elif tag == "select" and name:
            self._select, self._select_multiple = name, "multiple" in a
            if not self._select_multiple:
                self._put(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self._put(self._select, a.get("value", ""), multiple=self._select_multiple)
        elif tag == "textarea" and name:
            self._textarea = name
            self._put(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and "__prefix__" not in self._textarea:
            self.data[self._textarea] += data


def form_data(response) -> dict:
    parser = _FormParser()
    parser.feed(response.content.decode())
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data


def add_inline_row(data: dict, prefix: str, **values) -> int:
    """Append a row to the inline formset `prefix`; returns its index."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for key, value in values.items():
        data[f"{prefix}-{index}-{key}"] = value
    return index


def errors_of(response) -> str:
    """Every error a change form shows (its own and every inline's, nested ones included)."""
    assert response.status_code == 200, f"expected the form back with errors, got {response.status_code}"
    return " ".join(str(e) for e in response.context["errors"])
