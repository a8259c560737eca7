"""The brute-force reference for bench/screen.sh: every traveller of a
sample against every name of the UN and OFAC lists (primary names and all
aliases) by Jaro-Winkler similarity (jellyfish) of the sorted-token
normalised names, no index, no rules. A traveller hits an entry when one of
the entry's names scores at least the threshold.

usage: /usr/bin/python3 screen_ref.py NAMES_TSV SAMPLE_TSV PLANTED FICTIONAL
  NAMES_TSV   "list:ref<TAB>name" lines (bench_screen writes it)
  SAMPLE_TSV  the sample bench_screen writes (kind, source, name, dob,
              vigil, vigil_name_only)
  PLANTED, FICTIONAL  how many of each kind to take from the sample's start

Prints travellers/s, and recall on the planted variants (the traveller's
source entry among the hits) and the false-hit rate on the fictional
travellers at several thresholds, marking the reference's best (recall
minus false-hit rate), beside vigil's figures on the same travellers."""
import sys
import time
import unicodedata
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)
import jellyfish  # noqa: E402

THRESHOLDS = (0.85, 0.88, 0.90, 0.92, 0.95)


def norm(name):
    """NFKD, marks dropped, case folded, anything but letters and digits a
    separator, tokens sorted."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = "".join(c if c.isalnum() else " " for c in s)
    return " ".join(sorted(s.split()))


def main():
    names_path, sample_path = sys.argv[1], sys.argv[2]
    want = {"planted": int(sys.argv[3]), "fictional": int(sys.argv[4])}
    keys, names, by_key = [], [], {}
    with open(names_path, encoding="utf-8") as f:
        for line in f:
            key, name = line.rstrip("\n").split("\t", 1)
            n = norm(name)
            if not n:
                continue
            by_key.setdefault(key, []).append(len(names))
            keys.append(key)
            names.append(n)
    rows = []
    with open(sample_path, encoding="utf-8") as f:
        next(f)
        for line in f:
            kind, source, name, _dob, ours, ours_name = line.rstrip(
                "\n").split("\t")
            if want[kind] > 0:
                want[kind] -= 1
                rows.append((kind, source, norm(name), int(ours),
                             int(ours_name)))
    jw = jellyfish.jaro_winkler_similarity
    best_any, best_src = [], []
    t0 = time.monotonic()
    for kind, source, q, _, _ in rows:
        scores = [jw(q, n) for n in names]
        best_any.append(max(scores))
        best_src.append(max((scores[i] for i in by_key.get(source, ())),
                            default=0.0))
    secs = time.monotonic() - t0
    planted = [i for i, r in enumerate(rows) if r[0] == "planted"]
    fictional = [i for i, r in enumerate(rows) if r[0] == "fictional"]
    print("reference (Python %s, jellyfish Jaro-Winkler of sorted-token "
          "names, brute force): %d travellers (%d planted, %d fictional) "
          "against %d names in %.1f s: %.1f travellers/s"
          % (sys.version.split()[0], len(rows), len(planted),
             len(fictional), len(names), secs, len(rows) / secs))
    table = []
    for t in THRESHOLDS:
        rec = sum(best_src[i] >= t for i in planted) / len(planted)
        fh = sum(best_any[i] >= t for i in fictional) / len(fictional)
        table.append((rec - fh, t, rec, fh))
    best = max(table)[1]
    for _, t, rec, fh in table:
        print("  reference at %.2f: recall %5.1f%%, false hits %5.2f%%%s"
              % (t, 100 * rec, 100 * fh, "  <- its best" if t == best
                 else ""))
    ours = sum(rows[i][3] for i in planted) / len(planted)
    ours_n = sum(rows[i][4] for i in planted) / len(planted)
    ofh = sum(rows[i][3] for i in fictional) / len(fictional)
    ofh_n = sum(rows[i][4] for i in fictional) / len(fictional)
    print("  vigil at its default threshold, same travellers: recall "
          "%5.1f%% (name only %.1f%%), false hits %.2f%% (name only %.2f%%)"
          % (100 * ours, 100 * ours_n, 100 * ofh, 100 * ofh_n))
    ref_best = [r for _, t, r, _ in table if t == best][0]
    print("recall above the reference's best: %s (%.1f%% against %.1f%%)"
          % ("yes" if ours > ref_best else "NO", 100 * ours, 100 * ref_best))


if __name__ == "__main__":
    main()
