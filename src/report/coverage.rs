//! `peitao coverage`: the traceability table as text or JSON.

use crate::plan::coverage::{self, Class, Clause, Counts, Gap, Status};
use serde_json::json;
use std::fmt::Write as _;

/// A loaded pack with no coverage table (a new city, a pack of
/// `--rules`): its rules are counted, its clauses cannot be.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Untraced {
    pub plan: String,
    pub rules: usize,
}

/// The clauses of `plan` (all plans when `None`), or why not. A pack
/// without a table is no error: it has no clauses to list.
pub fn select(
    clauses: &[Clause],
    plan: Option<&str>,
    untraced: &[Untraced],
) -> Result<Vec<Clause>, String> {
    match plan {
        None => Ok(clauses.to_vec()),
        Some(id) if coverage::plans().any(|p| p == id) || untraced.iter().any(|u| u.plan == id) => {
            Ok(clauses.iter().filter(|c| c.plan == id).cloned().collect())
        }
        Some(id) => Err(format!(
            "error: no coverage table for plan `{id}`; plans: {}\n",
            coverage::plans().collect::<Vec<_>>().join(", ")
        )),
    }
}

/// What is said of the packs without a table, after the summary.
fn untraced_lines(out: &mut String, untraced: &[Untraced]) {
    for u in untraced {
        let _ = writeln!(
            out,
            "{}: no coverage table (docs/coverage/{}.yaml): its {} rule(s) are not traced to clauses and not counted above.",
            u.plan, u.plan, u.rules
        );
    }
}

fn by_plan(clauses: &[Clause]) -> Vec<(&'static str, Counts)> {
    coverage::plans()
        .map(|p| (p, Counts::of(clauses.iter().filter(|c| c.plan == p))))
        .filter(|(_, c)| c.clauses > 0)
        .collect()
}

/// The counts per plan and in all, as a table: each plan's clauses, then
/// the two classes apart (duties checked on a filing's records; targets of
/// a region's report), a restated clause counted once.
pub fn summary(clauses: &[Clause]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<10} {:>7} {:>7} {:>7} {:>5} {:>12} {:>9}",
        "plan", "clauses", "encoded", "partial", "open", "out-of-scope", "encoded %"
    );
    let row = |out: &mut String, name: &str, c: &Counts| {
        let _ = writeln!(
            out,
            "{name:<10} {:>7} {:>7} {:>7} {:>5} {:>12} {:>8.0}%",
            c.clauses,
            c.encoded,
            c.partial,
            c.open,
            c.out_of_scope,
            c.encoded_percent()
        );
    };
    for (plan, c) in by_plan(clauses) {
        row(&mut out, plan, &c);
        for class in Class::ALL {
            let of = Counts::of(
                clauses
                    .iter()
                    .filter(|x| x.plan == plan && x.class == class),
            );
            row(&mut out, &format!("  {}", class.as_str()), &of);
        }
    }
    row(&mut out, "all", &Counts::of(clauses));
    for class in Class::ALL {
        let of = Counts::of(clauses.iter().filter(|x| x.class == class));
        row(&mut out, &format!("  {}", class.as_str()), &of);
    }
    let restated = clauses.iter().filter(|c| c.restates.is_some()).count();
    let _ = writeln!(
        out,
        "record: a duty checked on a filing's records (estates, facilities, institutions, hospitals, venues);\n\
         region: a target of a region's report to the city's leading group (年度发展报告, 督导考核).\n\
         {restated} restated clause(s) counted once, with the clause they restate."
    );
    out
}

/// Every clause, grouped by plan, then the known gaps and the summary, and
/// the packs without a table.
pub fn human(clauses: &[Clause], gaps: &[Gap], untraced: &[Untraced]) -> String {
    let mut out = String::new();
    for (plan, counts) in by_plan(clauses) {
        let parts: Vec<String> = Status::ALL
            .iter()
            .map(|s| format!("{} {}", counts.get(*s), s.as_str()))
            .collect();
        let _ = writeln!(
            out,
            "{plan}: {} clauses ({})",
            counts.clauses,
            parts.join(", ")
        );
        for c in clauses.iter().filter(|c| c.plan == plan) {
            let _ = writeln!(
                out,
                "  {:<12} {:<6} {:<11} {}  {}",
                c.status.as_str(),
                c.class.as_str(),
                format!("{:?}", c.subject).to_lowercase(),
                c.section,
                c.quote.replace('\n', " ")
            );
            if let Some(twin) = &c.restates {
                let _ = writeln!(
                    out,
                    "{:35}restates: {} (counted once)",
                    "",
                    twin.replace('\n', " ")
                );
            }
            if !c.rules.is_empty() {
                let _ = writeln!(out, "{:35}rules: {}", "", c.rules.join(", "));
            }
            if !c.why.is_empty() {
                let _ = writeln!(out, "{:35}why: {}", "", c.why);
            }
            if let Some(e) = &c.encode {
                let by = e.by.map(|y| format!(", by {y}")).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "{:35}encode: reads {}; check {}; {}{by} ({})",
                    "",
                    e.reads.join(", "),
                    e.check,
                    e.severity,
                    e.wording
                );
            }
        }
        out.push('\n');
    }
    if !gaps.is_empty() {
        let _ = writeln!(out, "known gaps (not in the published text):");
        for g in gaps {
            let _ = writeln!(out, "  {}: {}  {}", g.plan, g.section, g.quote);
            let _ = writeln!(out, "{:35}why: {}", "", g.why);
        }
        out.push('\n');
    }
    out.push_str(&summary(clauses));
    untraced_lines(&mut out, untraced);
    out
}

/// A class's counts with the share encoded, for JSON.
fn class_counts(clauses: &[&Clause]) -> serde_json::Value {
    let c = Counts::of(clauses.iter().copied());
    let mut v = json!(c);
    v["encoded_percent"] = json!((c.encoded_percent() * 10.0).round() / 10.0);
    v
}

fn classes(clauses: &[Clause], plan: Option<&str>) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for class in Class::ALL {
        let of: Vec<&Clause> = clauses
            .iter()
            .filter(|c| c.class == class && plan.is_none_or(|p| c.plan == p))
            .collect();
        out.insert(class.as_str().into(), class_counts(&of));
    }
    serde_json::Value::Object(out)
}

/// `{"clauses": [...], "gaps": [...], "summary": {"plans": {...}, "total": {...}},
/// "untraced": [{"plan", "rules"}]}`; each count has `classes`: `record` and
/// `region` apart, with the share encoded; `untraced` lists the loaded packs
/// without a coverage table and their rule counts.
pub fn json(clauses: &[Clause], gaps: &[Gap], untraced: &[Untraced]) -> String {
    let plans: serde_json::Map<String, serde_json::Value> = by_plan(clauses)
        .into_iter()
        .map(|(p, c)| {
            let mut v = json!(c);
            v["classes"] = classes(clauses, Some(p));
            (p.to_string(), v)
        })
        .collect();
    let mut total = json!(Counts::of(clauses));
    total["classes"] = classes(clauses, None);
    let doc = json!({
        "clauses": clauses,
        "gaps": gaps,
        "summary": { "plans": plans, "total": total },
        "untraced": untraced,
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("coverage serialises");
    s.push('\n');
    s
}
