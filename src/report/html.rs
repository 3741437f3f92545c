//! The HTML report: one self-contained file (no network, no external assets).
//!
//! The summary (counts, edits per rule as an inline SVG bar chart, flags by kind)
//! is rendered here as static HTML. The documents are embedded as JSON in
//! `<script type="application/json">` elements: one small index (names, counts,
//! rules and flag kinds per document) that the page parses on open to draw a
//! virtualized document list, and one element per document (text, edits, flags)
//! parsed only when that document is shown, so a report of 10,000 documents
//! opens quickly. Offsets in the embedded data are UTF-16 code units (what
//! JavaScript strings index) next to the byte offsets that the decisions file
//! uses. The page's "export decisions" button saves the decisions file that
//! `ocrclean apply` reads (see [`crate::review`]).

use crate::pipeline::{Cleaned, Flag};
use crate::review::{Decisions, Verdict};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write;

const CSS: &str = include_str!("html/report.css");
const JS: &str = include_str!("html/report.js");

/// One document of the report.
#[derive(Debug, Clone, Copy)]
pub struct HtmlDoc<'a> {
    /// Document path relative to its input root (the decisions' `doc`).
    pub doc: &'a str,
    /// [`crate::review::hash_input`] of its bytes.
    pub hash: &'a str,
    /// The decoded input.
    pub text: &'a str,
    /// What the pipeline did with it.
    pub cleaned: &'a Cleaned,
}

/// Escapes text for HTML element content and attribute values.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// JSON safe inside `<script>`: `<` is written as `\u003c`, so no `</script>` or
/// `<!--` can end or confuse the element.
fn script_json(v: &Value) -> String {
    serde_json::to_string(v).expect("json serializes").replace('<', "\\u003c")
}

/// Maps sorted byte offsets of `text` to UTF-16 offsets.
struct Utf16Map {
    bytes: Vec<usize>,
    units: Vec<usize>,
}

impl Utf16Map {
    fn new(text: &str, mut offsets: Vec<usize>) -> Self {
        offsets.sort_unstable();
        offsets.dedup();
        let mut units = Vec::with_capacity(offsets.len());
        let (mut pos, mut u) = (0usize, 0usize);
        for &o in &offsets {
            let o = o.min(text.len());
            if o > pos {
                u += text.get(pos..o).map_or(0, |s| s.encode_utf16().count());
                pos = o;
            }
            units.push(u);
        }
        Utf16Map { bytes: offsets, units }
    }

    fn get(&self, b: usize) -> usize {
        match self.bytes.binary_search(&b) {
            Ok(i) => self.units[i],
            Err(_) => 0,
        }
    }
}

/// Renders the report. `rule_name` gives a rule's name from its id; `decisions`
/// (e.g. from an earlier review) preset the page's toggles.
pub fn render(title: &str, docs: &[HtmlDoc<'_>], rule_name: impl Fn(&str) -> String, decisions: &Decisions) -> String {
    // Rules and flag kinds in use, with counts.
    let mut rule_edits: BTreeMap<&str, (usize, usize)> = BTreeMap::new(); // edits, docs
    let mut rule_flags: BTreeMap<&str, usize> = BTreeMap::new();
    let mut kinds: BTreeMap<&str, (usize, usize)> = BTreeMap::new(); // flags, docs
    let mut changed = 0usize;
    let (mut n_edits, mut n_flags) = (0usize, 0usize);
    for d in docs {
        let edits = d.cleaned.edits();
        if !edits.is_empty() {
            changed += 1;
        }
        n_edits += edits.len();
        n_flags += d.cleaned.flags.len();
        let mut seen: Vec<&str> = Vec::new();
        for e in edits {
            let c = rule_edits.entry(e.rule.as_str()).or_default();
            c.0 += 1;
            if !seen.contains(&e.rule.as_str()) {
                seen.push(e.rule.as_str());
                c.1 += 1;
            }
        }
        let mut seen_k: Vec<&str> = Vec::new();
        for f in &d.cleaned.flags {
            *rule_flags.entry(f.rule.as_str()).or_default() += 1;
            let c = kinds.entry(f.kind.name()).or_default();
            c.0 += 1;
            if !seen_k.contains(&f.kind.name()) {
                seen_k.push(f.kind.name());
                c.1 += 1;
            }
        }
    }
    let mut rule_ids: Vec<&str> = rule_edits.keys().copied().collect();
    for r in rule_flags.keys() {
        if !rule_ids.contains(r) {
            rule_ids.push(r);
        }
    }
    for d in docs {
        for e in d.cleaned.edits() {
            for m in &e.merged {
                if !rule_ids.contains(&m.as_str()) {
                    rule_ids.push(m.as_str());
                }
            }
        }
    }
    rule_ids.sort_unstable();
    let rule_idx = |id: &str| rule_ids.iter().position(|r| *r == id).unwrap_or(0);
    let kind_ids: Vec<&str> = kinds.keys().copied().collect();
    let kind_idx = |k: &str| kind_ids.iter().position(|r| *r == k).unwrap_or(0);

    // Per-document data, and the index.
    let mut doc_scripts = String::new();
    let mut index_docs = Vec::with_capacity(docs.len());
    let mut preset = Vec::new();
    for (di, d) in docs.iter().enumerate() {
        let edits = d.cleaned.edits();
        let flags = &d.cleaned.flags;
        let mut offs = Vec::with_capacity(2 * (edits.len() + flags.len()) + 1);
        for e in edits {
            offs.push(e.start);
            offs.push(e.end);
        }
        for (s, e) in flags.iter().flat_map(Flag::spans) {
            offs.push(s);
            offs.push(e);
        }
        let map = Utf16Map::new(d.text, offs);
        let mut doc_rules: Vec<usize> = Vec::new();
        let e_json: Vec<Value> = edits
            .iter()
            .enumerate()
            .map(|(ei, e)| {
                let ri = rule_idx(&e.rule);
                if !doc_rules.contains(&ri) {
                    doc_rules.push(ri);
                }
                match decisions.get(d.doc, d.hash, e) {
                    Some(Verdict::Accept) => preset.push(json!([di, ei, "a", ri])),
                    Some(Verdict::Reject) => preset.push(json!([di, ei, "r", ri])),
                    _ => {}
                }
                let merged: Vec<usize> = e.merged.iter().map(|m| rule_idx(m)).collect();
                json!([ri, map.get(e.start), map.get(e.end), e.after, e.start, e.end, merged])
            })
            .collect();
        let mut doc_kinds: Vec<usize> = Vec::new();
        // A flag in parts is marked on each part.
        let f_json: Vec<Value> = flags
            .iter()
            .flat_map(|f| {
                let ki = kind_idx(f.kind.name());
                if !doc_kinds.contains(&ki) {
                    doc_kinds.push(ki);
                }
                let (ri, action) = (rule_idx(&f.rule), format!("{:?}", f.action).to_lowercase());
                let map = &map;
                f.spans().into_iter().map(move |(s, e)| json!([ri, ki, map.get(s), map.get(e), action]))
            })
            .collect();
        doc_rules.sort_unstable();
        doc_kinds.sort_unstable();
        index_docs.push(json!([d.doc, d.hash, edits.len(), flags.len(), doc_rules, doc_kinds]));
        let data = json!({"t": d.text, "e": e_json, "f": f_json});
        let _ = writeln!(doc_scripts, "<script type=\"application/json\" id=\"d{di}\">{}</script>", script_json(&data));
    }
    let rules_json: Vec<Value> =
        rule_ids.iter().map(|r| json!([r, rule_name(r), rule_edits.get(r).map_or(0, |c| c.0)])).collect();
    let index = json!({
        "title": title,
        "rules": rules_json,
        "kinds": kind_ids,
        "docs": index_docs,
        "preset": preset,
    });

    let mut h = String::with_capacity(doc_scripts.len() + 64 * 1024);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t}</title><style>{CSS}</style></head><body>\n\
         <header><h1>{t}</h1><div class=\"actions\">\
         <span id=\"decided\"></span>\
         <button id=\"export\" type=\"button\">Export decisions</button></div></header>\n",
        t = esc(title)
    );
    // Summary.
    let _ = write!(
        h,
        "<section id=\"summary\"><div class=\"cards\">\
         <div class=\"card\"><b>{}</b> documents</div><div class=\"card\"><b id=\"n-changed\">{changed}</b> changed</div>\
         <div class=\"card\"><b>{n_edits}</b> changes</div><div class=\"card\"><b>{n_flags}</b> flags</div></div>",
        docs.len()
    );
    h.push_str("<div class=\"sumgrid\"><div><h2>Changes per rule</h2>");
    h.push_str(&bar_chart(&rule_edits, &rule_name));
    h.push_str(
        "<table id=\"rules\"><thead><tr><th>rule</th><th>name</th><th>changes</th><th>documents</th>\
         <th>all changes of the rule</th></tr></thead><tbody>",
    );
    for (id, (n, nd)) in &rule_edits {
        let _ = write!(
            h,
            "<tr data-rule=\"{ri}\"><td><code>{id}</code></td><td>{name}</td><td>{n}</td><td>{nd}</td>\
             <td><button class=\"rule-acc\" data-rule=\"{ri}\" type=\"button\">accept all</button> \
             <button class=\"rule-rej\" data-rule=\"{ri}\" type=\"button\">reject all</button> \
             <button class=\"rule-clr\" data-rule=\"{ri}\" type=\"button\">undecide</button> \
             <span class=\"rule-state\"></span></td></tr>",
            ri = rule_idx(id),
            id = esc(id),
            name = esc(&rule_name(id)),
        );
    }
    h.push_str("</tbody></table></div><div><h2>Flags by kind</h2><table id=\"kinds\"><thead><tr><th>kind</th><th>flags</th><th>documents</th></tr></thead><tbody>");
    for (k, (n, nd)) in &kinds {
        let _ =
            write!(h, "<tr><td><span class=\"flag k-{k}\">{k}</span></td><td>{n}</td><td>{nd}</td></tr>", k = esc(k));
    }
    if kinds.is_empty() {
        h.push_str("<tr><td colspan=\"3\">no flags</td></tr>");
    }
    h.push_str("</tbody></table></div></div></section>\n");
    // Browser.
    h.push_str(
        "<section id=\"browser\"><div id=\"side\"><div id=\"filters\">\
         <input id=\"f-name\" type=\"search\" placeholder=\"document name\">\
         <select id=\"f-rule\"><option value=\"\">any rule</option></select>\
         <select id=\"f-kind\"><option value=\"\">any flag</option></select>\
         <select id=\"f-changed\"><option value=\"\">changed or not</option><option value=\"1\" selected>changed</option>\
         <option value=\"0\">unchanged</option></select></div>\
         <div id=\"count\"></div><div id=\"list\"><div id=\"list-inner\"></div></div></div>\
         <div id=\"view\"><p class=\"hint\">Select a document.</p></div></section>\n",
    );
    let _ = writeln!(h, "<script type=\"application/json\" id=\"index\">{}</script>", script_json(&index));
    h.push_str(&doc_scripts);
    let _ = write!(h, "<script>{JS}</script>\n</body></html>\n");
    h
}

/// Horizontal bars, one per rule, in inline SVG.
fn bar_chart(rule_edits: &BTreeMap<&str, (usize, usize)>, rule_name: &impl Fn(&str) -> String) -> String {
    let max = rule_edits.values().map(|c| c.0).max().unwrap_or(0).max(1);
    let (row, label_w, bar_w) = (22usize, 260usize, 300usize);
    let height = row * rule_edits.len().max(1) + 4;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" \
         role=\"img\" aria-label=\"changes per rule\">",
        label_w + bar_w + 70
    );
    if rule_edits.is_empty() {
        s.push_str("<text x=\"0\" y=\"16\">no changes</text>");
    }
    for (i, (id, (n, _))) in rule_edits.iter().enumerate() {
        let y = i * row + 2;
        let w = (n * bar_w).div_ceil(max).max(1);
        let _ = write!(
            s,
            "<g class=\"bar\"><title>{id} {name}: {n}</title>\
             <text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{id} {name}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{bh}\" rx=\"2\"></rect>\
             <text x=\"{nx}\" y=\"{ty}\">{n}</text></g>",
            id = esc(id),
            name = esc(&rule_name(id)),
            lx = label_w - 6,
            ty = y + 14,
            bh = row - 6,
            nx = label_w + w + 4,
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_offsets_count_surrogate_pairs() {
        let t = "a中𠀀b";
        let m = Utf16Map::new(t, vec![8, 0, 1, 4]);
        assert_eq!((m.get(0), m.get(1), m.get(4), m.get(8)), (0, 1, 2, 4));
    }

    #[test]
    fn script_json_cannot_close_the_element() {
        let s = script_json(&json!({"t": "</script><!--"}));
        assert!(!s.contains('<'), "{s}");
    }
}
