/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `metroprobe report DIR [--out FILE]`: DIR/report.json of a go-live run
 * (with DIR/drill.json as its failover when report.json has none, and the
 * RTT histograms of its latency trials under DIR/trials/) as one
 * self-contained HTML page, DIR/report.html (report_html.h).
 */
#ifndef MP_REPORT_CMD_H
#define MP_REPORT_CMD_H

/*
 * Render DIR's report into out (NULL: DIR/report.html), written to a
 * temporary file and renamed. 0, or -errno with a line on stderr saying
 * what could not be read or written. golive calls it after each
 * report.json.
 */
int report_render(const char *dir, const char *out);
int report_main(int argc, char **argv);

#endif
