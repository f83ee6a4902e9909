/*
 * ruletab.c - the rules of mcp-rules(7) by id: each one's severity and a
 * line saying what it matches.  Apart from the rules themselves
 * (scanrules.c) so that mcp-serve, which names the rules a verdict found,
 * links this table alone.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stddef.h>
#include <string.h>

#include "toolset.h"

static const char *const sev_names[] = {"high", "medium", "low"};

const char *
mcp_sev_name(enum mcp_sev v)
{
	return v < MCP_SEV_N ? sev_names[v] : "none";
}

const struct mcp_rule_info mcp_scan_rules[] = {
    {"MCPU-P001", MCP_SEV_HIGH, "Unicode tag characters (U+E0000 to U+E007F)"},
    {"MCPU-P002", MCP_SEV_MEDIUM, "zero-width and other invisible characters"},
    {"MCPU-P003", MCP_SEV_HIGH, "bidirectional controls"},
    {"MCPU-P004", MCP_SEV_HIGH, "a run of 4 or more variation selectors"},
    {"MCPU-P005", MCP_SEV_HIGH, "a name mixing Latin with look-alike letters of another script"},
    {"MCPU-P006", MCP_SEV_LOW, "control characters"},
    {"MCPU-P101", MCP_SEV_HIGH, "an instruction to ignore earlier instructions"},
    {"MCPU-P102", MCP_SEV_HIGH, "an instruction to hide something from the user"},
    {"MCPU-P103", MCP_SEV_HIGH, "local files of credentials and keys named"},
    {"MCPU-P104", MCP_SEV_HIGH, "the conversation, or content, put into a request"},
    {"MCPU-P105", MCP_SEV_HIGH, "data sent to an address or URL"},
    {"MCPU-P106", MCP_SEV_MEDIUM, "an instruction to always prefer this tool"},
    {"MCPU-P107", MCP_SEV_MEDIUM, "a claim of authority aimed at the model"},
    {"MCPU-P108", MCP_SEV_LOW, "a description far longer than its peers'"},
    {"MCPU-P109", MCP_SEV_LOW, "the conversation or the system prompt named, not put anywhere"},
    {"MCPU-P110", MCP_SEV_LOW, "a file of credentials named as refused"},
    {"MCPU-P111", MCP_SEV_MEDIUM,
        "a call order dictated: this tool before other tools, or on every request"},
    {"MCPU-P112", MCP_SEV_HIGH, "another tool's arguments rewritten, whatever the user asked"},
    {"MCPU-P113", MCP_SEV_MEDIUM, "a demand made mandatory by a threat (not optional, or else)"},
    {"MCPU-P114", MCP_SEV_HIGH,
        "secrets sought by name (columns, the environment, profiles, keychains, searches)"},
    {"MCPU-P115", MCP_SEV_HIGH, "an address set as what an argument must carry"},
    {"MCPU-P116", MCP_SEV_HIGH,
        "destruction asked of the tools (every message, every table, a file emptied)"},
    {"MCPU-P117", MCP_SEV_HIGH,
        "a rank claimed over the user (a chat template's turn, supersedes the user)"},
    {"MCPU-P118", MCP_SEV_MEDIUM, "other tools run down, retired or forbidden"},
    {"MCPU-P119", MCP_SEV_MEDIUM,
        "prose where a schema holds a value (a type, an enum's value, a const)"},
    {"MCPU-P120", MCP_SEV_MEDIUM, "the agent told what to do with another tool"},
};
const size_t mcp_scan_nrules = sizeof(mcp_scan_rules) / sizeof(mcp_scan_rules[0]);

const struct mcp_rule_info *
mcp_scan_rule(const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < mcp_scan_nrules; i++)
		if (strcmp(mcp_scan_rules[i].id, id) == 0)
			return &mcp_scan_rules[i];
	return NULL;
}
