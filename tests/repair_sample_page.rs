//! The defect catalogue's examples for classes 1 (wrap spaces) and 2 (broken
//! paragraphs), run through the whole default rule set on excerpts of the sample
//! page `corpus/zhuzhou-daily-2022-11-15.raw.txt`.
// See: /work/shared/defects.md classes 1-2; issue 3 items 1-2.

use ocrclean::pipeline::{Options, Pipeline};
use ocrclean::rules::registry::RuleSet;

fn clean(input: &str) -> String {
    let set = RuleSet::builtin().unwrap_or_else(|e| panic!("built-in rules compile: {}", e.len()));
    let rules = set.selected(&[], &[], &[]).unwrap_or_else(|e| panic!("default selection: {e}"));
    let p = Pipeline::new(rules, Options::default());
    let out = p.clean(input).output;
    assert_eq!(p.clean(&out).output, out, "idempotent");
    out
}

#[track_caller]
fn has(out: &str, want: &str) {
    assert!(out.contains(want), "want {want:?} in\n{out}");
}

#[test]
fn class1_wrap_spaces_line3_slogan_kept() {
    let out = clean("株洲日报讯(通讯员/陈聘) 近日,市贸促会组织全体党员干 部,赴茶陵工农兵政府开展\"学思践悟二十大 砥砺奋进新征程\"贯 彻二十大精神研讨活动。\n");
    has(&out, "组织全体党员干部，赴茶陵");
    has(&out, "开展“学思践悟二十大 砥砺奋进新征程”贯彻二十大精神研讨活动。");
}

#[test]
fn class1_han_digit_and_after_punctuation() {
    let out = clean("株洲日报讯(全媒体记者/高晓燕 通讯员/文轶洲) 11月12 日,2022\"一带一路\"暨金砖国家技能发展与技术创新之\"通用技 术杯\"数控多轴加工大赛在辽宁沈阳市落下帷幕,经过激烈角逐, 中车株洲电机有限公司员工熊亚洲摘得大赛金牌。\n");
    has(&out, "11月12日");
    has(&out, "落下帷幕，经过激烈角逐，中车株洲");
    has(&out, "通用技术杯");
    has(&out, "全媒体记者/高晓燕 通讯员/文轶洲");
}

#[test]
fn class1_street_number() {
    let out = clean("信函邮递:株洲市天元区长江北路 116号,市人社局614室。\n");
    has(&out, "长江北路116号");
}

#[test]
fn class1_headline_spaces_kept() {
    let out = clean("连续奋战 在抗疫一线展现担当\n");
    has(&out, "连续奋战 在抗疫一线展现担当");
}

#[test]
fn class1_latin_spaces_kept() {
    let out = clean("请市民出门戴好 N95 口罩，您可以配置 APT 使用一个代理。\n");
    has(&out, "戴好 N95 口罩");
    has(&out, "配置 APT 使用");
}

#[test]
fn class2_paragraph_split_mid_sentence() {
    let out = clean("奔波,几百名高危人员安全转运到指定隔离点。 而在这背后,片区街道干部、医护人员、小区志愿\n\n者挨家挨户,上门通知并协助人员撤离,自然也\n\n是一夜无眠。\n\n午夜才能入睡,凌晨5点就要起床。\n");
    has(&out, "小区志愿者挨家挨户，上门通知并协助人员撤离，自然也是一夜无眠。\n\n午夜才能入睡");
}

#[test]
fn class2_green_channel() {
    let out = clean("的巡警大队民警宾增接警后立马 联系进行报备,以最快速度通过绿\n\n色通道将孕妇安全送达医院。\n");
    has(&out, "通过绿色通道将孕妇安全送达医院。");
}

#[test]
fn class2_hidden_break_before_enumeration() {
    let out = clean(
        "(四)项目一事一题,事项明确、表述\n\n清晰、文字简练。 四、征集方式\n\n政府网站:登录株洲市人民政府网站。\n",
    );
    has(&out, "表述清晰、文字简练。\n\n四、征集方式");
}
