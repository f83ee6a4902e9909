/*
 * region.c - the cities region codes stand for, and the config file.
 *
 * The built-in table covers the usual cloud regions (AWS, Google Cloud,
 * Azure, Fly.io); the operator adds or overrides codes in the file named
 * by MCP_SERVE_CONF, which may also name the store.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "mcp.h"
#include "serve.h"

struct city {
	const char *code, *name;
	double lat, lon;
};

static const struct city builtin[] = {
    /* AWS */
    {"us-east-1", "N. Virginia", 38.9, -77.5},
    {"us-east-2", "Ohio", 40.0, -83.0},
    {"us-west-1", "N. California", 37.4, -121.9},
    {"us-west-2", "Oregon", 45.8, -119.7},
    {"ca-central-1", "Montréal", 45.5, -73.6},
    {"ca-west-1", "Calgary", 51.0, -114.1},
    {"sa-east-1", "São Paulo", -23.5, -46.6},
    {"eu-west-1", "Dublin", 53.3, -6.3},
    {"eu-west-2", "London", 51.5, -0.1},
    {"eu-west-3", "Paris", 48.9, 2.4},
    {"eu-central-1", "Frankfurt", 50.1, 8.7},
    {"eu-central-2", "Zurich", 47.4, 8.5},
    {"eu-north-1", "Stockholm", 59.3, 18.1},
    {"eu-south-1", "Milan", 45.5, 9.2},
    {"eu-south-2", "Spain", 41.6, -0.9},
    {"me-south-1", "Bahrain", 26.1, 50.6},
    {"me-central-1", "UAE", 24.5, 54.4},
    {"il-central-1", "Tel Aviv", 32.1, 34.8},
    {"af-south-1", "Cape Town", -33.9, 18.4},
    {"ap-south-1", "Mumbai", 19.1, 72.9},
    {"ap-south-2", "Hyderabad", 17.4, 78.5},
    {"ap-east-1", "Hong Kong", 22.3, 114.2},
    {"ap-southeast-1", "Singapore", 1.35, 103.8},
    {"ap-southeast-2", "Sydney", -33.9, 151.2},
    {"ap-southeast-3", "Jakarta", -6.2, 106.8},
    {"ap-southeast-4", "Melbourne", -37.8, 145.0},
    {"ap-northeast-1", "Tokyo", 35.7, 139.7},
    {"ap-northeast-2", "Seoul", 37.6, 127.0},
    {"ap-northeast-3", "Osaka", 34.7, 135.5},
    /* Google Cloud */
    {"us-central1", "Iowa", 41.3, -95.9},
    {"us-east1", "South Carolina", 33.2, -80.0},
    {"us-east4", "N. Virginia", 39.0, -77.5},
    {"us-west1", "Oregon", 45.6, -121.2},
    {"us-west2", "Los Angeles", 34.1, -118.2},
    {"northamerica-northeast1", "Montréal", 45.5, -73.6},
    {"southamerica-east1", "São Paulo", -23.5, -46.6},
    {"europe-west1", "Belgium", 50.4, 3.8},
    {"europe-west2", "London", 51.5, -0.1},
    {"europe-west3", "Frankfurt", 50.1, 8.7},
    {"europe-west4", "Netherlands", 53.4, 6.8},
    {"europe-north1", "Finland", 60.6, 27.2},
    {"asia-east1", "Taiwan", 24.1, 120.5},
    {"asia-northeast1", "Tokyo", 35.7, 139.7},
    {"asia-south1", "Mumbai", 19.1, 72.9},
    {"asia-southeast1", "Singapore", 1.35, 103.8},
    {"australia-southeast1", "Sydney", -33.9, 151.2},
    /* Azure */
    {"eastus", "Virginia", 37.4, -79.8},
    {"eastus2", "Virginia", 36.7, -78.4},
    {"westus", "California", 37.8, -122.4},
    {"westus2", "Washington", 47.2, -119.9},
    {"centralus", "Iowa", 41.6, -93.6},
    {"northeurope", "Ireland", 53.3, -6.3},
    {"westeurope", "Netherlands", 52.4, 4.9},
    {"uksouth", "London", 51.5, -0.1},
    {"southeastasia", "Singapore", 1.3, 103.8},
    {"japaneast", "Tokyo", 35.7, 139.7},
    {"australiaeast", "New South Wales", -33.9, 151.2},
    {"brazilsouth", "São Paulo", -23.5, -46.6},
    /* Fly.io */
    {"ams", "Amsterdam", 52.4, 4.9},
    {"arn", "Stockholm", 59.7, 17.9},
    {"bom", "Mumbai", 19.1, 72.9},
    {"cdg", "Paris", 49.0, 2.5},
    {"dfw", "Dallas", 32.9, -97.0},
    {"ewr", "Secaucus", 40.8, -74.1},
    {"fra", "Frankfurt", 50.0, 8.6},
    {"gru", "São Paulo", -23.4, -46.5},
    {"hkg", "Hong Kong", 22.3, 113.9},
    {"iad", "Ashburn", 39.0, -77.5},
    {"jnb", "Johannesburg", -26.1, 28.2},
    {"lax", "Los Angeles", 33.9, -118.4},
    {"lhr", "London", 51.5, -0.5},
    {"mad", "Madrid", 40.5, -3.6},
    {"nrt", "Tokyo", 35.8, 140.4},
    {"ord", "Chicago", 41.97, -87.9},
    {"scl", "Santiago", -33.4, -70.8},
    {"sea", "Seattle", 47.4, -122.3},
    {"sin", "Singapore", 1.4, 104.0},
    {"sjc", "San Jose", 37.4, -121.9},
    {"syd", "Sydney", -33.9, 151.2},
    {"waw", "Warsaw", 52.2, 21.0},
    {"yyz", "Toronto", 43.7, -79.6},
};

/* The operator's codes, read once. */
#define CONF_REGIONS_MAX 256
#define CITY_MAX 64
struct own_city {
	char code[MCP_SLUG_MAX + 1];
	char name[CITY_MAX + 1];
	double lat, lon;
};
static struct own_city own[CONF_REGIONS_MAX];
static int nown;
static char store_url[2048];

/*
 * The region's entry: the operator's first, then the built-in table; the
 * operator's entries are returned as struct city pointing into own[].
 */
static int
lookup(const char *code, struct city *out)
{
	size_t i;
	int j;

	for (j = 0; j < nown; j++)
		if (strcmp(own[j].code, code) == 0) {
			*out = (struct city){own[j].code, own[j].name, own[j].lat, own[j].lon};
			return 0;
		}
	for (i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
		if (strcmp(builtin[i].code, code) == 0) {
			*out = builtin[i];
			return 0;
		}
	return -1;
}

const char *
serve_city(const char *code)
{
	struct city c;

	return lookup(code, &c) == 0 ? c.name : NULL;
}

/* Where the region is, for the map: 0, or -1 when the code is unknown. */
int
serve_region_where(const char *code, double *lat, double *lon)
{
	struct city c;

	if (lookup(code, &c) == -1)
		return -1;
	*lat = c.lat, *lon = c.lon;
	return 0;
}

const char *
serve_conf_store(void)
{
	return store_url[0] != '\0' ? store_url : NULL;
}

/* The origins a subscription form may be posted from (origin lines). */
#define ORIGINS_MAX 8
static char origins[ORIGINS_MAX][256];
static int norigins;

int
serve_conf_origins(void)
{
	return norigins;
}

int
serve_conf_origin(const char *o)
{
	int i;

	for (i = 0; i < norigins; i++)
		if (strcasecmp(origins[i], o) == 0)
			return 1;
	return 0;
}

/* "origin http(s)://HOST[:PORT]": a scheme and an authority, nothing after. */
static int
conf_origin(const char *rest, char *why, size_t len)
{
	const char *a = strncmp(rest, "https://", 8) == 0 ? rest + 8
	    : strncmp(rest, "http://", 7) == 0            ? rest + 7
	                                                  : NULL;

	if (a == NULL || *a == '\0' || strcspn(a, "/?# \t") != strlen(a) ||
	    strlen(rest) >= sizeof(origins[0]))
		return snprintf(why, len, "origin: want http(s)://HOST[:PORT], nothing after"), -1;
	if (norigins == ORIGINS_MAX)
		return snprintf(why, len, "origin: more than %d", ORIGINS_MAX), -1;
	snprintf(origins[norigins++], sizeof(origins[0]), "%s", rest);
	return 0;
}

/* "region CODE LAT LON City name": the name is UTF-8 without controls. */
static int
conf_region(char *rest, char *why, size_t len)
{
	char *code, *lat, *lon, *name, *e1, *e2;
	struct own_city *c;
	size_t i;

	code = strtok_r(rest, " \t", &rest);
	lat = strtok_r(NULL, " \t", &rest);
	lon = strtok_r(NULL, " \t", &rest);
	name = rest + strspn(rest, " \t");
	if (code == NULL || lat == NULL || lon == NULL || *name == '\0')
		return snprintf(why, len, "region: want CODE LAT LON CITY"), -1;
	if (!mcp_slug_ok(code))
		return snprintf(why, len, "region: bad code"), -1;
	if (nown == CONF_REGIONS_MAX)
		return snprintf(why, len, "region: more than %d", CONF_REGIONS_MAX), -1;
	c = &own[nown];
	c->lat = strtod(lat, &e1);
	c->lon = strtod(lon, &e2);
	if (*e1 != '\0' || *e2 != '\0' || !(c->lat >= -90 && c->lat <= 90) ||
	    !(c->lon >= -180 && c->lon <= 180))
		return snprintf(why, len, "region: bad latitude or longitude"), -1;
	if (strlen(name) > CITY_MAX)
		return snprintf(why, len, "region: city longer than %d bytes", CITY_MAX), -1;
	for (i = 0; name[i] != '\0'; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return snprintf(why, len, "region: control character in the city"), -1;
	if (!mcp_utf8_valid(name, strlen(name)))
		return snprintf(why, len, "region: city is not UTF-8"), -1;
	snprintf(c->code, sizeof(c->code), "%s", code);
	snprintf(c->name, sizeof(c->name), "%s", name);
	nown++;
	return 0;
}

static int
conf_line(char *line, char *why, size_t len)
{
	char *key, *rest = line, *hash;
	size_t n;

	/* A comment: a line that starts with #, or # after a blank, to the end. */
	for (hash = line; (hash = strchr(hash, '#')) != NULL; hash++)
		if (hash == line || isspace((unsigned char)hash[-1])) {
			*hash = '\0';
			break;
		}
	n = strlen(line);
	while (n > 0 && isspace((unsigned char)line[n - 1]))
		line[--n] = '\0';
	key = strtok_r(rest, " \t", &rest);
	if (key == NULL || *key == '#')
		return 0;
	rest += strspn(rest, " \t");
	if (strcmp(key, "region") == 0)
		return conf_region(rest, why, len);
	if (strcmp(key, "origin") == 0)
		return conf_origin(rest, why, len);
	if (strcmp(key, "store") == 0) {
		if (*rest == '\0' || strlen(rest) >= sizeof(store_url))
			return snprintf(why, len, "store: want one URL"), -1;
		snprintf(store_url, sizeof(store_url), "%s", rest);
		return 0;
	}
	return snprintf(why, len, "unknown keyword"), -1;
}

/* 1 when a store URL holds a password (its public form, mcp_store_url_public, differs). */
static int
has_password(const char *url)
{
	char pub[sizeof(store_url)];

	return url[0] != '\0' &&
	    (mcp_store_url_public(url, pub, sizeof(pub)) == -1 || strcmp(pub, url) != 0);
}

/*
 * Read the file; a bad line is an error naming its number (nothing kept),
 * and so is a password of the store in a file group or others can read.
 */
int
serve_conf_load(const char *path, char *err, size_t errlen)
{
	char line[1024], why[128];
	FILE *f;
	int no = 0, rc = 0;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		no++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "%s:%d: line too long", path, no);
			rc = -1;
		} else if (conf_line(line, why, sizeof(why)) == -1) {
			snprintf(err, errlen, "%s:%d: %s", path, no, why);
			rc = -1;
		}
	}
	explicit_bzero(line, sizeof(line));
	/* The store's password in it: kept as its password file would be. */
	if (rc == 0 && has_password(store_url) &&
	    mcp_secret_fd_ok(fileno(f), why, sizeof(why)) == -1) {
		snprintf(err, errlen, "%s: holds the store's password: %s", path, why);
		rc = -1;
	}
	fclose(f);
	if (rc == -1) {
		nown = 0;
		norigins = 0;
		store_url[0] = '\0';
	}
	return rc;
}
