//! `ocrclean eval` reproduces the dev benchmark's score.py exactly: the counts
//! of two pages (one raw, one cleaned with flags) were produced by score.py once
//! (tests/data/eval/expected_score_py.json).

use assert_cmd::Command;
use ocrclean::eval::{score_doc, Annotations};
use std::path::Path;

fn data() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/eval")
}

#[test]
fn counts_equal_score_py() {
    let d = data();
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("expected_score_py.json")).expect("fixture"))
            .expect("json");
    for doc in ["dev_p001", "dev_p003"] {
        let gold = std::fs::read_to_string(d.join(format!("gold/{doc}.txt"))).expect("gold");
        let pred = std::fs::read_to_string(d.join(format!("pred/{doc}.txt"))).expect("pred");
        let ann: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(d.join(format!("gold/{doc}.json"))).expect("ann"))
                .expect("json");
        let flags: Vec<(String, String)> = std::fs::read_to_string(d.join(format!("pred/{doc}.flags.json")))
            .ok()
            .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
            .and_then(|v| v.get("flags").and_then(|f| f.as_array()).cloned())
            .unwrap_or_default()
            .iter()
            .map(|f| {
                let s = |k: &str| f.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
                (s("kind"), s("text"))
            })
            .collect();
        let got = score_doc(&pred, &gold, Some(&Annotations::from_json(&ann)), &flags);
        let got = serde_json::to_value(&got).expect("serialize");
        assert_eq!(&got, &expected[doc], "{doc}");
    }
}

#[test]
fn eval_command_scores_a_pred_folder() {
    let d = data();
    let out = Command::cargo_bin("ocrclean")
        .expect("binary")
        .args(["eval", "--gold"])
        .arg(d.join("gold"))
        .arg("--pred")
        .arg(d.join("pred"))
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("dev_p001") && s.contains("dev_p003") && s.contains("OVERALL"), "{s}");
}

#[test]
fn eval_command_cleans_inputs_and_improves_on_them() {
    let d = data();
    let dir = tempfile::tempdir().expect("tmp");
    let json = dir.path().join("r.json");
    let out = Command::cargo_bin("ocrclean")
        .expect("binary")
        .arg("eval")
        .arg(d.join("pred/dev_p001.txt"))
        .arg("--gold")
        .arg(d.join("gold"))
        .arg("--json")
        .arg(&json)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(json).expect("json")).expect("json");
    let f = |k: &str, w: &str| v[k][w].as_f64().unwrap_or(f64::NAN);
    let half = |k: &str| v[k]["halfwidth_cjk"].as_u64().unwrap_or(u64::MAX);
    assert!(half("summary") < half("input_summary"), "{v}");
    assert!(f("summary", "punct_acc") > f("input_summary", "punct_acc"), "{v}");
}
