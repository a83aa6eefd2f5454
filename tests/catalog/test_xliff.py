"""The XLIFF format: what is written, what the hardened reader refuses whole, and inline
codes for editorial HTML in both versions."""
import io

import pytest
from lxml import etree

from catalog.io.inline import html_tokens, tokens_html
from catalog.io.xliff import MDA, XLIFF_2, XLIFF_12, ExportUnit, XliffError, xliff_read, xliff_write

HTML = ('<p>A <strong>long</strong> dress<br>in <a href="https://example.com/linen" '
        'rel="noopener noreferrer">washed linen</a> &amp; more.</p>\n<ul><li>Pockets</li></ul>')


def write(version, units=None):
    tokens, codes = html_tokens(HTML)
    units = units or [
        ExportUnit(id="product:WD-1:description", group="product:WD-1", name="description",
                   source=tokens, target=None, codes=codes, state="missing", version="v1",
                   note="Dress (WD-1) · editorial description", max_chars=600),
        ExportUnit(id="product:WD-1:name", group="product:WD-1", name="name", source=["Dress"],
                   target=["Robe"], codes={}, state="outdated", version="v2", max_chars=200),
        ExportUnit(id="colour:7:name", group="product:WD-2", name="colour_name",
                   source=["Red"], target=None, codes={}, state="missing", version="v3"),
    ]
    out = io.BytesIO()
    assert xliff_write(out, units=units, source_locale="en", target_locale="fr",
                       version=version) == len(units)
    return out.getvalue()


def test_html_splits_into_codes_and_comes_back_the_same():
    tokens, codes = html_tokens(HTML)
    assert [t for t in tokens if isinstance(t, str)] == [
        "A ", "long", " dress", "in ", "washed linen", " & more.", "\n", "Pockets"]
    assert [c.tag for c in codes.values()] == ["p", "strong", "br", "a", "ul", "li"]
    assert tokens_html(tokens, codes) == HTML


def test_xliff_2_units_carry_source_target_state_note_version_and_codes():
    root = etree.fromstring(write("2.0"))
    ns = {"x": XLIFF_2, "mda": MDA}
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.0", "en", "fr")
    assert [f.get("id") for f in root.findall("x:file", ns)] == ["product:WD-1", "product:WD-2"]
    unit = root.find("x:file/x:unit[@id='product:WD-1:description']", ns)
    assert unit.find("mda:metadata/mda:metaGroup/mda:meta[@type='source-version']",
                     ns).text == "v1"
    assert unit.find("x:notes/x:note", ns).text == "Dress (WD-1) · editorial description"
    assert unit.find("x:segment", ns).get("state") == "initial"
    source = unit.find("x:segment/x:source", ns)
    assert [etree.QName(e).localname for e in source.iter()][1:] == [
        "pc", "pc", "ph", "pc", "pc", "pc"]
    data = {d.get("id"): d.text for d in unit.findall("x:originalData/x:data", ns)}
    assert data["d4s"] == '<a href="https://example.com/linen" rel="noopener noreferrer">'
    assert data["d3"] == "<br>"
    name = root.find("x:file/x:unit[@id='product:WD-1:name']/x:segment", ns)
    assert name.find("x:target", ns).text == "Robe"


def test_xliff_1_2_units_use_g_and_x_and_a_context_for_the_version():
    root = etree.fromstring(write("1.2"))
    ns = {"x": XLIFF_12}
    file_ = root.find("x:file", ns)
    assert (file_.get("source-language"), file_.get("target-language")) == ("en", "fr")
    unit = file_.find("x:body/x:trans-unit[@id='product:WD-1:description']", ns)
    assert [etree.QName(e).localname for e in unit.find("x:source", ns).iter()][1:] == [
        "g", "g", "x", "g", "g", "g"]
    assert unit.get("maxwidth") == "600" and unit.get("size-unit") == "char"
    assert unit.find("x:context-group/x:context[@context-type='x-source-version']",
                     ns).text == "v1"
    name = file_.find("x:body/x:trans-unit[@id='product:WD-1:name']/x:target", ns)
    assert (name.text, name.get("state")) == ("Robe", "needs-review-translation")


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_the_reader_reads_what_the_writer_wrote(version):
    parsed = xliff_read(write(version))
    assert parsed.version == version
    assert [(u.id, u.locale, u.version, u.target) for u in parsed.units] == [
        ("product:WD-1:description", "fr", "v1", None),
        ("product:WD-1:name", "fr", "v2", ["Robe"]),
        ("colour:7:name", "fr", "v3", None),
    ]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr">
<file id="f"><unit id="product:X:name"><segment><source>a</source><target>&lol3;</target>
</segment></unit></file></xliff>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file original="p"
 source-language="en" target-language="fr" datatype="html"><body><trans-unit id="u">
<source>a</source><target>&secret;</target></trans-unit></body></file></xliff>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE xliff SYSTEM "http://example.com/xliff.dtd">
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en"
 trgLang="fr"/>"""


@pytest.mark.parametrize("data, message", [
    (BILLION_LAUGHS, "declares a DOCTYPE"),
    (EXTERNAL_ENTITY, "declares a DOCTYPE"),
    (EXTERNAL_DTD, "declares a DOCTYPE"),
    (b"<xliff><file>", "not well-formed XML"),
    (b"", "The file is empty."),
    (b"\xff\xfe\x00garbage", "not well-formed XML"),
    (b'<xliff version="2.0"><file/></xliff>', "not an XLIFF file"),
    (b'<?xml version="1.0"?><html><body>hi</body></html>', "not an XLIFF file"),
    (b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en">'
     b'<file id="f"/></xliff>', "names no target language"),
    (b'<t>&undefined;</t>', "not well-formed XML"),
])
def test_files_that_cannot_be_read_safely_are_refused_whole(data, message):
    with pytest.raises(XliffError) as refused:
        xliff_read(data)
    assert message in str(refused.value)


def test_an_unknown_inline_element_is_a_problem_of_its_unit_only():
    data = (b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" '
            b'trgLang="fr"><file id="f"><unit id="a"><segment><source>x</source><target>'
            b'<script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script></target></segment>'
            b'</unit><unit id="b"><segment><source>y</source><target>z</target></segment>'
            b'</unit></file></xliff>')
    first, second = xliff_read(data).units
    assert "unknown element <script>" in first.problem
    assert (second.problem, second.target) == ("", ["z"])


def test_segments_split_by_a_tool_are_read_as_one_target():
    data = (b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" '
            b'trgLang="fr"><file id="f"><unit id="a"><segment><source>One. </source><target>'
            b'Un. </target></segment><segment><source>Two.</source><target>Deux.</target>'
            b'</segment></unit></file></xliff>')
    assert xliff_read(data).units[0].target == ["Un. Deux."]
