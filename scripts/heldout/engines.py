#!/usr/bin/env python3
"""Run the text engines.  usage: engines.py ENGINE [WORK] [PAGES] [DOC...]
ENGINE: pdftotext | pdftotext_layout | tesseract | rapidocr (writes rapidocr_columns and
rapidocr_columns_ascii).  Output: PAGES/test/raw/<engine>/<doc>.txt, pages joined by \\f."""
import glob, os, subprocess, sys

eng = sys.argv[1]
WORK = sys.argv[2] if len(sys.argv) > 2 else os.environ.get('HELDOUT_WORK', '/tmp/ocrclean-heldout')
PAGES = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(os.path.abspath(__file__)), 'pages')
RAW = os.path.join(PAGES, 'test', 'raw')
docs = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(WORK, 'pdf', '*.pdf')))


def scans(doc):
    return sorted(glob.glob(os.path.join(WORK, 'scan', doc + '-*.png')),
                  key=lambda p: int(p.rsplit('-', 1)[1][:-4]))


def write(name, doc, text):
    d = os.path.join(RAW, name)
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, doc + '.txt'), 'w', encoding='utf-8').write(text)


if eng in ('pdftotext', 'pdftotext_layout'):
    for doc in docs:
        args = ['pdftotext', '-enc', 'UTF-8'] + (['-layout'] if eng == 'pdftotext_layout' else [])
        out = subprocess.run(args + [os.path.join(WORK, 'pdf', doc + '.pdf'), '-'], check=True,
                             capture_output=True).stdout.decode('utf-8')
        write(eng, doc, out)
elif eng == 'tesseract':
    for doc in docs:
        if len(sys.argv) > 4 and doc not in sys.argv[4:]:
            continue
        pages = []
        for png in scans(doc):
            t = subprocess.run(['tesseract', png, 'stdout', '-l', 'chi_sim'], check=True,
                               capture_output=True).stdout.decode('utf-8')
            pages.append(t.replace('\f', '').rstrip('\n') + '\n')
        write('tesseract', doc, '\f'.join(pages))
        print(doc, file=sys.stderr, flush=True)
elif eng == 'rapidocr':
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from rapid_columns import ocr_page, to_ascii
    for doc in docs:
        if len(sys.argv) > 4 and doc not in sys.argv[4:]:
            continue
        pages = [ocr_page(png) for png in scans(doc)]
        text = '\f'.join(pages)
        write('rapidocr_columns', doc, text)
        write('rapidocr_columns_ascii', doc, to_ascii(text))
        print(doc, file=sys.stderr, flush=True)
else:
    sys.exit('unknown engine ' + eng)
