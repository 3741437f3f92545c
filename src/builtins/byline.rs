//! ## What it does
//! Flags bylines and datelines (kind `byline`). A stand-alone byline line
//! (`株洲日报全媒体记者/杨凌凌 通讯员/钟兴`) is flagged whole and follows the rule's
//! action. A dateline that opens a paragraph (`湘东日报讯（全媒体记者/曾思欣
//! 通讯员/郑喜）能够发送…`, `本报讯`, `新华社北京11月14日电`) is flagged
//! *metadata-only*: it is reported as the article's byline but never cut, since
//! it is part of the first sentence as printed; so is a dateline line whose
//! credit a line break cut (`株洲日报讯（记者/向欣玲 通讯员/郭娟` / `艳）这里…`).
//!
//! ## Why is this bad?
//! A byline line is not prose: corpus builders want it out of the body, and
//! reviewers want it as metadata of the article. Cutting a dateline out of its
//! paragraph, however, would change the body text.
//!
//! ## Example
//! `株洲日报全媒体记者/肖捷` → flagged (removed with `--flagged remove`);
//! `株洲日报讯(通讯员/陈聘) 近日,…` → `株洲日报讯(通讯员/陈聘)` reported, text kept.
//!
//! ## Fix safety
//! Flags only. Metadata-only flags ignore `--flagged`.
//!
//! ## Known problems
//! A byline split over two lines by a column break is flagged up to the break.
//! Bylines without a `/` (`记者 张三`) are not recognised.

use super::layout::{glued_headline_end, line_table, trim};
use super::params::Params;
use super::roles;
use crate::rules::{Context, FlagKind, Mechanism, Output, StepFlag};

/// The byline detector.
pub struct Byline {
    datelines: bool,
}

impl Byline {
    /// Reads `datelines` (default true): also report paragraph-opening datelines.
    pub fn new(p: &Params) -> Result<Self, String> {
        Ok(Byline { datelines: p.bool("datelines", true)? })
    }
}

impl Mechanism for Byline {
    fn run(&self, text: &str, ctx: &Context, out: &mut Output) {
        for f in &line_table(text, ctx).facts {
            let (ts, te) = (f.ts, f.te);
            if f.marks == 0
                || ts == te
                || roles::has(&ctx.roles, ts, te, &[FlagKind::Caption, FlagKind::Furniture, FlagKind::Byline])
            {
                continue;
            }
            // A dateline opens its paragraph even when a line break follows its
            // credit (`株洲日报讯（记者/向欣玲 通讯员/郭娟` / `艳）这里…`): metadata only.
            if let Some(e) = f.dateline {
                // A headline glued before it (`设置 株洲日报讯（…`) is not the paper's name.
                let line = &text[ts..te];
                let start = glued_headline_end(line).map_or(0, |h| line.len() - trim(&line[h..]).len());
                if self.datelines && e > start {
                    out.flag(StepFlag::new(ts + start, ts + e, FlagKind::Byline).metadata_only());
                }
            } else if f.byline {
                out.flag(StepFlag::new(ts, te, FlagKind::Byline));
            }
        }
    }
}
