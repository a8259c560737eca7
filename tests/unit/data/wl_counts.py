#!/usr/bin/env python3
"""Independent count of what the watchlist parsers must produce, for the
exact numbers hard-coded in tests/unit/test_watchlist.c. It reads the
shared data with Python's own XML and CSV readers and applies the mapping
rules of docs/watchlists.md; it shares no code with the C parsers.

usage: wl_counts.py [SHARED_DIR]   (default ../shared from the repo root)
"""
import collections
import csv
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

here = os.path.dirname(os.path.abspath(__file__))
shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '../../../../shared')
wl = os.path.join(shared, 'data/watchlists')


def clean(s):
    return ' '.join((s or '').split())


# country names -> alpha-2, from Debian's iso-codes plus the variants the
# docs list (only what the two lists use matters for the counts)
iso = json.load(open('/usr/share/iso-codes/json/iso_3166-1.json', encoding='utf-8'))['3166-1']
names = {}
for r in iso:
    for k in ('name', 'official_name', 'common_name'):
        if k in r:
            names[r[k].lower()] = r['alpha_2']
for n, c in [('Iran (Islamic Republic of)', 'IR'), ('Democratic Republic of the Congo', 'CD'),
             ('State of Palestine', 'PS'), ('Korea, North', 'KP'), ('Korea, South', 'KR'),
             ('Congo, Democratic Republic of the', 'CD'), ('Burma', 'MM'), ('Russia', 'RU'),
             ('Turkey', 'TR'), ('Palestinian', 'PS'), ('The Gambia', 'GM'), ('Macau', 'MO'),
             ('Kosovo', 'XK'), ('Macedonia, The Former Yugoslav Republic of', 'MK'),
             ('Bolivia (Plurinational State of)', 'BO'), ('Venezuela (Bolivarian Republic of)', 'VE'),
             ('Cabo Verde', 'CV'), ('Cape Verde', 'CV'), ('Czech Republic', 'CZ'), ('West Bank', 'PS')]:
    names[n.lower()] = c


def country(s):
    return names.get(clean(s).lower().replace('\u2019', "'"))


def nationality(person, text):
    text = clean(text)
    if not text or text.lower() in ('na', 'n/a', 'unknown'):
        return
    v = country(text) or text
    if v not in person['nat']:
        person['nat'].append(v)


def add_unique(lst, v):
    if v not in lst:
        lst.append(v)


def new_person():
    return {'names': [], 'dobs': [], 'pob': [], 'nat': [], 'docs': [], 'gender': 0}


# ---- UN ------------------------------------------------------------------

def un_date(s):
    s = clean(s)
    m = re.fullmatch(r'(\d{4})-(\d{2})-(\d{2})', s)
    if m:
        y, mo, d = map(int, m.groups())
        if y < 1 or mo > 12 or (d and not mo) or d > 31:
            return None
        return (y, mo, d)
    if re.fullmatch(r'\d{4}', s):
        return (int(s), 0, 0)
    return None


def un_entry(e, ind):
    p = new_person()
    tx = lambda n, t: clean(n.findtext(t))
    full = ' '.join(x for x in (tx(e, t) for t in ('FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME')) if x)
    p['names'].append(('primary', full))
    p['gender'] = {'Male': 1, 'Female': 2}.get(tx(e, 'GENDER'), 0)
    atag = 'INDIVIDUAL_ALIAS' if ind else 'ENTITY_ALIAS'
    for c in e:
        if c.tag == atag and tx(c, 'ALIAS_NAME'):
            p['names'].append(('low' if tx(c, 'QUALITY') == 'Low' else 'good', tx(c, 'ALIAS_NAME')))
        elif c.tag == 'NAME_ORIGINAL_SCRIPT' and clean(c.text):
            p['names'].append(('original', clean(c.text)))
        elif c.tag == 'NATIONALITY':
            for v in c.findall('VALUE'):
                nationality(p, v.text)
        elif c.tag == 'INDIVIDUAL_DATE_OF_BIRTH':
            if c.find('FROM_YEAR') is not None and c.find('TO_YEAR') is not None:
                f, t = un_date(tx(c, 'FROM_YEAR')), un_date(tx(c, 'TO_YEAR'))
                if f and t:
                    add_unique(p['dobs'], ('between', f, t))
                continue
            v = tx(c, 'DATE') or tx(c, 'YEAR')
            d = un_date(v) if v else None
            if d:
                add_unique(p['dobs'], ('approx' if tx(c, 'TYPE_OF_DATE') == 'APPROXIMATELY' else 'exact', d, None))
        elif c.tag == 'INDIVIDUAL_PLACE_OF_BIRTH':
            s = ', '.join(x for x in (tx(c, t) for t in ('STREET', 'CITY', 'STATE_PROVINCE', 'COUNTRY')) if x)
            if s:
                add_unique(p['pob'], s)
        elif c.tag == 'INDIVIDUAL_DOCUMENT' and tx(c, 'NUMBER'):
            t = tx(c, 'TYPE_OF_DOCUMENT')
            if re.search('passport|passeport|pasaporte', t, re.I):
                t = 'P'
            elif t.lower() == 'national identification number':
                t = 'I'
            ctry = tx(c, 'ISSUING_COUNTRY') or tx(c, 'COUNTRY_OF_ISSUE')
            add_unique(p['docs'], (t, tx(c, 'NUMBER'), country(ctry) or '' if ctry else ''))
    for c in e.findall(atag):
        d = un_date(tx(c, 'DATE_OF_BIRTH')) if tx(c, 'DATE_OF_BIRTH') else None
        if d:
            add_unique(p['dobs'], ('exact', d, None))
        s = ', '.join(x for x in (tx(c, 'CITY_OF_BIRTH'), tx(c, 'COUNTRY_OF_BIRTH')) if x)
        if s:
            add_unique(p['pob'], s)
    return p


def un():
    root = ET.parse(os.path.join(wl, 'un/consolidated-2026-02-27.xml')).getroot()
    out = []
    for e in root.findall('INDIVIDUALS/INDIVIDUAL'):
        out.append(('individual', un_entry(e, True)))
    for e in root.findall('ENTITIES/ENTITY'):
        out.append(('entity', un_entry(e, False)))
    return out


# ---- OFAC ----------------------------------------------------------------

MON = {m: i + 1 for i, m in enumerate('Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split())}
DATE = r'(?:(\d{2}) )?(?:(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) )?(\d{4})'


def odate(m, i):
    d, mo, y = m.group(i), m.group(i + 1), m.group(i + 2)
    if d and not mo:
        return None
    return (int(y), MON[mo] if mo else 0, int(d) if d else 0)


def ofac_dob(p, s):
    kind = 'exact'
    if s.startswith('circa '):
        kind, s = 'approx', s[6:]
    m = re.fullmatch(DATE, s)
    if m and odate(m, 1):
        add_unique(p['dobs'], (kind, odate(m, 1), None))
        return
    m = re.fullmatch(DATE + ' to ' + DATE, s) or re.fullmatch(r'()()(\d{4})-()()(\d{4})', s)
    if m and odate(m, 1) and odate(m, 4) and odate(m, 1) <= odate(m, 4):
        add_unique(p['dobs'], ('between', odate(m, 1), odate(m, 4)))


LABELS = [('Passport Booklet', 'P'), ('Diplomatic Passport', 'P'), ('Passport', 'P'),
          ('National ID No.', 'I'), ('National Foreign ID Number', 'I'), ('Identification Number', 'I'),
          ('Personal ID Card', 'I'), ('Cedula No.', 'I'), ('D.N.I.', 'I'), ('Tazkira National ID Card', 'I'),
          ('Turkish Identification Number', 'I'), ('Numero de Identidad', 'I'),
          ("Citizen's Card Number", 'I'), ('Kenyan ID No.', 'I'), ('VisaNumberID', 'V')]


def ofac_doc(p, t, s):
    s = s.lstrip(' :#')
    num = re.split(r'\(| issued| expire', s)[0].strip()
    if not num:
        return
    rest = s[s.index(num) + len(num):].strip()
    ctry = ''
    m = re.match(r'\(([^)]*)\)', rest)
    if m:
        ctry = country(m.group(1)) or ''
    add_unique(p['docs'], (t, clean(num), ctry))


def ofac_remarks(p, rem):
    for part in rem.split(';'):
        part = part.strip()
        if part.endswith('.'):
            part = part[:-1]
        if part.startswith(('alt. ', 'Alt. ')):
            part = part[5:]
        if part.startswith('DOB '):
            ofac_dob(p, part[4:])
        elif part.startswith('POB '):
            if clean(part[4:]):
                add_unique(p['pob'], clean(part[4:]))
        elif part.startswith('nationality: '):
            nationality(p, part[13:])
        elif part.startswith('nationality '):
            nationality(p, part[12:])
        elif part.startswith('citizen '):
            nationality(p, part[8:])
        elif part == 'Gender Male':
            p['gender'] = 1
        elif part == 'Gender Female':
            p['gender'] = 2
        elif part.startswith(('a.k.a. ', 'f.k.a. ', 'n.k.a. ')):
            a, b = part.find("'"), part.rfind("'")
            if a >= 0 and b > a + 1 and clean(part[a + 1:b]):
                p['names'].append(('low', clean(part[a + 1:b])))
        else:
            for label, t in LABELS:
                if part.startswith(label) and len(part) > len(label) and part[len(label)] in ' :':
                    ofac_doc(p, t, part[len(label):])
                    break


def rows(name, n):
    with open(os.path.join(wl, 'ofac', name), encoding='utf-8', newline='') as f:
        return [r for r in csv.reader(f) if len(r) == n]


def null(v):
    v = clean(v)
    return None if v in ('', '-0-') else v


def ofac():
    sdn = rows('sdn.csv', 12)
    by = {}
    out = []
    rem = {}
    for r in sdn:
        t = null(r[2])
        kind = t if t else 'entity'
        p = new_person()
        p['names'].append(('primary', null(r[1])))
        by[r[0].strip()] = p
        out.append((kind, p))
        rem[r[0].strip()] = r[11] if null(r[11]) else ''
    for r in rows('sdn_comments.csv', 2):
        rem[r[0].strip()] += r[1]
    for r in rows('alt.csv', 5):
        if null(r[3]):
            by[r[0].strip()]['names'].append(('good', null(r[3])))
    for ent, text in rem.items():
        if text:
            ofac_remarks(by[ent], clean(text))
    return out


def summary(entries):
    c = collections.Counter()
    for kind, p in entries:
        c['entries'] += 1
        c[kind] += 1
        for q, _ in p['names']:
            c['names_' + q] += 1
        for d in p['dobs']:
            c['dob_' + d[0]] += 1
        c['docs'] += len(p['docs'])
        c['pob'] += len(p['pob'])
        c['nat'] += len(p['nat'])
        c['male'] += p['gender'] == 1
        c['female'] += p['gender'] == 2
    return dict(sorted(c.items()))


def dump(entries):
    # one line per entry, for comparing with the C parser entry by entry
    for kind, p in entries:
        q = collections.Counter(x for x, _ in p['names'])
        print(kind, [q[k] for k in ('primary', 'good', 'low', 'original')],
              sorted(str(d) for d in p['dobs']), sorted(p['docs']), p['pob'], sorted(p['nat']), p['gender'])


if __name__ == '__main__':
    if len(sys.argv) > 2:
        dump(un() if sys.argv[2] == 'un' else ofac())
        sys.exit(0)
    for name, fn in (('un', un), ('ofac', ofac)):
        print(name, summary(fn()))
