#!/usr/bin/env python3
"""Extract candidate articles (sections with Chinese prose paragraphs) from the
zh-CN Debian Administrator's Handbook HTML, excluding every source file used by the
dev set.  Writes build/sections.json."""
import glob, json, os, re, sys
import xml.etree.ElementTree as ET

HB = '/usr/share/doc/debian-handbook/html/zh-CN'
DEV = '/work/shared/eval-dev/pages/dev/gold'
NS = '{http://www.w3.org/1999/xhtml}'
HAN = r'\u3400-\u4dbf\u4e00-\u9fff'
CJKP = '，。：；（）？！“”、《》'

HALF2FULL = {',': '，', ':': '：', ';': '；', '?': '？', '!': '！'}


def fullwidth_in_chinese(t):
    """Half-width ,:;?! and () pairs touching Han become full-width, as on a real
    Chinese page (the gold keeps full-width punctuation in Chinese context)."""
    t = re.sub(r'(?<=[%s]) ?([,:;?!]) ?' % HAN, lambda m: HALF2FULL[m.group(1)], t)
    t = re.sub(r' ?([,:;?!]) ?(?=[%s])' % HAN, lambda m: HALF2FULL[m.group(1)], t)
    out, stack = list(t), []
    for i, ch in enumerate(out):
        if ch == '(':
            stack.append(i)
        elif ch == ')' and stack:
            j = stack.pop()
            inner = t[j + 1:i]
            near = (t[j - 2:j] + t[j + 1:j + 3] + t[i - 2:i] + t[i + 1:i + 3])
            if re.search('[%s]' % HAN, near) or re.search('[%s]' % HAN, inner):
                out[j], out[i] = '（', '）'
    return ''.join(out)


def norm(t):
    t = re.sub(r'\s+', ' ', t).strip()
    # full-width letters/digits -> half-width (the gold convention)
    t = ''.join(chr(ord(c) - 0xFEE0) if ('０' <= c <= '９' or 'Ａ' <= c <= 'Ｚ' or 'ａ' <= c <= 'ｚ') else c for c in t)
    t = fullwidth_in_chinese(t)
    # drop spaces between Han/CJK punctuation (keep Han-Latin spaces)
    t = re.sub(r'(?<=[%s%s]) (?=[%s%s])' % (HAN, CJKP, HAN, CJKP), '', t)
    t = re.sub(r' (?=[%s])' % CJKP, '', t)
    t = re.sub(r'(?<=[%s]) ' % CJKP, '', t)
    return t

def cls(e):
    return (e.get('class') or '').split()

def text_of(e):
    out = []
    def rec(x):
        if 'footnote' in cls(x) or x.tag == NS + 'sup':
            if x.tail: out.append(x.tail)
            return
        if 'indexterm' in cls(x):
            if x.tail: out.append(x.tail)
            return
        if x.text: out.append(x.text)
        for c in x: rec(c)
        if x.tail: out.append(x.tail)
    if e.text: out.append(e.text)
    for c in e: rec(c)
    return ''.join(out)

BLOCK = {'div', 'pre', 'table', 'ul', 'ol', 'dl', 'p'}

def good_para(e):
    for d in e.iter():
        if d is e: continue
        if d.tag.replace(NS, '') in BLOCK: return None
    t = norm(text_of(e))
    han = len(re.findall('[%s]' % HAN, t))
    if len(t) < 25 or han < 0.45 * len(t): return None
    if not re.search('[。：；！？）”]$', t): return None
    return t

def title_of(sec):
    for h in sec.iter():
        if h.tag in (NS + 'h1', NS + 'h2', NS + 'h3', NS + 'h4', NS + 'h5'):
            t = norm(text_of(h))
            t = re.sub(r'^(第 ?\d+ ?章|[\dA-Z]+(\.\d+)*\.?)\s*', '', t)
            return t.strip()
    return ''

def main():
    used = set()
    for f in glob.glob(os.path.join(DEV, '*.json')):
        for a in json.load(open(f, encoding='utf-8'))['articles']:
            used.add(a['source_file'])
    out = []
    for path in sorted(glob.glob(os.path.join(HB, '*.html'))):
        fn = os.path.basename(path)
        if fn in used or fn in ('index.html',):
            continue
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as ex:
            print('skip', fn, ex, file=sys.stderr); continue
        def walk(sec, parent_title, top):
            t = title_of(sec)
            paras = []
            def coll(x):
                for c in x:
                    k = cls(c)
                    if c.tag == NS + 'div' and ('section' in k or 'chapter' in k or 'sidebar' in k
                                                or 'note' in k or 'warning' in k or 'tip' in k
                                                or 'important' in k or 'example' in k or 'caution' in k):
                        continue
                    if c.tag == NS + 'div' and 'para' in k:
                        p = good_para(c)
                        if p: paras.append(p)
                    else:
                        coll(c)
            coll(sec)
            han_t = len(re.findall('[%s]' % HAN, t))
            if paras and t and han_t >= 2:
                out.append({'source_file': fn, 'section_id': sec.get('id') or '',
                            'title': t, 'parent': parent_title, 'paragraphs': paras})
            for c in sec:
                if c.tag == NS + 'div' and ('section' in cls(c) or 'chapter' in cls(c)):
                    walk(c, t, False)
        for sec in root.iter():
            if sec.tag == NS + 'div' and ('section' in cls(sec) or 'chapter' in cls(sec)):
                # only outermost
                walk(sec, '', True)
                break
    # dedupe by title
    seen, res = set(), []
    for s in out:
        if s['title'] in seen: continue
        seen.add(s['title']); res.append(s)
    json.dump(res, open(os.path.join(os.path.dirname(__file__), 'sections.json'), 'w', encoding='utf-8'),
              ensure_ascii=False, indent=1)
    print(len(res), 'sections;', sum(len(s['paragraphs']) for s in res), 'paragraphs;',
          len({s['source_file'] for s in res}), 'files; excluded', len(used))

main()
