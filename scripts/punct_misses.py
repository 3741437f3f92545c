#!/usr/bin/env python3
"""List and classify the gold punctuation marks a prediction misses (score.py's punct_acc).

punct_acc counts a gold mark (，。：；（）？！“”、) as found when the prediction has the
same mark with the same previous and next non-whitespace characters (multiset). This
script lists, per engine and document, each unmatched gold mark with its gold context
and the prediction around the aligned position, and guesses the cause:

  halfwidth      the prediction has the ASCII form of the mark (or of a neighbour mark)
  quote-dir      the prediction has the other curly quote
  missing        the prediction has no mark there (engine lost it, or a rule removed it)
  residue        a neighbour differs and the text beside the mark in the prediction is a
                 headline/caption/byline/furniture string of the annotations
  cut            a neighbour differs and the gold neighbour text is a caption/headline
                 region (the tool removed too much or joined across a removed block)
  misread        a neighbour differs by one character (recognition error)
  order          a neighbour differs otherwise (reading order, block boundary, join)

Usage: punct_misses.py PRED_DIR [--engines E ...] [--docs D ...] [--list] [--gold PAGES]
"""
import argparse
import collections
import json
import os
import re

GOLD_PUNCT = set('，。：；（）？！“”、')
ASCII_OF = {'，': ',', '：': ':', '；': ';', '（': '(', '）': ')', '？': '?', '！': '!', '“': '"', '”': '"'}
WS = re.compile(r'[\s\u3000]+')
JUDGED = ['pdftotext', 'rapidocr_columns', 'rapidocr_columns_ascii', 'tesseract']


def strip(s):
    return WS.sub('', s)


def layout_strings(ann):
    out = []
    for k in ('headlines', 'kickers', 'bylines', 'furniture'):
        out += [(k, strip(x)) for x in ann.get(k, []) if x]
    for a in ann['articles']:
        for c in a['captions']:
            out.append(('captions', strip(c['sentence'] + c['credit'])))
    return [(k, s) for k, s in out if len(s) >= 2]


def near_layout(text, layout):
    """The layout kind whose string shares a 3-gram with text, if any."""
    for k, s in layout:
        for i in range(max(1, len(text) - 2)):
            g = text[i:i + 3]
            if len(g) == 3 and g in s:
                return k
    return None


def find_all(hay, needle):
    out, i = [], hay.find(needle)
    while i >= 0:
        out.append(i)
        i = hay.find(needle, i + 1)
    return out


def misses(pred, gold, ann, k=4):
    """Unmatched gold marks: (cause, mark, gold context, prediction context)."""
    g, p = strip(gold), strip(pred)
    para_end = set()
    n = 0
    for line in gold.split('\n'):
        n += len(strip(line))
        para_end.add(n - 1)
    gk = collections.Counter()
    pk = collections.Counter()
    for s, c in ((g, gk), (p, pk)):
        for i, ch in enumerate(s):
            if ch in GOLD_PUNCT:
                c[(s[i - 1] if i else '^', ch, s[i + 1] if i + 1 < len(s) else '$')] += 1
    left = {key: m - min(m, pk[key]) for key, m in gk.items()}
    layout = layout_strings(ann)
    out = []
    for i, ch in enumerate(g):
        if ch not in GOLD_PUNCT:
            continue
        key = (g[i - 1] if i else '^', ch, g[i + 1] if i + 1 < len(g) else '$')
        if left.get(key, 0) <= 0:
            continue
        left[key] -= 1
        L, R = g[max(0, i - k):i], g[i + 1:i + 1 + k]
        gctx = g[max(0, i - 8):i] + '[' + ch + ']' + g[i + 1:i + 9]
        hl, hr = find_all(p, L + ch), find_all(p, ch + R)
        pctx = ''
        if hl or hr:
            # the mark is there with one side right: what is on the other side?
            if hl:
                j = hl[0] + len(L)
                other = p[j + 1:j + 1 + 8]
                gother = g[i + 1:i + 9]
            else:
                j = hr[0]
                other = p[max(0, j - 8):j]
                gother = g[max(0, i - 8):i]
            pctx = p[max(0, j - 8):j] + '[' + p[j] + ']' + p[j + 1:j + 9]
            if hl and hr:
                cause = 'split'          # both sides exist, not together: block boundary moved
            elif near_layout(other, layout):
                cause = 'residue'        # layout text left beside the mark
            elif other and other[:2] in g and not gother.startswith(other[:2]):
                cause = 'para-end' if i in para_end else 'order'
            else:
                cause = 'misread'
        else:
            jl = find_all(p, L) if len(L) == k else []
            if jl:
                j = jl[0] + len(L)
                nxt = p[j:j + 1]
                pctx = p[max(0, j - 8):j] + '[' + nxt + ']' + p[j + 1:j + 9]
                if nxt == ASCII_OF.get(ch) or nxt in ',:;()?!"\'':
                    cause = 'halfwidth'
                elif nxt in GOLD_PUNCT or nxt in '‘’…—':
                    cause = 'wrong-mark'
                elif R[:2] and p[j:j + 2] == R[:2]:
                    cause = 'missing'
                else:
                    cause = 'misread'
            else:
                jr = find_all(p, R) if len(R) == k else []
                if jr:
                    j = jr[0] - 1
                    pctx = p[max(0, j - 8):j] + '[' + p[j:j + 1] + ']' + p[j + 1:j + 9]
                    prv = p[j:j + 1]
                    if prv == ASCII_OF.get(ch) or prv in ',:;()?!"\'':
                        cause = 'halfwidth'
                    elif prv in GOLD_PUNCT or prv in '‘’…—':
                        cause = 'wrong-mark'
                    else:
                        cause = 'misread'
                else:
                    cause = 'misread'
        out.append((cause, ch, gctx, pctx))
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument('pred')
    ap.add_argument('--gold', default='/work/shared/eval-dev/pages')
    ap.add_argument('--split', default='dev')
    ap.add_argument('--engines', nargs='*', default=JUDGED)
    ap.add_argument('--docs', nargs='*')
    ap.add_argument('--cause', help='list only this cause')
    ap.add_argument('--list', action='store_true', help='print every miss, not only counts')
    a = ap.parse_args()
    gdir = os.path.join(a.gold, a.split, 'gold')
    docs = a.docs or sorted(f[:-5] for f in os.listdir(gdir) if f.endswith('.json'))
    total = collections.Counter()
    for eng in a.engines:
        counts = collections.Counter()
        for d in docs:
            pf = os.path.join(a.pred, eng, d + '.txt')
            if not os.path.exists(pf):
                continue
            gold = open(os.path.join(gdir, d + '.txt'), encoding='utf-8').read()
            ann = json.load(open(os.path.join(gdir, d + '.json'), encoding='utf-8'))
            pred = open(pf, encoding='utf-8').read()
            for cause, ch, gctx, pctx in misses(pred, gold, ann):
                counts[cause] += 1
                if a.list and (not a.cause or a.cause == cause):
                    print('%-22s %s %-9s %s  gold=%s  pred=%s' % (eng, d, cause, ch, gctx, pctx))
        total.update(counts)
        print('%-22s %4d  %s' % (eng, sum(counts.values()),
                                 '  '.join('%s=%d' % kv for kv in counts.most_common())))
    print('%-22s %4d  %s' % ('ALL', sum(total.values()), '  '.join('%s=%d' % kv for kv in total.most_common())))


if __name__ == '__main__':
    main()
