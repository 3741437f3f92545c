#!/usr/bin/env python3
"""Clean a JSON Lines corpus through Apache Spark (rdd.pipe) and check the result
equals the single-process output byte for byte.

usage: spark_pipe.py OCRCLEAN_BIN INPUT.jsonl WORKDIR [PARTITIONS]

`ocrclean clean - --format jsonl -o -` reads JSON Lines on stdin and writes them
on stdout in input order, so each Spark partition pipes its lines through one
ocrclean process; `collect()` concatenates the partitions in order, which keeps
the global order for the comparison.
"""
import os
import subprocess
import sys

COMMAND = ["clean", "-", "--format", "jsonl", "-o", "-", "--quiet"]


def main():
    binp, src, work = sys.argv[1:4]
    partitions = int(sys.argv[4]) if len(sys.argv) > 4 else 4
    os.makedirs(work, exist_ok=True)
    with open(src, "rb") as f:
        data = f.read()
    expected = subprocess.run([binp, *COMMAND], input=data, stdout=subprocess.PIPE, check=True).stdout

    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master(f"local[{partitions}]").appName("ocrclean-pipe")
             .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
             .getOrCreate())
    sc = spark.sparkContext
    sc.setLogLevel("ERROR")
    # Split on "\n" only: JSON strings may hold U+2028 and other characters that
    # str.splitlines() would also break on.
    records = data.decode("utf-8").split("\n")
    if records and records[-1] == "":
        records.pop()
    lines = sc.parallelize(records, partitions)
    used = lines.getNumPartitions()
    cleaned = lines.pipe(" ".join([binp, *COMMAND, "-j1"]), env={"LC_ALL": "C.UTF-8"}, checkCode=True)
    got = cleaned.collect()
    spark.stop()
    got_bytes = ("\n".join(got) + "\n").encode("utf-8") if got else b""
    with open(os.path.join(work, "spark.jsonl"), "wb") as f:
        f.write(got_bytes)
    if got_bytes != expected:
        sys.exit(f"spark output differs from the single-process output ({len(got_bytes)} vs {len(expected)} bytes)")
    print(f"spark ({used} partitions): {len(got)} documents, identical to the single-process output "
          f"({len(expected)} bytes)")


if __name__ == "__main__":
    main()
