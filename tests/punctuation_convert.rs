//! OpenCC conversion rules against the reference implementation (pip OpenCC 1.4.2;
//! expected outputs generated once into tests/data/opencc/expected.json), and
//! the character granularity of their edits.

use ocrclean::pipeline::{Options, Pipeline};
use ocrclean::rules::registry::RuleSet;
use ocrclean::rules::{Context, Output};
use std::path::Path;

fn apply(text: &str, out: &Output) -> String {
    let mut edits = out.edits.clone();
    edits.sort_by_key(|e| e.start);
    let mut s = String::with_capacity(text.len());
    let mut pos = 0;
    for e in &edits {
        assert!(e.start >= pos, "overlapping edits");
        s.push_str(&text[pos..e.start]);
        s.push_str(&e.replacement);
        pos = e.end;
    }
    s.push_str(&text[pos..]);
    s
}

/// Character edit distance (two rows; the sample lines are short).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            row[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(row[j] + 1);
        }
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()]
}

/// ferrous-opencc's dictionaries differ from OpenCC 1.4.2 in a few phrases
/// (`通過`/`透過` in s2twp, `參加`/`蔘加` in tw2t, `人才`/`人纔`, …): the test allows
/// at most this share of characters to differ from the reference, per config
/// and file, and prints the differing lines.
const MAX_DIFFERING: f64 = 0.005;

#[test]
fn opencc_builtin_matches_the_reference_on_a_sample() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/opencc");
    let expected: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).expect("expected.json"))
            .expect("json");
    assert!(expected.len() >= 11);
    let mut failures = Vec::new();
    for (key, want) in &expected {
        let (config, file) = key.split_once(':').expect("config:file");
        let input = std::fs::read_to_string(dir.join(file)).expect("input");
        let mut params = toml::Table::new();
        params.insert("config".into(), toml::Value::String(config.into()));
        let m = ocrclean::builtins::build("opencc", &params).expect("builtin");
        let mut out = Output::default();
        m.run(&input, &Context::default(), &mut out);
        let got = apply(&input, &out);
        let want = want.as_str().expect("string");
        assert_eq!(got.lines().count(), want.lines().count(), "{key}: line count");
        let differing: usize =
            got.lines().zip(want.lines()).map(|(g, w)| if g == w { 0 } else { distance(g, w) }).sum();
        let share = differing as f64 / want.chars().count() as f64;
        if share > MAX_DIFFERING {
            let lines: Vec<_> = got.lines().zip(want.lines()).filter(|(g, w)| g != w).collect();
            failures.push(format!("{key}: {differing} characters differ ({share:.4}): (got, reference) {lines:?}"));
        }
        // Character granularity: no edit spans more than one run of changed characters
        // (every edit is shorter than the line it sits in).
        for e in &out.edits {
            assert!(!input[e.start..e.end].contains('\n'), "{key}: an edit crosses a line");
            assert!(input[e.start..e.end].chars().count() < 20, "{key}: edit too coarse: {:?}", &input[e.start..e.end]);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn conversion_rules_are_opt_in_and_edit_per_character() {
    let set = RuleSet::builtin().expect("rules");
    let default = set.selected(&[], &[], &[]).expect("default");
    assert!(default.iter().all(|r| r.meta.phase.name() != "convert"), "conversion must be opt-in");
    let rules = set.selected(&["traditional-to-simplified".into()], &[], &[]).expect("t2s");
    let p = Pipeline::new(rules, Options::default());
    let c = p.clean("漢字轉換,頭髮");
    assert_eq!(c.output, "汉字转换,头发");
    // 漢字轉換 → 汉字转换: 漢, 轉換 change (字 stays): edits per run, not one whole-line edit.
    assert_eq!(c.log.edits().len(), 3, "{:?}", c.log.edits());
    assert_eq!(c.log.edits()[0].before, "漢");
}
