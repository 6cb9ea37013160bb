#!/bin/sh
# tests/sh/books-hostile.sh: wy-extract refuses hostile workbooks and feeds
# quickly, in little memory, with a clear message and exit status 1.
#
#   - zip bombs, made here rather than committed: an .xlsx whose sheet
#     part inflates to 1.1 GiB of comments from about 1 MiB, once with
#     honest sizes in the zip headers and once with headers that claim
#     4 KiB; and one of 64 MiB refused under --max-inflate 1048576, while
#     it reads under the default cap and a good workbook reads under 1 MiB.
#     (Comments, not spaces or empty rows: libxml2 refuses a text node of
#     more than 10 MB, and a reader more rows than a sheet holds, which
#     would hide whether the cap works.)
#   - billion laughs and an external entity naming /etc/passwd in a feed
#
# Each refusal must come before the bomb is read: the output stays under
# 1 MB (a reader that inflated the bomb would write a gigabyte of rows),
# in under 200 MB of memory, measured by /usr/bin/time (not under ASan,
# whose shadow memory and quarantine are no measure).  Nothing here is
# timed; bench/xlsx times the refusal.  Prints each failure; exits 1 if
# any.
. "$(dirname "$0")/lib/test.sh"
FIX=$top/fixtures
max_out=1048576
max_kb=204800
case $B in *asan*) max_kb=999999999 ;; esac

# bomb FILE SIZE CLAIMED: an .xlsx whose sheet part is SIZE bytes (a row,
# then empty comments) and whose zip headers say it is CLAIMED bytes.  The
# comments are one deflated block of 1 MiB, ended by a full flush so that
# it needs nothing before it, repeated: python writes 1 GiB in a second or
# two, most of it computing the CRC.
bomb() {
	python3 - "$1" "$2" "$3" <<'EOF'
import struct, sys, zlib
path, size, claimed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
head = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="%s"><sheetData>'
	'<row r="1"><c r="A1" t="inlineStr"><is><t>地区</t></is></c></row>' % MAIN).encode()
tail = b"</sheetData></worksheet>"
chunk = b"<!-- -->" * (1 << 17)
n = (size - len(head) - len(tail)) // len(chunk)
pad = size - len(head) - len(tail) - n * len(chunk)

def deflate(parts):
	"""parts: (bytes, times); returns raw deflate data and the crc."""
	out, crc = [], 0
	for data, times in parts:
		c = zlib.compressobj(9, zlib.DEFLATED, -15)
		block = c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)
		out.append(block * times)
		for _ in range(times):
			crc = zlib.crc32(data, crc)
	c = zlib.compressobj(9, zlib.DEFLATED, -15)
	out.append(c.flush(zlib.Z_FINISH))  # an empty final block
	return b"".join(out), crc & 0xffffffff

def part(name, data):
	c = zlib.compressobj(9, zlib.DEFLATED, -15)
	return name, c.compress(data) + c.flush(), zlib.crc32(data) & 0xffffffff, len(data), len(data)

parts = [
	part("[Content_Types].xml", ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
		'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
		'<Default Extension="xml" ContentType="application/xml"/>'
		'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
		'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
		'</Types>').encode()),
	part("_rels/.rels", ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s">'
		'<Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/></Relationships>' % (RELS, DOC)).encode()),
	part("xl/workbook.xml", ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="%s" xmlns:r="%s">'
		'<sheets><sheet name="表1" sheetId="1" r:id="rId1"/></sheets></workbook>' % (MAIN, DOC)).encode()),
	part("xl/_rels/workbook.xml.rels", ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s">'
		'<Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/></Relationships>' % (RELS, DOC)).encode()),
]
data, crc = deflate([(head, 1), (chunk, n), (b" " * pad + tail, 1)])
parts.append(("xl/worksheets/sheet1.xml", data, crc, claimed, size))

with open(path, "wb") as f:
	central = b""
	for name, data, crc, usize, _ in parts:
		off = f.tell()
		nm = name.encode()
		f.write(struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0x800, 8, 0, 0x21,
			crc, len(data), usize, len(nm), 0) + nm + data)
		central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0x800, 8, 0, 0x21,
			crc, len(data), usize, len(nm), 0, 0, 0, 0, 0, off) + nm
	cd = f.tell()
	f.write(central)
	f.write(struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, len(parts), len(parts),
		len(central), cd, 0))
EOF
}

# refuse NAME LABEL ARGS...: wy-extract ARGS must exit 1 with a message
# holding LABEL (the file's name) and stay within the bounds.  Rows before
# the error may have been written (the header, here): output streams.
refuse() {
	name=$1 label=$2
	shift 2
	# timeout: only so that a reader that hangs fails rather than hangs
	/usr/bin/time -f '%e %M' -o "$tmp/time" timeout 600 wy-extract "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" = 124 ] && fail "$name: still running after 600 s"
	[ "$rc" = 1 ] || fail "$name: exit $rc, want 1: $(head -n 3 "$tmp/err")"
	grep -q "^wy-extract: .*$label" "$tmp/err" ||
		fail "$name: no message naming the file: $(head -n 3 "$tmp/err")"
	grep -q 'GB18030\|UTF-8\|quoted field\|row has' "$tmp/err" &&
		fail "$name: read as CSV: $(head -n 1 "$tmp/err")"
	grep -q 'root:' "$tmp/out" "$tmp/err" && fail "$name: /etc/passwd in the output"
	set -- $(tail -n 1 "$tmp/time")
	[ "$(wc -c <"$tmp/out")" -lt "$max_out" ] ||
		fail "$name: $(wc -c <"$tmp/out") bytes written before the refusal"
	[ "${2:-0}" -lt "$max_kb" ] || fail "$name: peak memory $2 KB (bound $max_kb KB)"
	echo "$name: $(head -n 1 "$tmp/err") [$1 s, $2 KB]"
}

command -v python3 >/dev/null || { echo "FAIL: python3 is needed to make the bombs"; exit 1; }
gib=$((1 << 30))
bomb "$tmp/bomb.xlsx" $((gib + gib / 10)) $((gib + gib / 10)) || fail "cannot make bomb.xlsx"
bomb "$tmp/liar.xlsx" $((gib + gib / 10)) 4096 || fail "cannot make liar.xlsx"
bomb "$tmp/small.xlsx" $((64 << 20)) $((64 << 20)) || fail "cannot make small.xlsx"
sz=$(wc -c <"$tmp/bomb.xlsx")
[ "$sz" -lt 3000000 ] || fail "bomb.xlsx is $sz bytes: not a bomb"

refuse bomb bomb.xlsx "$tmp/bomb.xlsx"
refuse liar liar.xlsx "$tmp/liar.xlsx"
gzip -c "$tmp/bomb.xlsx" >"$tmp/bomb.xlsx.gz"
refuse bomb-gzip bomb.xlsx.gz "$tmp/bomb.xlsx.gz"
refuse bomb-stdin stdin - <"$tmp/bomb.xlsx"
refuse max-inflate small.xlsx --max-inflate 1048576 "$tmp/small.xlsx"
# the cap is per part and leaves good workbooks alone
wy-extract --max-inflate 1048576 "$FIX/books/regions.xlsx" >"$tmp/out" 2>"$tmp/err" ||
	fail "regions.xlsx under --max-inflate 1048576: $(head -n 3 "$tmp/err")"
# the small bomb is no bomb under the default cap: 64 MiB of comments,
# read in constant memory (libxml2's reader keeps nodes it is not told
# it may free)
/usr/bin/time -f '%e %M' -o "$tmp/time" timeout 600 wy-extract "$tmp/small.xlsx" >"$tmp/out" 2>"$tmp/err" ||
	fail "small.xlsx under the default cap: $(head -n 3 "$tmp/err")"
[ "$(cat "$tmp/out")" = 地区 ] || fail "small.xlsx: got $(head -c 100 "$tmp/out")"
set -- $(tail -n 1 "$tmp/time")
[ "${2:-0}" -lt "$max_kb" ] || fail "small.xlsx: peak memory $2 KB (bound $max_kb KB)"
echo "small.xlsx: read [$1 s, $2 KB]"

refuse laughs laughs.xml --record //记录 "$FIX/books/laughs.xml"
refuse xxe xxe.xml --record //记录 "$FIX/books/xxe.xml"
refuse xxe-xlsx xxe.xlsx "$FIX/books/xxe.xlsx"

[ "$nfail" = 0 ]
