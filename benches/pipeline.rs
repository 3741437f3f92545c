//! Throughput of the default pipeline, whole and per phase, against a
//! read-validate-write pass over the same bytes (the floor any cleaner pays).
//!
//! Input: the sample page and the pages under tests/fixtures/pages/, repeated
//! to about 8 MB as separate documents. Run: `cargo bench --bench pipeline`.
//! Criterion prints MB/s (Throughput::Bytes); the ratio to `read-validate-write`
//! is the figure to quote, since the machine is shared and noisy.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ocrclean::pipeline::{Options, Pipeline};
use ocrclean::rules::registry::RuleSet;
use ocrclean::rules::PHASE_ORDER;
use std::hint::black_box;

const TARGET_BYTES: usize = 8 << 20;

fn corpus() -> Vec<String> {
    let mut pages = vec![std::fs::read_to_string("corpus/zhuzhou-daily-2022-11-15.raw.txt").expect("sample page")];
    if let Ok(dir) = std::fs::read_dir("tests/fixtures/pages") {
        let mut paths: Vec<_> =
            dir.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "txt")).collect();
        paths.sort();
        pages.extend(paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()));
    }
    let mut docs = Vec::new();
    let mut total = 0;
    let mut i = 0;
    while total < TARGET_BYTES {
        // Vary each copy a little so no two documents are identical.
        let doc = format!("第{i}期\n\n{}", pages[i % pages.len()]);
        total += doc.len();
        docs.push(doc);
        i += 1;
    }
    docs
}

fn bench(c: &mut Criterion) {
    let docs = corpus();
    let bytes: usize = docs.iter().map(String::len).sum();
    let set = RuleSet::builtin().expect("built-in rules compile");
    let mut g = c.benchmark_group("pipeline");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("read-validate-write", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(bytes);
            for d in &docs {
                let s = std::str::from_utf8(black_box(d.as_bytes())).expect("utf-8");
                out.extend_from_slice(s.as_bytes());
            }
            black_box(out)
        })
    });
    let all = Pipeline::new(set.selected(&[], &[], &[]).expect("default rules"), Options::default());
    g.bench_function("default-rules", |b| {
        b.iter(|| docs.iter().map(|d| all.clean(black_box(d)).output.len()).sum::<usize>())
    });
    for phase in PHASE_ORDER {
        let Ok(rules) = set.selected(&[phase.name().to_string()], &[], &[]) else { continue };
        let p = Pipeline::new(rules, Options::default());
        g.bench_with_input(BenchmarkId::new("phase", phase.name()), &docs, |b, docs| {
            b.iter(|| docs.iter().map(|d| p.clean(black_box(d)).output.len()).sum::<usize>())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
