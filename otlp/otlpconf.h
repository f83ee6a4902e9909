/*
 * otlpconf.h - mcp-otlp's configuration (conf.c): OpenTelemetry's
 * variables and the flags.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef OTLPCONF_H
#define OTLPCONF_H

#include <stddef.h>

#include <curl/curl.h>

int otlp_pairs(char *list, int (*fn)(const char *k, const char *v, void *arg), void *arg, char *why,
    size_t len);
int otlp_header_add(struct curl_slist **list, const char *line);
/* OTEL_EXPORTER_OTLP_HEADERS's form, from a variable's value or a file (owner only). */
int otlp_headers_env(struct curl_slist **list, const char *env, char *why, size_t len);
int otlp_headers_file(struct curl_slist **list, const char *path, char *why, size_t len);
/* Wipes each header (a key may be among them) and frees the list. */
void otlp_headers_free(struct curl_slist *list);
/* Owned, or NULL when nothing names one; signal "TRACES", path "/v1/traces". */
char *otlp_endpoint(const char *flag, const char *signal, const char *path);

#endif
