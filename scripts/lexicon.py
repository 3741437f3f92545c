#!/usr/bin/env python3
"""Regenerates data/lexicon.txt: the words of 2 to 4 characters of jieba-rs's
embedded dictionary (the only lengths ocrclean asks about), sorted by UTF-8
bytes, one per line; and data/lexicon_common.txt, those of them whose frequency
in the dictionary is at least COMMON (the words column order takes as evidence:
a rare word joins unrelated rows by chance about twice as often, for a tenth
fewer of the true joins). Usage: scripts/lexicon.py PATH/TO/jieba-rs/src/data/dict.txt
"""
import sys

COMMON = 100

words, common = set(), set()
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        parts = line.split()
        if parts and 2 <= len(parts[0]) <= 4:
            words.add(parts[0])
            if len(parts) > 1 and int(parts[1]) >= COMMON:
                common.add(parts[0])
with open("data/lexicon.txt", "w", encoding="utf-8", newline="\n") as out:
    for w in sorted(words, key=lambda w: w.encode("utf-8")):
        out.write(w + "\n")
with open("data/lexicon_common.txt", "w", encoding="utf-8", newline="\n") as out:
    for w in sorted(common, key=lambda w: w.encode("utf-8")):
        out.write(w + "\n")
