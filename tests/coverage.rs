//! The traceability table (`docs/coverage/*.yaml`, `peitao coverage`): every
//! quote is the plan's own words, every rule id exists, every rule is traced
//! to a clause, and every hint names fields the format has.

mod common;

use common::peitao;
use peitao::input::format::{self, Field, Ty};
use peitao::plan::coverage::{self, Clause, Status};
use std::collections::BTreeSet;
use std::path::Path;

fn clauses() -> Vec<Clause> {
    coverage::clauses().expect("the coverage tables parse")
}

#[test]
fn every_quote_is_verbatim_in_its_seed() {
    for c in clauses() {
        let seed = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("seeds/{}.txt", c.plan)),
        )
        .unwrap();
        assert!(
            !c.quote.trim().is_empty() && peitao::plan::in_seed(&seed, &c.quote),
            "{}: quote not in seeds/{}.txt: {}",
            c.plan,
            c.plan,
            c.quote
        );
    }
}

#[test]
fn rules_exist_and_every_rule_is_traced() {
    let catalog = peitao::engine::load_embedded().unwrap();
    let ids: BTreeSet<&str> = catalog.rules.iter().map(|r| r.id.as_str()).collect();
    let all = clauses();
    let mut traced = BTreeSet::new();
    for c in &all {
        for id in &c.rules {
            assert!(
                ids.contains(id.as_str()),
                "{}: unknown rule `{id}`",
                c.quote
            );
            assert!(
                id.starts_with(&format!("{}.", c.plan)),
                "{}: rule `{id}` of another plan",
                c.quote
            );
            traced.insert(id.as_str());
        }
    }
    let untraced: Vec<_> = ids.difference(&traced).collect();
    assert!(untraced.is_empty(), "rules no clause lists: {untraced:?}");
}

#[test]
fn each_status_carries_what_it_needs() {
    for c in clauses() {
        let what = format!("{} {}", c.plan, c.quote);
        match c.status {
            Status::Encoded => assert!(!c.rules.is_empty(), "{what}: encoded by no rule"),
            Status::Partial => {
                assert!(!c.rules.is_empty(), "{what}: partial with no rule");
                assert!(!c.why.is_empty(), "{what}: partial without why");
            }
            Status::Open => {
                assert!(c.rules.is_empty(), "{what}: open but has rules");
                assert!(!c.why.is_empty(), "{what}: open without why");
                assert!(c.encode.is_some(), "{what}: open without an encode hint");
            }
            Status::OutOfScope => {
                assert!(c.rules.is_empty(), "{what}: out of scope but has rules");
                assert!(c.why.len() > 20, "{what}: out of scope without a reason");
            }
        }
        if let Some(e) = &c.encode {
            assert!(
                ["error", "warning"].contains(&e.severity.as_str()),
                "{what}: severity `{}`",
                e.severity
            );
            assert!(!e.check.is_empty() && !e.wording.is_empty(), "{what}");
            assert!(!e.reads.is_empty(), "{what}: reads nothing");
            for path in &e.reads {
                assert!(
                    names_a_field(path),
                    "{what}: `{path}` is not a field of the format"
                );
            }
        }
    }
}

/// `region.indicators.day_care_coverage`, `institutions[kind=childcare].staff`,
/// `facilities[kind=childcare]`: a section, then fields of its table.
fn names_a_field(path: &str) -> bool {
    let strip = |s: &str| s.split('[').next().unwrap_or(s).to_string();
    let mut parts = path.split('.').map(strip);
    let section = parts.next().unwrap_or_default();
    let Some(top) = format::TOP.iter().find(|f| f.name == section) else {
        return false;
    };
    let mut table: &[Field] = match top.name {
        "estate" => format::ESTATE,
        "facilities" => format::FACILITY,
        "institutions" => format::INSTITUTION,
        "hospitals" => format::HOSPITAL,
        "venues" => format::VENUE,
        "region" => format::REGION,
        _ => format::SUBMISSION,
    };
    for name in parts {
        let Some(field) = table.iter().find(|f| f.name == name) else {
            return false;
        };
        if let Ty::Nested(inner) = field.ty {
            table = inner;
        }
    }
    true
}

#[test]
fn the_table_covers_at_least_170_clauses_of_every_plan() {
    let all = clauses();
    assert!(all.len() >= 170, "only {} clauses", all.len());
    for plan in coverage::plans() {
        assert!(
            all.iter().filter(|c| c.plan == plan).count() >= 30,
            "{plan} has few clauses"
        );
    }
    // One clause per quote and section: a repeated entry would count twice.
    let mut seen = BTreeSet::new();
    for c in &all {
        assert!(
            seen.insert((c.plan.as_str(), c.section.as_str(), c.quote.as_str())),
            "listed twice: {} {}",
            c.plan,
            c.quote
        );
    }
}

#[test]
fn coverage_command_prints_counts_per_plan() {
    let (out, _, code) = peitao(&["coverage"]);
    assert_eq!(code, 0, "{out}");
    let summary = &out[out.find("plan       clauses").expect("a summary table")..];
    insta::assert_snapshot!("coverage_summary", summary);
    let (one, _, code) = peitao(&["coverage", "--plan", "十堰"]);
    assert_eq!(code, 0);
    assert!(one.starts_with("shiyan: "), "{one}");
    assert!(!one.contains("\ntaizhou "), "{one}");
    let (err, _, code) = peitao(&["coverage", "--plan", "武汉"]);
    assert_eq!(code, 2);
    assert!(err.contains("no coverage table for plan `武汉`"), "{err}");
}

#[test]
fn coverage_json_has_exactly_the_documented_shape() {
    let (out, _, code) = peitao(&["coverage", "--format", "json", "--plan", "kunming"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["clauses", "summary"]);
    let clauses = doc["clauses"].as_array().unwrap();
    assert_eq!(clauses.len(), 62);
    for c in clauses {
        let keys: BTreeSet<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            BTreeSet::from(["plan", "section", "quote", "subject", "status", "rules", "why"])
        );
        assert_eq!(c["plan"], "kunming");
    }
    let total = &doc["summary"]["total"];
    assert_eq!(total["clauses"], 62);
    let sum: u64 = ["encoded", "partial", "open", "out-of-scope"]
        .iter()
        .map(|k| total[k].as_u64().unwrap())
        .sum();
    assert_eq!(sum, 62);
    assert_eq!(doc["summary"]["plans"]["kunming"], *total);
}

/// docs/coverage/readings-agreement.md: the two readers' verdicts on each
/// rule and what was done about them. Every rule of every pack has a row
/// (a rule added later is read before it ships), the verdicts are the
/// readers' words, `agree` says whether they are equal, and every row says
/// what became of it.
#[test]
fn every_rule_has_a_row_in_the_readers_table() {
    let table = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/coverage/readings-agreement.md"),
    )
    .unwrap();
    const VERDICTS: &[&str] = &["F", "LESS", "MORE", "SCOPE", "DUP", "SEV", "DATE", "QUOTE"];
    let mut rows = BTreeSet::new();
    for line in table.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        assert_eq!(cells.len(), 5, "a row has five cells: {line}");
        let id = cells[0].trim_matches('`');
        for verdict in &cells[1..3] {
            assert!(VERDICTS.contains(verdict), "{id}: verdict `{verdict}`");
        }
        let same = if cells[1] == cells[2] { "yes" } else { "no" };
        assert_eq!(cells[3], same, "{id}: agree");
        assert!(cells[4].len() > 10, "{id}: no resolution");
        assert!(rows.insert(id.to_string()), "{id} has two rows");
    }
    let catalog = peitao::engine::load_embedded().unwrap();
    let missing: Vec<&str> = catalog
        .rules
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !rows.contains(*id))
        .collect();
    assert!(missing.is_empty(), "rules without a row: {missing:?}");
}
