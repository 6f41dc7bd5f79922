/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sinks: whatever consumes a run's records. The JSON-lines files, the live
 * console view and the summary are three; a Prometheus endpoint, an SLA
 * evaluator or a diversity analyser are more of the same. A sink is a
 * table of operations (like testpmd's struct fwd_engine): every one may be
 * NULL. The run opens each sink of its list, hands each decoded record to
 * every sink in list order, ticks them once a second, and closes them with
 * the run's outcome, which a sink may make worse (a verdict, an exit code).
 *
 * Adding a sink: write its ops and put it in sink_table (sink.c), or pass
 * a list of one's own to run_once(); the loop, the dataplane connection and
 * run_once do not change.
 */
#ifndef MP_SINK_H
#define MP_SINK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "dprec.h"

struct board;		/* board.h: the run's current state, for readers */
struct loop;		/* loop.h */
struct sink_bus;	/* below: events raised by sinks */

/* What every sink may read; fixed for the run. */
struct sink_env {
	const struct mp_config *cfg;
	const char *config_path;
	const char *out_dir;
	const char *dp_log;		/* the dataplane's log ("" when attached) */
	const char *attach_path;	/* NULL: control spawned the dataplane */
	bool quiet;			/* no live lines or events (the summary stays) */
	bool service;			/* serve: a console line per window, none per second */
	FILE *console;			/* where the human sees it: stdout */
	struct sink_bus *bus;		/* sink_emit() raises an event through it */
	struct board *board;		/* NULL when the caller keeps none */
	struct loop *loop;		/* the run's loop: a sink may watch descriptors and add timers */
	const char *listen;		/* ADDR:PORT for an HTTP endpoint; NULL: none */
};

/* How the run went, given to close; sinks may make verdict and exit_code worse. */
struct run_outcome {
	bool complete;			/* the dataplane went its whole course */
	const char *end_reason;		/* "duration", "interrupted", "dataplane_failed", ... */
	bool dp_exited;			/* dp_status is a waitpid() status */
	int dp_status;
	uint64_t start_unix_ns, stop_unix_ns;
	uint64_t records, bad_records;	/* interval records, and lines that did not decode */
	uint64_t duplicate_records;	/* sent again after a resume, written before: dropped */
	const char *verdict;		/* "ok", or what a sink found ("outage", ...) */
	int exit_code;			/* 0, 1, 130; a sink may turn a 0 into its verdict's code */
	/*
	 * Members a sink adds to summary.json (the diversity object): a sink
	 * that closes before the summary puts them here, the summary moves
	 * them in, sinks_close frees what is left. NULL: none.
	 */
	cJSON *summary_members;
};

struct sink_ops {
	const char *name;
	/* 0 with *state set, or -errno (the sink said why on stderr). */
	int (*open)(const struct sink_env *env, void **state);
	void (*on_hello)(void *state, const struct dprec *r);
	void (*on_interval)(void *state, const struct dprec *r);
	void (*on_event)(void *state, const struct dprec *r);
	void (*on_end)(void *state, const struct dprec *r);
	/* a round of path probes (DPREC_PATH: r->path) */
	void (*on_path)(void *state, const struct dprec *r);
	/*
	 * An interval of one stream of a link (DPREC_STREAM: r->interval,
	 * r->interval->stream its name); the link's own record, the merge of
	 * its streams, still comes to on_interval.
	 */
	void (*on_stream)(void *state, const struct dprec *r);
	/* once a second, on the monotonic clock */
	void (*on_tick)(void *state, uint64_t now_ns);
	/*
	 * The run is over (sinks_close with an outcome): raise what is left to
	 * say (sink_emit). Called on every sink before any closes; the events
	 * then go to every sink, so that events.jsonl has them.
	 */
	void (*on_stop)(void *state);
	/* o is NULL when the run never started: free, report nothing. 0 or -errno. */
	int (*close)(void *state, struct run_outcome *o);
};

/* The standard sinks, in the order they run (NULL-terminated). */
extern const struct sink_ops *const sink_table[];
extern const struct sink_ops sink_carrier_ops;	/* the service link's carrier (carrier.h) */
extern const struct sink_ops sink_jsonl_ops;	/* intervals.jsonl, events.jsonl */
extern const struct sink_ops sink_live_ops;	/* a line per link per second, events */
extern const struct sink_ops sink_sla_ops;	/* SLA objectives, links up and down (before summary) */
extern const struct sink_ops sink_diversity_ops;	/* the pair's site diversity (before summary) */
extern const struct sink_ops sink_summary_ops;	/* summary.json, the table, the verdict */
extern const struct sink_ops sink_window_ops;	/* serve: DIR/window.json, board->last_window */
extern const struct sink_ops sink_status_ops;	/* serve: a console line per window, events */

#define SINKS_MAX	16
#define SINK_BUS_MAX	256

/* Events raised by sinks, waiting to be handed to every sink. */
struct sink_bus {
	const struct mp_config *cfg;	/* to name links by index */
	int n;
	cJSON *q[SINK_BUS_MAX];
	uint64_t dropped;		/* raised while the queue was full */
	bool draining;
	cJSON *annot;			/* sink_annotate(): members of the record being handled */
};

/* The open sinks of a run. */
struct sinks {
	int n;
	const struct sink_ops *ops[SINKS_MAX];
	void *state[SINKS_MAX];
	struct sink_bus bus;
};

/*
 * Raise an event from a sink (sla_breach, link_down, co_impairment, ...).
 * It becomes the line {"type":"event","source":"control","t_unix_ns":NOW,
 * "link":LINK,"event":EVENT, ...fields} and is handed, as a DPREC_EVENT,
 * to every sink's on_event (the raising sink's too) once the record or tick
 * being handled has gone to every sink, so a sink is never re-entered.
 * link: a link's name, or "pair". fields: an object whose members are
 * added (taken over and freed; NULL: none); "detail" is what the live view
 * prints. bus NULL: the event is freed and dropped (a test's env).
 */
void sink_emit(struct sink_bus *bus, const char *link, const char *event, cJSON *fields);

/*
 * Add member key (value taken over) to the interval record being handled,
 * as intervals.jsonl writes it: a sink before jsonl in the list annotates
 * the record (the service link's carried_by, sink_carrier.c). The members
 * go with the record; bus NULL: value freed.
 */
void sink_annotate(struct sink_bus *bus, const char *key, cJSON *value);

/*
 * Open every sink of list (NULL-terminated). 0, or the first sink's error,
 * with the ones already open closed again. env->bus should be &s->bus
 * (sinks_open keeps it across its reset of s).
 */
int sinks_open(struct sinks *s, const struct sink_ops *const *list, const struct sink_env *env);
/* Hand one record to every sink, by its type, then the events sinks raised. */
void sinks_record(struct sinks *s, const struct dprec *r);
void sinks_tick(struct sinks *s, uint64_t now_ns);
/* Hand the raised events to every sink (sinks_record and sinks_tick do). */
void sinks_drain(struct sinks *s);
/* Close every sink in order (o may be NULL). 0, or the first error. */
int sinks_close(struct sinks *s, struct run_outcome *o);

/*
 * The mix configured for hello link h when the dataplane raised its frame
 * size (to the smallest STAMP frame of its encapsulation), else NULL.
 */
const char *sink_frame_raised(const struct sink_env *env, const struct dprec_hello_link *h);

#endif
