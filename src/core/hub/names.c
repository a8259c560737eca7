/* The rules for names people give organisations, groups and users. */
#include "vigil/hub/model.h"

#include <ctype.h>
#include <string.h>

int vg_hub_name_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (!n || n > max)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\')
			return 0;
	return 1;
}

int vg_hub_user_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 64)
		return 0;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._@-", *p))
			return 0;
	return 1;
}

void vg_hub_slug(const char *name, char *out, size_t n)
{
	size_t j = 0;
	for (const unsigned char *p = (const unsigned char *)name;
	     *p && j + 1 < n; p++)
		out[j++] = isalnum(*p) ? (char)tolower(*p) : '-';
	out[j] = '\0';
}
