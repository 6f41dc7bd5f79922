#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The HTML report of a real lab run, rendered by headless Chromium (Debian's
# chromium). A short go-live (--plan quick, 500 ms trials, on the lab as
# lab up makes it: committed_rate 100 Mb/s, nothing impaired, so the
# searches end in their first trial; about a minute) writes report.json and
# report.html (or, with REPORT_HTML_DIR set, as golive.sh calls it: the
# report of golive.sh's run, which the suite runs once for both); then:
# - `metroprobe report DIR --out FILE` writes the same page golive wrote;
# - the page is self-contained: no script, src, href, url(), @import, http;
# - Chromium loads it without a console message (a control page with a
#   console.error shows that such a message would be seen), takes a
#   screenshot (a PNG) and prints it (a PDF of more than one A4 page);
# - the DOM Chromium built has the verdict report.json has, and every
#   chart (an <svg class="chart">) has data marks: bars, or a path with
#   points; none says "no data" (all of this run's charts have data), and
#   the CDF has a line per link.
. "$(dirname "$0")/lib.sh"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || skip "chromium is not installed (make deps installs it)"
command -v python3 >/dev/null || skip "python3 is not installed"

# chrome ARGS... URL: headless, its own profile, console messages on stderr
chrome() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$TMP/chrome" --enable-logging=stderr --v=0 "$@"
}

# the console check sees a console.error (else a clean page proves nothing)
printf '<!DOCTYPE html><p>x</p><script>console.error("control-message")</script>\n' \
	>"$TMP/control.html"
chrome --dump-dom "file://$TMP/control.html" >/dev/null 2>"$TMP/control.err"
grep -q 'CONSOLE.*control-message' "$TMP/control.err" ||
	skip "this chromium does not log console messages with --enable-logging=stderr: $(tail -3 "$TMP/control.err")"

if [ -n "${REPORT_HTML_DIR:-}" ]; then
	# golive.sh calls this on the DIR of its run (one golive for both)
	GL=$REPORT_HTML_DIR
	R=$GL/report.json
	H=$GL/report.html
	[ -s "$R" ] || fail "no report.json in $GL"
	ok "the report of golive.sh's run: $(jq -r .verdict "$R"), $(jq .steps_done "$R") steps"
else
	lab_begin
	rc=0
	t0=$(date +%s)
	"$MP" golive "$TMP/lab.json" --out "$TMP/gl" --plan quick --trial-ms 500 >"$TMP/gl.log" 2>&1 || rc=$?
	t1=$(date +%s)
	GL=$TMP/gl
	R=$GL/report.json
	H=$GL/report.html
	[ -s "$R" ] || { tail -20 "$TMP/gl.log"; fail "no report.json (golive exit $rc)"; }
	[ $rc = 0 ] || [ $rc = 1 ] || { tail -20 "$TMP/gl.log"; fail "golive exit $rc"; }
	ok "golive --plan quick --trial-ms 500 in $((t1 - t0)) s: $(jq -r .verdict "$R"), $(jq .steps_done "$R") steps"
fi
"$MP" lab down >/dev/null 2>&1
[ -s "$H" ] || fail "golive wrote no report.html"
ok "report.html $(stat -c %s "$H") bytes"

"$MP" report "$GL" --out "$TMP/again.html" >"$TMP/report.log" 2>&1 ||
	fail "metroprobe report: $(cat "$TMP/report.log")"
cmp -s "$H" "$TMP/again.html" || fail "metroprobe report DIR does not write the page golive wrote"
"$MP" report --help | grep -q -- '--out FILE' || fail "report --help does not list --out"
rc=0
"$MP" report "$TMP/nothing-here" >"$TMP/bad.log" 2>&1 || rc=$?
[ $rc = 1 ] && grep -q 'cannot read .*report.json' "$TMP/bad.log" ||
	fail "report of a DIR without report.json: exit $rc, $(cat "$TMP/bad.log")"
ok "metroprobe report writes the same page; a missing report.json is said"

for bad in '<script' 'src=' 'href=' 'url(' '@import' 'http'; do
	! grep -qiF -- "$bad" "$H" || fail "report.html has $bad: $(grep -oiF -- "$bad" "$H" | head -1)"
done
ok "self-contained: no script, src, href, url(), @import or http"

# screenshot, PDF and DOM
chrome --window-size=1000,2400 --screenshot="$TMP/shot.png" "file://$H" \
	>"$TMP/shot.log" 2>"$TMP/shot.err" || fail "chromium --screenshot: $(tail -3 "$TMP/shot.err")"
chrome --no-pdf-header-footer --print-to-pdf="$TMP/report.pdf" "file://$H" \
	>"$TMP/pdf.log" 2>"$TMP/pdf.err" || fail "chromium --print-to-pdf: $(tail -3 "$TMP/pdf.err")"
chrome --virtual-time-budget=2000 --dump-dom "file://$H" >"$TMP/dom.html" 2>"$TMP/dom.err" ||
	fail "chromium --dump-dom: $(tail -3 "$TMP/dom.err")"
for e in shot pdf dom; do
	! grep -q 'CONSOLE' "$TMP/$e.err" || fail "console messages ($e): $(grep CONSOLE "$TMP/$e.err" | head -3)"
done
ok "chromium loads the page without console messages"

python3 - "$TMP/shot.png" "$TMP/report.pdf" "$TMP/dom.html" "$R" <<'EOF' || fail "see above"
import json, re, sys
from html.parser import HTMLParser

png, pdf, dom, rep = sys.argv[1:5]
bad = []
p = open(png, "rb").read()
if not p.startswith(b"\x89PNG\r\n\x1a\n") or len(p) < 20000:
    bad.append("screenshot: not a PNG or only %d bytes" % len(p))
d = open(pdf, "rb").read()
pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", d))
a4 = re.search(rb"/MediaBox\s*\[0 0 59[45][.0-9]* 84[12][.0-9]*\]", d)
if not d.startswith(b"%PDF-") or len(d) < 20000 or pages < 2 or a4 is None:
    bad.append("PDF: %d bytes, %d pages, A4 %s" % (len(d), pages, a4 is not None))

class Charts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.charts, self.cur, self.text, self.any_src = [], None, [], False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "src" in a or "href" in a:
            self.any_src = True
        if tag == "svg" and "chart" in (a.get("class") or ""):
            self.cur = {"title": a.get("aria-label"), "marks": 0, "nodata": False}
        elif self.cur is not None and a.get("class") == "d":
            if tag == "rect" or (tag == "path" and re.search(r"[0-9]", a.get("d", ""))):
                self.cur["marks"] += 1
        elif self.cur is not None and a.get("class") == "nodata":
            self.cur["nodata"] = True
    def handle_endtag(self, tag):
        if tag == "svg" and self.cur is not None:
            self.charts.append(self.cur)
            self.cur = None
    def handle_data(self, data):
        self.text.append(data)

c = Charts()
c.feed(open(dom, encoding="utf-8").read())
r = json.load(open(rep))
text = " ".join(" ".join(c.text).split())
if "Verdict: " + r["verdict"] not in text:
    bad.append("the DOM has no 'Verdict: %s'" % r["verdict"])
if c.any_src:
    bad.append("an element of the DOM has src or href")
n_links = len(r["links"])
# per link throughput, latency, a frame loss chart per size; the CDF
want = 2 * n_links + sum(len(l["rfc2544"]["frame_loss"]) for l in r["links"]) + 1
if len(c.charts) < want:
    bad.append("%d charts, want at least %d" % (len(c.charts), want))
for ch in c.charts:
    if ch["marks"] == 0 or ch["nodata"]:
        bad.append("chart %r: %d data marks%s" % (ch["title"], ch["marks"],
                   ", says no data" if ch["nodata"] else ""))
cdf = [ch for ch in c.charts if "CDF" in (ch["title"] or "")]
if len(cdf) != 1 or cdf[0]["marks"] != n_links:
    bad.append("the CDF chart: %r, want a line per link (%d)" % (cdf, n_links))
for b in bad:
    print("FAIL:", b)
print("ok - %d charts with %s data marks; PDF %d pages, %d bytes; PNG %d bytes" %
      (len(c.charts), "/".join(str(ch["marks"]) for ch in c.charts), pages, len(d), len(p)))
sys.exit(1 if bad else 0)
EOF
ok "report.html of a lab run renders in chromium with its charts"
# REPORT_HTML_KEEP=DIR keeps the page, its screenshot and its PDF to look at
if [ -n "${REPORT_HTML_KEEP:-}" ]; then
	mkdir -p "$REPORT_HTML_KEEP" && cp "$H" "$TMP/shot.png" "$TMP/report.pdf" "$REPORT_HTML_KEEP/"
fi
