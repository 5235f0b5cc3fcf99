//! The ledger (台账) both `--format csv` and `--format xlsx` write: one
//! summary row per file (clean, with findings, invalid and unreadable
//! alike: project name, submission id, plans, result, counts) and one row
//! per finding, input error, unreadable file or (with `--baseline`) fixed
//! finding, with the waiver's reason, approver and expiry and the baseline
//! mark each in a column of its own, and the place as the cell of a
//! workbook (`居住区!C7`) or the `line:column` of a YAML file.
//!
//! Column headers are in the report's language, or the stable English
//! keys (`--ledger-keys`, `ledger_keys = true` in peitao.toml) for scripts;
//! values (severity, status, result) are always the stable words of the
//! JSON report, so a filter means the same in any language.

use super::{Counts, LineIndex};
use crate::check::{FileResult, Outcome};
use crate::engine::Catalog;
use crate::plan::Lang;

/// A column: the catalogue's key of its header, and its stable key.
pub type Column = (&'static str, &'static str);

/// The summary's columns.
pub const SUMMARY_COLUMNS: &[Column] = &[
    ("ledger.file", "file"),
    ("ledger.project", "project"),
    ("ledger.submission-id", "submission_id"),
    ("ledger.plan", "plan"),
    ("ledger.result", "result"),
    ("ledger.errors", "errors"),
    ("ledger.warnings", "warnings"),
    ("ledger.cannot-be-checked", "cannot_be_checked"),
    ("ledger.rule-errors", "rule_errors"),
    ("ledger.waived", "waived"),
    ("ledger.input-errors", "input_errors"),
];

/// The findings' columns.
pub const FINDING_COLUMNS: &[Column] = &[
    ("ledger.file", "file"),
    ("ledger.location", "location"),
    ("ledger.submission-id", "submission_id"),
    ("ledger.plan", "plan"),
    ("ledger.rule", "rule"),
    ("ledger.severity", "severity"),
    ("ledger.status", "status"),
    ("ledger.subject", "subject"),
    ("ledger.message", "message"),
    ("ledger.required", "required"),
    ("ledger.provided", "provided"),
    ("ledger.clause", "clause"),
    ("ledger.waiver-reason", "waiver_reason"),
    ("ledger.approved-by", "approved_by"),
    ("ledger.waiver-expires", "waiver_expires"),
    ("ledger.baseline", "baseline"),
];

/// How a ledger's headers read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Headers {
    /// In the report's language.
    Words(Lang),
    /// The stable English keys (`submission_id`), for scripts.
    Keys,
}

impl Headers {
    pub fn new(lang: Lang, keys: bool) -> Headers {
        if keys {
            Headers::Keys
        } else {
            Headers::Words(lang)
        }
    }
    pub fn of(self, columns: &[Column]) -> Vec<&'static str> {
        columns
            .iter()
            .map(|&(words, key)| match self {
                Headers::Words(lang) => crate::base::text::word(words, lang),
                Headers::Keys => key,
            })
            .collect()
    }
}

/// A cell: text, or a count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Count(usize),
}

impl Cell {
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Cell::Text(t) => t.as_str().into(),
            Cell::Count(n) => n.to_string().into(),
        }
    }
}

impl From<&str> for Cell {
    fn from(t: &str) -> Cell {
        Cell::Text(t.to_string())
    }
}
impl From<String> for Cell {
    fn from(t: String) -> Cell {
        Cell::Text(t)
    }
}
impl From<usize> for Cell {
    fn from(n: usize) -> Cell {
        Cell::Count(n)
    }
}

/// One file's rows: its summary row, and its finding rows (none for a
/// clean file).
pub struct Rows {
    pub summary: Vec<Cell>,
    pub findings: Vec<Vec<Cell>>,
}

/// The project's name as the filing gives it: its title, else the
/// estate's or the region's name.
pub fn project_name(file: &FileResult) -> String {
    let limits = crate::input::Limits {
        max_file_bytes: file.source.len().max(1),
        max_records: usize::MAX,
        ..Default::default()
    };
    let Ok(sub) = crate::input::parse_submission(&file.source, &limits) else {
        return String::new();
    };
    sub.filing
        .text("title")
        .or_else(|| sub.estate.as_ref().and_then(|e| e.text("name")))
        .or_else(|| sub.region.as_ref().and_then(|r| r.text("name")))
        .unwrap_or("")
        .to_string()
}

/// The ledger's rows of one file.
pub fn rows(catalog: &Catalog, lang: Lang, file: &FileResult) -> Rows {
    let idx = LineIndex::new(&file.source);
    let id = file.review.identity.submission.clone().unwrap_or_default();
    let counts = Counts::of(file);
    let waived = file
        .reviewed_findings()
        .iter()
        .filter(|(_, r)| r.is_some_and(|r| r.waived()))
        .count();
    let (result, plans, input_errors) = match &file.outcome {
        Outcome::Unreadable(_) => ("unreadable", String::new(), 0),
        Outcome::Invalid(errors) => ("invalid", String::new(), errors.len()),
        Outcome::Checked(c) => {
            let plans: Vec<&str> = c
                .packs
                .iter()
                .map(|&p| catalog.packs[p].manifest.id.as_str())
                .collect();
            let result = if c.outcomes.is_empty() {
                "no_rule_applies"
            } else if counts.total() == 0 {
                "clean"
            } else {
                "findings"
            };
            (result, plans.join(", "), 0)
        }
    };
    let project = match &file.outcome {
        Outcome::Checked(_) => project_name(file),
        _ => String::new(),
    };
    let summary = vec![
        file.path.as_str().into(),
        project.into(),
        id.as_str().into(),
        plans.into(),
        result.into(),
        counts.errors.into(),
        counts.warnings.into(),
        counts.unchecked.into(),
        counts.rule_errors.into(),
        waived.into(),
        input_errors.into(),
    ];
    let mut findings = Vec::new();
    let full = |mut row: Vec<Cell>| {
        row.resize_with(FINDING_COLUMNS.len(), || "".into());
        row
    };
    match &file.outcome {
        Outcome::Unreadable(why) => findings.push(full(vec![
            file.path.as_str().into(),
            "".into(),
            id.as_str().into(),
            "".into(),
            "".into(),
            "error".into(),
            "unreadable".into(),
            "".into(),
            why.as_str().into(),
        ])),
        Outcome::Invalid(errors) => {
            for e in errors {
                let said = super::messages::input_error(e, lang);
                let message = match &said.help {
                    Some(h) => format!("{} ({h})", said.message),
                    None => said.message.clone(),
                };
                findings.push(full(vec![
                    file.path.as_str().into(),
                    super::location_text(file, &idx, e.span).into(),
                    id.as_str().into(),
                    "".into(),
                    format!("input::{}", e.code).into(),
                    "error".into(),
                    "invalid_input".into(),
                    "".into(),
                    message.into(),
                ]));
            }
        }
        Outcome::Checked(_) => {
            for (f, review) in file.reviewed_findings() {
                let rule = &catalog.rules[f.rule];
                let plan = &catalog.packs[rule.pack].manifest.id;
                let at =
                    f.at.first()
                        .map_or(String::new(), |a| super::location_text(file, &idx, a.span));
                let waiver = review.and_then(|r| r.waiver.as_ref());
                let baseline = review.and_then(|r| r.baseline).map_or("", |b| b.as_str());
                findings.push(vec![
                    file.path.as_str().into(),
                    at.into(),
                    id.as_str().into(),
                    plan.as_str().into(),
                    rule.id.as_str().into(),
                    f.severity.as_str().into(),
                    if review.is_some_and(|r| r.waived()) {
                        "waived"
                    } else {
                        super::json::status_word(f.status)
                    }
                    .into(),
                    f.subject.as_str().into(),
                    f.message.get(lang).into(),
                    f.required().map_or("", |t| t.get(lang)).into(),
                    f.provided().map_or("", |t| t.get(lang)).into(),
                    rule.clause.as_str().into(),
                    waiver.map_or("", |w| w.waiver.reason.as_str()).into(),
                    waiver.map_or("", |w| w.waiver.approved_by.as_str()).into(),
                    waiver
                        .map_or(String::new(), |w| w.waiver.expires.to_string())
                        .into(),
                    baseline.into(),
                ]);
            }
            // With --baseline: what the baseline had and this file no
            // longer has, so the ledger records what was fixed.
            for gone in file.review.fixed.iter().flatten() {
                let plan = gone.rule.split('.').next().unwrap_or("");
                let mut row = full(vec![
                    file.path.as_str().into(),
                    "".into(),
                    id.as_str().into(),
                    plan.into(),
                    gone.rule.as_str().into(),
                    "".into(),
                    "fixed".into(),
                    gone.subject.as_str().into(),
                    gone.message.as_str().into(),
                ]);
                row[15] = "fixed".into();
                findings.push(row);
            }
        }
    }
    Rows { summary, findings }
}

/// The CSV ledger's columns: the file's summary, then the finding's.
/// Each row carries its file's summary; a file with no finding row (a
/// clean one) has one row with the finding's columns empty.
pub fn csv_columns() -> Vec<Column> {
    let s = SUMMARY_COLUMNS;
    let f = FINDING_COLUMNS;
    let mut out = vec![s[0], s[1], s[2], s[3], s[4]];
    out.extend(&f[1..2]); // location
    out.extend(&f[4..]); // rule … baseline
    out.extend(&s[5..]); // counts
    out
}

/// The CSV rows of a file, in [`csv_columns`] order.
pub fn csv_rows(rows: &Rows) -> Vec<Vec<Cell>> {
    let s = &rows.summary;
    let row = |f: Option<&Vec<Cell>>| {
        // A finding's row names the finding's plan; a summary row, the
        // file's plans.
        let plan = f.map_or(&s[3], |f| &f[3]);
        let mut out = vec![s[0].clone(), s[1].clone(), s[2].clone(), plan.clone()];
        out.push(s[4].clone());
        match f {
            Some(f) => {
                out.push(f[1].clone());
                out.extend(f[4..].iter().cloned());
            }
            None => out.resize_with(5 + 1 + FINDING_COLUMNS.len() - 4, || "".into()),
        }
        out.extend(s[5..].iter().cloned());
        out
    };
    if rows.findings.is_empty() {
        vec![row(None)]
    } else {
        rows.findings.iter().map(|f| row(Some(f))).collect()
    }
}
