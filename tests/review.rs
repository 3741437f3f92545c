//! `ocrclean review`, `apply` and `report --html` end to end (issue 5).
//!
//! The tests run the built-in rules plus the test rule in tests/browser/rules
//! (X901, a space between Han characters), so the sample page always has
//! changes; assertions never name a specific change of the built-in rules: they
//! take the edits from the `clean --report` log and check outputs by replaying it.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample() -> PathBuf {
    root().join("corpus/zhuzhou-daily-2022-11-15.raw.txt")
}

fn rules() -> [String; 2] {
    ["--rules".into(), root().join("tests/browser/rules").display().to_string()]
}

fn bin() -> Command {
    Command::cargo_bin("ocrclean").expect("binary")
}

/// A folder with two documents: the sample page and a short one.
fn corpus(dir: &Path) -> PathBuf {
    let c = dir.join("in");
    std::fs::create_dir_all(c.join("sub")).expect("mkdir");
    std::fs::copy(sample(), c.join("page.txt")).expect("copy");
    std::fs::write(c.join("sub/short.txt"), "党员干 部，赴 茶陵\n").expect("write");
    c
}

/// The edits of each document, from `clean --report`.
fn edits(input: &Path, dir: &Path) -> Vec<(String, Vec<Value>)> {
    let report = dir.join("clean.jsonl");
    bin()
        .arg("clean")
        .arg(input)
        .args(rules())
        .arg("-o")
        .arg(dir.join("clean-out"))
        .arg("--report")
        .arg(&report)
        .arg("--quiet")
        .assert()
        .success();
    std::fs::read_to_string(&report)
        .expect("report")
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("json line");
            (v["doc"].as_str().expect("doc").to_string(), v["edits"].as_array().expect("edits").clone())
        })
        .collect()
}

fn replay(input: &str, edits: &[&Value]) -> String {
    let mut out = String::new();
    let mut pos = 0;
    for e in edits {
        let (s, t) = (e["start"].as_u64().expect("start") as usize, e["end"].as_u64().expect("end") as usize);
        out.push_str(&input[pos..s]);
        out.push_str(e["after"].as_str().expect("after"));
        pos = t;
    }
    out.push_str(&input[pos..]);
    out
}

fn decisions(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("decision line"))
        .collect()
}

fn hash_of(path: &Path) -> String {
    ocrclean::review::hash_input(&std::fs::read(path).expect("read"))
}

#[test]
fn apply_leaves_out_a_rejected_edit_and_lands_the_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = corpus(dir.path());
    let all = edits(&input, dir.path());
    let (doc, page_edits) = all.iter().find(|(d, _)| d == "page.txt").expect("page");
    assert!(page_edits.len() >= 3, "the sample page has changes");
    let mid = &page_edits[page_edits.len() / 2];
    let line = serde_json::json!({
        "doc": doc, "hash": hash_of(&input.join("page.txt")), "rule": mid["rule"], "start": mid["start"],
        "end": mid["end"], "before": mid["before"], "after": mid["after"], "decision": "reject"
    });
    let dec = dir.path().join("d.jsonl");
    std::fs::write(&dec, format!("{line}\n")).expect("write");
    let out = dir.path().join("out");
    bin()
        .arg("apply")
        .arg(&input)
        .args(rules())
        .arg("--decisions")
        .arg(&dec)
        .args(["--undecided", "accept", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicates::str::contains("1 rejected"));
    let text = std::fs::read_to_string(input.join("page.txt")).expect("read");
    let rest: Vec<&Value> = page_edits.iter().filter(|e| *e != mid).collect();
    let got = std::fs::read_to_string(out.join("page.txt")).expect("out");
    pretty_assertions::assert_eq!(got, replay(&text, &rest));
    let full = std::fs::read_to_string(dir.path().join("clean-out/page.txt")).expect("cleaned");
    assert_ne!(got, full, "the rejected change is absent");
    // The other document is cleaned in full; it has no decisions.
    assert_eq!(
        std::fs::read_to_string(out.join("sub/short.txt")).expect("short"),
        std::fs::read_to_string(dir.path().join("clean-out/sub/short.txt")).expect("short cleaned")
    );
    // --undecided reject: only accepted changes; there are none, so outputs equal inputs.
    let out2 = dir.path().join("out2");
    bin().arg("apply").arg(&input).args(rules()).arg("--decisions").arg(&dec).arg("-o").arg(&out2).assert().success();
    assert_eq!(std::fs::read_to_string(out2.join("page.txt")).expect("out2"), text);
}

#[test]
fn apply_needs_an_existing_decisions_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    bin()
        .arg("apply")
        .arg(sample())
        .arg("--decisions")
        .arg(dir.path().join("missing.jsonl"))
        .arg("-o")
        .arg(dir.path().join("o"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no such decisions file"));
}

#[test]
fn review_from_stdin_records_decisions_resumes_and_requeues_changed_inputs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = corpus(dir.path());
    let all = edits(&input, dir.path());
    let total: usize = all.iter().map(|(_, e)| e.len()).sum();
    let dec = dir.path().join("d.jsonl");
    let out = dir.path().join("out");
    let review = |keys: &str| {
        bin()
            .arg("review")
            .arg(&input)
            .args(rules())
            .arg("-o")
            .arg(&out)
            .arg("--decisions")
            .arg(&dec)
            .write_stdin(keys)
            .assert()
            .success()
    };
    // accept, reject, skip, undo the skip, reject, quit.
    let a = review("a\nr\ns\nu\nr\nq\n");
    let shown = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    assert!(shown.contains(&format!("{total} changes")), "{shown}");
    assert!(shown.contains("[-") && shown.contains("rule "), "changes are shown with their rule: {shown}");
    let lines = decisions(&dec);
    let verdicts: Vec<&str> = lines.iter().map(|l| l["decision"].as_str().expect("decision")).collect();
    assert_eq!(verdicts, ["accept", "reject", "reject"]);
    // Decisions follow the log order of the first changed document.
    let (first_doc, first_edits) = all.iter().find(|(_, e)| !e.is_empty()).expect("changes");
    for (l, e) in lines.iter().zip(first_edits) {
        assert_eq!(l["doc"].as_str(), Some(first_doc.as_str()));
        assert_eq!((&l["start"], &l["end"], &l["after"]), (&e["start"], &e["end"], &e["after"]));
    }
    // Outputs: only the accepted change (undecided are rejected by default).
    let text = std::fs::read_to_string(input.join(first_doc)).expect("read");
    assert_eq!(std::fs::read_to_string(out.join(first_doc)).expect("out"), replay(&text, &[&first_edits[0]]));

    // Resume: the three decided changes are not asked again; A accepts all of the next change's rule.
    let b = review("A\nq\n");
    let shown = String::from_utf8_lossy(&b.get_output().stdout).to_string();
    assert!(shown.contains(&format!("3 decided before, {} to review", total - 3)), "{shown}");
    let rule = first_edits[3]["rule"].as_str().expect("rule");
    let n_rule = all.iter().flat_map(|(_, e)| e.iter()).filter(|e| e["rule"] == rule).count();
    let already = first_edits[..3].iter().filter(|e| e["rule"] == rule).count();
    assert_eq!(decisions(&dec).len(), 3 + n_rule - already);

    // Undo after A takes the whole batch back.
    review("u\nq\n");
    let mut d = ocrclean::review::Decisions::load(&dec).expect("load");
    assert_eq!(d.len(), 3 + n_rule - already, "a new run starts with an empty undo stack");
    review("A\nu\nq\n");
    d = ocrclean::review::Decisions::load(&dec).expect("load");
    assert_eq!(d.len(), 3 + n_rule - already, "A then u leaves the decisions as they were");

    // Change the input: its decisions no longer match, it is queued again.
    let mut changed = text.clone();
    changed.push_str("\n补 充\n");
    std::fs::write(input.join(first_doc), changed).expect("write");
    let c = review("q\n");
    let shown = String::from_utf8_lossy(&c.get_output().stdout).to_string();
    let short_decided =
        decisions(&dec).iter().filter(|l| l["doc"] != first_doc.as_str() && l["decision"] != "undecided").count();
    assert!(shown.contains(&format!("{short_decided} decided before")), "{shown}");
}

/// Drives `review` through a real pseudo-terminal with tmux (single keys, no Enter).
#[test]
fn review_in_a_terminal_via_tmux() {
    if std::process::Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let input = corpus(dir.path());
    let dec = dir.path().join("d.jsonl");
    let out = dir.path().join("out");
    let sock = dir.path().join("tmux.sock");
    let bin = assert_cmd::cargo::cargo_bin("ocrclean");
    let cmd = format!(
        "{} review {} {} {} -o {} --decisions {}; echo EXIT=$?; sleep 30",
        bin.display(),
        input.display(),
        rules()[0],
        rules()[1],
        out.display(),
        dec.display()
    );
    let tmux =
        |args: &[&str]| std::process::Command::new("tmux").arg("-S").arg(&sock).args(args).output().expect("tmux runs");
    let ok = tmux(&["new-session", "-d", "-s", "rv", "-x", "160", "-y", "40", &cmd]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let capture = || String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", "rv"]).stdout).to_string();
    let wait_for = |what: &str| {
        for _ in 0..600 {
            let screen = capture();
            if screen.contains(what) {
                return screen;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("timed out waiting for {what:?}:\n{}", capture());
    };
    wait_for("[a]ccept");
    // Single keys: no Enter needed in a terminal.
    for (key, echo) in [("r", "rejected"), ("a", "accepted"), ("?", "this help")] {
        tmux(&["send-keys", "-t", "rv", "-l", key]);
        wait_for(echo);
    }
    tmux(&["send-keys", "-t", "rv", "-l", "q"]);
    let screen = wait_for("EXIT=");
    tmux(&["kill-server"]);
    assert!(screen.contains("EXIT=0"), "{screen}");
    let verdicts: Vec<String> =
        decisions(&dec).iter().map(|l| l["decision"].as_str().unwrap_or_default().to_string()).collect();
    assert_eq!(verdicts, ["reject", "accept"]);
    assert!(out.join("page.txt").exists());
}

#[test]
fn html_report_is_self_contained_and_embeds_the_edit_log() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = corpus(dir.path());
    std::fs::write(input.join("evil.txt"), "</script><script>alert(1)</script> 干 部\n").expect("write");
    let all = edits(&input, dir.path());
    let html_path = dir.path().join("r.html");
    bin().arg("report").arg(&input).args(rules()).arg("--html").arg(&html_path).assert().success();
    let html = std::fs::read_to_string(&html_path).expect("html");
    assert!(html.contains("<svg") && html.contains("<rect"), "inline SVG bar chart");
    assert!(html.contains("<script type=\"application/json\" id=\"index\">"));
    for bad in ["src=\"http", "href=\"http", "@import", "url(http", "<link "] {
        assert!(!html.contains(bad), "no external asset ({bad})");
    }
    assert_eq!(
        html.matches("</script>").count(),
        html.matches("<script").count(),
        "embedded text cannot close a script"
    );
    // The index lists every document with its edit count.
    let start = html.find("id=\"index\">").expect("index") + "id=\"index\">".len();
    let end = start + html[start..].find("</script>").expect("end");
    let index: Value = serde_json::from_str(&html[start..end]).expect("index json");
    let docs = index["docs"].as_array().expect("docs");
    assert_eq!(docs.len(), all.len());
    for (d, (name, e)) in docs.iter().zip(&all) {
        assert_eq!(d[0].as_str(), Some(name.as_str()));
        assert_eq!(d[2].as_u64(), Some(e.len() as u64));
    }
}
