/*
 * otlp.h - mcp-otlp's rooms: the protobuf writer (pb.c), the traces a
 * probe's records make (span.c) and their names and attributes (attr.c),
 * the metrics of an export interval (metric.c), the queue and its spool
 * (queue.c) and the sender (send.c); conf.c
 * (otlpconf.h) reads the configuration.  main.c reads the pipe and passes
 * it on.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef OTLP_H
#define OTLP_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "buf.h"

/* --- pb.c: the wire format of protobuf, as much as OTLP's traces need. */
int pb_varint(struct mcp_buf *b, uint64_t v);
int pb_tag(struct mcp_buf *b, unsigned field, unsigned wire);
int pb_uint(struct mcp_buf *b, unsigned field, uint64_t v);
int pb_fixed64(struct mcp_buf *b, unsigned field, uint64_t v);
int pb_fixed32(struct mcp_buf *b, unsigned field, uint32_t v);
/* A length-delimited field: bytes, a string, or an encoded message. */
int pb_bytes(struct mcp_buf *b, unsigned field, const void *p, size_t n);
int pb_str(struct mcp_buf *b, unsigned field, const char *s);
/* A KeyValue (common.proto) with a string, an int or a bool as field f. */
int pb_kv_str(struct mcp_buf *b, unsigned f, const char *key, const char *val);
int pb_kv_int(struct mcp_buf *b, unsigned f, const char *key, long long val);
int pb_kv_bool(struct mcp_buf *b, unsigned f, const char *key, int val);

/* --- span.c: a probe's records, gathered until its result, as a trace. */
struct otlp_res {
	const char *service; /* borrowed: service.name */
	const char *host;    /* borrowed: host.name, or NULL */
	/* borrowed: OTEL_RESOURCE_ATTRIBUTES, decoded, as pairs; n pairs */
	char **attrs;
	size_t nattrs;
};

struct otlp_traces;  /* the probes whose result has not come yet */
struct otlp_metrics; /* metric.c */

struct otlp_traces *otlp_traces_new(size_t max_probes);
/* Each MCP step of the traces made from now on into m's histogram too. */
void otlp_traces_observe(struct otlp_traces *t, struct otlp_metrics *m);
/* Resource{attributes} as field 1 of out: service.name, host.name, the region (or NULL), the user's. */
int otlp_resource(struct mcp_buf *out, const struct otlp_res *r, const char *region);
void otlp_traces_free(struct otlp_traces *t);
/*
 * One record of the pipe.  A step is kept (a copy) until the result of
 * its probe; a result makes the trace, appended to out as one whole
 * ExportTraceServiceRequest, and *nspans says how many spans.  1 when a
 * trace was made, 0 when not (a step, another type), -1 with why (a
 * record that cannot be a trace: no probe_id, no time; or no memory).
 * *evicted counts probes forgotten because max_probes were waiting.
 */
int otlp_traces_add(struct otlp_traces *t, const cJSON *rec, const struct otlp_res *res,
    struct mcp_buf *out, int *nspans, long *evicted, char *why, size_t len);

/* --- attr.c: the attributes of a probe's spans.  What every span of a probe shares. */
struct otlp_probe {
	const cJSON *res;
	unsigned char trace[16], root[8];
	char host[256];
	long port;
	const char *scheme, *era, *version;
	uint64_t t0;
	struct otlp_metrics *metrics; /* or NULL */
};

#define F_ATTR 9 /* Span.attributes (Resource.attributes is 1) */
/* A step's span name into name, and its MCP method (NULL for the others). */
void otlp_step_name(const struct otlp_probe *c, const char *step, const cJSON *rec, char *name,
    size_t len, const char **method);
/* The KeyValues of a step's span (name as otlp_step_name made it), and of the root. */
int otlp_step_attrs(struct mcp_buf *a, const struct otlp_probe *c, const char *step,
    const cJSON *rec, const char *method, const char *name);
int otlp_root_attrs(struct mcp_buf *a, const struct otlp_probe *c, const char *err);
/* A step's error.type by the conventions (the JSON-RPC code in num, tool_error, the code), or NULL. */
const char *otlp_error_type(const cJSON *rec, char *num, size_t len);

/* --- metric.c: the records of an export interval as one ExportMetricsServiceRequest. */
struct otlp_metrics *otlp_metrics_new(int cumulative, double now);
void otlp_metrics_free(struct otlp_metrics *m);
/* An MCP operation that ran (span.c): its method, error.type or NULL, seconds. */
int otlp_metrics_op(struct otlp_metrics *m, const struct otlp_probe *c, const char *method,
    const char *etype, double seconds);
/* A result or a verdict record (others are ignored); now for a verdict's points. */
int otlp_metrics_rec(struct otlp_metrics *m, const cJSON *rec, double now);
/* 1 when the gauges' points pass their bound: export now. */
int otlp_metrics_due(const struct otlp_metrics *m);
/* Series refused past the bound. */
long otlp_metrics_dropped(const struct otlp_metrics *m);
/*
 * The interval's metrics appended to out, *npoints data points; 1, or 0
 * when there was nothing, -1 for no memory.  A new interval starts
 * (DELTA), or the sums go on (CUMULATIVE).
 */
int otlp_metrics_export(struct otlp_metrics *m, const struct otlp_res *res, double now,
    struct mcp_buf *out, int *npoints);

/* --- queue.c: traces waiting to be sent, bounded in bytes, spooled. */
struct otlp_frame {
	struct otlp_frame *next;
	uint32_t spans;
	size_t len;
	unsigned char data[]; /* one ExportTraceServiceRequest */
};

struct otlp_queue {
	struct otlp_frame *head, *tail;
	size_t bytes, max;
	long frames;
	long dropped_spans; /* pushed out by newer ones, or too big alone */
	long dropped_traces;
	int fd; /* the spool file, locked; -1 for none */
};

/* 0, or -1 with why: the spool cannot be opened, locked or read. */
int otlp_queue_open(struct otlp_queue *q, const char *spool, size_t max, char *why, size_t len);
/* A trace at the tail; the oldest ones leave when it would pass max. */
int otlp_queue_push(struct otlp_queue *q, const void *p, size_t n, uint32_t spans);
/* Forget the first k frames (sent, or refused by the collector). */
void otlp_queue_pop(struct otlp_queue *q, long k);
/* What is left written to the spool (0, or -1 with why), and freed. */
int otlp_queue_close(struct otlp_queue *q, char *why, size_t len);

/* --- send.c: OTLP/HTTP requests, one at a time, by libcurl's multi. */
struct otlp_conf {
	const char *url;            /* borrowed: the endpoint */
	const char *what;           /* "traces" or "metrics", for messages */
	struct curl_slist *headers; /* owned by the caller */
	double timeout;             /* seconds for one request */
	size_t batch;               /* bytes of traces in one request, at most */
	const char *cacert;         /* borrowed, or NULL */
};

struct otlp_sender;
struct otlp_stats {
	long sent_spans, sent_traces;
	long refused_spans, refused_traces; /* answered 4xx other than 429 */
	long failures;                      /* attempts that failed */
	char last_error[256];
};

struct otlp_sender *otlp_sender_new(const struct otlp_conf *c, struct otlp_queue *q);
void otlp_sender_free(struct otlp_sender *s);
/*
 * Wait for stdin (fd, or -1) or the transfer for at most ms, then move the
 * transfer on and start the next when one is due.  Returns 1 when fd is
 * readable, 0 otherwise, -1 for a failure of libcurl (why).
 */
int otlp_sender_step(struct otlp_sender *s, int fd, int ms, char *why, size_t len);
/* 1 while a request is in flight or the queue holds traces. */
int otlp_sender_busy(const struct otlp_sender *s);
/* Seconds (monotonic) before the next attempt may start; 0 when now. */
double otlp_sender_wait(const struct otlp_sender *s);
const struct otlp_stats *otlp_sender_stats(const struct otlp_sender *s);

#endif
