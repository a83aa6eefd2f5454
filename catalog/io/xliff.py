"""XLIFF 2.0 and 1.2: writing translation units, reading them back.

The format only: which units to write and what an imported unit may change are decided by
``catalog.services.translation_files``. Units are grouped in one ``<file>`` per product. The
source version (the hash a translation stamp records) travels in the unit's metadata
(``mda:meta type="source-version"`` in 2.0, a ``context-group`` in 1.2), so an import can tell
a source changed since the export. Editorial HTML travels as inline codes: ``<pc>``/``<ph>``
with their original tags in ``<originalData>`` (2.0), ``<g>``/``<x>`` (1.2).

Reading is hardened: no DTD is loaded, no entity resolved, nothing fetched from the network,
and a file that declares a DOCTYPE (where entities are defined: billion laughs, external
entities) is refused whole, as is one that is not well-formed XML or not XLIFF.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from lxml import etree

from .inline import Code, Token

XLIFF_2 = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"
# Tools that speak 1.x may write the 1.1 namespace back; the elements we read are the same.
XLIFF_1X = (XLIFF_12, "urn:oasis:names:tc:xliff:document:1.1")
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
VERSIONS = ("2.0", "1.2")
SOURCE_VERSION = "source-version"
CONTEXT_VERSION = "x-source-version"
# What a unit's state is called in each version.
STATES = {
    "2.0": {"missing": "initial", "outdated": "initial", "current": "translated"},
    "1.2": {"missing": "needs-translation", "outdated": "needs-review-translation",
            "current": "translated"},
}
CTYPES_12 = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic",
             "u": "underlined", "a": "link", "br": "lb"}


class XliffError(ValueError):
    """The file cannot be read as a translators' file: refused whole."""


@dataclass
class ExportUnit:
    """One translatable text to write: ``id`` stable and parseable, ``group`` its ``<file>``."""

    id: str
    group: str
    name: str
    source: list[Token]
    target: list[Token] | None
    codes: dict[str, Code]
    state: str  # missing, outdated or current
    version: str
    note: str = ""
    max_chars: int | None = None


@dataclass
class ReadUnit:
    id: str
    locale: str
    version: str | None
    target: list[Token] | None  # None: no target in the file
    problem: str = ""  # a unit this reader could not make sense of


@dataclass
class ReadFile:
    version: str
    source_locale: str
    units: list[ReadUnit] = field(default_factory=list)


# Writing ---------------------------------------------------------------------------------

def _inline_2(parent, tokens: list[Token], codes: dict[str, Code]) -> None:
    """Append text and codes under ``parent`` (a source or target) as 2.0 inline markup."""
    stack = [parent]

    def add_text(text):
        node = stack[-1]
        if len(node):
            node[-1].tail = (node[-1].tail or "") + text
        else:
            node.text = (node.text or "") + text

    for token in tokens:
        if isinstance(token, str):
            add_text(token)
            continue
        kind, code_id = token
        if kind == "open":
            stack.append(etree.SubElement(stack[-1], f"{{{XLIFF_2}}}pc", {
                "id": code_id, "dataRefStart": f"d{code_id}s", "dataRefEnd": f"d{code_id}e",
            }))
        elif kind == "close":
            stack.pop()
        else:
            etree.SubElement(stack[-1], f"{{{XLIFF_2}}}ph", {"id": code_id,
                                                             "dataRef": f"d{code_id}"})


def _inline_12(parent, tokens: list[Token], codes: dict[str, Code]) -> None:
    stack = [parent]
    for token in tokens:
        if isinstance(token, str):
            node = stack[-1]
            if len(node):
                node[-1].tail = (node[-1].tail or "") + token
            else:
                node.text = (node.text or "") + token
            continue
        kind, code_id = token
        ctype = CTYPES_12.get(codes[code_id].tag, f"x-html-{codes[code_id].tag}")
        if kind == "open":
            stack.append(etree.SubElement(stack[-1], f"{{{XLIFF_12}}}g",
                                          {"id": code_id, "ctype": ctype}))
        elif kind == "close":
            stack.pop()
        else:
            etree.SubElement(stack[-1], f"{{{XLIFF_12}}}x", {"id": code_id, "ctype": ctype})


def _unit_2(unit: ExportUnit):
    el = etree.Element(f"{{{XLIFF_2}}}unit", {"id": unit.id, "name": unit.name},
                       nsmap={None: XLIFF_2, "mda": MDA})
    metadata = etree.SubElement(el, f"{{{MDA}}}metadata")
    group = etree.SubElement(metadata, f"{{{MDA}}}metaGroup", {"category": "pim"})
    etree.SubElement(group, f"{{{MDA}}}meta", {"type": SOURCE_VERSION}).text = unit.version
    if unit.max_chars:
        etree.SubElement(group, f"{{{MDA}}}meta", {"type": "max-characters"}).text = str(
            unit.max_chars)
    if unit.note:
        notes = etree.SubElement(el, f"{{{XLIFF_2}}}notes")
        etree.SubElement(notes, f"{{{XLIFF_2}}}note", {"category": "context"}).text = unit.note
    if unit.codes:
        original = etree.SubElement(el, f"{{{XLIFF_2}}}originalData")
        for code in unit.codes.values():
            if code.paired:
                etree.SubElement(original, f"{{{XLIFF_2}}}data", {"id": f"d{code.id}s"}
                                 ).text = code.start
                etree.SubElement(original, f"{{{XLIFF_2}}}data", {"id": f"d{code.id}e"}
                                 ).text = code.end
            else:
                etree.SubElement(original, f"{{{XLIFF_2}}}data", {"id": f"d{code.id}"}
                                 ).text = code.start
    segment = etree.SubElement(el, f"{{{XLIFF_2}}}segment",
                               {"state": STATES["2.0"][unit.state]})
    source = etree.SubElement(segment, f"{{{XLIFF_2}}}source", {XML_SPACE: "preserve"})
    _inline_2(source, unit.source, unit.codes)
    if unit.target is not None:
        target = etree.SubElement(segment, f"{{{XLIFF_2}}}target", {XML_SPACE: "preserve"})
        _inline_2(target, unit.target, unit.codes)
    return el


def _unit_12(unit: ExportUnit):
    attrs = {"id": unit.id, "resname": unit.name, XML_SPACE: "preserve"}
    if unit.max_chars:
        attrs.update({"maxwidth": str(unit.max_chars), "size-unit": "char"})
    el = etree.Element(f"{{{XLIFF_12}}}trans-unit", attrs, nsmap={None: XLIFF_12})
    source = etree.SubElement(el, f"{{{XLIFF_12}}}source")
    _inline_12(source, unit.source, unit.codes)
    if unit.target is not None:
        target = etree.SubElement(el, f"{{{XLIFF_12}}}target",
                                  {"state": STATES["1.2"][unit.state]})
        _inline_12(target, unit.target, unit.codes)
    group = etree.SubElement(el, f"{{{XLIFF_12}}}context-group",
                             {"name": "pim", "purpose": "information"})
    etree.SubElement(group, f"{{{XLIFF_12}}}context",
                     {"context-type": CONTEXT_VERSION}).text = unit.version
    if unit.note:
        etree.SubElement(el, f"{{{XLIFF_12}}}note", {"from": "pim"}).text = unit.note
    return el


def xliff_write(out: BinaryIO, *, units: Iterable[ExportUnit], source_locale: str,
                target_locale: str, version: str = "2.0") -> int:
    """Write ``units`` to ``out`` as they come, one ``<file>`` per group; returns how many.

    Streamed (``etree.xmlfile``): memory stays that of one unit whatever the file's size.
    """
    if version not in VERSIONS:
        raise XliffError(f"XLIFF {version} is not written: choose {' or '.join(VERSIONS)}.")
    count = 0
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        if version == "2.0":
            root = xf.element(f"{{{XLIFF_2}}}xliff", {
                "version": "2.0", "srcLang": source_locale, "trgLang": target_locale,
            }, nsmap={None: XLIFF_2, "mda": MDA})
        else:
            root = xf.element(f"{{{XLIFF_12}}}xliff", {"version": "1.2"},
                              nsmap={None: XLIFF_12})
        with root:
            group, file_cm, body_cm = None, None, None
            for unit in units:
                if unit.group != group:
                    if body_cm:
                        body_cm.__exit__(None, None, None)
                    if file_cm:
                        file_cm.__exit__(None, None, None)
                    group = unit.group
                    if version == "2.0":
                        file_cm, body_cm = xf.element(f"{{{XLIFF_2}}}file", {"id": group}), None
                        file_cm.__enter__()
                    else:
                        file_cm = xf.element(f"{{{XLIFF_12}}}file", {
                            "original": group, "source-language": source_locale,
                            "target-language": target_locale, "datatype": "html",
                        })
                        file_cm.__enter__()
                        body_cm = xf.element(f"{{{XLIFF_12}}}body")
                        body_cm.__enter__()
                xf.write(_unit_2(unit) if version == "2.0" else _unit_12(unit))
                count += 1
            if body_cm:
                body_cm.__exit__(None, None, None)
            if file_cm:
                file_cm.__exit__(None, None, None)
    return count


# Reading ---------------------------------------------------------------------------------

def _parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=True)


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


class _Unreadable(Exception):
    pass


def _tokens(node, namespace: str) -> list[Token]:
    """Text and code events inside a source or target, for both versions."""
    tokens: list[Token] = []

    def text(value):
        if not value:
            return
        if tokens and isinstance(tokens[-1], str):
            tokens[-1] += value
        else:
            tokens.append(value)

    def walk(el):
        text(el.text)
        for child in el:
            if not isinstance(child.tag, str):  # an entity left unresolved
                raise _Unreadable("it holds an entity reference")
            if etree.QName(child).namespace != namespace:
                raise _Unreadable(f"it holds an unknown element <{_local(child.tag)}>")
            name, code_id = _local(child.tag), child.get("id", "")
            if name in ("pc", "g"):
                tokens.append(("open", code_id))
                walk(child)
                tokens.append(("close", code_id))
            elif name in ("ph", "x"):
                tokens.append(("ph", code_id))
            elif name in ("sc", "bx", "bpt"):
                tokens.append(("open", child.get("rid") or code_id))
            elif name in ("ec", "ex", "ept"):
                tokens.append(("close", child.get("startRef") or child.get("rid") or code_id))
            elif name == "cp":
                try:
                    text(chr(int(child.get("hex", ""), 16)))
                except ValueError:
                    raise _Unreadable("it holds a <cp> without a code point") from None
            elif name in ("mrk", "sm", "em"):  # annotations: their content is the text
                if name == "mrk":
                    walk(child)
            else:
                raise _Unreadable(f"it holds an unknown inline element <{name}>")
            text(child.tail)

    walk(node)
    return tokens


def _read_2(root, result: ReadFile) -> None:
    ns = XLIFF_2
    locale = root.get("trgLang", "")
    if not locale:
        raise XliffError("This XLIFF 2.0 file names no target language (trgLang).")
    for unit in root.iter(f"{{{ns}}}unit"):
        unit_id = unit.get("id", "")
        version = None
        for meta in unit.iter(f"{{{MDA}}}meta"):
            if meta.get("type") == SOURCE_VERSION:
                version = (meta.text or "").strip()
        targets, problem = [], ""
        try:
            for segment in unit.iterchildren(f"{{{ns}}}segment", f"{{{ns}}}ignorable"):
                target = segment.find(f"{{{ns}}}target")
                if target is not None:
                    targets.append(_tokens(target, ns))
                elif _local(segment.tag) == "segment":
                    targets.append(None)
        except _Unreadable as exc:
            problem = f"The target cannot be read: {exc}."
        joined = None
        if targets and all(t is not None for t in targets):
            joined = []
            for token in (t for tokens in targets for t in tokens):
                if isinstance(token, str) and joined and isinstance(joined[-1], str):
                    joined[-1] += token
                else:
                    joined.append(token)
        elif any(targets):
            problem = problem or "Some segments of this unit have no target."
        result.units.append(ReadUnit(unit_id, locale, version, joined, problem))


def _read_12(root, ns: str, result: ReadFile) -> None:
    for file_el in root.iterchildren(f"{{{ns}}}file"):
        locale = file_el.get("target-language", "")
        if not locale:
            raise XliffError(f"The <file> “{file_el.get('original', '')}” names no target "
                             "language (target-language).")
        for unit in file_el.iter(f"{{{ns}}}trans-unit"):
            version = None
            for context in unit.iter(f"{{{ns}}}context"):
                if context.get("context-type") == CONTEXT_VERSION:
                    version = (context.text or "").strip()
            target, problem = unit.find(f"{{{ns}}}target"), ""
            tokens = None
            if target is not None:
                try:
                    tokens = _tokens(target, ns)
                except _Unreadable as exc:
                    problem = f"The target cannot be read: {exc}."
            result.units.append(ReadUnit(unit.get("id", ""), locale, version, tokens, problem))


def xliff_read(file: BinaryIO | bytes) -> ReadFile:
    """The units of an XLIFF 2.0 or 1.x file, in the file's order.

    Raises :class:`XliffError` for a file that is not well-formed XML, declares a DOCTYPE or
    entities, or is not XLIFF 2.0/1.2; a unit this reader cannot make sense of is returned with
    its ``problem`` instead, for the caller to report on that unit.
    """
    data = file if isinstance(file, bytes) else file.read()
    if not data.strip():
        raise XliffError("The file is empty.")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise XliffError(f"The file is not well-formed XML: {exc.msg}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise XliffError("The file declares a DOCTYPE: translators' files may not define "
                         "entities or load a DTD. Save it again without the declaration.")
    namespace = etree.QName(root).namespace
    if _local(root.tag) != "xliff" or namespace not in (XLIFF_2, *XLIFF_1X):
        raise XliffError(f"This is not an XLIFF file: its root element is "
                         f"<{_local(root.tag) or root.tag}>, not <xliff> of XLIFF 2.0 or 1.2.")
    if namespace == XLIFF_2:
        result = ReadFile("2.0", root.get("srcLang", ""))
        _read_2(root, result)
    else:
        first = root.find(f"{{{namespace}}}file")
        result = ReadFile("1.2", first.get("source-language", "") if first is not None else "")
        _read_12(root, namespace, result)
    return result
