#!/usr/bin/env python3
"""Writes the generated workbook seeds of fuzz/seeds/workbook/ (the files are
committed; run this, which needs `pip install xlwt`, only to change them).

Besides copies of tests/fixtures, the workbook target gets:
* ledger.xls: a BIFF8 workbook (xlwt), the format no fixture covers;
* ledger.xlsm: the XLSX ledger as a macro-enabled workbook;
* *_stored.xlsx / *_stored.ods: the fixtures re-zipped without compression
  (and without theme and document properties), so that the fuzzer's byte
  mutations land in XML the reader parses rather than in deflate streams;
  min_stored.xlsx adds shared strings, a date style and a boolean cell.
"""
import datetime as dt
import os
import zipfile

import xlwt

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "..", "tests", "fixtures")
OUT = os.path.join(HERE, "workbook")

LINES = [
    ("SO-001", dt.date(2024, 1, 5), "C001", "华东钢铁有限公司", 120000, 90000),
    ("SO-002", dt.date(2024, 2, 17), "C002", "北方建材集团", 80000, 85000.5),
    ("SO-003", dt.date(2024, 3, 9), "C001", "华东钢铁有限公司", 60000, 42000),
]
HEADERS = ["订单号", "开票日期", "客户编号", "客户名称", "销售额", "成本"]


def xls():
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("销售明细")
    date = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for c, h in enumerate(HEADERS):
        ws.write(0, c, h)
    for r, (o, d, cid, name, rev, cost) in enumerate(LINES, start=1):
        ws.write(r, 0, o)
        ws.write(r, 1, d, date)
        ws.write(r, 2, cid)
        ws.write(r, 3, name)
        ws.write(r, 4, rev)
        ws.write(r, 5, cost)
    ws.write(4, 0, "合计")
    ws.write(4, 4, xlwt.Formula("SUM(E2:E4)"))
    ws.write(4, 5, True)
    wb.add_sheet("说明").write(0, 0, "本表由财务软件导出")
    wb.save(os.path.join(OUT, "ledger.xls"))


def restore(src, dst, drop=(), rename=None):
    """`src` re-zipped uncompressed, without the parts in `drop`; `rename`
    edits a part's text."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            if any(info.filename.startswith(d) for d in drop):
                continue
            data = zin.read(info.filename)
            if rename:
                data = rename(info.filename, data)
            zout.writestr(zipfile.ZipInfo(info.filename), data, zipfile.ZIP_STORED)


def without_theme(name, data):
    if name in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
        text = data.decode()
        text = text.replace(
            '<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml" />', "")
        text = text.replace(
            '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml" Id="rId4" />', "")
        return text.encode()
    return data


def macro_enabled(name, data):
    data = without_theme(name, data)
    if name == "[Content_Types].xml":
        data = data.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
    return data


MIN_XLSX = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="false"/><sheets><sheet name="Sales" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="Data">Sales!$A$1:$D$3</definedName></definedNames></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
    "xl/sharedStrings.xml": '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="6" uniqueCount="6"><si><t>Customer</t></si><si><t>Date</t></si><si><t>Revenue</t></si><si><t>Paid</t></si><si><r><rPr><b/></rPr><t>Acme</t></r><r><t xml:space="preserve"> Ltd</t></r></si><si><t>甲公司</t></si></sst>',
    "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="46" applyNumberFormat="1"/></cellXfs></styleSheet>',
    "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:D3"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row><row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" s="1"><v>45296</v></c><c r="C2"><v>1200.5</v></c><c r="D2" t="b"><v>1</v></c></row><row r="3"><c r="A3" t="s"><v>5</v></c><c r="B3" t="d"><v>2024-02-17T00:00:00</v></c><c r="C3" t="str"><f>C2*2</f><v>2401</v></c><c r="D3" s="2"><v>1.5</v></c></row></sheetData></worksheet>',
}


def min_xlsx():
    with zipfile.ZipFile(os.path.join(OUT, "min_stored.xlsx"), "w", zipfile.ZIP_STORED) as z:
        for name, text in MIN_XLSX.items():
            z.writestr(zipfile.ZipInfo(name), text.encode(), zipfile.ZIP_STORED)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    xls()
    fx = lambda n: os.path.join(FIXTURES, n)
    drop = ("xl/theme/", "docProps/")
    restore(fx("ledger_title.xlsx"), os.path.join(OUT, "ledger.xlsm"), drop, macro_enabled)
    restore(fx("ledger_title.xlsx"), os.path.join(OUT, "ledger_title_stored.xlsx"), drop, without_theme)
    restore(fx("ledger_1904.xlsx"), os.path.join(OUT, "ledger_1904_stored.xlsx"), drop, without_theme)
    restore(fx("ledger.ods"), os.path.join(OUT, "ledger_stored.ods"), ("meta.xml",))
    min_xlsx()
    print("seeds written")
