#!/usr/bin/env python3
"""Generate held-out newspaper pages: HTML + gold json/txt, then print PDFs with Chromium.
usage: gen.py [--seed N] [--docs N] OUTDIR   (OUTDIR/html, OUTDIR/pdf, pages/test/gold)"""
import argparse, datetime, html, json, os, random, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
HAN = r'\u3400-\u4dbf\u4e00-\u9fff'

PAPERS = [('衡岳日报', '衡阳'), ('沅澧日报', '常德'), ('洞庭晚报', '岳阳'), ('汀江日报', '龙岩'),
          ('赣西日报', '萍乡'), ('南岭日报', '郴州'), ('资江日报', '益阳'), ('九嶷日报', '永州'),
          ('鄂南日报', '咸宁'), ('雪峰日报', '邵阳')]
SECTIONS = ['要闻', '经济', '社会', '科技', '文化', '民生', '综合', '城事', '数字生活', '县域']
SURN = list('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺顾毛郝龚邵万覃武钱戴严莫孔向汤')
GIVEN = list('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏辉玲梅琳雪斌宇浩凯健俊帆帅旭宁峰云婷欣瑶怡璐晨博文思源佳慧颖婕昊蕾茜瑜岚彬钧')
CREDIT_ORG = ['区卫健局', '县融媒体中心', '市公安局', '市教育局', '受访者', '区委宣传部', '市发改委',
              '县文旅局', '市气象局', '资料图', '市图书馆', '区科技局']
FONTS_BODY = ['AR PL UMing CN', 'Noto Serif CJK SC', 'Noto Sans CJK SC', 'WenQuanYi Zen Hei']
FONTS_HEAD = ['Noto Sans CJK SC', 'Noto Serif CJK SC', 'WenQuanYi Zen Hei', 'AR PL UKai CN', 'AR PL UMing CN']
WEEK = '一二三四五六日'


def name(r):
    return r.choice(SURN) + ''.join(r.choice(GIVEN) for _ in range(r.choice([1, 2, 2])))


def byline(r, paper, inline):
    rep = r.choice(['记者', '全媒体记者', '全媒体记者', '记者', '融媒体记者'])
    s = '%s/%s' % (rep, name(r))
    if r.random() < 0.65:
        s += ' 通讯员/%s' % name(r)
    return ('%s讯（%s）' % (paper, s)) if inline else paper + s


def caption_sentence(r, paras):
    cands = []
    for p in paras:
        for c in re.split(r'[，。；：！？]', p):
            c = c.strip()
            if 6 <= len(c) <= 26 and len(re.findall('[%s]' % HAN, c)) >= 5 and '“' not in c and '”' not in c \
                    and c.count('（') == c.count('）'):
                cands.append(c)
    if not cands:
        return None
    return r.choice(cands) + '。'


def credit(r):
    if r.random() < 0.55:
        return '%s/%s 摄' % (r.choice(['全媒体记者', '记者', '通讯员']), name(r))
    return '%s 供图' % r.choice(CREDIT_ORG)


def build_pool(r):
    secs = json.load(open(os.path.join(HERE, 'sections.json'), encoding='utf-8'))
    pool, i = [], 0
    while i < len(secs):
        s = secs[i]
        paras = list(s['paragraphs'])
        j = i + 1
        # merge following sections of the same file until the article is long enough
        while (len(paras) < 3 or sum(map(len, paras)) < 420) and j < len(secs) \
                and secs[j]['source_file'] == s['source_file']:
            paras += secs[j]['paragraphs']; j += 1
        i = j
        # cap length
        out, n = [], 0
        for p in paras:
            if n > 300 and n + len(p) > 1050:
                break
            out.append(p); n += len(p)
        if n < 150:
            continue
        pool.append({'source_file': s['source_file'], 'section_id': s['section_id'],
                     'headline': s['title'], 'parent': s['parent'], 'paragraphs': out})
    return pool


def svg_photo(r, w, h):
    g = lambda: '#%02x%02x%02x' % ((r.randint(90, 210),) * 3)
    parts = ['<rect width="100%%" height="100%%" fill="%s"/>' % g()]
    kind = r.choice(['grey', 'shapes', 'shapes', 'gradient'])
    if kind == 'gradient':
        parts = ['<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="%s"/>'
                 '<stop offset="1" stop-color="%s"/></linearGradient></defs><rect width="100%%" height="100%%" fill="url(#g)"/>' % (g(), g())]
    if kind in ('shapes', 'gradient'):
        for _ in range(r.randint(3, 9)):
            if r.random() < 0.5:
                parts.append('<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>' % (
                    r.randint(0, w), r.randint(0, h), r.randint(10, w // 2), r.randint(10, h // 2), g()))
            else:
                parts.append('<circle cx="%d" cy="%d" r="%d" fill="%s"/>' % (
                    r.randint(0, w), r.randint(0, h), r.randint(5, h // 3), g()))
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" preserveAspectRatio="none" '
            'style="width:100%%;height:100%%;display:block">%s</svg>' % (w, h, ''.join(parts)))


def figure_html(r, cap, placement, height_mm):
    cls = {'float': 'fig float ' + r.choice(['fl', 'fr']), 'inflow': 'fig inflow', 'span': 'fig span'}[placement]
    return ('<figure class="%s"><div class="ph" style="height:%dmm">%s</div>'
            '<figcaption>%s<span class="cr"> %s</span></figcaption></figure>' % (
                cls, height_mm, svg_photo(r, 300, 200), html.escape(cap['sentence']), html.escape(cap['credit'])))


ARTISTIC = [
    'color:#fff;background:#222;padding:1.2mm 3mm;display:inline-block;font-weight:900;',
    'color:#fff;-webkit-text-stroke:1.2px #000;text-shadow:2px 2px 0 #666;font-weight:900;',
    'font-style:italic;transform:skewX(-12deg);display:inline-block;text-shadow:3px 3px 0 #bbb;font-weight:900;',
    'background:linear-gradient(90deg,#000,#777);-webkit-background-clip:text;color:transparent;font-weight:900;',
    'color:#333;text-shadow:1px 1px 0 #fff,3px 3px 0 #999;letter-spacing:0.08em;font-weight:900;border-top:3px solid #000;border-bottom:3px solid #000;display:inline-block;',
]


def make_doc(r, idx, pool):
    doc = 'h%03d' % idx
    paper, city = r.choice(PAPERS)
    d = datetime.date(2024, 1, 1) + datetime.timedelta(days=r.randint(0, 600))
    date = '%d年%d月%d日 星期%s' % (d.year, d.month, d.day, WEEK[d.weekday()])
    sec = r.choice(SECTIONS)
    pno = r.choice([str(r.randint(1, 16)), 'A%d' % r.randint(1, 8), 'B%d' % r.randint(1, 8)])
    page_mm = r.choice([(240, 330), (240, 330), (210, 297)])
    body_font = r.choice(FONTS_BODY)
    body_pt = round(r.uniform(9.0, 10.4), 1)
    narts = r.choice([1, 2, 2, 3, 3, 3, 3, 4]) if page_mm[0] == 240 else r.choice([1, 2, 2, 3, 3])
    if narts == 1 and len(pool[0]['paragraphs']) and sum(map(len, pool[0]['paragraphs'])) < 700:
        narts = 2
    arts_src = [pool.pop(0) for _ in range(min(narts, len(pool)))]
    editor = '责任编辑/%s  美术编辑/%s  校对/%s' % (name(r), name(r), name(r))
    furniture = [paper, date, '第%s版' % pno, sec, editor, '%s · %s' % (sec, pno)]
    extra = None
    if r.random() < 0.3:
        extra = r.choice(['本版热线：0%d-%d' % (r.randint(730, 799), r.randint(2000000, 8999999)),
                          '总第%d期' % r.randint(5000, 19999), '%s市新闻网 www.%s-news.cn' % (city, r.choice(['hy', 'cd', 'yy', 'ly', 'px']))])
        furniture.insert(4, extra)
    articles, layout, body = [], [], []
    for k, a in enumerate(arts_src):
        aid = 'b%03d' % (idx * 10 + k)
        inline = r.random() < 0.6
        bl = byline(r, paper, inline)
        paras = list(a['paragraphs'])
        if inline:
            paras[0] = bl + paras[0]
        kicker = a['parent'] if (a['parent'] and a['parent'] != a['headline'] and r.random() < 0.35) else ''
        cols = r.choice([1, 2, 2, 3, 3, 4]) if page_mm[0] == 240 else r.choice([1, 2, 2, 3, 3])
        if sum(map(len, paras)) < 350 and cols > 2:
            cols = 2
        style = r.choice(['plain', 'plain', 'spaced', 'artistic'])
        hpt = r.randint(20, 32)
        hfont = r.choice(FONTS_HEAD)
        nph = r.choice([0, 0, 1, 1, 1, 2])
        caps = []
        for _ in range(nph):
            s = caption_sentence(r, a['paragraphs'])
            if s:
                cr = credit(r)
                caps.append({'article': aid, 'text': s + ' ' + cr, 'sentence': s, 'credit': cr,
                             'placement': r.choice(['float', 'inflow', 'span']) if cols > 1 else r.choice(['float', 'inflow'])})
        rule = r.random() < 0.4
        articles.append({'id': aid, 'source_file': a['source_file'],
                         'headline': a['headline'], 'kicker': kicker, 'byline': bl,
                         'byline_inline': inline, 'paragraphs': paras, 'captions': caps})
        layout.append({'article': aid, 'columns': cols, 'headline_style': style, 'headline_pt': hpt,
                       'headline_font': hfont, 'photos': len(caps), 'byline_mode': 'inline' if inline else 'line',
                       'column_rule': rule})
        # html
        hstyle = 'font-family:\'%s\';font-size:%dpt;' % (hfont, hpt)
        if style == 'spaced':
            hstyle += 'letter-spacing:%.2fem;' % r.uniform(0.25, 0.6)
            if r.random() < 0.5: hstyle += 'font-weight:bold;'
        elif style == 'artistic':
            hstyle += r.choice(ARTISTIC)
        else:
            if r.random() < 0.6: hstyle += 'font-weight:bold;'
        align = r.choice(['left', 'left', 'center'])
        h = ['<section class="art">']
        if kicker:
            h.append('<div class="kicker" style="text-align:%s">%s</div>' % (align, html.escape(kicker)))
        h.append('<h1 style="text-align:%s"><span style="%s">%s</span></h1>' % (align, hstyle, html.escape(a['headline'])))
        if not inline:
            h.append('<div class="byl" style="text-align:%s">%s</div>' % (r.choice(['left', 'right', align]), html.escape(bl)))
        colstyle = 'column-count:%d;column-gap:%.1fmm;' % (cols, r.uniform(4.6, 5.4) if r.random() < 0.15 else r.uniform(5.5, 9.0))
        if rule:
            colstyle += 'column-rule:0.3mm solid #555;'
        h.append('<div class="cols" style="%s">' % colstyle)
        # figure positions
        pos = {}
        for c in caps:
            pos.setdefault(r.randint(0, max(0, len(paras) - 1)), []).append(c)
        for pi, p in enumerate(paras):
            h.append('<p>%s</p>' % html.escape(p))
            for c in pos.get(pi, []):
                h.append(figure_html(r, c, c['placement'], r.randint(24, 48)))
        h.append('</div></section>')
        body.append(''.join(h))
    css = """
@page { size: %dmm %dmm; margin: 12mm 12mm 12mm 12mm; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin:0; font-family: '%s'; font-size: %.1fpt; line-height: %.2f; color:#111; }
.mast { display:flex; justify-content:space-between; align-items:flex-end; border-bottom: 1.2mm double #000; padding-bottom:1.5mm; margin-bottom: 3mm; }
.mast .pn { font-size: %dpt; font-weight: 900; font-family: '%s'; letter-spacing: %.2fem; }
.mast .dt, .mast .pg { font-size: 10pt; }
.extra { font-size: 8.5pt; text-align:right; margin:-2mm 0 2mm 0; }
.art { margin: 0 0 4mm 0; padding-bottom: 3mm; border-bottom: 0.4mm solid #333; }
.kicker { font-size: 11pt; color:#333; margin-bottom: 1mm; }
h1 { margin: 0 0 2mm 0; line-height: 1.25; font-weight: normal; }
.byl { font-size: 9pt; margin: 0 0 2mm 0; }
.cols p { margin: 0; text-indent: 2em; text-align: justify; }
.fig { margin: 1.5mm 0; break-inside: avoid; }
.fig.float { width: 48%%; }
.fig.fl { float:left; margin-right: 2.5mm; } .fig.fr { float:right; margin-left: 2.5mm; }
.fig.span { column-span: all; width: %d%%; margin: 2mm auto; }
.ph { width:100%%; background:#aaa; }
figcaption { font-size: %.1fpt; font-family: '%s'; line-height:1.35; margin-top: 1mm; }
.foot { margin-top: 4mm; border-top: 0.4mm solid #000; padding-top: 1.5mm; display:flex; justify-content:space-between; font-size: 8.5pt; }
""" % (page_mm[0], page_mm[1], body_font, body_pt, r.uniform(1.45, 1.7), r.randint(28, 40),
       r.choice(FONTS_HEAD), r.uniform(0.05, 0.3), r.randint(55, 100), r.uniform(7.8, 8.8),
       r.choice(['AR PL UKai CN', 'Noto Sans CJK SC', body_font]))
    mast = ('<div class="mast"><span class="pn">%s</span><span class="dt">%s</span><span class="pg">第%s版 · %s</span></div>'
            % (paper, date, pno, sec))
    if extra:
        mast += '<div class="extra">%s</div>' % html.escape(extra)
    foot = '<div class="foot"><span>%s</span><span>%s · %s</span></div>' % (editor.replace('  ', '&#160;&#160;'), sec, pno)
    page = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>%s</style></head><body>%s%s%s</body></html>'
            % (css, mast, ''.join(body), foot))
    ann = {'doc': doc, 'split': 'test', 'page_mm': list(page_mm), 'body_font': body_font, 'body_pt': body_pt,
           'articles': articles,
           'headlines': [a['headline'] for a in articles],
           'kickers': [a['kicker'] for a in articles if a['kicker']],
           'bylines': [a['byline'] for a in articles],
           'captions': [c['text'] for a in articles for c in a['captions']],
           'furniture': furniture, 'layout': layout}
    return doc, page, ann


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seed', type=int, default=20261202)
    ap.add_argument('--docs', type=int, default=18)
    ap.add_argument('--work', default=os.environ.get('HELDOUT_WORK', '/tmp/ocrclean-heldout'))
    ap.add_argument('--pages', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'pages'))
    ap.add_argument('--no-pdf', action='store_true')
    a = ap.parse_args()
    r = random.Random(a.seed)
    pool = build_pool(r)
    r.shuffle(pool)
    print('article pool', len(pool), file=sys.stderr)
    gdir = os.path.join(a.pages, 'test', 'gold')
    os.makedirs(gdir, exist_ok=True)
    os.makedirs(os.path.join(a.work, 'html'), exist_ok=True)
    os.makedirs(os.path.join(a.work, 'pdf'), exist_ok=True)
    prov = {}
    for i in range(1, a.docs + 1):
        if not pool:
            break
        doc, page, ann = make_doc(r, i, pool)
        hp = os.path.join(a.work, 'html', doc + '.html')
        open(hp, 'w', encoding='utf-8').write(page)
        json.dump(ann, open(os.path.join(gdir, doc + '.json'), 'w', encoding='utf-8'), ensure_ascii=False, indent=1)
        open(os.path.join(gdir, doc + '.txt'), 'w', encoding='utf-8').write(
            '\n\n'.join('\n'.join(x['paragraphs']) for x in ann['articles']) + '\n')
        if not a.no_pdf:
            pdf = os.path.join(a.work, 'pdf', doc + '.pdf')
            subprocess.run(['chromium', '--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer',
                            '--print-to-pdf=' + pdf, 'file://' + hp], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        prov[doc] = [{'id': x['id'], 'source_file': x['source_file'], 'headline': x['headline']} for x in ann['articles']]
        print(doc, len(ann['articles']), sum(len(p) for x in ann['articles'] for p in x['paragraphs']), file=sys.stderr)
    json.dump(prov, open(os.path.join(a.work, 'articles_used.json'), 'w', encoding='utf-8'), ensure_ascii=False, indent=1)


main()
