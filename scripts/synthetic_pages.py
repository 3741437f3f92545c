#!/usr/bin/env python3
"""Build OCR-like pages from gold text, to check that the paragraph, spacing and
punctuation rules generalise beyond the dev pages they were tuned on.

Each gold paragraph is wrapped at a column width drawn per page (14 to 26 display
columns: Han 1, ASCII 1/2) and printed in one of four engine styles:

  rows          one printed row per line, paragraphs not separated (pdftotext)
  rows_blank    the same with a blank line after each paragraph
  blocks        a paragraph's rows joined by one space, blank lines between (rapidocr)
  blocks_ascii  blocks with 70 % of ，：；（）！？ made ASCII (rapidocr_columns_ascii)

Then it cleans them and scores raw and cleaned with the benchmark's score.py.
The gold has no headlines or captions, so only the text metrics mean something.

Usage: synthetic_pages.py OCRCLEAN PAGES_DIR WORKDIR [--seed N]
  e.g. synthetic_pages.py target/release/ocrclean ../shared/eval-dev/pages /tmp/syn
"""
import argparse
import glob
import os
import random
import subprocess
import sys
import unicodedata

STYLES = ["rows", "rows_blank", "blocks", "blocks_ascii"]
TO_ASCII = {"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?"}


def width(c):
    return 1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5


def wrap(paragraph, columns):
    rows, row, w = [], "", 0.0
    for c in paragraph:
        row += c
        w += width(c)
        if w >= columns:
            rows.append(row)
            row, w = "", 0.0
    return rows + [row] if row else rows


def page(gold, style, rng):
    columns = rng.randint(14, 26)
    out = []
    for p in gold.split("\n"):
        if not p.strip():
            out.append("")
            continue
        if style == "blocks_ascii":
            p = "".join(TO_ASCII.get(c, c) if rng.random() < 0.7 else c for c in p)
        rows = wrap(p, columns)
        if style.startswith("rows"):
            out.append("\n".join(rows))
            if style == "rows_blank":
                out.append("")
        else:
            out += [" ".join(rows), ""]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ocrclean")
    ap.add_argument("pages")
    ap.add_argument("workdir")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    gold_dir = os.path.join(a.pages, "dev", "gold")
    for style in STYLES:
        raw = os.path.join(a.workdir, "raw", style)
        os.makedirs(raw, exist_ok=True)
        for f in sorted(glob.glob(os.path.join(gold_dir, "*.txt"))):
            with open(f, encoding="utf-8") as g, open(os.path.join(raw, os.path.basename(f)), "w", encoding="utf-8") as o:
                o.write(page(g.read(), style, rng))
        subprocess.run([a.ocrclean, "clean", raw, "-o", os.path.join(a.workdir, "pred", style), "-q", "--force"],
                       check=True)
    score = os.path.join(os.path.dirname(os.path.abspath(a.pages)), "score.py")
    for kind in ["raw", "pred"]:
        print(f"== {kind}")
        sys.stdout.flush()
        subprocess.run([sys.executable, score, "--gold", a.pages, "--split", "dev",
                        "--pred", os.path.join(a.workdir, kind)], check=True)


if __name__ == "__main__":
    main()
