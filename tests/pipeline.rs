//! The whole pipeline through the CLI on real pages: the replay invariant (the
//! report's edits replayed on the decoded input give the output file exactly),
//! idempotence (cleaning the output again changes nothing), and snapshots of the
//! diff and the report of the sample page.
//!
//! The snapshots change whenever a rule changes. Review and accept them with
//! `cargo insta review`, or accept all with
//! `INSTA_UPDATE=always cargo test --release --test pipeline`, then read
//! `git diff tests/snapshots/`.

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const SAMPLE: &str = "corpus/zhuzhou-daily-2022-11-15.raw.txt";
/// The dev benchmark's pages, when present on this machine (not in the repository).
const EVAL_DEV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/eval-dev/pages/dev/raw/rapidocr_columns_ascii");

fn ocrclean() -> Command {
    Command::cargo_bin("ocrclean").expect("binary builds")
}

fn pages() -> Vec<PathBuf> {
    let mut v = vec![Path::new(ROOT).join(SAMPLE)];
    let mut fixtures: Vec<PathBuf> = fs::read_dir(Path::new(ROOT).join("tests/fixtures/pages"))
        .expect("tests/fixtures/pages")
        .flatten()
        .map(|e| e.path())
        .collect();
    fixtures.sort();
    v.extend(fixtures);
    if let Ok(dir) = fs::read_dir(EVAL_DEV) {
        let mut dev: Vec<PathBuf> = dir.flatten().map(|e| e.path()).collect();
        dev.sort();
        v.extend(dev);
    }
    v
}

/// Replays a report line's edits on `input`.
fn replay(input: &str, report: &serde_json::Value) -> String {
    let mut out = String::new();
    let mut pos = 0;
    for e in report["edits"].as_array().expect("edits") {
        let (s, t) = (e["start"].as_u64().unwrap() as usize, e["end"].as_u64().unwrap() as usize);
        assert!(s >= pos && t >= s, "edits sorted and disjoint: {e}");
        assert_eq!(&input[s..t], e["before"].as_str().unwrap(), "`before` is the input span");
        out.push_str(&input[pos..s]);
        out.push_str(e["after"].as_str().unwrap());
        pos = t;
    }
    out.push_str(&input[pos..]);
    out
}

/// Cleans every page into a temp dir: (dir, input folder, output folder, report).
fn clean_pages() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf, usize) {
    clean_pages_with(&[])
}

/// [`clean_pages`] with more options.
fn clean_pages_with(options: &[&str]) -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf, usize) {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    fs::create_dir(&input).unwrap();
    let pages = pages();
    for (i, p) in pages.iter().enumerate() {
        fs::copy(p, input.join(format!("{i:02}-{}", p.file_name().unwrap().to_string_lossy()))).unwrap();
    }
    let out = t.path().join("out");
    let report = t.path().join("r.jsonl");
    ocrclean()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .arg("--report")
        .arg(&report)
        .arg("-q")
        .args(options)
        .assert()
        .code(0);
    (t, input, out, report, pages.len())
}

#[test]
fn replay_invariant_on_real_pages() {
    let (_t, input, out, report, pages) = clean_pages();
    let rep = fs::read_to_string(&report).unwrap();
    let mut n = 0;
    for line in rep.lines() {
        let r: serde_json::Value = serde_json::from_str(line).unwrap();
        let doc = r["doc"].as_str().unwrap();
        let decoded = ocrclean::decode::decode(&fs::read(input.join(doc)).unwrap(), false).unwrap();
        let replayed = replay(&decoded.text, &r);
        let replayed = decoded.newline.restore(&replayed);
        let written = fs::read_to_string(out.join(doc)).unwrap();
        assert!(replayed == written, "{doc}: replaying the report's edits does not give the output");
        for f in r["flags"].as_array().unwrap() {
            let span = |v: &serde_json::Value| (v[0].as_u64().unwrap() as usize, v[1].as_u64().unwrap() as usize);
            let (s, e) = span(&serde_json::json!([f["start"], f["end"]]));
            let text = match f.get("parts").and_then(|p| p.as_array()) {
                // A flag in parts: its text is theirs, its span their hull.
                Some(parts) => {
                    let spans: Vec<(usize, usize)> = parts.iter().map(span).collect();
                    assert!(spans.len() > 1 && spans[0].0 == s && spans[spans.len() - 1].1 == e, "{doc}: {f}");
                    assert!(spans.windows(2).all(|w| w[0].1 < w[1].0), "{doc}: parts in order, apart: {f}");
                    spans.iter().map(|&(a, b)| decoded.text[a..b].trim()).collect::<Vec<_>>().join(" ")
                }
                None => decoded.text[s..e].to_string(),
            };
            assert_eq!(text, f["text"].as_str().unwrap(), "{doc}: flag offsets refer to the input");
        }
        n += 1;
    }
    assert_eq!(n, pages);
}

#[test]
fn idempotence_on_real_pages() {
    // The outputs, cleaned again, do not change.
    let (t, _input, out, _report, _) = clean_pages();
    let assert =
        ocrclean().arg("clean").arg(&out).arg("--check").arg("--report").arg(t.path().join("again.jsonl")).assert();
    let again = fs::read_to_string(t.path().join("again.jsonl")).unwrap();
    let changed: Vec<String> = again
        .lines()
        .filter_map(|l| {
            let r: serde_json::Value = serde_json::from_str(l).unwrap();
            let edits = r["edits"].as_array().unwrap();
            if !r["error"].is_null() {
                return Some(format!("{}: {}", r["doc"], r["error"]));
            }
            (!edits.is_empty())
                .then(|| format!("{}: {}", r["doc"], serde_json::to_string(&edits[..edits.len().min(3)]).unwrap()))
        })
        .collect();
    assert!(changed.is_empty(), "not idempotent:\n{}", changed.join("\n"));
    assert.code(0);
}

#[test]
fn sample_page_diff_snapshot() {
    let out = ocrclean().current_dir(ROOT).args(["diff", SAMPLE, "--color", "never", "-q"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("sample_page_diff", String::from_utf8(out.stdout).unwrap());
}

#[test]
fn sample_page_report_snapshot() {
    let t = tempfile::tempdir().unwrap();
    let report = t.path().join("r.jsonl");
    ocrclean().current_dir(ROOT).args(["clean", SAMPLE, "--check", "-q", "--report"]).arg(&report).assert().code(1);
    let r: serde_json::Value = serde_json::from_str(fs::read_to_string(&report).unwrap().trim_end()).unwrap();
    // One edit or flag per line keeps the snapshot's diffs readable.
    let mut s =
        format!("doc: {}\nencoding: {}\nnewline: {}\nerror: {}\n", r["doc"], r["encoding"], r["newline"], r["error"]);
    for key in ["edits", "flags", "proposals", "conflicts"] {
        let items = r[key].as_array().unwrap();
        s.push_str(&format!("{key}: {}\n", items.len()));
        for item in items {
            s.push_str(&format!("  {item}\n"));
        }
    }
    insta::assert_snapshot!("sample_page_report", s);
}

/// Body-only output (`--flagged remove`) starts with the body and ends after it:
/// the headline lines cut at the top of a page do not leave their blank lines.
#[test]
fn body_only_pages_start_and_end_with_body() {
    for page in pages() {
        let out =
            ocrclean().args(["clean", "-", "-q", "--flagged", "remove"]).pipe_stdin(&page).unwrap().assert().success();
        let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        for p in text.split('\x0c') {
            assert!(
                !p.starts_with(['\n', ' ']),
                "{}: page starts with a blank line: {:?}",
                page.display(),
                p.chars().take(40).collect::<String>()
            );
            assert!(!p.ends_with("\n\n"), "{}: page ends with blank lines", page.display());
        }
    }
}

/// A caption interleaved row by row with the body column beside it is removed
/// piece by piece, and the body rows it split join again; tagged, each piece
/// gets its own markers.
#[test]
fn interleaved_caption_is_removed_and_tagged_in_pieces() {
    let page = "网关用于连接多个网络。这个词常常用于表示本地网络\n\n大幅改善延迟的问\n\n通往外部IP地址的 题。\n\n\
                “出口”。网关充当全媒体记者/胡华摄\n\n路由器的身份。它的主要优点是，大幅改善延迟的问题。\n";
    let clean = |action: &str| {
        let out = ocrclean().args(["clean", "-", "-q", "--flagged", action]).write_stdin(page).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    assert_eq!(
        clean("remove"),
        "网关用于连接多个网络。这个词常常用于表示本地网络通往外部IP地址的“出口”。网关充当路由器的身份。\
         它的主要优点是，大幅改善延迟的问题。\n"
    );
    let tagged = clean("tag");
    for piece in
        ["⟦caption⟧大幅改善延迟的问⟦/caption⟧", "⟦caption⟧题。⟦/caption⟧", "⟦caption⟧全媒体记者/胡华摄⟦/caption⟧"]
    {
        assert!(tagged.contains(piece), "{piece} in {tagged}");
    }
}

/// With `--flagged remove`, a flag found after an earlier removal reports its
/// own text only: a headline right under a removed furniture line, or a byline
/// under a removed headline, does not take the removed line in (flags of
/// different kinds never overlap on the real pages).
#[test]
fn flags_after_a_removal_keep_to_their_own_text() {
    let (t, input, _out, report, _) = clean_pages_with(&["--flagged", "remove"]);
    fs::write(
        input.join("top.txt"),
        "株洲日报 2023年7月27日 星期五 第3版\n网关\n株洲日报讯（记者/王涛兴）网关用于连接多个网络。\n",
    )
    .unwrap();
    let top = t.path().join("top.jsonl");
    ocrclean()
        .arg("clean")
        .arg(input.join("top.txt"))
        .args(["-o", "-", "-q", "--flagged", "remove", "--report"])
        .arg(&top)
        .assert()
        .success();
    let r: serde_json::Value = serde_json::from_str(fs::read_to_string(&top).unwrap().trim()).unwrap();
    let flag =
        |kind: &str| r["flags"].as_array().unwrap().iter().find(|f| f["kind"] == kind).map(|f| f["text"].clone());
    assert_eq!(flag("headline"), Some("网关".into()), "{r}");
    assert_eq!(flag("furniture"), Some("株洲日报 2023年7月27日 星期五 第3版".into()), "{r}");
    for line in fs::read_to_string(&report).unwrap().lines() {
        let r: serde_json::Value = serde_json::from_str(line).unwrap();
        let flags = r["flags"].as_array().unwrap();
        let span = |f: &serde_json::Value| (f["start"].as_u64().unwrap(), f["end"].as_u64().unwrap());
        for a in flags {
            for b in flags {
                let ((sa, ea), (sb, eb)) = (span(a), span(b));
                assert!(a["kind"] == b["kind"] || ea <= sb || eb <= sa, "{}: {a} overlaps {b}", r["doc"]);
            }
        }
    }
}

/// Columns printed side by side (`pdftotext -layout`) come out one after the
/// other, and a caption in the right column is reported where its rows stand in
/// the input, not as the whole block the split replaced.
#[test]
fn side_by_side_columns_are_split_and_flags_keep_their_rows() {
    let input = fs::read_to_string(Path::new(ROOT).join("tests/fixtures/pages/layout-two-columns.txt")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.jsonl");
    let out =
        ocrclean().args(["clean", "-", "-q", "--report"]).arg(&report).write_stdin(input.as_str()).assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("餐饮企业仍以闭店配送为主。市商务局相关负责人介绍，"), "left column joined: {stdout}");
    let report: serde_json::Value = serde_json::from_str(fs::read_to_string(&report).unwrap().trim()).unwrap();
    let flags = report["flags"].as_array().unwrap();
    let caption = flags.iter().find(|f| f["kind"] == "caption").expect("a caption flag");
    assert_eq!(caption["text"], "商超工作人员正在为顾客测温。 全媒体记者/任远 摄");
    for part in caption["parts"].as_array().unwrap() {
        let (s, e) = (part[0].as_u64().unwrap() as usize, part[1].as_u64().unwrap() as usize);
        assert!(!input[s..e].contains('\n') && input[s..e].len() < 60, "a part is one row: {:?}", &input[s..e]);
    }
}
