//! `peitao coverage`: the traceability table as text or JSON.

use crate::plan::coverage::{self, Clause, Counts, Status};
use serde_json::json;
use std::fmt::Write as _;

/// The clauses of `plan` (all plans when `None`), or why not.
pub fn select(clauses: &[Clause], plan: Option<&str>) -> Result<Vec<Clause>, String> {
    match plan {
        None => Ok(clauses.to_vec()),
        Some(id) if coverage::plans().any(|p| p == id) => {
            Ok(clauses.iter().filter(|c| c.plan == id).cloned().collect())
        }
        Some(id) => Err(format!(
            "error: no coverage table for plan `{id}`; plans: {}\n",
            coverage::plans().collect::<Vec<_>>().join(", ")
        )),
    }
}

fn by_plan(clauses: &[Clause]) -> Vec<(&'static str, Counts)> {
    coverage::plans()
        .map(|p| (p, Counts::of(clauses.iter().filter(|c| c.plan == p))))
        .filter(|(_, c)| c.clauses > 0)
        .collect()
}

/// The counts per plan and in all, as a table.
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
    }
    row(&mut out, "all", &Counts::of(clauses));
    out
}

/// Every clause, grouped by plan, then the summary.
pub fn human(clauses: &[Clause]) -> String {
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
                "  {:<12} {:<11} {}  {}",
                c.status.as_str(),
                format!("{:?}", c.subject).to_lowercase(),
                c.section,
                c.quote
            );
            if !c.rules.is_empty() {
                let _ = writeln!(out, "{:28}rules: {}", "", c.rules.join(", "));
            }
            if !c.why.is_empty() {
                let _ = writeln!(out, "{:28}why: {}", "", c.why);
            }
            if let Some(e) = &c.encode {
                let by = e.by.map(|y| format!(", by {y}")).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "{:28}encode: reads {}; check {}; {}{by} ({})",
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
    out.push_str(&summary(clauses));
    out
}

/// `{"clauses": [...], "summary": {"plans": {...}, "total": {...}}}`.
pub fn json(clauses: &[Clause]) -> String {
    let plans: serde_json::Map<String, serde_json::Value> = by_plan(clauses)
        .into_iter()
        .map(|(p, c)| (p.to_string(), json!(c)))
        .collect();
    let doc = json!({
        "clauses": clauses,
        "summary": { "plans": plans, "total": Counts::of(clauses) },
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("coverage serialises");
    s.push('\n');
    s
}
