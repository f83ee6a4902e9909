/*
 * mcpdoc.c - what publishes /mcp and who may ask it what (mcp-serve(8),
 * "MCP").
 */
#include <string.h>

#include "mcpserve.h"

int
mcp_doc_route(struct conn *c, const struct req *q, struct resp *r)
{
	(void)c, (void)q, (void)r;
	return 0;
}

int
mcp_reader_of(struct conn *c, const struct req *q, struct resp *r)
{
	(void)c, (void)q, (void)r;
	return 0;
}
