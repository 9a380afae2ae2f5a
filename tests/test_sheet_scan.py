"""Explaining blank cells from the sheet XML: the fast scan finds exactly what the defusedxml parse
found before it (issue 5), for sheets as Excel, WPS, LibreOffice and scripts write them and for odd,
hostile and broken XML."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from xladdin.core.model import parse_a1
from xladdin.reading.workbook import MAX_ROWS, _formula_and_error_cells, _values_all_saved

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
XNS = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def reference(data: bytes) -> dict:
    """The scan as it was (defusedxml, pure-Python parser), kept here as the specification."""
    if b"<f" not in data and b't="e"' not in data:
        return {}
    try:
        from defusedxml import ElementTree as DET

        out = {}
        for _event, el in DET.iterparse(io.BytesIO(data), events=("end",), forbid_dtd=True):
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "row":
                el.clear()
                continue
            if tag != "c":
                continue
            ref = el.get("r")
            if not ref:
                continue
            rr, cc = parse_a1(ref)
            if rr > MAX_ROWS:
                break
            f = v = None
            for child in el:
                ctag = child.tag.rsplit("}", 1)[-1]
                if ctag == "f":
                    f = child.text or "（共享公式）"
                elif ctag == "v":
                    v = child.text
            if el.get("t") == "e" and v:
                out[(rr, cc)] = ("error", v if f is None else f"{v}（公式 ={f.lstrip('=')}）")
            elif f is not None and v in (None, ""):
                out[(rr, cc)] = ("formula", "=" + f.lstrip("="))
            el.clear()
        return out
    except Exception:
        return {}


def fast(data: bytes) -> dict:
    """The scan as Workbook._scan_sheet runs it now."""
    if b"<f" not in data and b't="e"' not in data:
        return {}
    if _values_all_saved(data):
        return {}
    try:
        return _formula_and_error_cells(data)
    except Exception:
        return {}


def sheet(cells: str, ns: str = NS, prolog: str = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
          tail: str = "") -> bytes:
    return f'{prolog}<worksheet {ns}><sheetData>{cells}</sheetData>{tail}</worksheet>'.encode()


CASES = {
    "values only": sheet('<row r="1"><c r="A1"><v>1</v></c><c r="B1" t="s"><v>0</v></c></row>'),
    "excel formulas with results": sheet(
        '<row r="5"><c r="H5" s="3"><f>F5-G5</f><v>2</v></c><c r="I5"><f t="shared" ref="I5:I9" si="0">F5*2</f>'
        '<v>4</v></c></row><row r="6"><c r="I6"><f t="shared" si="0"/><v>6</v></c></row>'),
    "pretty printed": sheet('\n  <row r="5">\n    <c r="H5">\n      <f>F5-G5</f>\n      <v>2</v>\n    </c>\n  </row>\n'),
    "formula without result": sheet('<row r="5"><c r="H5"><f>F5-G5</f><v></v></c><c r="I5"><f>1+1</f></c>'
                                    '<c r="J5"><f>2</f><v/></c></row>'),
    "shared formula without result": sheet('<row r="6"><c r="I6"><f t="shared" si="0"/></c></row>'),
    "error values": sheet('<row r="3"><c r="G3" t="e"><v>#N/A</v></c><c r="H3" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
                          '<c r="I3" t="e"><v></v></c></row>'),
    "error value in single quotes": sheet("<row r='3'><c r='G3' t='e'><v>#N/A</v></c><c r='H3'><f>1</f></c></row>"),
    "error value only in single quotes": sheet("<row r='3'><c r='G3' t='e'><v>#N/A</v></c></row>"),
    "error as a character reference": sheet('<row r="3"><c r="G3" t="&#101;"><v>#REF!</v></c><c r="A3" t="e">'
                                            '<v>#N/A</v></c></row>'),
    "prefixed names": sheet('<x:row r="2"><x:c r="B2"><x:f>1/0</x:f><x:v></x:v></x:c><x:c r="C2" t="e"><x:v>#N/A</x:v>'
                            '</x:c><x:c r="D2"><x:f>1</x:f><x:v>1</x:v></x:c></x:row>', XNS).replace(
                                b"<worksheet", b"<x:worksheet").replace(b"</worksheet>", b"</x:worksheet>").replace(
                                b"<sheetData>", b"<x:sheetData>").replace(b"</sheetData>", b"</x:sheetData>"),
    "formula text in a comment": sheet('<!-- <c r="A1"><f>1</f></c> --><row r="1"><c r="A1"><v>1</v></c></row>'),
    "formula in CDATA": sheet('<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<f>x</f>]]></t></is></c>'
                              '<c r="B1"><f>1</f><v>1</v></c></row>'),
    "f nested below another child": sheet('<row r="1"><c r="A1"><is><f>1</f></is><v>3</v></c></row>'),
    "two values, the last empty": sheet('<row r="1"><c r="A1"><f>1</f><v>1</v><v></v></c></row>'),
    "value before formula": sheet('<row r="1"><c r="A1"><v>1</v><f>1</f></c></row>'),
    "cell without reference": sheet('<row r="1"><c><f>1</f></c></row>'),
    "odd reference": sheet('<row r="1"><c r="5A"><f>1</f></c></row>'),
    "doctype": sheet('<row r="1"><c r="A1"><f>1</f></c></row>',
                     prolog='<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aa">]>'),
    "doctype after a comment": sheet('<row r="1"><c r="A1"><f>&a;</f></c></row>',
                                     prolog='<?xml version="1.0"?><!-- x --><!DOCTYPE w [<!ENTITY a "1">]>'),
    "billion laughs": sheet('<row r="1"><c r="A1"><f>&lol9;</f></c></row>', prolog='<?xml version="1.0"?><!DOCTYPE l ['
                            + "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10 if i > 1 else "lol"}">'
                                      for i in range(1, 10)) + ']>'),
    "undefined entity": sheet('<row r="1"><c r="A1"><f>&nope;</f></c></row>'),
    "broken XML": sheet('<row r="1"><c r="A1"><f>1</f></c></row><row>'),
    "broken after the row limit": sheet(f'<row r="1"><c r="A1"><f>1</f></c></row><row r="{MAX_ROWS + 5}">'
                                        f'<c r="A{MAX_ROWS + 5}"><f>2</f></c></row><oops>'),
    "utf-16": '<?xml version="1.0" encoding="UTF-16"?><worksheet><sheetData><row r="1"><c r="A1"><f>1</f></c>'
              '</row></sheetData></worksheet>'.encode("utf-16"),
    "utf-8 bom": b"\xef\xbb\xbf" + sheet('<row r="1"><c r="A1"><f>1</f></c></row>', prolog=""),
    "entity in formula": sheet('<row r="1"><c r="A1"><f>"a"&amp;"b"</f></c><c r="B1"><f>1&lt;2</f><v>1</v></c></row>'),
}


def test_fast_scan_finds_what_the_defused_parse_found():
    for name, data in CASES.items():
        assert fast(data) == reference(data), name


def test_saved_formulas_skip_the_parse_and_unsaved_ones_do_not():
    assert _values_all_saved(CASES["excel formulas with results"])
    assert _values_all_saved(CASES["pretty printed"])
    assert not _values_all_saved(CASES["formula without result"])
    assert not _values_all_saved(CASES["error values"])
    assert reference(CASES["formula without result"]) == {
        (4, 7): ("formula", "=F5-G5"), (4, 8): ("formula", "=1+1"), (4, 9): ("formula", "=2")}


_CELL = st.sampled_from([
    '<c r="{a}"><v>1</v></c>',
    '<c r="{a}" t="s"><v>3</v></c>',
    '<c r="{a}"><f>B1-C1</f><v>2</v></c>',
    '<c r="{a}"><f>B1-C1</f><v></v></c>',
    '<c r="{a}"><f>B1-C1</f></c>',
    '<c r="{a}"><f t="shared" si="0"/><v>5</v></c>',
    '<c r="{a}"><f t="shared" si="0"/></c>',
    '<c r="{a}" t="e"><v>#N/A</v></c>',
    '<c r="{a}" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
    "<c r='{a}' t='e'><v>#REF!</v></c>",
    '<c r="{a}" t="inlineStr"><is><t>扣分原因</t></is></c>',
    '<c r="{a}">\n <f>1</f>\n <v>1</v>\n</c>',
    '<!-- <c r="{a}"><f>x</f></c> -->',
    '<c r="{a}"><v>1</v><f>1</f></c>',
    '<c r="{a}"/>',
    '<x:c r="{a}"><x:f>1</x:f><x:v>1</x:v></x:c>',
    '<x:c r="{a}"><x:f>1</x:f></x:c>',
    '<c r="{a}"><f>1</f><x:v>2</x:v></c>',
    '<c r="{a}" t="&#101;"><v>#N/A</v></c>',
    '<c r="{a}"><f>IF(B1="e",1,0)</f><v>0</v></c>',
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_CELL, max_size=6), max_size=8), st.booleans())
def test_fast_scan_equals_the_reference_on_generated_sheets(rows, broken):
    xml = "".join(f'<row r="{r}">' + "".join(c.format(a=f"{'ABCDEF'[i]}{r}") for i, c in enumerate(cells)) + "</row>"
                  for r, cells in enumerate(rows, 1))
    data = sheet(xml + ("<row>" if broken else ""), ns=f"{NS} {XNS}")
    assert fast(data) == reference(data)
