#!/usr/bin/env bash
# Cleans a JSON Lines corpus through Spark (rdd.pipe, 4 partitions) and checks the
# result equals the single-process output byte for byte. Installs pyspark when
# missing (needs Java 17+ on PATH). Usage: bash tests/spark/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! python3 -c "import pyspark" 2>/dev/null; then
    python3 -m pip install --quiet pyspark
fi
command -v java >/dev/null || { echo "tests/spark/run.sh: java not found (Spark needs Java 17+)" >&2; exit 1; }
cargo build --release --quiet
export SPARK_LOCAL_IP=127.0.0.1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The corpus: every fixture page and the sample page, 25 times each with ids, and
# lines that must survive the split into partitions (a blank line, U+2028 in a text).
python3 - "$work/corpus.jsonl" <<'PY'
import glob, json, sys
pages = sorted(glob.glob("tests/fixtures/pages/*.txt")) + ["corpus/zhuzhou-daily-2022-11-15.raw.txt"]
with open(sys.argv[1], "w", encoding="utf-8") as out:
    n = 0
    for rep in range(25):
        for p in pages:
            text = open(p, encoding="utf-8").read()
            out.write(json.dumps({"id": f"d{n}", "text": text, "meta": {"page": p, "rep": rep}}, ensure_ascii=False) + "\n")
            n += 1
    out.write("\n")
    out.write(json.dumps({"id": "sep", "text": "干 部,赴\u2028茶陵"}, ensure_ascii=False) + "\n")
PY
python3 tests/spark/spark_pipe.py "$PWD/target/release/ocrclean" "$work/corpus.jsonl" "$work" 4
