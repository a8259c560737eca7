#!/usr/bin/env python3
"""Prints the ISO 3166-1 rows of src/core/country.c from Debian's iso-codes
(/usr/share/iso-codes/json/iso_3166-1.json): alpha-2, alpha-3, English short
name, sorted by alpha-2. Run by hand when the standard changes; the output is
pasted into country.c, which is the source of truth in the tree."""
import json, sys
path = sys.argv[1] if len(sys.argv) > 1 else '/usr/share/iso-codes/json/iso_3166-1.json'
rows = json.load(open(path, encoding='utf-8'))['3166-1']
for r in sorted(rows, key=lambda r: r['alpha_2']):
    name = r['name'].replace('\\', '\\\\').replace('"', '\\"')
    print('\t{"%s", "%s", "%s"},' % (r['alpha_2'], r['alpha_3'], name))
# Official and common names become variants.
print('/* variants */')
for r in sorted(rows, key=lambda r: r['alpha_2']):
    for k in ('official_name', 'common_name'):
        if k in r and r[k] != r['name']:
            print('\t{"%s", "%s"},' % (r[k].replace('"', '\\"'), r['alpha_2']))
