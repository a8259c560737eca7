/* ISO 3166-1 table and the lookups of country.h. The rows come from
 * Debian's iso-codes (scripts/gen_country_table.py); the variants are the
 * names the UN and OFAC lists write, found by running their files through
 * vg_country_from_name and reading what did not map. */
#include "vigil/util/country.h"

#include <stddef.h>
#include <string.h>

/* Sorted by alpha-2 for the binary search of vg_country_get. */
static const struct vg_country countries[] = {
    {"AD", "AND", "Andorra"},
    {"AE", "ARE", "United Arab Emirates"},
    {"AF", "AFG", "Afghanistan"},
    {"AG", "ATG", "Antigua and Barbuda"},
    {"AI", "AIA", "Anguilla"},
    {"AL", "ALB", "Albania"},
    {"AM", "ARM", "Armenia"},
    {"AO", "AGO", "Angola"},
    {"AQ", "ATA", "Antarctica"},
    {"AR", "ARG", "Argentina"},
    {"AS", "ASM", "American Samoa"},
    {"AT", "AUT", "Austria"},
    {"AU", "AUS", "Australia"},
    {"AW", "ABW", "Aruba"},
    {"AX", "ALA", "Åland Islands"},
    {"AZ", "AZE", "Azerbaijan"},
    {"BA", "BIH", "Bosnia and Herzegovina"},
    {"BB", "BRB", "Barbados"},
    {"BD", "BGD", "Bangladesh"},
    {"BE", "BEL", "Belgium"},
    {"BF", "BFA", "Burkina Faso"},
    {"BG", "BGR", "Bulgaria"},
    {"BH", "BHR", "Bahrain"},
    {"BI", "BDI", "Burundi"},
    {"BJ", "BEN", "Benin"},
    {"BL", "BLM", "Saint Barthélemy"},
    {"BM", "BMU", "Bermuda"},
    {"BN", "BRN", "Brunei Darussalam"},
    {"BO", "BOL", "Bolivia, Plurinational State of"},
    {"BQ", "BES", "Bonaire, Sint Eustatius and Saba"},
    {"BR", "BRA", "Brazil"},
    {"BS", "BHS", "Bahamas"},
    {"BT", "BTN", "Bhutan"},
    {"BV", "BVT", "Bouvet Island"},
    {"BW", "BWA", "Botswana"},
    {"BY", "BLR", "Belarus"},
    {"BZ", "BLZ", "Belize"},
    {"CA", "CAN", "Canada"},
    {"CC", "CCK", "Cocos (Keeling) Islands"},
    {"CD", "COD", "Congo, The Democratic Republic of the"},
    {"CF", "CAF", "Central African Republic"},
    {"CG", "COG", "Congo"},
    {"CH", "CHE", "Switzerland"},
    {"CI", "CIV", "Côte d'Ivoire"},
    {"CK", "COK", "Cook Islands"},
    {"CL", "CHL", "Chile"},
    {"CM", "CMR", "Cameroon"},
    {"CN", "CHN", "China"},
    {"CO", "COL", "Colombia"},
    {"CR", "CRI", "Costa Rica"},
    {"CU", "CUB", "Cuba"},
    {"CV", "CPV", "Cabo Verde"},
    {"CW", "CUW", "Curaçao"},
    {"CX", "CXR", "Christmas Island"},
    {"CY", "CYP", "Cyprus"},
    {"CZ", "CZE", "Czechia"},
    {"DE", "DEU", "Germany"},
    {"DJ", "DJI", "Djibouti"},
    {"DK", "DNK", "Denmark"},
    {"DM", "DMA", "Dominica"},
    {"DO", "DOM", "Dominican Republic"},
    {"DZ", "DZA", "Algeria"},
    {"EC", "ECU", "Ecuador"},
    {"EE", "EST", "Estonia"},
    {"EG", "EGY", "Egypt"},
    {"EH", "ESH", "Western Sahara"},
    {"ER", "ERI", "Eritrea"},
    {"ES", "ESP", "Spain"},
    {"ET", "ETH", "Ethiopia"},
    {"FI", "FIN", "Finland"},
    {"FJ", "FJI", "Fiji"},
    {"FK", "FLK", "Falkland Islands (Malvinas)"},
    {"FM", "FSM", "Micronesia, Federated States of"},
    {"FO", "FRO", "Faroe Islands"},
    {"FR", "FRA", "France"},
    {"GA", "GAB", "Gabon"},
    {"GB", "GBR", "United Kingdom"},
    {"GD", "GRD", "Grenada"},
    {"GE", "GEO", "Georgia"},
    {"GF", "GUF", "French Guiana"},
    {"GG", "GGY", "Guernsey"},
    {"GH", "GHA", "Ghana"},
    {"GI", "GIB", "Gibraltar"},
    {"GL", "GRL", "Greenland"},
    {"GM", "GMB", "Gambia"},
    {"GN", "GIN", "Guinea"},
    {"GP", "GLP", "Guadeloupe"},
    {"GQ", "GNQ", "Equatorial Guinea"},
    {"GR", "GRC", "Greece"},
    {"GS", "SGS", "South Georgia and the South Sandwich Islands"},
    {"GT", "GTM", "Guatemala"},
    {"GU", "GUM", "Guam"},
    {"GW", "GNB", "Guinea-Bissau"},
    {"GY", "GUY", "Guyana"},
    {"HK", "HKG", "Hong Kong"},
    {"HM", "HMD", "Heard Island and McDonald Islands"},
    {"HN", "HND", "Honduras"},
    {"HR", "HRV", "Croatia"},
    {"HT", "HTI", "Haiti"},
    {"HU", "HUN", "Hungary"},
    {"ID", "IDN", "Indonesia"},
    {"IE", "IRL", "Ireland"},
    {"IL", "ISR", "Israel"},
    {"IM", "IMN", "Isle of Man"},
    {"IN", "IND", "India"},
    {"IO", "IOT", "British Indian Ocean Territory"},
    {"IQ", "IRQ", "Iraq"},
    {"IR", "IRN", "Iran, Islamic Republic of"},
    {"IS", "ISL", "Iceland"},
    {"IT", "ITA", "Italy"},
    {"JE", "JEY", "Jersey"},
    {"JM", "JAM", "Jamaica"},
    {"JO", "JOR", "Jordan"},
    {"JP", "JPN", "Japan"},
    {"KE", "KEN", "Kenya"},
    {"KG", "KGZ", "Kyrgyzstan"},
    {"KH", "KHM", "Cambodia"},
    {"KI", "KIR", "Kiribati"},
    {"KM", "COM", "Comoros"},
    {"KN", "KNA", "Saint Kitts and Nevis"},
    {"KP", "PRK", "Korea, Democratic People's Republic of"},
    {"KR", "KOR", "Korea, Republic of"},
    {"KW", "KWT", "Kuwait"},
    {"KY", "CYM", "Cayman Islands"},
    {"KZ", "KAZ", "Kazakhstan"},
    {"LA", "LAO", "Lao People's Democratic Republic"},
    {"LB", "LBN", "Lebanon"},
    {"LC", "LCA", "Saint Lucia"},
    {"LI", "LIE", "Liechtenstein"},
    {"LK", "LKA", "Sri Lanka"},
    {"LR", "LBR", "Liberia"},
    {"LS", "LSO", "Lesotho"},
    {"LT", "LTU", "Lithuania"},
    {"LU", "LUX", "Luxembourg"},
    {"LV", "LVA", "Latvia"},
    {"LY", "LBY", "Libya"},
    {"MA", "MAR", "Morocco"},
    {"MC", "MCO", "Monaco"},
    {"MD", "MDA", "Moldova, Republic of"},
    {"ME", "MNE", "Montenegro"},
    {"MF", "MAF", "Saint Martin (French part)"},
    {"MG", "MDG", "Madagascar"},
    {"MH", "MHL", "Marshall Islands"},
    {"MK", "MKD", "North Macedonia"},
    {"ML", "MLI", "Mali"},
    {"MM", "MMR", "Myanmar"},
    {"MN", "MNG", "Mongolia"},
    {"MO", "MAC", "Macao"},
    {"MP", "MNP", "Northern Mariana Islands"},
    {"MQ", "MTQ", "Martinique"},
    {"MR", "MRT", "Mauritania"},
    {"MS", "MSR", "Montserrat"},
    {"MT", "MLT", "Malta"},
    {"MU", "MUS", "Mauritius"},
    {"MV", "MDV", "Maldives"},
    {"MW", "MWI", "Malawi"},
    {"MX", "MEX", "Mexico"},
    {"MY", "MYS", "Malaysia"},
    {"MZ", "MOZ", "Mozambique"},
    {"NA", "NAM", "Namibia"},
    {"NC", "NCL", "New Caledonia"},
    {"NE", "NER", "Niger"},
    {"NF", "NFK", "Norfolk Island"},
    {"NG", "NGA", "Nigeria"},
    {"NI", "NIC", "Nicaragua"},
    {"NL", "NLD", "Netherlands"},
    {"NO", "NOR", "Norway"},
    {"NP", "NPL", "Nepal"},
    {"NR", "NRU", "Nauru"},
    {"NU", "NIU", "Niue"},
    {"NZ", "NZL", "New Zealand"},
    {"OM", "OMN", "Oman"},
    {"PA", "PAN", "Panama"},
    {"PE", "PER", "Peru"},
    {"PF", "PYF", "French Polynesia"},
    {"PG", "PNG", "Papua New Guinea"},
    {"PH", "PHL", "Philippines"},
    {"PK", "PAK", "Pakistan"},
    {"PL", "POL", "Poland"},
    {"PM", "SPM", "Saint Pierre and Miquelon"},
    {"PN", "PCN", "Pitcairn"},
    {"PR", "PRI", "Puerto Rico"},
    {"PS", "PSE", "Palestine, State of"},
    {"PT", "PRT", "Portugal"},
    {"PW", "PLW", "Palau"},
    {"PY", "PRY", "Paraguay"},
    {"QA", "QAT", "Qatar"},
    {"RE", "REU", "Réunion"},
    {"RO", "ROU", "Romania"},
    {"RS", "SRB", "Serbia"},
    {"RU", "RUS", "Russian Federation"},
    {"RW", "RWA", "Rwanda"},
    {"SA", "SAU", "Saudi Arabia"},
    {"SB", "SLB", "Solomon Islands"},
    {"SC", "SYC", "Seychelles"},
    {"SD", "SDN", "Sudan"},
    {"SE", "SWE", "Sweden"},
    {"SG", "SGP", "Singapore"},
    {"SH", "SHN", "Saint Helena, Ascension and Tristan da Cunha"},
    {"SI", "SVN", "Slovenia"},
    {"SJ", "SJM", "Svalbard and Jan Mayen"},
    {"SK", "SVK", "Slovakia"},
    {"SL", "SLE", "Sierra Leone"},
    {"SM", "SMR", "San Marino"},
    {"SN", "SEN", "Senegal"},
    {"SO", "SOM", "Somalia"},
    {"SR", "SUR", "Suriname"},
    {"SS", "SSD", "South Sudan"},
    {"ST", "STP", "Sao Tome and Principe"},
    {"SV", "SLV", "El Salvador"},
    {"SX", "SXM", "Sint Maarten (Dutch part)"},
    {"SY", "SYR", "Syrian Arab Republic"},
    {"SZ", "SWZ", "Eswatini"},
    {"TC", "TCA", "Turks and Caicos Islands"},
    {"TD", "TCD", "Chad"},
    {"TF", "ATF", "French Southern Territories"},
    {"TG", "TGO", "Togo"},
    {"TH", "THA", "Thailand"},
    {"TJ", "TJK", "Tajikistan"},
    {"TK", "TKL", "Tokelau"},
    {"TL", "TLS", "Timor-Leste"},
    {"TM", "TKM", "Turkmenistan"},
    {"TN", "TUN", "Tunisia"},
    {"TO", "TON", "Tonga"},
    {"TR", "TUR", "Türkiye"},
    {"TT", "TTO", "Trinidad and Tobago"},
    {"TV", "TUV", "Tuvalu"},
    {"TW", "TWN", "Taiwan, Province of China"},
    {"TZ", "TZA", "Tanzania, United Republic of"},
    {"UA", "UKR", "Ukraine"},
    {"UG", "UGA", "Uganda"},
    {"UM", "UMI", "United States Minor Outlying Islands"},
    {"US", "USA", "United States"},
    {"UY", "URY", "Uruguay"},
    {"UZ", "UZB", "Uzbekistan"},
    {"VA", "VAT", "Holy See (Vatican City State)"},
    {"VC", "VCT", "Saint Vincent and the Grenadines"},
    {"VE", "VEN", "Venezuela, Bolivarian Republic of"},
    {"VG", "VGB", "Virgin Islands, British"},
    {"VI", "VIR", "Virgin Islands, U.S."},
    {"VN", "VNM", "Viet Nam"},
    {"VU", "VUT", "Vanuatu"},
    {"WF", "WLF", "Wallis and Futuna"},
    {"WS", "WSM", "Samoa"},
    {"YE", "YEM", "Yemen"},
    {"YT", "MYT", "Mayotte"},
    {"ZA", "ZAF", "South Africa"},
    {"ZM", "ZMB", "Zambia"},
    {"ZW", "ZWE", "Zimbabwe"},
};

/* Kosovo is not in ISO 3166-1; "XK"/"XKX" are the codes the EU, the IMF
 * and most travel systems use. Kept out of the sorted table above. */
static const struct vg_country kosovo = {"XK", "XKX", "Kosovo"};

struct variant {
	const char *name;
	const char *alpha2;
};

static const struct variant variants[] = {
    /* the UN list's names */
    {"Iran (Islamic Republic of)", "IR"},
    {"Bolivia (Plurinational State of)", "BO"},
    {"Venezuela (Bolivarian Republic of)", "VE"},
    {"Micronesia (Federated States of)", "FM"},
    {"Netherlands (Kingdom of the)", "NL"},
    {"Democratic Republic of the Congo", "CD"},
    {"Republic of the Congo", "CG"},
    {"State of Palestine", "PS"},
    {"Republic of Korea", "KR"},
    {"The former Yugoslav Republic of Macedonia", "MK"},
    /* the OFAC list's names */
    {"Korea, North", "KP"},
    {"Korea, South", "KR"},
    {"Congo, Democratic Republic of the", "CD"},
    {"Congo, Republic of the", "CG"},
    {"Macedonia, The Former Yugoslav Republic of", "MK"},
    {"Burma", "MM"},
    {"Russia", "RU"},
    {"Turkey", "TR"},
    {"Palestinian", "PS"},
    {"Palestine", "PS"},
    {"Palestinian Territories", "PS"},
    {"West Bank", "PS"},
    {"Gaza", "PS"},
    {"Gaza Strip", "PS"},
    {"The Gambia", "GM"},
    {"Gambia, The", "GM"},
    {"The Bahamas", "BS"},
    {"Bahamas, The", "BS"},
    {"Macau", "MO"},
    {"Brunei", "BN"},
    {"Kosovo", "XK"},
    {"Cape Verde", "CV"},
    {"Cabo Verde", "CV"},
    {"Czech Republic", "CZ"},
    {"Macedonia", "MK"},
    {"Swaziland", "SZ"},
    {"Vatican", "VA"},
    {"Vatican City", "VA"},
    {"Holy See", "VA"},
    {"British Virgin Islands", "VG"},
    {"East Timor", "TL"},
    {"Slovak Republic", "SK"},
    {"Kyrgyz Republic", "KG"},
    {"Ivory Coast", "CI"},
    {"St. Kitts and Nevis", "KN"},
    {"St. Lucia", "LC"},
    {"St. Vincent and the Grenadines", "VC"},
    /* usual English names and ASCII spellings */
    {"United Kingdom of Great Britain and Northern Ireland", "GB"},
    {"UK", "GB"},
    {"Great Britain", "GB"},
    {"Britain", "GB"},
    {"United States of America", "US"},
    {"U.S.", "US"},
    {"U.S.A.", "US"},
    {"Turkiye", "TR"},
    {"Cote d'Ivoire", "CI"},
    {"Curacao", "CW"},
    {"Aland Islands", "AX"},
    {"Saint Barthelemy", "BL"},
    {"Reunion", "RE"},
    /* official and common names (iso-codes) */
    {"Principality of Andorra", "AD"},
    {"Islamic Republic of Afghanistan", "AF"},
    {"Republic of Albania", "AL"},
    {"Republic of Armenia", "AM"},
    {"Republic of Angola", "AO"},
    {"Argentine Republic", "AR"},
    {"Republic of Austria", "AT"},
    {"Republic of Azerbaijan", "AZ"},
    {"Republic of Bosnia and Herzegovina", "BA"},
    {"People's Republic of Bangladesh", "BD"},
    {"Kingdom of Belgium", "BE"},
    {"Republic of Bulgaria", "BG"},
    {"Kingdom of Bahrain", "BH"},
    {"Republic of Burundi", "BI"},
    {"Republic of Benin", "BJ"},
    {"Plurinational State of Bolivia", "BO"},
    {"Bolivia", "BO"},
    {"Federative Republic of Brazil", "BR"},
    {"Commonwealth of the Bahamas", "BS"},
    {"Kingdom of Bhutan", "BT"},
    {"Republic of Botswana", "BW"},
    {"Republic of Belarus", "BY"},
    {"Republic of the Congo", "CG"},
    {"Swiss Confederation", "CH"},
    {"Republic of Côte d'Ivoire", "CI"},
    {"Republic of Chile", "CL"},
    {"Republic of Cameroon", "CM"},
    {"People's Republic of China", "CN"},
    {"Republic of Colombia", "CO"},
    {"Republic of Costa Rica", "CR"},
    {"Republic of Cuba", "CU"},
    {"Republic of Cabo Verde", "CV"},
    {"Republic of Cyprus", "CY"},
    {"Czech Republic", "CZ"},
    {"Federal Republic of Germany", "DE"},
    {"Republic of Djibouti", "DJ"},
    {"Kingdom of Denmark", "DK"},
    {"Commonwealth of Dominica", "DM"},
    {"People's Democratic Republic of Algeria", "DZ"},
    {"Republic of Ecuador", "EC"},
    {"Republic of Estonia", "EE"},
    {"Arab Republic of Egypt", "EG"},
    {"the State of Eritrea", "ER"},
    {"Kingdom of Spain", "ES"},
    {"Federal Democratic Republic of Ethiopia", "ET"},
    {"Republic of Finland", "FI"},
    {"Republic of Fiji", "FJ"},
    {"Federated States of Micronesia", "FM"},
    {"French Republic", "FR"},
    {"Gabonese Republic", "GA"},
    {"Republic of Ghana", "GH"},
    {"Republic of the Gambia", "GM"},
    {"Republic of Guinea", "GN"},
    {"Republic of Equatorial Guinea", "GQ"},
    {"Hellenic Republic", "GR"},
    {"Republic of Guatemala", "GT"},
    {"Republic of Guinea-Bissau", "GW"},
    {"Republic of Guyana", "GY"},
    {"Hong Kong Special Administrative Region of China", "HK"},
    {"Republic of Honduras", "HN"},
    {"Republic of Croatia", "HR"},
    {"Republic of Haiti", "HT"},
    {"Republic of Indonesia", "ID"},
    {"State of Israel", "IL"},
    {"Republic of India", "IN"},
    {"Republic of Iraq", "IQ"},
    {"Islamic Republic of Iran", "IR"},
    {"Iran", "IR"},
    {"Republic of Iceland", "IS"},
    {"Italian Republic", "IT"},
    {"Hashemite Kingdom of Jordan", "JO"},
    {"Republic of Kenya", "KE"},
    {"Kyrgyz Republic", "KG"},
    {"Kingdom of Cambodia", "KH"},
    {"Republic of Kiribati", "KI"},
    {"Union of the Comoros", "KM"},
    {"Democratic People's Republic of Korea", "KP"},
    {"North Korea", "KP"},
    {"South Korea", "KR"},
    {"State of Kuwait", "KW"},
    {"Republic of Kazakhstan", "KZ"},
    {"Laos", "LA"},
    {"Lebanese Republic", "LB"},
    {"Principality of Liechtenstein", "LI"},
    {"Democratic Socialist Republic of Sri Lanka", "LK"},
    {"Republic of Liberia", "LR"},
    {"Kingdom of Lesotho", "LS"},
    {"Republic of Lithuania", "LT"},
    {"Grand Duchy of Luxembourg", "LU"},
    {"Republic of Latvia", "LV"},
    {"Kingdom of Morocco", "MA"},
    {"Principality of Monaco", "MC"},
    {"Republic of Moldova", "MD"},
    {"Moldova", "MD"},
    {"Republic of Madagascar", "MG"},
    {"Republic of the Marshall Islands", "MH"},
    {"Republic of North Macedonia", "MK"},
    {"Republic of Mali", "ML"},
    {"Republic of Myanmar", "MM"},
    {"Macao Special Administrative Region of China", "MO"},
    {"Commonwealth of the Northern Mariana Islands", "MP"},
    {"Islamic Republic of Mauritania", "MR"},
    {"Republic of Malta", "MT"},
    {"Republic of Mauritius", "MU"},
    {"Republic of Maldives", "MV"},
    {"Republic of Malawi", "MW"},
    {"United Mexican States", "MX"},
    {"Republic of Mozambique", "MZ"},
    {"Republic of Namibia", "NA"},
    {"Republic of the Niger", "NE"},
    {"Federal Republic of Nigeria", "NG"},
    {"Republic of Nicaragua", "NI"},
    {"Kingdom of the Netherlands", "NL"},
    {"Kingdom of Norway", "NO"},
    {"Federal Democratic Republic of Nepal", "NP"},
    {"Republic of Nauru", "NR"},
    {"Sultanate of Oman", "OM"},
    {"Republic of Panama", "PA"},
    {"Republic of Peru", "PE"},
    {"Independent State of Papua New Guinea", "PG"},
    {"Republic of the Philippines", "PH"},
    {"Islamic Republic of Pakistan", "PK"},
    {"Republic of Poland", "PL"},
    {"the State of Palestine", "PS"},
    {"Portuguese Republic", "PT"},
    {"Republic of Palau", "PW"},
    {"Republic of Paraguay", "PY"},
    {"State of Qatar", "QA"},
    {"Republic of Serbia", "RS"},
    {"Rwandese Republic", "RW"},
    {"Kingdom of Saudi Arabia", "SA"},
    {"Republic of Seychelles", "SC"},
    {"Republic of the Sudan", "SD"},
    {"Kingdom of Sweden", "SE"},
    {"Republic of Singapore", "SG"},
    {"Republic of Slovenia", "SI"},
    {"Slovak Republic", "SK"},
    {"Republic of Sierra Leone", "SL"},
    {"Republic of San Marino", "SM"},
    {"Republic of Senegal", "SN"},
    {"Federal Republic of Somalia", "SO"},
    {"Republic of Suriname", "SR"},
    {"Republic of South Sudan", "SS"},
    {"Democratic Republic of Sao Tome and Principe", "ST"},
    {"Republic of El Salvador", "SV"},
    {"Syria", "SY"},
    {"Kingdom of Eswatini", "SZ"},
    {"Republic of Chad", "TD"},
    {"Togolese Republic", "TG"},
    {"Kingdom of Thailand", "TH"},
    {"Republic of Tajikistan", "TJ"},
    {"Democratic Republic of Timor-Leste", "TL"},
    {"Republic of Tunisia", "TN"},
    {"Kingdom of Tonga", "TO"},
    {"Republic of Türkiye", "TR"},
    {"Republic of Trinidad and Tobago", "TT"},
    {"Taiwan", "TW"},
    {"United Republic of Tanzania", "TZ"},
    {"Tanzania", "TZ"},
    {"Republic of Uganda", "UG"},
    {"Eastern Republic of Uruguay", "UY"},
    {"Republic of Uzbekistan", "UZ"},
    {"Bolivarian Republic of Venezuela", "VE"},
    {"Venezuela", "VE"},
    {"British Virgin Islands", "VG"},
    {"Virgin Islands of the United States", "VI"},
    {"Socialist Republic of Viet Nam", "VN"},
    {"Vietnam", "VN"},
    {"Republic of Vanuatu", "VU"},
    {"Independent State of Samoa", "WS"},
    {"Republic of Yemen", "YE"},
    {"Republic of South Africa", "ZA"},
    {"Republic of Zambia", "ZM"},
    {"Republic of Zimbabwe", "ZW"},
};

/* ICAO Doc 9303 codes that are not ISO alpha-3 but name a country. */
static const struct variant icao[] = {
    {"D", "DE"},   {"GBD", "GB"}, {"GBN", "GB"}, {"GBO", "GB"}, {"GBP", "GB"},
    {"GBS", "GB"}, {"RKS", "XK"}, {"UNK", "XK"}, {"XKX", "XK"},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static char upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* Normalise for comparison: trim, collapse spaces, ASCII lowercase,
 * U+2019 to '. 0 when it does not fit (no country name is that long). */
static int norm(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	int space = 0;
	if (!s)
		return 0;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	for (; *s; s++) {
		int c = (unsigned char)*s;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = 1;
			continue;
		}
		if (space && n) {
			if (n + 1 >= cap)
				return 0;
			out[n++] = ' ';
		}
		space = 0;
		if (c == 0xE2 && (unsigned char)s[1] == 0x80 &&
		    (unsigned char)s[2] == 0x99) {
			c = '\'';
			s += 2;
		}
		if (n + 1 >= cap)
			return 0;
		out[n++] = (char)lower(c);
	}
	out[n] = '\0';
	return n > 0;
}

/* The table is written in normal form but for case, so comparing with a
 * normalised key needs only to fold the table's case. */
static int eq_norm(const char *normed, const char *table)
{
	while (*normed &&
	       (unsigned char)*normed == lower((unsigned char)*table)) {
		normed++;
		table++;
	}
	return !*normed && !*table;
}

const struct vg_country *vg_country_get(const char *alpha2)
{
	char k[3];
	if (!alpha2 || !alpha2[0] || !alpha2[1] || alpha2[2])
		return NULL;
	k[0] = upper(alpha2[0]);
	k[1] = upper(alpha2[1]);
	k[2] = '\0';
	if (!strcmp(k, "XK"))
		return &kosovo;
	size_t lo = 0, hi = N(countries);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(k, countries[mid].alpha2);
		if (!c)
			return &countries[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static const char *from_alpha3_norm(const char *k)
{
	for (size_t i = 0; i < N(countries); i++)
		if (eq_norm(k, countries[i].alpha3))
			return countries[i].alpha2;
	for (size_t i = 0; i < N(icao); i++)
		if (eq_norm(k, icao[i].name))
			return icao[i].alpha2;
	return NULL;
}

const char *vg_country_from_alpha3(const char *code)
{
	char k[8];
	if (!norm(code, k, sizeof(k)))
		return NULL;
	return from_alpha3_norm(k);
}

static const char *from_name_norm(const char *k)
{
	for (size_t i = 0; i < N(countries); i++)
		if (eq_norm(k, countries[i].name))
			return countries[i].alpha2;
	if (eq_norm(k, kosovo.name))
		return kosovo.alpha2;
	for (size_t i = 0; i < N(variants); i++)
		if (eq_norm(k, variants[i].name))
			return variants[i].alpha2;
	return NULL;
}

const char *vg_country_from_name(const char *name)
{
	char k[128];
	if (!norm(name, k, sizeof(k)))
		return NULL;
	return from_name_norm(k);
}

const char *vg_country_code(const char *text)
{
	char k[128];
	const struct vg_country *c;
	const char *a2;
	if (!norm(text, k, sizeof(k)))
		return NULL;
	if (strlen(k) == 2 && (c = vg_country_get(k)))
		return c->alpha2;
	if ((a2 = from_alpha3_norm(k)))
		return a2;
	return from_name_norm(k);
}
