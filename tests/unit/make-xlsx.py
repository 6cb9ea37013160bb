#!/usr/bin/python3
# Makes the workbooks of fixtures/xlsx-unit/ that tests/unit/xlsx_test.c
# reads (the tests themselves need no python).  Run from the top folder:
#   tests/unit/make-xlsx.py
# openpyxl (Debian python3-openpyxl) makes the ordinary ones; the odd
# cases no producer at hand writes (prefixed names, ISO Strict, absolute
# targets, rich and phonetic runs, _xHHHH_ escapes, cells without r,
# DOCTYPE, a zip bomb, broken zips) are put together with zipfile.
import datetime
import decimal
import os
import random
import zipfile
import zlib

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

OUT = "fixtures/xlsx-unit"

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
S_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
S_R = "http://purl.oclc.org/ooxml/officeDocument/relationships"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def path(name):
    return os.path.join(OUT, name)


def by_openpyxl():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["地区", "金额", "日期", "代码", "真"])
    ws.append(["北京", 18374.15, datetime.date(2025, 3, 1), "00123", True])
    ws.append(["上海", -3, datetime.datetime(2025, 3, 1, 8, 30), "\\N", False])
    ws.append([])
    ws.append(["广州", 1e15, None, None, None])
    ws["F5"] = datetime.time(8, 30)
    ws["B2"].number_format = "#,##0.00"
    ws["C5"] = datetime.date(2025, 3, 1)
    ws["C5"].number_format = 'yyyy"年"m"月"d"日"'
    ws["H20"].font = openpyxl.styles.Font(bold=True)  # styled, empty
    ws2 = wb.create_sheet("Second")
    ws2["B2"] = 0.1
    wb.save(path("openpyxl.xlsx"))

    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.append(["日期", "时间戳"])
    ws.append([datetime.date(2025, 3, 1), datetime.datetime(2025, 3, 1, 8, 30)])
    wb.save(path("date1904.xlsx"))

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "地区"
    ws["B1"] = "2025年"
    ws["D1"] = "2024年"
    ws.append([None, "金额（万元）", "增长", "金额（万元）", "增长"])
    ws.append(["东", 1, 2, 3, 4])
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:C1")
    ws.merge_cells("D1:E1")
    wb.save(path("merges.xlsx"))


def package(name, parts, stored=()):
    """A zip of parts (name -> text), in order; stored: not deflated."""
    with zipfile.ZipFile(path(name), "w") as z:
        for part, text in parts.items():
            data = text.encode() if isinstance(text, str) else text
            method = zipfile.ZIP_STORED if part in stored else zipfile.ZIP_DEFLATED
            z.writestr(zipfile.ZipInfo(part, (2025, 3, 1, 0, 0, 0)), data,
                       compress_type=method)


def rels(items, ns=R):
    out = [DECL, f'<Relationships xmlns="{RELS}">']
    for rid, typ, target in items:
        out.append(f'<Relationship Id="{rid}" Type="{ns}/{typ}" Target="{target}"/>')
    out.append("</Relationships>")
    return "".join(out)


def workbook(sheets, ns=MAIN, rns=R, pr=""):
    s = "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="{rid}"/>'
                for i, (n, rid) in enumerate(sheets))
    return (f'{DECL}<workbook xmlns="{ns}" xmlns:r="{rns}">{pr}'
            f"<sheets>{s}</sheets></workbook>")


CONTENT_TYPES = (DECL + '<Types xmlns="http://schemas.openxmlformats.org/'
                 'package/2006/content-types"><Default Extension="xml" '
                 'ContentType="application/xml"/></Types>')

SST = (DECL + f'<sst xmlns="{MAIN}" count="6" uniqueCount="6">'
       "<si><t>2025年统计</t></si>"
       "<si><t>地区</t></si>"
       "<si><t>金额</t></si>"
       "<si><t>00123</t></si>"
       '<si><r><t>上</t></r><r><rPr><b/></rPr><t xml:space="preserve">海 </t></r>'
       '<rPh sb="0" eb="1"><t>シャンハイ</t></rPh><phoneticPr fontId="1"/></si>'
       "<si><t>a_x005F_x0041_b_x000D_c_xD83D__xDE00_</t></si>"
       "</sst>")

STYLES = (DECL + f'<styleSheet xmlns="{MAIN}"><numFmts count="1">'
          '<numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
          "</numFmts>"
          '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
          '<cellXfs count="4"><xf numFmtId="0" xfId="0"/><xf numFmtId="164"/>'
          '<xf numFmtId="22" applyNumberFormat="1"/><xf numFmtId="4"/></cellXfs>'
          "</styleSheet>")

# Prefixed names, missing rows and cells, cells without r, every cell type,
# styled empty cells and rows that must not count, a wrong <dimension>.
HANDMADE_SHEET = (
    DECL + f'<x:worksheet xmlns:x="{MAIN}" xmlns:r="{R}">\n'
    '<x:dimension ref="A1:AZ999"/><x:sheetData>\n'
    '<x:row r="2" spans="1:7"><x:c r="A2" t="s"><x:v>0</x:v></x:c></x:row>\n'
    '<x:row r="3"><x:c r="A3" t="s"><x:v>1</x:v></x:c><x:c r="B3" t="s"><x:v>2</x:v></x:c></x:row>\n'
    '<x:row r="4"><x:c r="A4" t="inlineStr"><x:is><x:r><x:t>北</x:t></x:r>'
    '<x:r><x:rPr><x:b/></x:rPr><x:t>京</x:t></x:r><x:rPh sb="0" eb="1"><x:t>ペキン</x:t></x:rPh></x:is></x:c>'
    '<x:c r="B4"><x:v>18374.150000000001</x:v></x:c>'
    '<x:c r="C4" s="1"><x:v>45717</x:v></x:c>'
    '<x:c r="D4" s="2"><x:v>45717.35416666666</x:v></x:c>'
    '<x:c r="E4" t="d"><x:v>2025-03-01T00:00:00Z</x:v></x:c>'
    '<x:c r="F4" t="s"><x:v>3</x:v></x:c>'
    '<x:c r="G4" s="3"><x:v>1234.5</x:v></x:c></x:row>\n'
    '<x:row r="6"><x:c r="B6"><x:v>1E+15</x:v></x:c>'
    '<x:c r="D6" t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c>'
    '<x:c t="b"><x:v>1</x:v></x:c>'
    '<x:c t="str"><x:f>A1&amp;"x"</x:f><x:v>a_x0009_b</x:v></x:c>'
    '<x:c r="H6" t="d"><x:v>2025-03-01T08:30:00.000</x:v></x:c></x:row>\n'
    '<x:row><x:c><x:v>-0.5</x:v></x:c><x:c><x:v>0.1</x:v></x:c>'
    '<x:c r="C7" t="s"><x:v>4</x:v></x:c><x:c r="D7" s="1"/></x:row>\n'
    '<x:row r="8" s="1" customFormat="1"><x:c r="Z8" s="1"/></x:row>\n'
    '<x:row r="9"><x:c r="A9" t="inlineStr"><x:is><x:t>\\N</x:t></x:is></x:c>'
    '<x:c r="B9" t="s"><x:v>5</x:v></x:c><x:c r="AZ9" s="1"/></x:row>\n'
    '<x:row r="10" s="1"><x:c r="A10" s="1"/></x:row>\n'
    '<x:row r="11"/>\n'
    '</x:sheetData><x:mergeCells count="1"><x:mergeCell ref="A2:G2"/></x:mergeCells>'
    '</x:worksheet>\n')

NO_R_SHEET = (DECL + f'<worksheet xmlns="{MAIN}"><sheetData>'
              "<row><c><v>1</v></c><c><v>2</v></c></row>"
              '<row><c t="inlineStr"><is><t>x</t></is></c></row>'
              "</sheetData></worksheet>")


def handmade():
    package("handmade.xlsx", {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": rels([("rId1", "officeDocument", "xl/workbook.xml")]),
        "xl/workbook.xml": workbook([("数据", "rId7"), ("B", "rId3")]),
        "xl/_rels/workbook.xml.rels": rels([
            ("rId3", "worksheet", "worksheets/sheet1.xml"),
            ("rId7", "worksheet", "/xl/worksheets/sheet2.xml"),
            ("rId9", "styles", "styles.xml"),
            ("rId10", "sharedStrings", "sharedStrings.xml")]),
        "xl/styles.xml": STYLES,
        "xl/sharedStrings.xml": SST,
        "xl/worksheets/sheet1.xml": NO_R_SHEET,
        "xl/worksheets/sheet2.xml": HANDMADE_SHEET,
    })


def strict():
    sheet = (DECL + f'<worksheet xmlns="{S_MAIN}"><sheetData>'
             '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
             '<row r="2"><c r="A2" s="1"><v>44255</v></c>'
             '<c r="B2" t="d"><v>2025-03-01T08:30:00</v></c></row>'
             "</sheetData></worksheet>")
    sst = (DECL + f'<sst xmlns="{S_MAIN}"><si><t>日期</t></si><si><t>时间</t></si></sst>')
    styles = (DECL + f'<styleSheet xmlns="{S_MAIN}"><cellXfs><xf numFmtId="0"/>'
              '<xf numFmtId="14"/></cellXfs></styleSheet>')
    package("strict.xlsx", {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": rels([("rId1", "officeDocument", "xl/wb.xml")], S_R),
        "xl/wb.xml": workbook([("Strict", "rId1")], S_MAIN, S_R,
                              '<workbookPr date1904="true"/>'),
        "xl/_rels/wb.xml.rels": rels([
            ("rId1", "worksheet", "sheets/s.xml"),
            ("rId2", "styles", "st.xml"),
            ("rId3", "sharedStrings", "strings.xml")], S_R),
        "xl/sheets/s.xml": sheet,
        "xl/st.xml": styles,
        "xl/strings.xml": sst,
    })


def plain_decimal(f):
    """What cell_number writes: the shortest decimal, positional."""
    if f == 0:
        return "0"
    s = format(decimal.Decimal(repr(f)), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def numbers():
    """Column A numbers as producers write them, column B the text wanted."""
    rnd = random.Random(4)
    texts = ["18374.150000000001", "0.1", "1E+15", "100", "-0", "0", "0.000123",
             "123456789012345", "1234567890123456789", "2.5E-7",
             "0.30000000000000004", "-1.5", "1e300", "4.9406564584124654E-324",
             "007", "1.10", "-0.0", "45717.35416666666", "9007199254740993",
             "0.99999999999999999", "9.9999999999999999", "99999999999999999.5",
             "-18374.150000000001", "1234.5600000000001", ".5", "-.25"]
    for _ in range(300):
        f = rnd.choice([rnd.uniform(-1e6, 1e6), rnd.random() * 10 ** rnd.randint(-20, 20),
                        round(rnd.uniform(-1e4, 1e4), rnd.randint(0, 6))])
        texts += [repr(f), "%.17g" % f, "%.15g" % f]
    rows = []
    for i, t in enumerate(texts, 1):
        want = plain_decimal(float(t))
        rows.append(f'<row r="{i}"><c r="A{i}"><v>{t}</v></c>'
                    f'<c r="B{i}" t="inlineStr"><is><t>{want}</t></is></c></row>')
    sheet = (DECL + f'<worksheet xmlns="{MAIN}"><sheetData>' + "".join(rows) +
             "</sheetData></worksheet>")
    package("numbers.xlsx", {
        "_rels/.rels": rels([("rId1", "officeDocument", "xl/workbook.xml")]),
        "xl/workbook.xml": workbook([("n", "rId1")]),
        "xl/_rels/workbook.xml.rels": rels([("rId1", "worksheet", "worksheets/sheet1.xml")]),
        "xl/worksheets/sheet1.xml": sheet,
    })


def one_sheet(name, sheet, extra=None, stored=()):
    parts = {
        "_rels/.rels": rels([("rId1", "officeDocument", "xl/workbook.xml")]),
        "xl/workbook.xml": workbook([("S", "rId1")]),
        "xl/_rels/workbook.xml.rels": rels([("rId1", "worksheet", "worksheets/sheet1.xml")]),
        "xl/worksheets/sheet1.xml": sheet,
    }
    parts.update(extra or {})
    package(name, parts, stored)


def hostile():
    lol = "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    one_sheet("doctype.xlsx", DECL + f'<!DOCTYPE worksheet [<!ENTITY lol0 "lol">{lol}]>\n'
              f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
              "<is><t>&lol9;</t></is></c></row></sheetData></worksheet>")
    # an external entity in the shared strings: an error, never the file
    one_sheet("xxe.xlsx", DECL + f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">'
              '<c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
              {"xl/sharedStrings.xml": DECL + '<!DOCTYPE sst [<!ENTITY xxe SYSTEM '
               f'"file:///etc/passwd">]><sst xmlns="{MAIN}"><si><t>&xxe;</t></si></sst>'})
    one_sheet("malformed.xlsx", DECL + f'<worksheet xmlns="{MAIN}"><sheetData>\n'
              '<row r="1"><c r="A1"><v>1</v></c></row>\n'
              '<row r="2"><c r="A2"><v>2</v></row>\n'
              "</sheetData></worksheet>\n")
    # cells out of order, far apart, and twice in one place
    one_sheet("sparse.xlsx", DECL + f'<worksheet xmlns="{MAIN}"><sheetData>'
              '<row r="1"><c r="C1"><v>3</v></c><c r="A1"><v>1</v></c></row>'
              '<row r="2"><c r="XFD2" t="inlineStr"><is><t>z</t></is></c></row>'
              "</sheetData></worksheet>")
    one_sheet("dupcell.xlsx", DECL + f'<worksheet xmlns="{MAIN}"><sheetData>'
              '<row r="1"><c r="B1"><v>1</v></c><c r="B1"><v>2</v></c></row>'
              "</sheetData></worksheet>")
    # a stored part with a byte changed after its CRC was taken
    one_sheet("badcrc.xlsx", NO_R_SHEET, stored=("xl/worksheets/sheet1.xml",))
    with open(path("badcrc.xlsx"), "r+b") as f:
        data = f.read()
        at = data.index(b"<v>2</v>")
        f.seek(at + 3)
        f.write(b"3")
    with zipfile.ZipFile(path("nowb.xlsx"), "w") as z:
        z.writestr("readme.txt", "not a workbook")
    with open(path("openpyxl.xlsx"), "rb") as f:
        data = f.read()
    with open(path("truncated.xlsx"), "wb") as f:
        f.write(data[: len(data) * 2 // 3])
    bomb()


def bomb():
    """About 1 MB of zip whose sheet inflates to 1 GiB of blanks."""
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = (DECL + f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1">'
            "<v>1</v></c></row>").encode()
    tail = b"</sheetData></worksheet>"
    block = b" " * (1 << 20)
    crc = zlib.crc32(head)
    out = [z.compress(head)]
    for _ in range(1024):
        crc = zlib.crc32(block, crc)
        out.append(z.compress(block))
    crc = zlib.crc32(tail, crc)
    out.append(z.compress(tail))
    out.append(z.flush())
    deflated = b"".join(out)
    size = len(head) + (1 << 30) + len(tail)
    one_sheet("bomb.xlsx", "")
    # replace the empty sheet entry by the bomb, sizes and CRC true
    with zipfile.ZipFile(path("bomb.xlsx")) as z_in:
        items = [(i, z_in.read(i.filename)) for i in z_in.infolist()]
    with open(path("bomb.xlsx"), "wb") as f:
        central = []
        for info, data in items:
            name = info.filename.encode()
            if info.filename == "xl/worksheets/sheet1.xml":
                body, c, usize = deflated, crc, size
            else:
                body, c, usize = zlib.compress(data, 9)[2:-4], zlib.crc32(data), len(data)
            off = f.tell()
            local = (b"PK\3\4" + (20).to_bytes(2, "little") + bytes(2) +
                     (8).to_bytes(2, "little") + bytes(4) + c.to_bytes(4, "little") +
                     len(body).to_bytes(4, "little") + usize.to_bytes(4, "little") +
                     len(name).to_bytes(2, "little") + bytes(2) + name)
            f.write(local + body)
            central.append(b"PK\1\2" + (20).to_bytes(2, "little") + local[4:30] +
                           bytes(10) + off.to_bytes(4, "little") + name)
        cd = f.tell()
        for c in central:
            f.write(c)
        f.write(b"PK\5\6" + bytes(4) + len(central).to_bytes(2, "little") * 2 +
                (f.tell() - cd).to_bytes(4, "little") + cd.to_bytes(4, "little") + bytes(2))


def main():
    os.makedirs(OUT, exist_ok=True)
    by_openpyxl()
    handmade()
    strict()
    numbers()
    hostile()


main()
