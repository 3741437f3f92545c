#!/bin/sh
# Rebuild the held-out benchmark from scratch (about 1.5 h on 2 cores; steps are sequential).
set -e
cd "$(dirname "$0")"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -q poppler-utils tesseract-ocr tesseract-ocr-chi-sim \
    chromium fonts-arphic-uming fonts-arphic-ukai fonts-noto-cjk fonts-wqy-zenhei debian-handbook
pip install -q pillow numpy rapidocr_onnxruntime
export HELDOUT_WORK="${HELDOUT_WORK:-/tmp/ocrclean-heldout}"
rm -rf "$HELDOUT_WORK" pages
python3 extract.py                       # handbook HTML -> sections.json (dev source files excluded)
python3 gen.py --docs 20                 # -> $HELDOUT_WORK/html, pdf; pages/test/gold
python3 scan.py                          # -> $HELDOUT_WORK/scan/<doc>-<n>.png (200 dpi + damage)
python3 engines.py pdftotext
python3 engines.py pdftotext_layout
python3 engines.py tesseract
python3 engines.py rapidocr              # rapidocr_columns + rapidocr_columns_ascii
python3 /work/shared/eval-dev/score.py --gold pages --split test --pred pages/test/raw
