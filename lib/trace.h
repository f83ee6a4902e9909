/*
 * trace.h - the W3C trace context of a probe, derived from its probe_id
 * so that mcp-probe (the traceparent it sends) and mcp-otlp (the spans it
 * exports) name the same trace and spans.  Pure: no I/O.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_TRACE_H
#define MCP_TRACE_H

#include <stddef.h>

/* "00-" 32 hex "-" 16 hex "-01" and the NUL. */
#define MCP_TRACEPARENT_SIZE 56

/* The probe_id as 16 bytes when it is 32 hex digits (not all zero), else its SHA-256's first 16. */
void mcp_trace_id(const char *probe_id, unsigned char out[16]);
/* A span's id: the first 8 bytes of SHA-256(probe_id "/" name); name is a step, or "probe". */
void mcp_span_id(const char *probe_id, const char *name, unsigned char out[8]);
/* The traceparent of the span name of probe_id, sampled, into out (MCP_TRACEPARENT_SIZE). */
void mcp_traceparent(const char *probe_id, const char *name, char out[MCP_TRACEPARENT_SIZE]);

#endif
