#!/bin/sh
# Remake the producer-made fixtures of tests/unit/xls_test.c and
# xmlss_test.c: workbooks written by python3-openpyxl, then saved as .xls by
# LibreOffice (BIFF8, and password-protected through UNO) and by
# gnumeric's ssconvert, and as Excel 2003 XML by LibreOffice's own export
# stylesheet; and the two SpreadsheetML cases derived from hand-written
# ones.  Not made here: the hand-written fixtures/xmlss-unit/odd-*.xml,
# hostile-*.xml and notworkbook.xml, and fixtures/xls-unit/freexl-*.xls,
# inputs on which fuzz/xls.c found FreeXL reading out of bounds and
# freeing a bad pointer.
# Needs: libreoffice-calc-nogui, python3-uno, python3-openpyxl, python3-lxml,
# gnumeric.  Run from the top of the tree: tests/unit/make-xls.sh
set -eu
top=$(pwd)
xls=$top/fixtures/xls-unit
xml=$top/fixtures/xmlss-unit
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$xls" "$xml"
cd "$tmp"
export HOME="$tmp" # LibreOffice's profile

$py - <<'PY'
import datetime
import openpyxl
from openpyxl.styles import Font
from openpyxl.utils.datetime import CALENDAR_MAC_1904

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "数据"
ws["A2"] = "2025年统计"  # row 1 empty, a title in row 2
hdr = ["地区", "金额", "数量", "日期", "时间戳", "时间", "布尔", "错误", "代码", "备注"]
for i, h in enumerate(hdr):
    ws.cell(row=3, column=i + 1, value=h)
row = ["北京", 18374.15, 42, datetime.date(2025, 3, 1),
       datetime.datetime(2025, 3, 1, 8, 30), datetime.time(8, 30), True,
       "=1/0", "00123", "\\N"]
for i, v in enumerate(row):
    ws.cell(row=4, column=i + 1, value=v)
ws["D4"].number_format = "yyyy-mm-dd"
ws["E4"].number_format = "yyyy-mm-dd hh:mm:ss"
ws["F4"].number_format = "hh:mm:ss"
# row 5 empty, inside the table
ws["A6"] = "上海"; ws["B6"] = 1e15; ws["C6"] = -3
ws["D6"] = 45717.3541666; ws["D6"].number_format = "yyyy-mm-dd hh:mm:ss"
ws["E6"] = 0.1; ws["G6"] = False
ws["A7"] = "合计"; ws["B7"] = "=B4+B6"; ws["C7"] = '=A4&"市"'
ws["A8"] = "tab\there"; ws["B8"] = "line1\nline2"
ws["J12"].font = Font(bold=True)  # styled but empty: not a row
s2 = wb.create_sheet("Sheet2")
s2["A1"] = "2025年"; s2.merge_cells("A1:B1")
s2["C1"] = "地区"; s2.merge_cells("C1:C2")
s2["A2"] = "金额"; s2["B2"] = "数量"
s2["A3"] = 1; s2["B3"] = 2; s2["C3"] = "东"
wb.create_sheet("空")
s4 = wb.create_sheet("serial")  # Excel serials around the 1900 leap-year bug
for r, v in enumerate([1, 59, 61, 45717.5], start=1):
    s4.cell(row=r, column=1, value=v).number_format = "yyyy-mm-dd"
    s4.cell(row=r, column=2, value=v).number_format = "yyyy-mm-dd hh:mm:ss"
wb.save("basic.xlsx")

wb = openpyxl.Workbook()
wb.epoch = CALENDAR_MAC_1904
ws = wb.active
ws.title = "d"
ws.append(["日期", "时间戳"])
ws.append([datetime.date(2025, 3, 1), datetime.datetime(2025, 3, 1, 8, 30)])
ws["A2"].number_format = "yyyy-mm-dd"
ws["B2"].number_format = "yyyy-mm-dd hh:mm:ss"
wb.save("date1904.xlsx")

# formulas without cached values: LibreOffice computes them on the way to
# .xls and writes every kind of result (lib/biff.c reads them back)
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "公式"
rows = [("日期", "=DATE(2025,3,1)", "yyyy-mm-dd"),
        ("时间戳", "=DATE(2025,3,1)+TIME(8,30,0)", "yyyy-mm-dd hh:mm:ss"),
        ("长文本", '=REPT("雁",5000)&"塔"', None),
        ("拉丁", '=REPT("ab",3000)', None),
        ("空串", '=""', None),
        ("真", "=1=1", None),
        ("无值", "=NA()", None),
        ("小数", "=0.1+0.2", None)]
for i, (a, f, fmt) in enumerate(rows):
    ws.cell(row=i + 1, column=1, value=a)
    ws.cell(row=i + 1, column=2, value=f)
    if fmt:
        ws.cell(row=i + 1, column=2).number_format = fmt
ws["D10"] = "=2*21"
wb.save("formulas.xlsx")
PY

soffice --headless --convert-to xls basic.xlsx date1904.xlsx formulas.xlsx >/dev/null 2>&1
cp basic.xls "$xls/basic.xls"
cp formulas.xls "$xls/formulas.xls"
cp date1904.xls "$xls/date1904.xls"
ssconvert basic.xlsx gnumeric.xls >/dev/null 2>&1
cp gnumeric.xls "$xls/gnumeric.xls"
head -c 3000 basic.xls >"$xls/truncated.xls"
printf 'a,b\n1,2\n' >"$xls/text.xls"

# password-protected: LibreOffice through UNO (the command line cannot)
$py - basic.xlsx "$xls/password.xls" <<'PY'
import os, subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p

src, dst = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
pipe = "wyxls%d" % os.getpid()
office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore",
    "--accept=pipe,name=%s;urp;" % pipe],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext(
    "com.sun.star.bridge.UnoUrlResolver", local)
for _ in range(150):
    try:
        ctx = resolver.resolve(
            "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
        break
    except Exception:
        time.sleep(0.2)
desktop = ctx.ServiceManager.createInstanceWithContext(
    "com.sun.star.frame.Desktop", ctx)
doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0,
    (prop("Hidden", True),))
doc.storeToURL(uno.systemPathToFileUrl(dst),
    (prop("FilterName", "MS Excel 97"), prop("Password", "wanyi")))
doc.close(True)
try:
    desktop.terminate()
except Exception:
    pass
office.wait(timeout=60)
PY

# Excel 2003 XML: LibreOffice's 'MS Excel 2003 XML' filter is an XSLT over
# flat ODF, which overflows libxslt's recursion on the 16384 empty columns
# of every sheet; run the same stylesheet here with those repeats cut short.
soffice --headless --convert-to fods basic.xlsx >/dev/null 2>&1
sed -E 's/number-(columns|rows)-repeated="[0-9]{4,}"/number-\1-repeated="2"/g' \
    basic.fods >small.fods
$py - small.fods "$xml/basic.xml" <<'PY'
import sys
from lxml import etree
xsl = "/usr/lib/libreoffice/share/xslt/export/spreadsheetml/ooo2spreadsheetml.xsl"
transform = etree.XSLT(etree.parse(xsl))
with open(sys.argv[2], "wb") as out:
    out.write(bytes(transform(etree.parse(sys.argv[1]))))
PY

# a GB2312 file (libxml2 decodes it by its declaration), and a cut one
$py - "$xml/gb2312.xml" <<'PY'
import sys
s = """<?xml version="1.0" encoding="GB2312"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="统计"><Table>
  <Row><Cell><Data ss:Type="String">地区</Data></Cell><Cell><Data ss:Type="String">金额（万元）</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">北京</Data></Cell><Cell><Data ss:Type="Number">12.5</Data></Cell></Row>
 </Table></Worksheet>
</Workbook>
"""
open(sys.argv[1], "wb").write(s.encode("gb2312"))
PY
head -c 400 "$xml/odd-layout.xml" >"$xml/truncated.xml"
ls -l "$xls" "$xml"
