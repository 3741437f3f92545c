//! `ocrclean eval INPUT... --gold DIR`: clean pages and score them against
//! hand-corrected gold (`DIR/<doc>.txt`, optional `DIR/<doc>.json` annotations in
//! the eval-dev format); `--pred DIR` scores existing outputs instead
//! (`DIR/<doc>.txt`, optional `DIR/<doc>.flags.json`). Prints per page and
//! overall CER, spurious Han spaces, half-width punctuation left, punctuation
//! accuracy, paragraph-boundary F1 and flag precision/recall.

use super::RuleArgs;
use crate::eval::{aggregate, score_doc, Annotations, DocScore, ScoredFlag, Summary};
use crate::pipeline::Pipeline;
use clap::Args;
use std::path::{Path, PathBuf};

/// Arguments of `ocrclean eval`.
#[derive(Args, Debug)]
pub(crate) struct EvalArgs {
    /// Raw pages to clean and score (files or folders of `*.txt`); the file stem names the gold page.
    inputs: Vec<PathBuf>,
    /// Folder of gold pages: `<doc>.txt` and optionally `<doc>.json` annotations.
    #[arg(long, value_name = "DIR")]
    gold: PathBuf,
    /// Score existing outputs in DIR (`<doc>.txt`, `<doc>.flags.json`) instead of cleaning INPUTs.
    #[arg(long, value_name = "DIR", conflicts_with = "inputs")]
    pred: Option<PathBuf>,
    /// Also write every page's counts and the summaries as JSON here.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Print only the overall lines.
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    rules: RuleArgs,
}

fn read_text(p: &Path) -> Result<String, String> {
    let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
    crate::decode::decode(&bytes, true).map(|d| d.text).map_err(|e| format!("{}: {e:?}", p.display()))
}

fn txt_files(p: &Path) -> Vec<PathBuf> {
    if p.is_dir() {
        let mut v: Vec<PathBuf> = std::fs::read_dir(p)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|q| q.extension().is_some_and(|x| x == "txt"))
            .collect();
        v.sort();
        v
    } else {
        vec![p.to_path_buf()]
    }
}

fn stem(p: &Path) -> String {
    p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn annotations(gold: &Path, doc: &str) -> Option<Annotations> {
    let s = std::fs::read_to_string(gold.join(format!("{doc}.json"))).ok()?;
    serde_json::from_str::<serde_json::Value>(&s).ok().map(|v| Annotations::from_json(&v))
}

fn pred_flags(dir: &Path, doc: &str) -> Vec<ScoredFlag> {
    let Ok(s) = std::fs::read_to_string(dir.join(format!("{doc}.flags.json"))) else { return Vec::new() };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&s) else { return Vec::new() };
    v.get("flags")
        .and_then(|f| f.as_array())
        .map(|a| {
            a.iter()
                .map(|f| {
                    let s = |k: &str| f.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
                    (s("kind"), s("text"))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn f(v: Option<f64>) -> String {
    v.map_or_else(|| "     -".to_string(), |x| format!("{x:6.3}"))
}

fn header() -> String {
    format!(
        "{:<24}{:>7}{:>7}{:>8}{:>7}{:>8}{:>7}{:>7}{:>7}{:>7}{:>7}",
        "page", "cer", "bigF1", "hanSp", "halfW", "punct", "paraF1", "capP", "capR", "headP", "headR"
    )
}

fn line(name: &str, s: &Summary) -> String {
    format!(
        "{:<24}{:>7}{:>7}{:>8}{:>7}{:>8}{:>7}{:>7}{:>7}{:>7}{:>7}",
        name,
        f(s.cer),
        f(Some(s.bigram_f1)),
        s.han_spaces,
        s.halfwidth_cjk,
        f(s.punct_acc),
        f(Some(s.para_f1)),
        f(s.caption_p),
        f(s.caption_r),
        f(s.headline_p),
        f(s.headline_r)
    )
}

/// Runs `ocrclean eval`; exit code 0, or 2 on errors.
pub(crate) fn run(args: EvalArgs) -> u8 {
    if !args.gold.is_dir() {
        eprintln!("error: --gold {}: not a folder", args.gold.display());
        return 2;
    }
    // (doc, prediction, flags, raw input if cleaned here)
    let mut pages: Vec<(String, String, Vec<ScoredFlag>, Option<String>)> = Vec::new();
    if let Some(pred) = &args.pred {
        for g in txt_files(&args.gold) {
            let doc = stem(&g);
            let text = std::fs::read_to_string(pred.join(format!("{doc}.txt"))).unwrap_or_default();
            pages.push((doc.clone(), text, pred_flags(pred, &doc), None));
        }
    } else {
        if args.inputs.is_empty() {
            eprintln!("error: give INPUT files or folders, or --pred DIR");
            return 2;
        }
        let (_set, rules, options) = match args.rules.load() {
            Ok(x) => x,
            Err(e) => {
                eprintln!("{e}");
                return 2;
            }
        };
        let pipeline = Pipeline::new(rules, options);
        for p in args.inputs.iter().flat_map(|p| txt_files(p)) {
            let raw = match read_text(&p) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: {e}");
                    return 2;
                }
            };
            let cleaned = pipeline.clean(&raw);
            let flags = cleaned.flags.iter().map(|fl| (fl.kind.name().to_string(), fl.text.clone())).collect();
            pages.push((stem(&p), cleaned.output, flags, Some(raw)));
        }
    }
    let mut rows: Vec<(String, DocScore)> = Vec::new();
    let mut raw_rows: Vec<DocScore> = Vec::new();
    for (doc, pred, flags, raw) in &pages {
        let gold_path = args.gold.join(format!("{doc}.txt"));
        let gold = match std::fs::read_to_string(&gold_path) {
            Ok(g) => g,
            Err(_) => {
                eprintln!("warning: {}: no gold page, skipped", gold_path.display());
                continue;
            }
        };
        let ann = annotations(&args.gold, doc);
        rows.push((doc.clone(), score_doc(pred, &gold, ann.as_ref(), flags)));
        if let Some(raw) = raw {
            raw_rows.push(score_doc(raw, &gold, ann.as_ref(), &[]));
        }
    }
    if rows.is_empty() {
        eprintln!("error: no page had a gold page in {}", args.gold.display());
        return 2;
    }
    outln!("{}", header());
    if !args.quiet {
        for (doc, r) in &rows {
            outln!("{}", line(doc, &aggregate(std::slice::from_ref(r))));
        }
    }
    let all: Vec<DocScore> = rows.iter().map(|r| r.1.clone()).collect();
    let summary = aggregate(&all);
    let raw_summary = (!raw_rows.is_empty()).then(|| aggregate(&raw_rows));
    if let Some(rs) = &raw_summary {
        outln!("{}", line("OVERALL (input)", rs));
    }
    outln!("{}", line("OVERALL", &summary));
    if let Some(path) = &args.json {
        let per_doc: serde_json::Map<String, serde_json::Value> =
            rows.iter().map(|(d, r)| (d.clone(), serde_json::to_value(r).unwrap_or_default())).collect();
        let v = serde_json::json!({ "summary": summary, "input_summary": raw_summary, "per_doc": per_doc });
        if let Err(e) = std::fs::write(path, serde_json::to_string_pretty(&v).unwrap_or_default()) {
            eprintln!("error: {}: {e}", path.display());
            return 2;
        }
    }
    0
}
