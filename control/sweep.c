/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The frame-size sweep (see sweep.h). Sizes a link's MTU cannot carry
 * (9000 on a 1500-byte veth) are skipped, saying so, rather than run to
 * fail; a size raised to the smallest STAMP frame is labelled with the
 * size sent. Ctrl-C stops the sweep after the run it interrupts.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "link_mtu.h"
#include "mp_pkt.h"
#include "mp_record.h"
#include "sink_summary.h"
#include "sweep.h"
#include "util.h"

#define SWEEP_GET(o, k)	cJSON_GetObjectItemCaseSensitive(o, k)

/* The size actually sent: the largest any link sent (the same on the lab). */
static void
sweep_size_sent(cJSON *e, unsigned long size)
{
	const cJSON *l;
	uint64_t sent_size = 0;

	cJSON_ArrayForEach(l, SWEEP_GET(SWEEP_GET(e, "summary"), "links")) {
		const cJSON *fs = SWEEP_GET(l, "frame_size_sent");

		if (summary_u64(fs) > sent_size)
			sent_size = summary_u64(fs);
	}
	if (sent_size == 0)
		return;
	record_add_u64(e, "frame_size_sent", sent_size);
	if (sent_size != size)
		printf("=== frame size %lu: sent as %llu-byte frames (the smallest STAMP frame)\n",
		       size, (unsigned long long)sent_size);
}

/* One run at size, in sub; its entry of sweep.json. Returns its exit code. */
static int
sweep_one(const struct mp_config *cfg, const struct run_opts *opts, const char *tok,
	  unsigned long size, const char *sub, cJSON *arr)
{
	struct mp_config *c = malloc(sizeof(*c));
	struct run_opts o = *opts;
	cJSON *e = cJSON_CreateObject();
	char path[PATH_MAX], *summary;
	const char *err = NULL;
	int rc = 1;

	printf("\n=== frame size %lu -> %s\n", size, sub);
	fflush(stdout);
	if (c != NULL) {
		*c = *cfg;
		o.out_dir = sub;
		rc = run_set_frame_size(c, tok, &err) == 0 ? run_once(c, &o) : 2;
		free(c);
	}
	record_add_u64(e, "frame_size", size);
	cJSON_AddNumberToObject(e, "exit", rc);
	snprintf(path, sizeof(path), "%s/summary.json", sub);
	summary = mp_read_file(path, NULL);
	if (summary != NULL) {
		cJSON *sj = cJSON_Parse(summary);

		if (sj != NULL)
			cJSON_AddItemToObject(e, "summary", sj);
		free(summary);
	}
	sweep_size_sent(e, size);
	cJSON_AddItemToArray(arr, e);
	return rc;
}

/* One line of the table: a size (and the size sent when it differs) on one link. */
static void
sweep_print_link(int size, const cJSON *sum, const cJSON *l)
{
	const cJSON *rtt = SWEEP_GET(l, "rtt_us"), *lr = SWEEP_GET(l, "loss_ratio");
	const cJSON *p50 = SWEEP_GET(rtt, "p50"), *p99 = SWEEP_GET(rtt, "p99");
	const cJSON *fs = SWEEP_GET(l, "frame_size_sent");
	char loss[24] = "-", a50[24] = "-", a99[24] = "-", label[32];

	if (cJSON_IsNumber(lr))
		snprintf(loss, sizeof(loss), "%.3f", lr->valuedouble * 100);
	if (cJSON_IsNumber(p50))
		snprintf(a50, sizeof(a50), "%.1f", p50->valuedouble);
	if (cJSON_IsNumber(p99))
		snprintf(a99, sizeof(a99), "%.1f", p99->valuedouble);
	if (fs != NULL && (int)summary_num(fs) != size)
		snprintf(label, sizeof(label), "%d(%d)", size, (int)summary_num(fs));
	else
		snprintf(label, sizeof(label), "%d", size);
	printf("%-11s %-8s %10.0f %10.0f %8s %9s %9s %9s\n", label,
	       cJSON_GetStringValue(SWEEP_GET(l, "name")), summary_num(SWEEP_GET(l, "sent")),
	       summary_num(SWEEP_GET(l, "received")), loss, a50, a99,
	       cJSON_IsTrue(SWEEP_GET(sum, "complete")) ? "yes" : "NO");
}

/* The table: one line per size and link. */
static void
sweep_print(const cJSON *arr)
{
	const cJSON *e, *l;

	printf("\n%-11s %-8s %10s %10s %8s %9s %9s %9s\n", "size(sent)", "link", "sent",
	       "received", "loss%", "rtt p50", "p99", "complete");
	cJSON_ArrayForEach(e, arr) {
		const cJSON *sum = SWEEP_GET(e, "summary");
		int size = (int)summary_num(SWEEP_GET(e, "frame_size"));

		if (cJSON_IsString(SWEEP_GET(e, "skipped"))) {
			printf("%-11d %-8s (skipped: %s)\n", size, "-",
			       SWEEP_GET(e, "skipped")->valuestring);
			continue;
		}
		if (sum == NULL) {
			printf("%-11d %-8s (no summary: exit %d)\n", size, "-",
			       (int)summary_num(SWEEP_GET(e, "exit")));
			continue;
		}
		cJSON_ArrayForEach(l, SWEEP_GET(sum, "links"))
			sweep_print_link(size, sum, l);
	}
}

static void
sweep_write(const cJSON *root, const char *dir)
{
	char path[PATH_MAX], *s;

	snprintf(path, sizeof(path), "%s/sweep.json", dir);
	s = cJSON_Print(root);
	if (s == NULL || mp_write_file(path, s, strlen(s)) != 0)
		fprintf(stderr, "metroprobe: cannot write %s\n", path);
	else
		printf("(round-trip times in microseconds)\nsweep: %s\n", path);
	free(s);
}

/*
 * A size some link's MTU cannot carry: its entry says why, and so does a
 * line. true when skipped.
 */
static bool
sweep_skip(const struct mp_config *cfg, unsigned long size, cJSON *arr)
{
	char why[160];
	cJSON *e;
	bool known;
	uint32_t mtu;
	int i;

	for (i = 0; i < cfg->n_links; i++) {
		/* a PCI port's MTU is the dataplane's to set: only a known one skips */
		mtu = link_mtu_get(&cfg->links[i], &known);
		if (!known || link_mtu_carries(mtu, (uint32_t)size, cfg->links[i].encap.nvlan))
			continue;
		snprintf(why, sizeof(why), "link %s carries frames up to %u bytes (MTU %u)",
			 cfg->links[i].name, link_mtu_max_frame(mtu, cfg->links[i].encap.nvlan),
			 mtu);
		printf("\n=== frame size %lu: skipped: %s\n", size, why);
		e = cJSON_CreateObject();
		record_add_u64(e, "frame_size", size);
		cJSON_AddStringToObject(e, "skipped", why);
		cJSON_AddItemToArray(arr, e);
		return true;
	}
	return false;
}

int
sweep_run(const struct mp_config *cfg, const struct run_opts *opts, const char *sizes)
{
	const char *dir = opts->out_dir != NULL ? opts->out_dir : cfg->out_dir;
	cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "sizes");
	char list[256], *save = NULL, *tok, sub[PATH_MAX];
	int rc, worst = 0;

	snprintf(list, sizeof(list), "%s", sizes);
	if (mp_mkdir_p(dir, 0755) != 0) {
		fprintf(stderr, "metroprobe: cannot create %s\n", dir);
		cJSON_Delete(root);
		return 1;
	}
	for (tok = strtok_r(list, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		char *end;
		unsigned long size = strtoul(tok, &end, 10);

		if (*tok == '\0' || *end != '\0' || size < PKT_MIN_FRAME || size > PKT_MAX_FRAME) {
			fprintf(stderr, "metroprobe: --sweep: '%s' is not a frame size (64..9018)\n", tok);
			cJSON_Delete(root);
			return 2;
		}
		if (sweep_skip(cfg, size, arr))
			continue;
		snprintf(sub, sizeof(sub), "%s/size-%lu", dir, size);
		rc = sweep_one(cfg, opts, tok, size, sub, arr);
		if (rc > worst)
			worst = rc;
		if (rc == 130)
			break;
	}
	sweep_print(arr);
	sweep_write(root, dir);
	cJSON_Delete(root);
	return worst;
}
