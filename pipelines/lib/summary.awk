# pipelines/lib/summary.awk: the summary of a pipeline run, run by
# summary.sh (which see) with LC_ALL=C, so that strings are bytes in mawk
# and gawk alike.  Reads summary.tsv, then files.tsv when there is one;
# reads the rejects files that summary.tsv names from the folder `rejdir`
# (copies with invalid UTF-8 removed).  Writes the HTML page to `html` and
# the text summary to standard output; exits 1 when a row of summary.tsv
# breaks in = out + rejected.
#
# Variables: title, run (the run's name), rejdir, html, first (how many
# rejected rows to show).

BEGIN {
	FS = "\t"
	nrow = 0; nstage = 0; nfile = 0; nreason = 0; nshown = 0
	nbad = 0; nfailed = 0
	if (first == "")
		first = 20
}

FNR == 1 { file++; next }	# the headers

file == 1 {
	nrow++
	r_stage[nrow] = $1; r_input[nrow] = unesc($2)
	r_in[nrow] = $3; r_out[nrow] = $4; r_rej[nrow] = $5
	r_status[nrow] = $6; r_rejects[nrow] = $7; r_note[nrow] = unesc($8)
	s = $1
	if (!(s in s_index)) {
		s_index[s] = ++nstage; s_name[nstage] = s
		s_in[s] = s_out[s] = s_rej[s] = 0
	}
	if (counted(nrow)) {
		s_in[s] += $3; s_out[s] += $4; s_rej[s] += $5
		r_ok[nrow] = ($3 == $4 + $5)
		if (!r_ok[nrow]) {
			nbad++; s_bad[s]++
		}
	} else
		s_nostats[s]++
	if ($6 != 0)
		s_failed[s]++
	next
}

file == 2 {
	nfile++
	f_input[nfile] = unesc($1); f_outcome[nfile] = $2
	f_stage[nfile] = $3; f_moved[nfile] = unesc($4)
	if ($2 != "done")
		nfailed++
}

END {
	for (i = 1; i <= nrow; i++)
		if (r_rejects[i] != "\\N")
			read_rejects(i)
	text()
	page()
	exit (nbad > 0 ? 1 : 0)
}

# counted I: row I has the three counts of a --stats line.
function counted(i) {
	return r_in[i] ~ /^[0-9]+$/ && r_out[i] ~ /^[0-9]+$/ && r_rej[i] ~ /^[0-9]+$/
}

# read_rejects I: count the reasons of row I's rejects file, keep the first rows.
function read_rejects(i,    path, line, n, f, nf, hdr, srcat, src, err, k, parts, np, reason, shown) {
	path = rejdir "/" unesc(r_rejects[i])
	n = 0; srcat = 0
	while ((getline line < path) > 0) {
		nf = split(line, f, "\t")
		if (++n == 1) {
			hdr = nf
			for (k = 1; k <= nf; k++)
				if (f[k] == "_src")
					srcat = k
			continue
		}
		err = unesc(f[nf])
		# a row rejected for its width keeps its own width: no _src then
		if (srcat && nf == hdr)
			src = unesc(f[srcat])
		else if (r_input[i] != "*")
			src = r_input[i] ":" f[nf - 1]
		else
			src = r_stage[i] " line " f[nf - 1]
		np = split(err, parts, "; ")
		for (k = 1; k <= np; k++) {
			reason = r_stage[i] ": " kind(parts[k])
			if (!(reason in why_count)) {
				why_name[++nreason] = reason
				why_count[reason] = 0
			}
			why_count[reason]++
		}
		if (nshown < first) {
			shown = ""
			for (k = 1; k <= nf - 2; k++)
				if (k != srcat || nf != hdr)
					shown = shown (shown == "" ? "" : " | ") unesc(f[k])
			nshown++
			x_stage[nshown] = r_stage[i]; x_src[nshown] = src
			x_err[nshown] = err; x_row[nshown] = shown
		}
	}
	close(path)
}

# kind REASON: the reason without its values, so that alike reasons count together.
function kind(s) {
	gsub(/"[^"]*"/, "\"…\"", s)
	gsub(/[0-9]+(\.[0-9]+)?/, "N", s)
	return s
}

# unesc FIELD: the text of a field of the interchange format.
function unesc(s,    out, i, c) {
	if (s == "\\N")
		return ""
	if (index(s, "\\") == 0)
		return s
	out = ""
	while ((i = index(s, "\\")) > 0) {
		c = substr(s, i + 1, 1)
		out = out substr(s, 1, i - 1)
		if (c == "t") out = out "\t"
		else if (c == "n") out = out "\n"
		else if (c == "r") out = out "\r"
		else if (c == "\\") out = out "\\"
		else out = out "\\" c
		s = substr(s, i + 2)
	}
	return out s
}

# esc TEXT: TEXT for HTML and XML: markup characters as entities, the
# control characters XML forbids as U+FFFD.
function esc(s) {
	gsub(/&/, "\\&amp;", s)
	gsub(/</, "\\&lt;", s)
	gsub(/>/, "\\&gt;", s)
	gsub(/"/, "\\&quot;", s)
	gsub(/'/, "\\&#39;", s)
	gsub(/[\001-\010\013\014\016-\037\177]/, "\357\277\275", s)
	return s
}

# cut TEXT N: TEXT cut to N bytes, not inside a UTF-8 sequence.
function cut(s, n,    lead, need) {
	if (length(s) <= n)
		return s
	s = substr(s, 1, n)
	if (match(s, /[\300-\367][\200-\277]*$/)) {
		lead = substr(s, RSTART, 1)
		need = lead ~ /[\360-\367]/ ? 4 : lead ~ /[\340-\357]/ ? 3 : 2
		if (RLENGTH < need)
			s = substr(s, 1, RSTART - 1)
	}
	return s "…"
}

# oneline TEXT: TEXT with its line ends and TABs as spaces.
function oneline(s) {
	gsub(/[\t\r\n]/, " ", s)
	return s
}

function text(    k, s, flag) {
	printf "%s %s: %d inputs, %d failed\n", title, run, nfile, nfailed
	printf "%-8s %9s %9s %9s\n", "stage", "in", "out", "rejected"
	for (k = 1; k <= nstage; k++) {
		s = s_name[k]
		flag = ""
		if (s_bad[s])
			flag = flag "  in != out + rejected"
		if (s_failed[s])
			flag = flag "  " s_failed[s] " failed"
		if (s_nostats[s])
			flag = flag "  " s_nostats[s] " without counts"
		printf "%-8s %9d %9d %9d%s\n", s, s_in[s], s_out[s], s_rej[s], flag
	}
	for (k = 1; k <= nfile; k++)
		if (f_outcome[k] != "done")
			printf "failed: %s (at %s)\n", oneline(f_input[k]), f_stage[k]
	if (nbad)
		printf "%d rows of summary.tsv break in = out + rejected\n", nbad
}

# bar Y X W COLOR: a rectangle of the bar charts.
function bar(y, x, w, color) {
	if (w <= 0)
		return
	if (w < 2)
		w = 2
	printf "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"16\" fill=\"%s\"/>\n", x, y, w, color > html
}

function stage_chart(    k, s, max, y, w1, w2) {
	max = 1
	for (k = 1; k <= nstage; k++)
		if (s_in[s_name[k]] > max)
			max = s_in[s_name[k]]
	printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"%d\" role=\"img\" aria-label=\"rows per stage\">\n", nstage * 26 + 8 > html
	for (k = 1; k <= nstage; k++) {
		s = s_name[k]
		y = (k - 1) * 26 + 4
		w1 = int(s_out[s] * 420 / max); w2 = int(s_rej[s] * 420 / max)
		printf "<text x=\"0\" y=\"%d\">%s</text>\n", y + 13, esc(s) > html
		bar(y, 80, w1, "#4a8f4a")
		bar(y, 80 + w1, w2, "#c0392b")
		printf "<text x=\"%d\" y=\"%d\">in %d, out %d, rejected %d</text>\n", 80 + w1 + (w2 > 0 && w2 < 2 ? 2 : w2) + 8, y + 13, s_in[s], s_out[s], s_rej[s] > html
	}
	print "</svg>" > html
}

function reason_chart(    k, j, t, max, y, n, w) {
	# by count, most first (insertion sort: few reasons)
	for (k = 2; k <= nreason; k++)
		for (j = k; j > 1 && why_count[why_name[j]] > why_count[why_name[j - 1]]; j--) {
			t = why_name[j]; why_name[j] = why_name[j - 1]; why_name[j - 1] = t
		}
	n = nreason > 30 ? 30 : nreason
	max = why_count[why_name[1]]
	printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"%d\" role=\"img\" aria-label=\"rejects per reason\">\n", n * 40 + 8 > html
	for (k = 1; k <= n; k++) {
		y = (k - 1) * 40 + 4
		printf "<text x=\"0\" y=\"%d\">%s</text>\n", y + 12, esc(cut(oneline(why_name[k]), 150)) > html
		w = int(why_count[why_name[k]] * 560 / max)
		bar(y + 18, 0, w, "#c0392b")
		printf "<text x=\"%d\" y=\"%d\">%d</text>\n", (w < 2 ? 2 : w) + 6, y + 31, why_count[why_name[k]] > html
	}
	print "</svg>" > html
	if (nreason > n)
		printf "<p>and %d more reasons.</p>\n", nreason - n > html
}

function page(    k, s, i, cls) {
	print "<!DOCTYPE html>" > html
	print "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"zh-CN\">" > html
	print "<head>\n<meta charset=\"utf-8\"/>" > html
	printf "<title>%s %s</title>\n", esc(title), esc(run) > html
	print "<style>body{font-family:sans-serif;margin:1.5em;max-width:60em}" \
	    "table{border-collapse:collapse;margin:.5em 0}" \
	    "td,th{border:1px solid #bbb;padding:.2em .5em;text-align:left;vertical-align:top}" \
	    "td.n{text-align:right}.bad{color:#c0392b;font-weight:bold}" \
	    "svg text{font-size:13px;font-family:sans-serif}</style>" > html
	print "</head>\n<body>" > html
	printf "<h1>%s</h1>\n<p>run %s: %d inputs, %d failed", esc(title), esc(run), nfile, nfailed > html
	if (nbad)
		printf "; <span class=\"bad\">%d rows break in = out + rejected</span>", nbad > html
	print ".</p>" > html

	print "<h2>Rows per stage</h2>" > html
	stage_chart()
	print "<table>\n<tr><th>stage</th><th>in</th><th>out</th><th>rejected</th><th>in = out + rejected</th><th>failed</th></tr>" > html
	for (k = 1; k <= nstage; k++) {
		s = s_name[k]
		printf "<tr><td>%s</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td%s>%s</td><td class=\"n\">%d</td></tr>\n", esc(s), s_in[s], s_out[s], s_rej[s], s_bad[s] ? " class=\"bad\"" : "", s_bad[s] ? "no" : "yes", s_failed[s] > html
	}
	print "</table>" > html

	if (nfile) {
		print "<h2>Inputs</h2>\n<table>\n<tr><th>input</th><th>outcome</th><th>failed at</th><th>moved to</th></tr>" > html
		for (k = 1; k <= nfile; k++) {
			cls = f_outcome[k] == "done" ? "" : " class=\"bad\""
			printf "<tr><td>%s</td><td%s>%s</td><td>%s</td><td>%s</td></tr>\n", esc(f_input[k]), cls, esc(f_outcome[k]), esc(unesc(f_stage[k])), esc(f_moved[k]) > html
		}
		print "</table>" > html
	}

	print "<h2>Rejects per reason</h2>" > html
	if (nreason == 0)
		print "<p>No row was rejected.</p>" > html
	else {
		reason_chart()
		printf "<h2>The first %d rejected rows</h2>\n", nshown > html
		print "<table>\n<tr><th>stage</th><th>_src</th><th>why</th><th>row</th></tr>" > html
		for (k = 1; k <= nshown; k++)
			printf "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", esc(x_stage[k]), esc(x_src[k]), esc(cut(x_err[k], 400)), esc(cut(oneline(x_row[k]), 300)) > html
		print "</table>" > html
	}

	print "<h2>Every stage of every input</h2>\n<table>\n<tr><th>stage</th><th>input</th><th>in</th><th>out</th><th>rejected</th><th>exit</th><th>rejects</th><th>messages</th></tr>" > html
	for (i = 1; i <= nrow; i++) {
		cls = r_status[i] != 0 || (counted(i) && !r_ok[i]) ? " class=\"bad\"" : ""
		printf "<tr%s><td>%s</td><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td>%s</td><td>%s</td></tr>\n", cls, esc(r_stage[i]), esc(r_input[i]), esc(unesc(r_in[i])), esc(unesc(r_out[i])), esc(unesc(r_rej[i])), esc(r_status[i]), esc(unesc(r_rejects[i])), esc(cut(r_note[i], 400)) > html
	}
	print "</table>\n</body>\n</html>" > html
	close(html)
}
