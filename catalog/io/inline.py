"""Editorial HTML as text and inline codes, the way XLIFF carries it.

``html_tokens`` splits sanitised HTML into text and numbered codes: a pair of tags around
text (``<strong>…</strong>``) becomes one paired code, a tag on its own (``<br>``) a
placeholder. ``tokens_html`` puts a translated sequence back together with the original
tags of the codes, so a translator can move and translate text but never write markup.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from html.parser import HTMLParser

VOID_TAGS = {"br", "hr", "img"}


@dataclass(frozen=True)
class Code:
    """One inline code of a source: its original opening and closing tag (empty for a
    placeholder) and the tag name, for a format's hint of what it is."""

    id: str
    tag: str
    start: str
    end: str = ""

    @property
    def paired(self) -> bool:
        return bool(self.end)


# A token is a text (str) or a code event: ("open", id), ("close", id) or ("ph", id).
Token = str | tuple[str, str]


class _Splitter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens: list[Token] = []
        self.codes: dict[str, Code] = {}
        self._open: list[tuple[str, str, str]] = []  # (id, tag, start text)

    def _next_id(self) -> str:
        return str(len(self.codes) + len(self._open) + 1)

    def handle_starttag(self, tag, attrs):
        start = self.get_starttag_text()
        if tag in VOID_TAGS:
            code_id = self._next_id()
            self.codes[code_id] = Code(code_id, tag, start)
            self.tokens.append(("ph", code_id))
            return
        code_id = self._next_id()
        self._open.append((code_id, tag, start))
        self.tokens.append(("open", code_id))

    def handle_startendtag(self, tag, attrs):
        code_id = self._next_id()
        self.codes[code_id] = Code(code_id, tag, self.get_starttag_text())
        self.tokens.append(("ph", code_id))

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        # Sanitised HTML is well nested; a stray end tag closes nothing.
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][1] == tag:
                break
        else:
            return
        while len(self._open) > index:
            code_id, open_tag, start = self._open.pop()
            self.codes[code_id] = Code(code_id, open_tag, start, f"</{open_tag}>")
            self.tokens.append(("close", code_id))

    def handle_data(self, data):
        if self.tokens and isinstance(self.tokens[-1], str):
            self.tokens[-1] += data
        else:
            self.tokens.append(data)

    def finish(self):
        self.close()
        while self._open:
            code_id, tag, start = self._open.pop()
            self.codes[code_id] = Code(code_id, tag, start, f"</{tag}>")
            self.tokens.append(("close", code_id))
        return self.tokens, dict(sorted(self.codes.items(), key=lambda kv: int(kv[0])))


def html_tokens(value: str) -> tuple[list[Token], dict[str, Code]]:
    """Text and code events of an HTML fragment, and its codes by id (numbered from 1)."""
    splitter = _Splitter()
    splitter.feed(value or "")
    return splitter.finish()


def code_sequence(tokens: list[Token]) -> list[tuple[str, str]]:
    """The code events of a token list, in order, without the text."""
    return [t for t in tokens if not isinstance(t, str)]


def tokens_html(tokens: list[Token], codes: dict[str, Code]) -> str:
    """HTML from translated tokens and the source's codes (ids the source has)."""
    parts = []
    for token in tokens:
        if isinstance(token, str):
            parts.append(html.escape(token, quote=False))
            continue
        kind, code_id = token
        code = codes[code_id]
        parts.append(code.end if kind == "close" else code.start)
    return "".join(parts)


def tokens_text(tokens: list[Token]) -> str:
    return "".join(t for t in tokens if isinstance(t, str))
