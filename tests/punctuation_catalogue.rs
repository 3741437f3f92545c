//! Regression tests: every example of defects.md class 3 (half-width punctuation
//! in Chinese text) comes out of the default rule set as the catalogue says.
//! See: ../shared/defects.md §3 (lines of corpus/zhuzhou-daily-2022-11-15.raw.txt).

use ocrclean::pipeline::{Options, Pipeline};
use ocrclean::rules::registry::RuleSet;

fn clean(s: &str) -> String {
    let set = RuleSet::builtin().expect("rules");
    let p = Pipeline::new(set.selected(&[], &[], &[]).expect("default"), Options::default());
    p.clean(s).output
}

fn contains(input: &str, want: &str) {
    let out = clean(input);
    assert!(out.contains(want), "input {input:?}\nwant  {want:?}\ngot   {out:?}");
}

#[test]
fn ascii_marks_become_fullwidth() {
    contains("近日,市贸促会组织全体党员干部,赴茶陵工农兵政府开展活动。", "近日，市贸促会组织全体党员干部，赴茶陵");
    contains("注意!你确定吗?是的;好的:开始", "注意！你确定吗？是的；好的：开始");
    contains("株洲日报讯(通讯员/陈聘) 近日,市贸促会", "株洲日报讯（通讯员/陈聘）近日，市贸促会");
}

#[test]
fn double_quotes_pair_by_alternation() {
    contains(
        "开展\"学思践悟二十大 砥砺奋进新征程\"贯彻二十大精神研讨活动。",
        "开展“学思践悟二十大 砥砺奋进新征程”贯彻",
    );
    contains(
        "获得\"湖南省五一劳动奖章\"\"中国中车技术标兵\"\"株洲市技术能手\"等多项荣誉。",
        "获得“湖南省五一劳动奖章”“中国中车技术标兵”“株洲市技术能手”等多项荣誉。",
    );
}

#[test]
fn line_171_single_quotes_inside_double() {
    contains(
        "\"虽然只是跑腿的工作,但有些药对居民来说是'救命药',我们必须争分夺秒去买。\"刘翊说。",
        "“虽然只是跑腿的工作，但有些药对居民来说是‘救命药’，我们必须争分夺秒去买。”刘翊说。",
    );
}

#[test]
fn line_159_single_quote_opening_a_double_quotation() {
    contains(
        "'我平时有拍短视频的爱好,就把在外面送物资的情况发在账号上,然后送到小区门口,再由小区的志愿者送上门。\"刘翊说,从11月4日到14日,他",
        "“我平时有拍短视频的爱好，就把在外面送物资的情况发在账号上，然后送到小区门口，再由小区的志愿者送上门。”刘翊说，从11月4日到14日，他",
    );
}

#[test]
fn numbers_addresses_urls_and_latin_are_untouched() {
    contains("全市共有12.79万人参加,共3,000元,12:30开始。", "12.79万人参加，共3,000元，12:30开始。");
    contains("投稿邮箱:289500034@qq.com,来件请注明", "289500034@qq.com，来件请注明");
    contains("详见 https://www.debian.org/doc/manuals/,欢迎", "https://www.debian.org/doc/manuals/");
    contains("他说 Hello, world! 然后走了。", "Hello, world!");
    contains("运行 apt-get install foo,bar 的命令", "apt-get install foo");
}

#[test]
fn fullwidth_letters_and_digits_become_halfwidth() {
    contains("型号ＡＢＣ１２３，共３件", "型号ABC123，共3件");
}

#[test]
fn cleaning_twice_changes_nothing() {
    let s = "\"虽然只是跑腿的工作,但有些药对居民来说是'救命药',我们必须争分夺秒去买。\"刘翊说。\n株洲日报讯(通讯员/陈聘) 近日,市贸促会...好的";
    let once = clean(s);
    assert_eq!(clean(&once), once);
}
