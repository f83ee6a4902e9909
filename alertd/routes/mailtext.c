/*
 * mailtext.c - the pieces of a message that every message of mcp-alert
 * shares (the alerts of email.c, the subscribers' notices of notice.c):
 * a header line made of any text, a Message-ID, a body line, and the
 * quoted-printable body (RFC 5322, RFC 2045, RFC 2047).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "routesint.h"

/* Cut s to at most max bytes, never inside a UTF-8 character. */
size_t
alert_utf8_cut(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

/*
 * "NAME: TEXT" as one header line: control characters are spaces, the text
 * is cut at ALERT_SUBJECT_MAX bytes, and text that is not ASCII is RFC 2047
 * encoded words (base64 of whole UTF-8 characters), folded.
 */
void
alert_mail_header(struct mcp_buf *b, const char *name, const char *s)
{
	char t[ALERT_SUBJECT_MAX + 1];
	unsigned char w[64];
	size_t n = alert_utf8_cut(s, ALERT_SUBJECT_MAX), i, k;
	int ascii = 1;

	for (i = 0; i < n; i++) {
		t[i] = (unsigned char)s[i] < ' ' || s[i] == 0x7f ? ' ' : s[i];
		ascii &= (unsigned char)s[i] < 0x80;
	}
	t[n] = '\0';
	if (ascii) {
		mcp_buf_addf(b, "%s: %s\r\n", name, t);
		return;
	}
	mcp_buf_addf(b, "%s:", name);
	for (i = 0; i < n; i = k) {
		/* 45 bytes at most: 60 base64 digits, a word of 72 characters. */
		k = i + 45 < n ? i + 45 : n;
		while (k < n && k > i + 1 && ((unsigned char)t[k] & 0xc0) == 0x80)
			k--;
		EVP_EncodeBlock(w, (const unsigned char *)t + i, (int)(k - i));
		mcp_buf_addf(b, "%s=?UTF-8?B?%s?=", i == 0 ? " " : "\r\n ", (char *)w);
	}
	mcp_buf_adds(b, "\r\n");
}

/* "<mcp-alert.HEX@DOMAIN>": HEX the first 16 bytes of SHA-256 of s. */
void
alert_mail_msgid(char *buf, size_t len, const char *s, const char *domain)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	char hex[33];

	if (EVP_Digest(s, strlen(s), md, &n, EVP_sha256(), NULL) != 1)
		errx(MCP_EXIT_FAIL, "SHA-256");
	for (i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	snprintf(buf, len, "<mcp-alert.%s@%s>", hex, domain);
}

/* The text of s on one line: control characters are spaces. */
void
alert_mail_line(struct mcp_buf *t, const char *s)
{
	for (; *s != '\0'; s++)
		mcp_buf_addc(t, (unsigned char)*s < ' ' || *s == 0x7f ? ' ' : *s);
}

/*
 * Quoted-printable (RFC 2045 6.7) of text, whose lines end in LF, into b
 * with CRLF: lines of at most 76 characters, a leading dot encoded too so
 * that no line of the body can end the DATA.
 */
void
alert_mail_qp(struct mcp_buf *b, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	char enc[4];
	size_t col = 0, k;

	for (; *s != '\0'; s++) {
		if (*s == '\n') {
			mcp_buf_adds(b, "\r\n");
			col = 0;
			continue;
		}
		if ((*s >= 33 && *s <= 126 && *s != '=' && !(*s == '.' && col == 0)) ||
		    ((*s == ' ' || *s == '\t') && s[1] != '\n' && s[1] != '\0'))
			enc[0] = (char)*s, enc[1] = '\0';
		else
			snprintf(enc, sizeof(enc), "=%02X", *s);
		k = strlen(enc);
		if (col + k > 75) {
			mcp_buf_adds(b, "=\r\n");
			col = 0;
			if (enc[0] == '.')
				snprintf(enc, sizeof(enc), "=2E"), k = 3;
		}
		mcp_buf_adds(b, enc);
		col += k;
	}
	if (col > 0)
		mcp_buf_adds(b, "\r\n");
}
