//! Invariants of the default pipeline on arbitrary and mutated text (proptest):
//! no panic, replaying the edit log gives the output, every edit's `before` is the
//! input it replaced and falls on character boundaries, flags point into the input,
//! and cleaning the output again changes nothing.

use ocrclean::pipeline::{Options, Pipeline};
use ocrclean::rules::registry::RuleSet;
use ocrclean::rules::FlagAction;
use proptest::prelude::*;
use std::sync::LazyLock;

static PIPELINES: LazyLock<Vec<Pipeline>> = LazyLock::new(|| {
    let set = RuleSet::builtin().expect("built-in rules compile");
    let rules = set.selected(&[], &[], &[]).expect("default selection");
    let remove = Options { flagged_all: Some(FlagAction::Remove), ..Options::default() };
    let unsafe_fixes = Options { unsafe_fixes: true, ..Options::default() };
    vec![
        Pipeline::new(rules.clone(), Options::default()),
        Pipeline::new(rules.clone(), remove),
        Pipeline::new(rules, unsafe_fixes),
    ]
});

const SAMPLE: &str = include_str!("../corpus/zhuzhou-daily-2022-11-15.raw.txt");

fn check_invariants(input: &str) -> Result<(), TestCaseError> {
    for (i, p) in PIPELINES.iter().enumerate() {
        let c = p.clean(input);
        prop_assert_eq!(c.log.replay(input), c.output.clone(), "pipeline {}: replay differs", i);
        let mut last_end = 0;
        for e in c.edits() {
            prop_assert!(
                e.start >= last_end && e.start <= e.end && e.end <= input.len(),
                "pipeline {}: bad span {:?}",
                i,
                e
            );
            prop_assert!(input.is_char_boundary(e.start) && input.is_char_boundary(e.end));
            prop_assert_eq!(&input[e.start..e.end], e.before.as_str());
            last_end = e.end;
        }
        for f in &c.flags {
            prop_assert!(f.start <= f.end && f.end <= input.len());
            prop_assert_eq!(&input[f.start..f.end], f.text.as_str());
        }
        let again = p.clean(&c.output);
        prop_assert!(
            again.edits().is_empty(),
            "pipeline {}: not idempotent on {:?}\noutput {:?}\nsecond pass edits {:?}",
            i,
            input,
            c.output,
            again.edits()
        );
    }
    Ok(())
}

/// Characters OCR output is made of, weighted towards the interesting ones.
fn ocr_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::sample::select("党员干部群众疫情防控芦淞区株洲日报讯记者通讯员摄供图的了是在一".chars().collect::<Vec<_>>()),
        2 => prop::sample::select(vec![' ', ' ', '\n', '\n', '\t', '\u{3000}', '\u{200B}', '\r', '\u{c}']),
        2 => prop::sample::select(",.:;?!()\"'-/@，。：；？！（）“”‘’、…—《》".chars().collect::<Vec<_>>()),
        1 => prop::sample::select("0123456789AaZz１Ａｚ".chars().collect::<Vec<_>>()),
        1 => any::<char>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_ocr_like_text(chars in prop::collection::vec(ocr_char(), 0..160)) {
        check_invariants(&chars.into_iter().collect::<String>())?;
    }

    #[test]
    fn mutated_sample_page(
        start in 0usize..SAMPLE.len(),
        len in 1usize..1500,
        ops in prop::collection::vec((0usize..1500, 0u8..5), 1..12),
    ) {
        let s = SAMPLE.floor_char_boundary(start);
        let e = SAMPLE.floor_char_boundary((s + len).min(SAMPLE.len()));
        let mut text = SAMPLE[s..e].to_string();
        for (at, op) in ops {
            let at = text.floor_char_boundary(at.min(text.len()));
            let ins = match op {
                0 => " ",
                1 => "\n\n",
                2 => ",",
                3 => "\"",
                _ => "。",
            };
            text.insert_str(at, ins);
        }
        check_invariants(&text)?;
    }
}

#[test]
fn sample_page_invariants() {
    check_invariants(SAMPLE).unwrap();
}
