"""RapidOCR (PP-OCRv4, rapidocr_onnxruntime defaults) with a simple column reader:
recursive XY-cut over the detected line boxes (wide horizontal gaps first, then column
gaps), lines of a column grouped into blocks (a new block at a first-line indent or a
vertical gap), the lines of a block joined with one space, blank line between blocks."""
import re
import statistics

_engine = None


def engine():
    global _engine
    if _engine is None:
        from rapidocr_onnxruntime import RapidOCR
        _engine = RapidOCR()
    return _engine


def boxes_of(png):
    import json, os
    cache = png[:-4] + '.boxes.json'
    if os.path.exists(cache):
        return json.load(open(cache, encoding='utf-8'))
    res, _ = engine()(png)
    out = []
    for quad, text, score in res or []:
        xs = [p[0] for p in quad]; ys = [p[1] for p in quad]
        t = text.strip()
        if t:
            out.append(dict(x0=float(min(xs)), x1=float(max(xs)), y0=float(min(ys)), y1=float(max(ys)), t=t))
    json.dump(out, open(cache, 'w', encoding='utf-8'), ensure_ascii=False)
    return out


def gaps(intervals, lo, hi):
    """Gaps (start, end) between the union of intervals."""
    iv = sorted(intervals)
    res, cur = [], None
    for a, b in iv:
        if cur is None:
            cur = b
            continue
        if a > cur:
            res.append((cur, a))
        cur = max(cur, b)
    return res


def one_row(bs):
    y0 = max(b['y0'] for b in bs); y1 = min(b['y1'] for b in bs)
    h = min(b['y1'] - b['y0'] for b in bs)
    if y1 - y0 > 0.4 * h:
        return True
    # a masthead row: boxes of different sizes, no vertical gap, about one row high
    if len(bs) <= 6 and not gaps([(b['y0'], b['y1']) for b in bs], 0, 0):
        return max(b['y1'] for b in bs) - min(b['y0'] for b in bs) <= 1.5 * max(b['y1'] - b['y0'] for b in bs)
    return False


def xycut(bs, H, depth=0):
    """Return a list of leaves (lists of boxes) in reading order."""
    if len(bs) <= 1 or depth > 30:
        return [bs]
    if one_row(bs):
        return [bs]
    # wide horizontal gaps (more than a line of text) first
    hg = [g for g in gaps([(b['y0'], b['y1']) for b in bs], 0, 0) if g[1] - g[0] > 0.9 * H]
    if hg:
        return cut(bs, hg, 'y', H, depth)
    vg = [g for g in gaps([(b['x0'], b['x1']) for b in bs], 0, 0) if g[1] - g[0] > 0.7 * H]
    if vg:
        return cut(bs, vg, 'x', H, depth)
    # any horizontal gap
    hg = [g for g in gaps([(b['y0'], b['y1']) for b in bs], 0, 0) if g[1] - g[0] > 0.25 * H]
    if hg:
        # only cut if it separates something with a column structure below/above
        parts = split(bs, hg, 'y')
        if any(xycut_has_cols(p, H) for p in parts):
            out = []
            for p in parts:
                out += xycut(p, H, depth + 1)
            return out
    return [bs]


def xycut_has_cols(bs, H):
    return len(bs) > 1 and not one_row(bs) and any(
        g[1] - g[0] > 0.7 * H for g in gaps([(b['x0'], b['x1']) for b in bs], 0, 0))


def split(bs, gs, axis):
    a0, a1 = axis + '0', axis + '1'
    cuts = [(g[0] + g[1]) / 2 for g in gs]
    parts = [[] for _ in range(len(cuts) + 1)]
    for b in bs:
        c = (b[a0] + b[a1]) / 2
        k = sum(1 for x in cuts if c > x)
        parts[k].append(b)
    return [p for p in parts if p]


def cut(bs, gs, axis, H, depth):
    out = []
    for p in split(bs, gs, axis):
        out += xycut(p, H, depth + 1)
    return out


def leaf_blocks(bs, H):
    """Group a leaf's boxes into rows, then blocks."""
    if len(bs) > 1 and one_row(bs):
        return [' '.join(b['t'] for b in sorted(bs, key=lambda b: b['x0']))]
    bs = sorted(bs, key=lambda b: (b['y0'] + b['y1']) / 2)
    rows = []
    for b in bs:
        if rows:
            r = rows[-1]
            ov = min(r['y1'], b['y1']) - max(r['y0'], b['y0'])
            if ov > 0.5 * min(r['y1'] - r['y0'], b['y1'] - b['y0']):
                r['items'].append(b); r['y0'] = min(r['y0'], b['y0']); r['y1'] = max(r['y1'], b['y1'])
                r['x0'] = min(r['x0'], b['x0']); r['x1'] = max(r['x1'], b['x1'])
                continue
        rows.append(dict(items=[b], x0=b['x0'], x1=b['x1'], y0=b['y0'], y1=b['y1']))
    if not rows:
        return []
    left = min(r['x0'] for r in rows)
    blocks, prev = [], None
    for r in rows:
        text = ' '.join(b['t'] for b in sorted(r['items'], key=lambda b: b['x0']))
        h = r['y1'] - r['y0']
        new = prev is None
        if prev is not None:
            gap = r['y0'] - prev['y1']
            if gap > 0.8 * min(H, h) or r['x0'] - left > 1.2 * min(H, h):
                new = True
            if abs(h - (prev['y1'] - prev['y0'])) > 0.45 * max(h, prev['y1'] - prev['y0']):
                new = True  # a change of type size (headline / body / caption)
        if new:
            blocks.append([text])
        else:
            blocks[-1].append(text)
        prev = r
    return [' '.join(b) for b in blocks]


def ocr_page(png):
    bs = boxes_of(png)
    if not bs:
        return '\n'
    H = statistics.median(b['y1'] - b['y0'] for b in bs)
    blocks = []
    for leaf in xycut(bs, H):
        blocks += leaf_blocks(leaf, H)
    return '\n\n'.join(blocks) + '\n'


ASCII = str.maketrans({'，': ',', '：': ':', '；': ';', '（': '(', '）': ')', '？': '?', '！': '!', '“': '"', '”': '"'})


def to_ascii(text):
    return text.translate(ASCII)
