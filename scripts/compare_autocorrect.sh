#!/usr/bin/env bash
# Compare raw OCR, the peer tool autocorrect (huacnlee/autocorrect, default config) and
# ocrclean on the dev benchmark, and time both tools on the same ~50 MB of page text.
#
# Why: autocorrect is the established CJK punctuation/spacing fixer; the punctuation and
# spacing rules should beat it on the metrics it targets (han_spaces, halfwidth_cjk,
# punct_acc) without losing on CER, and not be slower.
#
# Usage: scripts/compare_autocorrect.sh [OCRCLEAN_BIN] [WORKDIR]
#   AUTOCORRECT=/path/to/autocorrect  (default /tmp/autocorrect/node_modules/.bin/autocorrect,
#                                      from `npm install autocorrect-node` in /tmp/autocorrect)
#   EVAL=/path/to/eval-dev            (default /work/shared/eval-dev)
#   MB=50                             size of the timing corpus; MB=0 skips the timing
set -euo pipefail
BIN=${1:-target/release/ocrclean}
WORK=${2:-/tmp/compare-autocorrect}
AC=${AUTOCORRECT:-/tmp/autocorrect/node_modules/.bin/autocorrect}
EVAL=${EVAL:-/work/shared/eval-dev}
MB=${MB:-50}
PAGES=$EVAL/pages
RAW=$PAGES/dev/raw
JUDGED="pdftotext rapidocr_columns rapidocr_columns_ascii tesseract"

rm -rf "$WORK" && mkdir -p "$WORK/autocorrect"
# One `--stdin` run per page: `autocorrect --fix DIR` (the npm build) exits before it
# has written every file, so a folder run leaves some pages unfixed at random.
for e in $JUDGED; do
    mkdir -p "$WORK/autocorrect/$e"
    for f in "$RAW/$e"/*.txt; do
        "$AC" --stdin <"$f" >"$WORK/autocorrect/$e/$(basename "$f")"
    done
done
# run_pages.py exits 1 while criteria are unmet; its scores are still written.
python3 "$EVAL/run_pages.py" "$BIN" "$PAGES" dev "$WORK/ocrclean" >"$WORK/ocrclean.txt" || true
python3 "$EVAL/score.py" --gold "$PAGES" --split dev --pred "$WORK/autocorrect" --json "$WORK/autocorrect.json" >/dev/null

python3 - "$WORK" $JUDGED <<'EOF'
import json, sys
work, engines = sys.argv[1], sys.argv[2:]
raw = json.load(open(work + '/ocrclean/base.json'))['summary']
ac = json.load(open(work + '/autocorrect.json'))['summary']
oc = json.load(open(work + '/ocrclean/res.json'))['summary']
cols = [('han_spaces', '%d'), ('halfwidth_cjk', '%d'), ('punct_acc', '%.3f'), ('para_f1', '%.3f'), ('cer', '%.4f')]
print('| engine | tool | ' + ' | '.join(c for c, _ in cols) + ' |')
print('|---|---|' + '---|' * len(cols))
for e in engines:
    for name, s in (('raw', raw), ('autocorrect', ac), ('ocrclean', oc)):
        print('| %s | %s | ' % (e, name) + ' | '.join(f % s[e][c] for c, f in cols) + ' |')
EOF

[ "$MB" = 0 ] && exit 0
# Timing corpus: the raw pages of all engines concatenated, once per .txt file (about
# 0.4 MB): a file holding the same pages twice would be a document whose every line
# repeats, which the page-furniture detector takes for running heads.
T=$WORK/timing && mkdir -p "$T/in"
python3 - "$RAW" "$T/in" "$MB" <<'EOF'
import os, sys
raw, out, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
pages = [open(os.path.join(raw, e, f), encoding='utf-8').read()
         for e in sorted(os.listdir(raw)) for f in sorted(os.listdir(os.path.join(raw, e))) if f.endswith('.txt')]
blob = '\n\n'.join(pages)
size, k = 0, 0
while size < mb << 20:
    with open(os.path.join(out, 'part%03d.txt' % k), 'w', encoding='utf-8') as f:
        f.write(blob)
        size += f.tell()
    k += 1
EOF
# CPU time (user + sys of the child processes), not wall time: the machine is shared.
python3 - "$AC" "$BIN" "$T" <<'EOF'
import os, resource, subprocess, sys
ac, binp, t = sys.argv[1:]
files = sorted(os.listdir(t + '/in'))
mb = sum(os.path.getsize(os.path.join(t, 'in', f)) for f in files) / 2**20
def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime
c0 = cpu()
os.makedirs(t + '/ac', exist_ok=True)
for f in files:
    with open(os.path.join(t, 'in', f), 'rb') as i, open(os.path.join(t, 'ac', f), 'wb') as o:
        subprocess.run([ac, '--stdin'], stdin=i, stdout=o, check=True)
c1 = cpu()
subprocess.run([binp, 'clean', t + '/in', '-o', t + '/oc', '-j', '1', '--quiet'], check=True)
c2 = cpu()
ac_s, oc_s = c1 - c0, c2 - c1
print('timing corpus: %d files, %.1f MB (CPU seconds, one thread each)' % (len(files), mb))
print('autocorrect --stdin:   %6.2f s  %5.1f MB/s' % (ac_s, mb / ac_s))
print('ocrclean clean -j 1:   %6.2f s  %5.1f MB/s' % (oc_s, mb / oc_s))
print('ocrclean time / autocorrect time: %.2f' % (oc_s / ac_s))
EOF
