#!/usr/bin/env python3
"""Render each PDF page at 200 dpi (pdftoppm) and add mild scan damage (rotation, blur,
noise, contrast, slight shift) with a per-page fixed seed.  WORK/pdf/*.pdf -> WORK/scan/<doc>-<n>.png
usage: scan.py [WORK [DOC...]]"""
import glob, os, random, subprocess, sys, json
import numpy as np
from PIL import Image, ImageFilter, ImageEnhance

WORK = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('HELDOUT_WORK', '/tmp/ocrclean-heldout')
SEED = 4242
os.makedirs(os.path.join(WORK, 'scan'), exist_ok=True)
os.makedirs(os.path.join(WORK, 'png'), exist_ok=True)
log = {}
ONLY = set(sys.argv[2:])
dmg = os.path.join(WORK, 'scan', 'damage.json')
if ONLY and os.path.exists(dmg):
    log = json.load(open(dmg))
for pdf in sorted(glob.glob(os.path.join(WORK, 'pdf', '*.pdf'))):
    doc = os.path.basename(pdf)[:-4]
    if ONLY and doc not in ONLY:
        continue
    for old in glob.glob(os.path.join(WORK, 'scan', doc + '-*')):
        os.remove(old)
    for old in glob.glob(os.path.join(WORK, 'png', doc + '-*.png')):
        os.remove(old)
    subprocess.run(['pdftoppm', '-r', '200', '-gray', '-png', pdf, os.path.join(WORK, 'png', doc)], check=True)
    pages = sorted(glob.glob(os.path.join(WORK, 'png', doc + '-*.png')))
    for n, p in enumerate(pages, 1):
        r = random.Random('%d:%s:%d' % (SEED, doc, n))
        im = Image.open(p).convert('L')
        ang = r.uniform(-0.7, 0.7)
        blur = r.uniform(0.3, 0.9)
        noise = r.uniform(4, 14)
        contrast = r.uniform(0.8, 1.0)
        bright = r.uniform(0.95, 1.05)
        im = im.rotate(ang, resample=Image.BICUBIC, expand=False, fillcolor=255)
        im = im.filter(ImageFilter.GaussianBlur(blur))
        im = ImageEnhance.Contrast(im).enhance(contrast)
        im = ImageEnhance.Brightness(im).enhance(bright)
        a = np.asarray(im).astype(np.float32)
        rng = np.random.default_rng(r.randint(0, 2**31))
        a += rng.normal(0, noise, a.shape)
        # a few specks
        for _ in range(r.randint(20, 120)):
            y, x = rng.integers(0, a.shape[0]), rng.integers(0, a.shape[1])
            a[max(0, y - 1):y + 2, max(0, x - 1):x + 2] = rng.integers(0, 120)
        im = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
        out = os.path.join(WORK, 'scan', '%s-%d.png' % (doc, n))
        im.save(out)
        log['%s-%d' % (doc, n)] = dict(rotate=round(ang, 3), blur=round(blur, 2), noise=round(noise, 1),
                                      contrast=round(contrast, 2), brightness=round(bright, 2))
    print(doc, len(pages), file=sys.stderr)
json.dump(log, open(dmg, 'w'), indent=1, sort_keys=True)
