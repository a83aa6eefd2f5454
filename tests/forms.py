"""Read an admin page's form the way a browser submits it, so tests post what users post."""
import json
from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.data: dict[str, object] = {}
        self._select = None
        self._select_multiple = False
        self._textarea = None
        self._tbody = None  # the id of the table row being read, and its inputs' names
        self._row_inputs: dict[str, list[str]] = {}
        self._data_rows = None  # the source row of a <script data-pp-rows>, and its text

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
        if tag == "tbody":
            self._tbody = a.get("id")
            self._row_inputs[self._tbody] = []
        elif tag == "script" and ("data-pp-rows" in a or "data-pg-tiles" in a):
            self._data_rows = [a.get("data-pp-rows") or a["data-pg-tiles"], "",
                               "data-pg-tiles" in a]
        if self._tbody and name and tag in ("input", "select", "textarea") and a.get(
                "type") != "checkbox":
            self._row_inputs[self._tbody].append(name)
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

    def _put_data_rows(self, source, text, tiles):
        """Stored rows or photos sent as data: copies of the row or tile ``source`` (as
        product_form.js builds them in the browser)."""
        prefix = source.rsplit("-", 1)[0]
        if tiles:
            for index, pk, position, _thumbnail, _caption, values in json.loads(text):
                for field, value in [("id", pk), ("position", position), *values]:
                    self._put(f"{prefix}-{index}-{field}", str(value))
            return
        for index, _name, *values in json.loads(text):
            for input_name, value in zip(self._row_inputs[source], values, strict=True):
                field = input_name[len(source) + 1:]
                self._put(f"{prefix}-{index}-{field}", "" if value is None else value)

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._tbody = None
        elif tag == "script" and self._data_rows:
            self._put_data_rows(*self._data_rows)
            self._data_rows = None
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._data_rows:
            self._data_rows[1] += data
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
