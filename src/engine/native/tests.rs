//! Edge cases of the templates that the packs' fixtures do not reach:
//! arithmetic too large to be exact, a milestone missing on one side only,
//! a figure printed as the plan's params write it, params refused at load.

use super::*;
use crate::engine::{self, Catalog, Finding, Status};
use crate::input::{self, Date, Limits};
use std::sync::OnceLock;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| engine::load_embedded().expect("the built-in packs load"))
}

/// The outcomes of the rule `id` on the submission `yaml`.
fn outcomes(id: &str, yaml: &str) -> Vec<Finding> {
    let catalog = catalog();
    let sub = input::parse_submission(yaml, &Limits::default())
        .unwrap_or_else(|e| panic!("{yaml}: {e:?}"));
    let rule = catalog
        .rules
        .iter()
        .position(|r| r.id == id)
        .unwrap_or_else(|| panic!("no rule {id}"));
    let day = Date::parse("2025-06-30", false).unwrap();
    engine::run_rules(catalog, [rule], &sub, &day)
}

fn only(id: &str, yaml: &str) -> Finding {
    let mut all = outcomes(id, yaml);
    assert_eq!(all.len(), 1, "{all:#?}");
    all.remove(0)
}

#[test]
fn a_sum_too_large_to_be_exact_is_a_rule_error() {
    let f = only(
        "shiyan.elderly-space-new",
        "version: 1
estate: { status: new, households: 3 }
facilities:
  - { id: F1, kind: elderly_service, floor_area: 1e37 }
  - { id: F2, kind: elderly_service, floor_area: 0.001 }
",
    );
    assert_eq!(f.status, Status::RuleError);
    assert!(
        f.message.en.contains(
            "arithmetic overflow: a sum is too large (template in rules/shiyan/pack.yaml)"
        ),
        "{}",
        f.message.en
    );
    assert!(
        f.message
            .zh
            .contains("算术溢出: 合计过大 (模板, 见 rules/shiyan/pack.yaml)"),
        "{}",
        f.message.zh
    );
}

#[test]
fn a_comparison_too_large_to_be_exact_is_a_rule_error() {
    // 15 m² × 3 households / 100 is 9/20: 1e37 × 20 overflows 128 bits.
    let f = only(
        "jiamusi.elderly-space-existing",
        "version: 1
estate: { status: existing, households: 3 }
facilities:
  - { id: F1, kind: elderly_service, floor_area: 1e37 }
",
    );
    assert_eq!(f.status, Status::RuleError);
    assert!(
        f.message.en.contains("arithmetic overflow"),
        "{}",
        f.message.en
    );
}

const HOUSING: &str = "version: 1
estate:
  status: new
  schedule: { planned: 2024-05, construction_start: 2024-09, delivery: 2026-12 }
facilities:
";

#[test]
fn a_late_milestone_is_a_violation_whatever_the_housing_leaves_out() {
    // The housing gives no acceptance: that milestone is open, the late
    // delivery is not.
    let f = only(
        "kunming.four-sync",
        &format!(
            "{HOUSING}  - id: C1
    kind: childcare
    schedule: {{ planned: 2024-05, construction_start: 2024-09, acceptance: 2026-10, delivery: 2027-01 }}
"
        ),
    );
    assert_eq!(f.status, Status::Violated);
    assert_eq!(f.at[0].path, "facilities[0].schedule.delivery");
    assert_eq!(f.inputs()[0].path, "estate.schedule.delivery");
    assert_eq!(
        f.message.en,
        "childcare facility C1 lags the housing: delivery 2027-01 is later than the housing's 2026-12"
    );
    // In Chinese, the plan's words for the kind and the milestone.
    assert_eq!(
        f.message.zh,
        "托育服务设施 C1 未与住宅同步: 交付使用 2027-01 晚于住宅 2026-12"
    );
    let figure = |t: Option<&Text>| t.map(|t| (t.zh.clone(), t.en.clone()));
    assert_eq!(
        figure(f.provided()),
        Some(("交付使用 2027-01".into(), "delivery 2027-01".into()))
    );
    assert_eq!(
        figure(f.required()),
        Some(("不晚于住宅".into(), "not later than the housing".into()))
    );
}

#[test]
fn a_milestone_one_side_leaves_out_cannot_be_checked() {
    // On time where both give the milestone; the housing's acceptance is
    // missing.
    let f = only(
        "kunming.four-sync",
        &format!(
            "{HOUSING}  - id: C1
    kind: childcare
    schedule: {{ planned: 2024-05, construction_start: 2024-09, acceptance: 2026-10, delivery: 2026-12 }}
"
        ),
    );
    assert_eq!(f.status, Status::Unchecked);
    assert_eq!(
        f.message.en,
        "cannot be checked: estate.schedule.acceptance missing"
    );
    // The facility's own gap comes first when it is the earlier milestone.
    let f = only(
        "kunming.four-sync",
        &format!(
            "{HOUSING}  - id: C1
    kind: childcare
    schedule: {{ construction_start: 2024-09, acceptance: 2026-10, delivery: 2026-12 }}
"
        ),
    );
    assert_eq!(
        f.message.en,
        "cannot be checked: facilities[0].schedule.planned missing"
    );
}

#[test]
fn a_facility_without_an_estate_cannot_be_checked() {
    let f = only(
        "kunming.four-sync",
        "version: 1
facilities:
  - { id: C1, kind: childcare, schedule: { delivery: 2030-01 } }
",
    );
    assert_eq!(f.status, Status::Unchecked);
    assert_eq!(f.message.en, "cannot be checked: estate missing");
}

#[test]
fn a_scope_left_out_is_settled_when_both_scopes_agree() {
    // District: 1 required; city: 1 × 3 counties. 5 meets both.
    let f = only(
        "jiamusi.senior-universities",
        "version: 1
region:
  year: 2025
  counties: 3
  indicators: { senior_universities: 5 }
",
    );
    assert_eq!(f.status, Status::Holds);
    // 2 meets the district's count only: it depends on the scope.
    let f = only(
        "jiamusi.senior-universities",
        "version: 1
region:
  year: 2025
  counties: 3
  indicators: { senior_universities: 2 }
",
    );
    assert_eq!(f.status, Status::Unchecked);
    assert_eq!(f.message.en, "cannot be checked: region.scope missing");
}

#[test]
fn the_largest_base_counts_and_people_come_whole() {
    let f = only(
        "kunming.social-workers",
        "version: 1
region:
  year: 2025
  elderly_population: 1001
  institution_beds: 201
  social_workers: 2
",
    );
    assert_eq!(f.status, Status::Violated);
    assert_eq!(
        f.message.en,
        "social workers 2 < 3 required: ceil(1001 elderly_population / 1000) = 2, ceil(201 institution_beds / 100) = 3"
    );
    assert_eq!(
        f.message.zh,
        "社工 2 名 < 应配 3 名: ⌈1001 名老年人 / 1000⌉ = 2, ⌈201 张养老机构床位 / 100⌉ = 3"
    );
    assert_eq!(f.required().map(|t| t.en.as_str()), Some(">= 3"));
    assert_eq!(f.required().map(|t| t.zh.as_str()), Some(">= 3"));
}

#[test]
fn a_half_that_fails_is_a_violation_whatever_the_other_leaves_out() {
    // docs/readings.md R10: ⌈5000 / 100⌉ = 50 > 1, elderly_population
    // missing.
    let f = only(
        "shiyan.social-workers",
        "version: 1
region:
  year: 2025
  elderly_beds: 5000
  social_workers: 1
",
    );
    assert_eq!(f.status, Status::Violated, "{}", f.message.en);
    assert_eq!(
        f.message.en,
        "social workers 1 < 50 required: ceil(5000 elderly_beds / 100) = 50"
    );
    assert_eq!(
        f.inputs()
            .iter()
            .map(|l| l.path.as_str())
            .collect::<Vec<_>>(),
        ["region.elderly_beds"]
    );
    // The known half met: the missing half cannot be checked.
    let f = only(
        "shiyan.social-workers",
        "version: 1
region:
  year: 2025
  elderly_beds: 100
  social_workers: 1
",
    );
    assert_eq!(f.status, Status::Unchecked);
    assert_eq!(
        f.message.en,
        "cannot be checked: region.elderly_population missing"
    );
}

fn params(json: &str) -> serde_json::Map<String, serde_json::Value> {
    serde_json::from_str(json).unwrap()
}

/// A pack without data tables.
const NO_TABLES: Pack = Pack { tables: &[] };

#[test]
fn params_are_checked_when_the_pack_loads() {
    use crate::base::text::say;
    use crate::plan::Lang;
    let en = |m: Msg| say(&m, Lang::En);
    let err = en(template("shrae").err().unwrap());
    assert!(err.contains("did you mean `share`?"), "{err}");
    let err = en(build("rate", &params(r#"{"precent": 5}"#), &NO_TABLES)
        .err()
        .unwrap());
    assert!(err.contains("no parameter `precent`"), "{err}");
    assert!(
        err.contains("did you mean `percent`?") || err.contains("(parameters: "),
        "{err}"
    );
    let err = en(build("rate", &params("{}"), &NO_TABLES).err().unwrap());
    assert!(err.contains("needs `base`"), "{err}");
    // A parameter with a default is not needed; one without is.
    assert!(!err.contains("`due`"), "{err}");
    let share = params(
        r#"{"region_part": "nursing_beds",
            "region_whole": "elderly_beds", "percent": "sixty", "due": 2025,
            "name": {"zh": "护理型床位", "en": "nursing beds"}}"#,
    );
    let err = build("share", &share, &NO_TABLES).err().unwrap();
    assert_eq!(
        say(&err, Lang::En),
        "template `share`: `percent` must be a number"
    );
    assert_eq!(say(&err, Lang::Zh), "模板 `share`: `percent` 应为数值");
    // A fractional year, a kind that is not text, words that are not
    // `{ zh, en }`: each names its parameter.
    let mut share = share;
    share.insert("percent".into(), 60.into());
    share.insert("due".into(), serde_json::json!(2025.5));
    let err = build("share", &share, &NO_TABLES).err().unwrap();
    assert!(say(&err, Lang::En).ends_with("`due` must be a year, or 0 for none"));
    assert!(say(&err, Lang::Zh).ends_with("`due` 应为年份 (整数), 不设年份时为 0"));
    share.insert("due".into(), 2025.into());
    share.insert("kinds".into(), serde_json::json!([1]));
    let err = build("share", &share, &NO_TABLES).err().unwrap();
    assert!(say(&err, Lang::En).ends_with("each of `kinds` must be text"));
    assert!(say(&err, Lang::Zh).ends_with("`kinds` 的每一项应为文本"));
    share.insert("kinds".into(), serde_json::json!([]));
    share.insert("name".into(), serde_json::json!(""));
    let err = build("share", &share, &NO_TABLES).err().unwrap();
    assert!(
        say(&err, Lang::En).ends_with("`name` must be { zh, en }"),
        "{}",
        say(&err, Lang::En)
    );
    share.insert(
        "name".into(),
        serde_json::json!({"zh": "护理型床位", "en": "x", "fr": "y"}),
    );
    assert!(build("share", &share, &NO_TABLES).is_err());
}

#[test]
fn every_template_lists_its_params_in_order() {
    for t in NATIVE {
        let names: Vec<String> = t.params().iter().map(|p| p.name.clone()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted, "{}", t.name);
        assert!(!names.is_empty(), "{}", t.name);
        // Every parameter and every template says what it is.
        assert!(!t.summary().is_empty(), "{}", t.name);
        for p in t.params() {
            assert!(!p.doc.is_empty(), "{}.{}", t.name, p.name);
            assert!(
                !p.form.is_empty() && p.form != "any value" || p.name == "figure",
                "{}.{}: {}",
                t.name,
                p.name,
                p.form
            );
        }
        assert!(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(t.source)
                .exists(),
            "{}",
            t.source
        );
    }
    let names: Vec<&str> = NATIVE.iter().map(|t| t.name).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
}

/// The params of the pack's rules, as one template states them, with
/// `key` replaced by `value` (JSON).
fn with(template_name: &str, base: &str, key: &str, value: &str) -> Result<Built, Msg> {
    let mut p = params(base);
    p.insert(key.into(), serde_json::from_str(value).unwrap());
    let t = template(template_name).unwrap();
    (t.build)(&p, &Pack { tables: &["t"] }, t.described())
}

fn refusal(r: Result<Built, Msg>) -> (String, String) {
    use crate::base::text::say;
    use crate::plan::Lang;
    let m = r.err().expect("refused");
    (say(&m, Lang::En), say(&m, Lang::Zh))
}

#[test]
fn list_params_are_bounded_by_what_they_can_mean() {
    let pace = r#"{"kinds": ["elderly_service"], "milestones": ["planned"]}"#;
    assert!(with(
        "keep-pace",
        pace,
        "milestones",
        r#"["planned", "delivery"]"#
    )
    .is_ok());
    let many = serde_json::to_string(&vec!["planned"; 60_000]).unwrap();
    let (en, zh) = refusal(with("keep-pace", pace, "milestones", &many));
    assert_eq!(en, "`milestones` has 60000 entries, over the limit of 4");
    assert_eq!(zh, "`milestones` 有 60000 项, 超过上限 4 项");
    let (en, _) = refusal(with(
        "keep-pace",
        pace,
        "milestones",
        r#"["planned", "planned"]"#,
    ));
    assert_eq!(en, "`milestones` lists `planned` more than once");
    let (en, zh) = refusal(with("keep-pace", pace, "milestones", r#"["acceptence"]"#));
    assert_eq!(en, "each of `milestones` is one of planned, construction_start, acceptance, delivery, not `acceptence`; did you mean `acceptance`?");
    assert_eq!(zh, "`milestones` 的每一项应为 `planned`, `construction_start`, `acceptance`, `delivery` 之一, 而不是 `acceptence`; 是否指 `acceptance`?");
    // Kinds are the words of the section's `kind`.
    let (en, _) = refusal(with("keep-pace", pace, "kinds", r#"["elderly_care"]"#));
    assert!(en.starts_with("each of `kinds` is one of elderly_service, childcare, elderly_day_care, not `elderly_care`"), "{en}");
    let share = r#"{"kinds": [], "region_part": "nursing_beds",
        "region_whole": "elderly_beds", "percent": 60, "due": 2025,
        "name": {"zh": "护理型床位", "en": "nursing beds"}}"#;
    assert!(with("share", share, "kinds", r#"["elderly_care"]"#).is_ok());
    let (en, _) = refusal(with("share", share, "kinds", r#"["elderly_service"]"#));
    assert!(
        en.contains("elderly_care, special_hardship_support, childcare, not `elderly_service`"),
        "{en}"
    );
    // A status of the estate, or `any` where the template takes it.
    let facility = r#"{"status": "new", "kinds": ["childcare"], "name": {"zh": "托育", "en": "childcare"}, "place": {"zh": "小区", "en": "estate"}}"#;
    assert!(with("has-facility", facility, "status", r#""any""#).is_ok());
    let (en, zh) = refusal(with("has-facility", facility, "status", r#""nwe""#));
    assert_eq!(
        en,
        "`status` is new, existing or any, not `nwe`; did you mean `new`?"
    );
    assert_eq!(
        zh,
        "`status` 应为 `new`、`existing` 或 `any`, 而不是 `nwe`; 是否指 `new`?"
    );
    // Open lists are capped; conditions name the section's fields.
    let alloc = r#"{"column": "专栏4", "field": "elderly_beds", "name": {"zh": "床位", "en": "beds"},
        "table": "t", "whole_city": "全市"}"#;
    let (en, _) = refusal(with(
        "allocation",
        alloc,
        "prefixes",
        &serde_json::to_string(&vec!["市"; 17]).unwrap(),
    ));
    assert_eq!(en, "`prefixes` has 17 entries, over the limit of 16");
    let target = r#"{"duty": {"zh": "开设", "en": "have one"}, "field": "geriatrics_department", "figure": true,
        "name": {"zh": "医院", "en": "hospital"}, "op": "==", "section": "hospitals"}"#;
    assert!(with("record-target", target, "where", r#"[["level", ">=", 2]]"#).is_ok());
    let (en, zh) = refusal(with(
        "record-target",
        target,
        "where",
        r#"[["levle", ">=", 2]]"#,
    ));
    assert_eq!(
        en,
        "`where` names `levle`, which is no field of `hospitals`; did you mean `level`?"
    );
    assert_eq!(
        zh,
        "`where` 中的 `levle` 不是 `hospitals` 的字段; 是否指 `level`?"
    );
    let twenty = serde_json::to_string(&vec![("level", ">=", 2); 17]).unwrap();
    let (en, _) = refusal(with("record-target", target, "otherwise", &twenty));
    assert_eq!(en, "`otherwise` has 17 entries, over the limit of 16");
    // The field that states a condition (R22) is a yes-or-no field of the
    // section, spelt right.
    let means = r#"{"zh": "有条件的医院", "en": "hospitals that have the means", "field": "geriatrics_means"}"#;
    assert!(with("record-target", target, "condition", means).is_ok());
    let (en, _) = refusal(with(
        "record-target",
        target,
        "condition",
        &means.replace("geriatrics_means", "geriatric_means"),
    ));
    assert!(
        en.contains("`geriatric_means`") && en.contains("did you mean `geriatrics_means`?"),
        "{en}"
    );
    let (en, zh) = refusal(with(
        "record-target",
        target,
        "condition",
        &means.replace("geriatrics_means", "beds"),
    ));
    assert_eq!(
        en,
        "`condition`: `beds` must be a yes-or-no field of the record that says whether the condition holds"
    );
    assert_eq!(
        zh,
        "`condition`: `beds` 应为记录中载明是否具备条件的是否字段"
    );
}

#[test]
fn figures_divided_by_are_more_than_zero() {
    let per = r#"{"due": 0, "field": "social_workers", "institution": [["beds", 100]],
        "kinds": ["elderly_care"], "name": {"zh": "社工", "en": "social workers"}}"#;
    let (en, zh) = refusal(with("one-per", per, "institution", r#"[["beds", 0]]"#));
    assert_eq!(
        en,
        "`institution`: the per of `beds` must be more than 0, not 0"
    );
    assert_eq!(zh, "`institution` 中 `beds` 的除数应大于 0, 而不是 0");
    let (en, _) = refusal(with("one-per", per, "region", r#"[["elderly_bed", 100]]"#));
    assert_eq!(en, "`region` names `elderly_bed`, which is no number field of `region`; did you mean `elderly_beds`?");
    let (en, _) = refusal(with("one-per", per, "region", r#"[["name", 100]]"#));
    assert!(
        en.starts_with("`region` names `name`, which is no number field"),
        "{en}"
    );
    let nine = serde_json::to_string(&vec![("beds", 100); 9]).unwrap();
    let (en, _) = refusal(with("one-per", per, "institution", &nine));
    assert_eq!(en, "`institution` has 9 entries, over the limit of 8");
    let rate = r#"{"base": "population", "count": "childcare_slots", "name": {"zh": "托位", "en": "slots"},
        "of": {"zh": "人口", "en": "people"}, "per": 1000, "rate": 4.5}"#;
    let (en, zh) = refusal(with("rate", rate, "per", "0"));
    assert_eq!(en, "`per` must be more than 0, not 0");
    assert_eq!(zh, "`per` 应大于 0, 而不是 0");
    let (en, _) = refusal(with("rate", rate, "per", "-5"));
    assert_eq!(en, "`per` must be more than 0, not -5");
    // A text the message repeats for every record stays short.
    let long = serde_json::to_string(&"字".repeat(2000)).unwrap();
    let (en, _) = refusal(with(
        "rate",
        rate,
        "name",
        &format!(r#"{{"zh": {long}, "en": "x"}}"#),
    ));
    assert_eq!(en, "`name` is 6000 bytes long, over the limit of 4096");
}

/// A field a template reads is a field of the format, or the pack is
/// refused: a misspelt one would leave the rule "cannot be checked" on
/// every file it meets.
#[test]
fn a_misspelt_field_is_refused_when_the_pack_loads() {
    use crate::base::text::say;
    use crate::plan::Lang;
    let target = r#"{"due": 2025, "field": "indicators.child_social_workers", "figure": 1700,
        "name": {"zh": "儿童社会工作者", "en": "social workers for children"},
        "op": ">=", "scope": "city"}"#;
    assert!(with("target", target, "times", r#""streets""#).is_ok());
    let err = with(
        "target",
        target,
        "field",
        r#""indicators.child_social_worker""#,
    )
    .err()
    .unwrap();
    let en = say(&err, Lang::En);
    assert!(en.contains("child_social_worker"), "{en}");
    assert!(en.contains("did you mean"), "{en}");
    assert!(
        say(&err, Lang::Zh).contains("是否指"),
        "{}",
        say(&err, Lang::Zh)
    );
    // Not a number where a number is read.
    assert!(with("target", target, "times", r#""name""#).is_err());
    let share = r#"{"kinds": [], "region_part": "nursing_beds",
        "region_whole": "elderly_beds", "percent": 60, "due": 2025,
        "name": {"zh": "护理型床位", "en": "nursing beds"}}"#;
    assert!(with("share", share, "region_whole", r#""elderly_bed""#).is_err());
    assert!(with("share", share, "region_whole", r#""elderly_beds""#).is_ok());
}

/// The sections (with their kinds) a `record-target` rule judges.
fn sections_of(
    section: &str,
    kinds: &str,
    field: &str,
    where_: &str,
) -> Vec<(Section, Option<Vec<String>>)> {
    // The figure takes the field's type (parameters are typed at load): a
    // yes/no field compares with true, a number field with 1.
    let base = |figure: &str| {
        format!(
            r#"{{"duty": {{"zh": "x", "en": "x"}}, "figure": {figure}, "name": {{"zh": "x", "en": "x"}}, "op": "==",
            "section": "{section}", "kinds": {kinds}, "where": {where_}}}"#
        )
    };
    let field = format!("\"{field}\"");
    let (_, entries) = with("record-target", &base("true"), "field", &field)
        .or_else(|_| with("record-target", &base("1"), "field", &field))
        .unwrap();
    entries.into_iter().map(|e| (e.section, e.kinds)).collect()
}

#[test]
fn a_hospital_is_reached_in_either_section_when_it_can_state_the_fact() {
    let hospital_venues = Some(vec!["hospital".to_string()]);
    // Every 医疗机构: the venues of kind hospital too.
    assert_eq!(
        sections_of("hospitals", "[]", "elderly_green_channel", "[]"),
        [
            (Section::Hospitals, None),
            (Section::Venues, hospital_venues)
        ]
    );
    // A kind of hospital (综合性医院), or a fact a venue cannot state: only
    // the hospitals section.
    assert_eq!(
        sections_of("hospitals", r#"["general"]"#, "elderly_green_channel", "[]"),
        [(Section::Hospitals, Some(vec!["general".to_string()]))]
    );
    assert_eq!(
        sections_of("hospitals", "[]", "geriatrics_department", "[]"),
        [(Section::Hospitals, None)]
    );
    assert_eq!(
        sections_of(
            "hospitals",
            "[]",
            "elderly_green_channel",
            r#"[["level", ">=", 2]]"#
        ),
        [(Section::Hospitals, None)]
    );
    // Public places including hospitals: every hospital too.
    assert_eq!(
        sections_of("venues", "[]", "mother_baby_room", "[]"),
        [(Section::Venues, None), (Section::Hospitals, None)]
    );
    assert_eq!(
        sections_of(
            "venues",
            r#"["transport_hub", "hospital"]"#,
            "priority_seating",
            "[]"
        )[1],
        (Section::Hospitals, None)
    );
    // Not a hospital's duty, or not a hospital's fact.
    assert_eq!(
        sections_of("venues", r#"["employer"]"#, "mother_baby_room", "[]").len(),
        1
    );
    assert_eq!(
        sections_of("venues", "[]", "elderly_care_leave_days", "[]").len(),
        1
    );
}

#[test]
fn a_condition_no_field_records_or_a_venue_of_kind_other_is_never_violated() {
    // 具备条件的 (R22): short of the figure, cannot be checked, naming it.
    let f = only(
        "shiyan.priority-seating",
        "version: 1\nvenues:\n  - { id: V1, kind: transport_hub, priority_seating: false }\n",
    );
    assert_eq!(f.status, Status::Unchecked);
    assert!(
        f.message.en.contains("public places that have the means"),
        "{}",
        f.message.en
    );
    assert!(
        f.message.zh.contains("具备条件的公共场所"),
        "{}",
        f.message.zh
    );
    assert_eq!(f.at[0].path, "venues[0].priority_seating");
    assert!(
        f.message.en.contains("(priority_means)"),
        "{}",
        f.message.en
    );
    // Stated: with the means, a place without the seats is violated and
    // points at the condition too; without them, it is not bound.
    let f = only(
        "shiyan.priority-seating",
        "version: 1\nvenues:\n  - { id: V1, kind: transport_hub, priority_means: true, priority_seating: false }\n",
    );
    assert_eq!(f.status, Status::Violated);
    assert_eq!(f.at[0].path, "venues[0].priority_seating");
    let none = outcomes(
        "shiyan.priority-seating",
        "version: 1\nvenues:\n  - { id: V1, kind: transport_hub, priority_means: false, priority_seating: false }\n",
    );
    assert!(none.is_empty(), "{none:#?}");
    // Meeting the figure holds whatever the means.
    let f = only(
        "shiyan.priority-seating",
        "version: 1\nvenues:\n  - { id: V1, kind: transport_hub, priority_seating: true }\n",
    );
    assert_eq!(f.status, Status::Holds);
    // A venue of kind other may not be a public place (R4).
    let f = only(
        "shiyan.mother-baby-room",
        "version: 1\nvenues:\n  - { id: V1, kind: other, mother_baby_room: false }\n",
    );
    assert_eq!(f.status, Status::Unchecked);
    assert_eq!(f.at[0].path, "venues[0].kind");
    assert!(f.message.en.contains("of kind other"), "{}", f.message.en);
    // The same place as a shop is bound.
    let f = only(
        "shiyan.mother-baby-room",
        "version: 1\nvenues:\n  - { id: V1, kind: commercial_center, mother_baby_room: false }\n",
    );
    assert_eq!(f.status, Status::Violated);
}
