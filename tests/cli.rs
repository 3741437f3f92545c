//! The `ocrclean` command end to end: exit codes, usage errors, inputs (files,
//! folders, JSON Lines, stdin), encodings, `-j` determinism, Ctrl-C, resuming
//! and sharding. Bad input is in tests/bad_input.rs.

mod common;

use common::*;
use predicates::prelude::*;
use std::fs;
use std::path::Path;

#[test]
fn clean_folder_writes_mirror_report_and_summary() {
    let t = tmp();
    let input = t.path().join("in");
    write(&input, "a.txt", DIRTY.as_bytes());
    write(&input, "sub/b.txt", "已经干净的文本。\n".as_bytes());
    write(&input, "sub/skip.md", DIRTY.as_bytes());
    let out = t.path().join("out");
    let report = t.path().join("r.jsonl");
    ocrclean()
        .args(["clean", "-j1"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .arg("--report")
        .arg(&report)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("total").and(predicate::str::contains("2 documents, 1 changed, 0 failed")));
    assert_eq!(fs::read_to_string(out.join("a.txt")).unwrap(), "市贸促会组织全体党员干部，赴茶陵开展研讨活动。\n");
    assert!(out.join("sub/b.txt").exists());
    assert!(!out.join("sub/skip.md").exists(), "only *.txt by default");
    assert_eq!(fs::read_to_string(input.join("a.txt")).unwrap(), DIRTY, "inputs are never modified");
    let lines: Vec<serde_json::Value> =
        fs::read_to_string(&report).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["doc"], "a.txt");
    assert_eq!(lines[1]["doc"], "sub/b.txt");
    assert_eq!(lines[0]["encoding"], "UTF-8");
    assert!(lines[0]["error"].is_null());
    assert!(!lines[0]["edits"].as_array().unwrap().is_empty());
    // --glob picks other files; no temp files are left behind.
    let out2 = t.path().join("out2");
    ocrclean().arg("clean").arg(&input).arg("-o").arg(&out2).args(["--glob", "*.md", "-q"]).assert().code(0);
    assert!(out2.join("sub/skip.md").exists());
    let names: Vec<_> = fs::read_dir(&out).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(names.iter().all(|n| n == common::RUN_STAMP || !n.to_string_lossy().starts_with(".ocrclean")), "{names:?}");
    assert!(temps(&out).is_empty());
}

#[test]
fn one_input_file_cleans_into_a_named_file() {
    let t = tmp();
    let pages = write(t.path(), "pages.jsonl", format!("{{\"text\":\"{}\"}}\n", DIRTY.trim_end()).as_bytes());
    let out = t.path().join("out.jsonl");
    ocrclean().arg("clean").arg(&pages).arg("-o").arg(&out).arg("-q").assert().code(0);
    let line: serde_json::Value = serde_json::from_str(fs::read_to_string(&out).unwrap().trim_end()).unwrap();
    assert_eq!(line["text"], "市贸促会组织全体党员干部，赴茶陵开展研讨活动。");
    // Written again on every run (no resume for a single file), never over the input.
    fs::write(&out, "stale").unwrap();
    ocrclean().arg("clean").arg(&pages).arg("-o").arg(&out).arg("-q").assert().code(0);
    assert_ne!(fs::read_to_string(&out).unwrap(), "stale");
    ocrclean()
        .arg("clean")
        .arg(&pages)
        .arg("-o")
        .arg(&pages)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("would overwrite the input"));
    // A text file too; `-o` without the input's extension stays a folder.
    let a = write(t.path(), "a.txt", DIRTY.as_bytes());
    ocrclean().arg("clean").arg(&a).arg("-o").arg(t.path().join("b.txt")).arg("-q").assert().code(0);
    assert_eq!(fs::read_to_string(t.path().join("b.txt")).unwrap(), "市贸促会组织全体党员干部，赴茶陵开展研讨活动。\n");
    ocrclean().arg("clean").arg(&a).arg("-o").arg(t.path().join("folder")).arg("-q").assert().code(0);
    assert!(t.path().join("folder/a.txt").is_file());
    assert!(temps(t.path()).is_empty());
}

#[test]
fn check_exits_1_on_changes_and_writes_nothing() {
    let t = tmp();
    let dirty = write(t.path(), "d.txt", DIRTY.as_bytes());
    let clean = write(t.path(), "c.txt", "已经干净的文本。\n".as_bytes());
    ocrclean().arg("clean").arg(&dirty).arg("--check").assert().code(1);
    ocrclean().arg("clean").arg(&clean).args(["--check", "-q"]).assert().code(0).stderr("");
    let out = t.path().join("never");
    ocrclean().arg("clean").arg(&dirty).arg("--check").arg("-o").arg(&out).assert().code(1);
    assert!(!out.exists(), "--check writes nothing");
}

#[test]
fn usage_errors_exit_2() {
    let t = tmp();
    let input = t.path().join("in");
    let f = write(&input, "a.txt", DIRTY.as_bytes());
    ocrclean().arg("clean").arg(&f).assert().code(2).stderr(predicate::str::contains("give an output folder with -o"));
    ocrclean()
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(input.join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is inside the input folder"));
    ocrclean()
        .arg("clean")
        .arg(&f)
        .arg("-o")
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is inside the output folder"));
    ocrclean()
        .arg("clean")
        .arg(&f)
        .args(["--check", "--select", "NO_SUCH_RULE"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("NO_SUCH_RULE"));
    ocrclean().args(["clean", "-", "-", "--check"]).assert().code(2).stderr(predicate::str::contains("more than once"));
    ocrclean().args(["clean", "--check"]).assert().code(2);
    ocrclean().args(["frobnicate"]).assert().code(2);
    // Two inputs that would land on the same output file.
    let other = write(&t.path().join("other"), "a.txt", DIRTY.as_bytes());
    ocrclean()
        .arg("clean")
        .arg(&f)
        .arg(&other)
        .arg("-o")
        .arg(t.path().join("o"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("would both be written to"));
}

#[test]
fn gbk_big5_utf16_are_decoded_to_utf8() {
    let t = tmp();
    let input = t.path().join("in");
    let (gbk, _, _) = encoding_rs::GBK.encode("株洲日报讯,市贸促会组织全体党员干部赴茶陵开展研讨活动。\n");
    write(&input, "gbk.txt", &gbk);
    let (big5, _, _) = encoding_rs::BIG5.encode("株洲日報訊,市貿促會組織全體黨員幹部赴茶陵開展研討活動。\n");
    write(&input, "big5.txt", &big5);
    let utf16: Vec<u8> =
        [0xFF, 0xFE].into_iter().chain("中文,测试\n".encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
    write(&input, "utf16.txt", &utf16);
    let out = t.path().join("out");
    let report = t.path().join("r.jsonl");
    ocrclean().arg("clean").arg(&input).arg("-o").arg(&out).arg("--report").arg(&report).assert().code(0);
    assert_eq!(
        fs::read_to_string(out.join("gbk.txt")).unwrap(),
        "株洲日报讯，市贸促会组织全体党员干部赴茶陵开展研讨活动。\n"
    );
    assert!(fs::read_to_string(out.join("big5.txt")).unwrap().starts_with("株洲日報訊，市貿促會"));
    assert_eq!(fs::read_to_string(out.join("utf16.txt")).unwrap(), "中文，测试\n");
    let rep = fs::read_to_string(&report).unwrap();
    let encodings: Vec<String> = rep
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["encoding"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(encodings, ["Big5", "GBK", "UTF-16LE"]);
}

#[test]
fn crlf_is_kept() {
    let t = tmp();
    let f = write(
        t.path(),
        "crlf.txt",
        "市贸促会组织全体党员干 部,赴茶陵\r\n开展研讨。\r\n\r\n第二段,内容。\r\n".as_bytes(),
    );
    let out = t.path().join("out");
    let report = t.path().join("r.jsonl");
    ocrclean().arg("clean").arg(&f).arg("-o").arg(&out).arg("--report").arg(&report).assert().code(0);
    let written = fs::read_to_string(out.join("crlf.txt")).unwrap();
    assert!(written.contains("干部，赴茶陵") && written.contains("第二段，内容。\r\n"), "{written:?}");
    assert_eq!(written.matches('\n').count(), written.matches("\r\n").count(), "every line break is CRLF: {written:?}");
    assert!(fs::read_to_string(&report).unwrap().contains(r#""newline":"crlf""#));
}

#[test]
fn cr_line_endings_are_lines_and_kept() {
    let t = tmp();
    let f = write(t.path(), "mac.txt", "市贸促会组织全体党员干 部,赴茶陵\r开展研讨。\r\r第二段,内容。\r".as_bytes());
    let out = t.path().join("out");
    let report = t.path().join("r.jsonl");
    ocrclean().arg("clean").arg(&f).arg("-o").arg(&out).arg("--report").arg(&report).assert().code(0);
    let written = fs::read_to_string(out.join("mac.txt")).unwrap();
    // The carriage returns are line breaks to the rules (the rows join) and stay CR.
    assert_eq!(written, "市贸促会组织全体党员干部，赴茶陵开展研讨。\r\r第二段，内容。\r");
    assert!(fs::read_to_string(&report).unwrap().contains(r#""newline":"cr""#));
}

#[test]
fn stdin_to_stdout() {
    ocrclean()
        .args(["clean", "-", "-o", "-", "-q"])
        .write_stdin(DIRTY)
        .assert()
        .code(0)
        .stdout("市贸促会组织全体党员干部，赴茶陵开展研讨活动。\n");
    ocrclean()
        .args(["clean", "-", "-o", "-", "-q", "--format", "jsonl"])
        .write_stdin("{\"id\":\"x\",\"text\":\"干 部,赴\"}\n\n{\"text\":\"好\"}\n")
        .assert()
        .code(0)
        .stdout("{\"id\":\"x\",\"text\":\"干部，赴\"}\n\n{\"text\":\"好\"}\n");
    // Standard input alone is a filter: the output goes to standard output without `-o -`.
    ocrclean()
        .args(["clean", "-", "-q"])
        .write_stdin(DIRTY)
        .assert()
        .code(0)
        .stdout("市贸促会组织全体党员干部，赴茶陵开展研讨活动。\n");
}

#[test]
fn j1_and_j2_give_identical_outputs_and_reports() {
    let t = tmp();
    let input = t.path().join("in");
    let sample = fs::read_to_string(SAMPLE).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages");
    let mut jsonl = String::new();
    fs::create_dir_all(&input).unwrap();
    let mut pages: Vec<_> = fs::read_dir(&fixtures).unwrap().flatten().map(|e| e.path()).collect();
    pages.sort();
    for (i, page) in pages.iter().enumerate() {
        let text = fs::read_to_string(page).unwrap();
        fs::write(input.join(format!("p{i}.txt")), &text).unwrap();
        jsonl.push_str(&serde_json::json!({"id": format!("p{i}"), "text": text}).to_string());
        jsonl.push('\n');
    }
    fs::write(input.join("sample.txt"), &sample).unwrap();
    for i in 0..20 {
        jsonl.push_str(&serde_json::json!({"id": i, "text": sample}).to_string());
        jsonl.push('\n');
    }
    fs::write(input.join("docs.jsonl"), jsonl).unwrap();
    let run = |j: &str| {
        let out = t.path().join(format!("out{j}"));
        let report = t.path().join(format!("r{j}.jsonl"));
        ocrclean()
            .arg("clean")
            .arg(&input)
            .args(["--glob", "*.txt,*.jsonl", "-q", "-j", j])
            .arg("-o")
            .arg(&out)
            .arg("--report")
            .arg(&report)
            .assert()
            .code(0);
        let outputs: Vec<Vec<u8>> = tree(&out).into_iter().map(|(_, bytes)| bytes).collect();
        (outputs, fs::read(&report).unwrap())
    };
    let (o1, r1) = run("1");
    let (o2, r2) = run("2");
    assert_eq!(o1.len(), pages.len() + 2, "one output per page, the sample and the JSON Lines file");
    assert!(o1 == o2, "outputs differ between -j1 and -j2");
    assert!(r1 == r2, "reports differ between -j1 and -j2");
}

#[test]
fn diff_marks_changes_and_rules() {
    let t = tmp();
    let f = write(t.path(), "a.txt", DIRTY.as_bytes());
    ocrclean()
        .arg("diff")
        .arg(&f)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("=== a.txt").and(predicate::str::contains("干[- -]部[-,-]{+，+}赴")));
    ocrclean()
        .arg("diff")
        .arg(&f)
        .args(["--color", "always"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("\x1b[31m[-,-]\x1b[0m"));
    let clean = write(t.path(), "c.txt", "干净。\n".as_bytes());
    ocrclean().arg("diff").arg(&clean).arg("-q").assert().code(0).stdout("");
    ocrclean().arg("diff").arg(t.path().join("missing.txt")).assert().code(2);
}

/// A folder of `n` copies of the sample page (and a JSON Lines file of `lines`
/// copies), and the cleaned page as one uninterrupted run writes it.
fn big_corpus(dir: &Path, n: usize, lines: usize) -> String {
    let sample = fs::read_to_string(SAMPLE).unwrap();
    for i in 0..n {
        write(dir, &format!("p{i:04}.txt"), sample.as_bytes());
    }
    let line = serde_json::json!({"text": sample}).to_string() + "\n";
    write(dir, "sub/docs.jsonl", line.repeat(lines).as_bytes());
    let out = ocrclean().args(["clean", "-", "-o", "-", "-q"]).write_stdin(sample).assert().code(0);
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// Starts `clean` on `input` into `out`; returns the child once `out` holds an output.
fn start_clean(input: &Path, out: &Path) -> std::process::Child {
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ocrclean"))
        .arg("clean")
        .arg(input)
        .args(["--glob", "*.txt,*.jsonl", "-j2", "-q"])
        .arg("-o")
        .arg(out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let t0 = std::time::Instant::now();
    while tree(out).iter().all(|(p, _)| p.to_string_lossy().ends_with(".ocrclean-tmp"))
        && t0.elapsed() < std::time::Duration::from_secs(60)
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child
}

fn signal(child: &std::process::Child, sig: &str) {
    let ok = std::process::Command::new("kill").args([sig, &child.id().to_string()]).status().unwrap().success();
    assert!(ok, "kill {sig}");
}

#[test]
fn ctrl_c_stops_between_documents_and_leaves_no_partial_file() {
    let t = tmp();
    let input = t.path().join("in");
    let cleaned = big_corpus(&input, 1500, 400);
    let out = t.path().join("out");
    let child = start_clean(&input, &out);
    signal(&child, "-INT");
    let result = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted after") && stderr.contains("run the same command again"), "{stderr}");
    let written = tree(&out);
    assert!(temps(&out).is_empty(), "temporary files left: {:?}", temps(&out));
    assert!(!written.is_empty() && written.len() < 1501, "stopped early: {} outputs", written.len());
    for (p, bytes) in &written {
        assert!(p.extension().is_some_and(|e| e == "txt"), "the JSON Lines file comes last: not written");
        assert_eq!(String::from_utf8_lossy(bytes), cleaned, "{} is complete", p.display());
    }
}

#[test]
fn sigkill_at_any_moment_then_restart_gives_the_uninterrupted_output() {
    let t = tmp();
    let input = t.path().join("in");
    big_corpus(&input, 300, 300);
    let reference = t.path().join("ref");
    ocrclean()
        .arg("clean")
        .arg(&input)
        .args(["--glob", "*.txt,*.jsonl", "-q"])
        .arg("-o")
        .arg(&reference)
        .assert()
        .code(0);
    let out = t.path().join("out");
    // Killed twice (once just after the first output, once after restart), then finished.
    for _ in 0..2 {
        let mut child = start_clean(&input, &out);
        signal(&child, "-KILL");
        let _ = child.wait();
    }
    // What a kill during a write leaves (whether or not the kills above hit one).
    write(&out, ".p0299.txt.AbC123.ocrclean-tmp", b"half a page");
    ocrclean().arg("clean").arg(&input).args(["--glob", "*.txt,*.jsonl", "-q"]).arg("-o").arg(&out).assert().code(0);
    let (got, want) = (tree(&out), tree(&reference));
    assert_eq!(got.len(), want.len(), "same files (no temporary file left)");
    assert!(got == want, "outputs differ from an uninterrupted run");
}

#[test]
fn resume_skips_up_to_date_outputs_unless_forced() {
    let t = tmp();
    let input = t.path().join("in");
    let a = write(&input, "a.txt", DIRTY.as_bytes());
    write(&input, "b.txt", DIRTY.as_bytes());
    let out = t.path().join("out");
    let run_with = |bin: &Path, extra: &[&str]| {
        let a = assert_cmd::Command::new(bin).arg("clean").arg(&input).arg("-o").arg(&out).args(extra).assert().code(0);
        String::from_utf8_lossy(&a.get_output().stderr).into_owned()
    };
    let built = assert_cmd::cargo::cargo_bin("ocrclean");
    let run = |extra: &[&str]| run_with(&built, extra);
    assert!(run(&[]).contains("2 documents"));
    let second = run(&[]);
    assert!(second.contains("0 documents") && second.contains("2 inputs skipped"), "{second}");
    // An input newer than its output is cleaned again.
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    fs::File::options().write(true).open(&a).unwrap().set_modified(later).unwrap();
    let third = run(&[]);
    assert!(third.contains("1 documents") && third.contains("1 inputs skipped"), "{third}");
    assert!(run(&["--force"]).contains("2 documents"));
    assert_eq!(fs::read_to_string(out.join("a.txt")).unwrap(), CLEANED);
    // Outputs of other options (or rules, or another build) are never up to date.
    let other = run(&["--ignore", "S001"]);
    assert!(other.contains("2 documents") && !other.contains("skipped"), "{other}");
    let again = run(&["--ignore", "S001"]);
    assert!(again.contains("1 inputs skipped"), "b.txt is up to date, a.txt is newer than its output: {again}");
    // Another build with the same rule files (a byte appended to a copy of the
    // executable stands for a rebuilt one) cleans everything again.
    let rebuilt = t.path().join("ocrclean-rebuilt");
    let mut exe = fs::read(&built).unwrap();
    exe.push(0);
    fs::write(&rebuilt, exe).unwrap();
    fs::set_permissions(&rebuilt, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let other_build = run_with(&rebuilt, &["--ignore", "S001"]);
    assert!(other_build.contains("2 documents") && !other_build.contains("skipped"), "{other_build}");
}

#[test]
fn shards_partition_the_inputs() {
    let t = tmp();
    let input = t.path().join("in");
    for i in 0..30 {
        write(&input, &format!("d{i}/p{i}.txt"), DIRTY.as_bytes());
    }
    let full = t.path().join("full");
    ocrclean().arg("clean").arg(&input).arg("-o").arg(&full).arg("-q").assert().code(0);
    let sharded = t.path().join("sharded");
    let mut counts = Vec::new();
    for k in 1..=3 {
        let before = tree(&sharded).len();
        ocrclean()
            .arg("clean")
            .arg(&input)
            .arg("-o")
            .arg(&sharded)
            .args(["-q", "--shard", &format!("{k}/3")])
            .assert()
            .code(0);
        counts.push(tree(&sharded).len() - before);
    }
    assert_eq!(counts.iter().sum::<usize>(), 30, "{counts:?}");
    assert!(counts.iter().all(|&c| c > 0 && c < 30), "{counts:?}");
    assert!(tree(&sharded) == tree(&full));
    // The same shard picks the same files.
    let again = t.path().join("again");
    ocrclean().arg("clean").arg(&input).arg("-o").arg(&again).args(["-q", "--shard", "2/3"]).assert().code(0);
    assert_eq!(tree(&again).len(), counts[1]);
    for bad in ["0/3", "4/3", "x", "1/0"] {
        ocrclean().arg("clean").arg(&input).arg("--check").args(["--shard", bad]).assert().code(2);
    }
    ocrclean().args(["clean", "-", "--check", "--shard", "1/2"]).write_stdin(DIRTY).assert().code(2);
}

#[test]
fn jsonl_stdin_to_stdout_keeps_input_order_across_batches() {
    let input: String =
        (0..5000).map(|i| serde_json::json!({"id": i, "text": format!("第{i}条,干 部")}).to_string() + "\n").collect();
    let out = ocrclean().args(["clean", "-", "--format", "jsonl", "-o", "-", "-q", "-j2"]).write_stdin(input).assert();
    let stdout = String::from_utf8(out.code(0).get_output().stdout.clone()).unwrap();
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 5000);
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["id"], i);
        assert_eq!(l["text"], format!("第{i}条，干部"));
    }
}

#[test]
fn second_ctrl_c_exits_at_once_and_deletes_temporary_files() {
    let t = tmp();
    let input = t.path().join("in");
    big_corpus(&input, 0, 3000);
    let out = t.path().join("out");
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ocrclean"))
        .arg("clean")
        .arg(&input)
        .args(["--glob", "*.jsonl", "-q"])
        .arg("-o")
        .arg(&out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let t0 = std::time::Instant::now();
    while temps(&out).is_empty() && t0.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    signal(&child, "-INT");
    std::thread::sleep(std::time::Duration::from_millis(100));
    signal(&child, "-INT");
    let result = child.wait_with_output().unwrap();
    assert_eq!(result.status.code(), Some(130), "{}", String::from_utf8_lossy(&result.stderr));
    assert!(tree(&out).is_empty(), "nothing left: {:?}", tree(&out));
}

/// `rules test PATH` runs the examples of the rules in PATH, also when PATH is
/// a built-in rule's own file (editing it in place is how a user tunes it).
#[test]
fn rules_test_runs_the_files_given() {
    ocrclean()
        .args(["rules", "test", "rules/layout/L004-photo-caption.toml"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("1 rules, ").and(predicate::str::contains(" 0 examples").not()));
    ocrclean()
        .args(["rules", "test", "rules/paragraphs"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("3 rules, "));
}

/// The OpenCC conversions are selected by OpenCC's own configuration names too.
#[test]
fn conversions_are_selected_by_their_opencc_names() {
    ocrclean()
        .args(["clean", "-", "-q", "--extend-select", "t2s"])
        .write_stdin("漢字轉換，頭髮與發展\n")
        .assert()
        .code(0)
        .stdout("汉字转换，头发与发展\n");
    ocrclean().args(["rules", "explain", "s2twp"]).assert().code(0).stdout(predicate::str::starts_with("T007 "));
}

/// A reader that stops early (`| head`) ends the program quietly: no panic, no
/// error per document, exit 0.
#[test]
fn closed_stdout_pipe_ends_quietly() {
    use std::io::{BufRead, BufReader};
    let t = tmp();
    let pages =
        write(t.path(), "p.jsonl", format!("{{\"text\":\"{}\"}}\n", DIRTY.trim_end()).repeat(20_000).as_bytes());
    let runs: [&[&str]; 2] = [&["rules", "explain", "L000"], &["clean", "-q", "-o", "-"]];
    for args in runs {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("ocrclean"));
        cmd.args(args);
        if args[0] == "clean" {
            cmd.arg(&pages);
        }
        let mut child = cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        assert!(!first.is_empty());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
        assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    }
}
