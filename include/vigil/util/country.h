/* ISO 3166-1 countries: codes and names, and turning the ways watchlists
 * and travel documents write a country into an alpha-2 code. Pure; the
 * tables are const and the returned strings live for the whole program. */
#ifndef VIGIL_COUNTRY_H
#define VIGIL_COUNTRY_H

struct vg_country {
	const char *alpha2; /* "IQ" */
	const char *alpha3; /* "IRQ" */
	const char *name;   /* ISO English short name, "Iraq" */
};

/* The alpha-2 code of text, or NULL. text may be an alpha-2 code, an
 * alpha-3 code (ICAO Doc 9303 travel-document codes too: "D" for Germany,
 * "GBD".."GBS" for British nationals, "RKS"/"UNK" for Kosovo), or a name:
 * the ISO short and official names and the variants the UN and OFAC lists
 * use ("Syrian Arab Republic", "Iran (Islamic Republic of)", "Korea,
 * North", "Burma", "Russia", "United Kingdom of Great Britain and Northern
 * Ireland"...). Matching ignores ASCII case, surrounding spaces and runs of
 * spaces, and takes U+2019 for an apostrophe. Kosovo is "XK", the code in
 * common use (not assigned by ISO). Codes are tried before names, so a
 * two-letter word is read as a code: use vg_country_from_name for text
 * known to be a name ("na" is Namibia to this function). */
const char *vg_country_code(const char *text);

/* Names and variants only (no codes): alpha-2 or NULL. */
const char *vg_country_from_name(const char *name);

/* Alpha-3 codes only, with the ICAO codes above: alpha-2 or NULL.
 * "XXA" (stateless) and other codes naming no country give NULL. */
const char *vg_country_from_alpha3(const char *code);

/* The table row of an alpha-2 code (ASCII case ignored), or NULL. */
const struct vg_country *vg_country_get(const char *alpha2);

#endif
