//! Rule fixtures: submissions that state inline, in YAML comments, what the
//! rules must find (after clippy's `//~` and Semgrep's `ruleid:`).
//!
//! A fixture file `rules/<plan>/tests/<rule-name>.yaml` holds one or more
//! cases separated by `---` lines and runs against the rule
//! `<plan>.<rule-name>` alone (a file named after no rule runs the whole
//! pack). On the line a finding must underline:
//!
//! - `# expect: RULE` — the rule is violated here;
//! - `# expect-unchecked: RULE` — the rule cannot be checked, pointing here;
//! - `# expect-holds: RULE` — the rule applies to the record here and holds;
//! - `# expect-input: CODE` — an input error with this code here;
//! - `# expect-none` — (anywhere) the case has no finding at all.
//!
//! Violations, unchecked outcomes and input errors must match exactly; every
//! case must state at least one expectation.

use crate::check::{self, FileResult, Outcome};
use crate::engine::{self, Catalog, Checked, Status};
use crate::input::{self, Span};
use crate::plan::Selection;
use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

/// One expected or actual outcome, comparable.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mark {
    pub line: usize,
    pub kind: MarkKind,
    /// A rule id, or an input error code.
    pub what: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkKind {
    Violated,
    Unchecked,
    Holds,
    Input,
    RuleError,
}

impl fmt::Display for Mark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tag = match self.kind {
            MarkKind::Violated => "expect",
            MarkKind::Unchecked => "expect-unchecked",
            MarkKind::Holds => "expect-holds",
            MarkKind::Input => "expect-input",
            MarkKind::RuleError => "rule error",
        };
        write!(f, "line {}: {tag}: {}", self.line, self.what)
    }
}

/// One case of a fixture file.
#[derive(Clone, Debug)]
pub struct Case {
    /// 1-based line of the case's first line in its file.
    pub first_line: usize,
    /// The case's text, preceded by blank lines so that offsets and line
    /// numbers are those of the whole file.
    pub text: Arc<str>,
    pub expected: BTreeSet<Mark>,
    pub expect_none: bool,
    /// Lines with a malformed `# expect…` comment.
    pub bad_marks: Vec<String>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Split a fixture file into its cases and read their expectations.
pub fn cases(text: &str) -> Vec<Case> {
    let mut out = Vec::new();
    let mut start = 0; // line index where the current case starts
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let flush = |from: usize, to: usize, out: &mut Vec<Case>| {
        let body: String = lines[from..to].concat();
        if body.trim().is_empty() {
            return;
        }
        let mut case = Case {
            first_line: from + 1,
            text: Arc::from(format!("{}{}", "\n".repeat(from), body)),
            expected: BTreeSet::new(),
            expect_none: false,
            bad_marks: Vec::new(),
        };
        for (i, line) in lines[from..to].iter().enumerate() {
            read_marks(line, from + i + 1, &mut case);
        }
        out.push(case);
    };
    for (i, line) in lines.iter().enumerate() {
        if line.trim_end() == "---" {
            flush(start, i, &mut out);
            start = i + 1;
        }
    }
    flush(start, lines.len(), &mut out);
    out
}

fn read_marks(line: &str, number: usize, case: &mut Case) {
    let Some(at) = line.find("# expect") else {
        return;
    };
    let comment = line[at + 2..].trim();
    if comment == "expect-none" {
        case.expect_none = true;
        return;
    }
    let Some((tag, rest)) = comment.split_once(':') else {
        case.bad_marks.push(format!(
            "line {number}: `{comment}` (expected `# expect: RULE` or similar)"
        ));
        return;
    };
    let kind = match tag.trim() {
        "expect" => MarkKind::Violated,
        "expect-unchecked" => MarkKind::Unchecked,
        "expect-holds" => MarkKind::Holds,
        "expect-input" => MarkKind::Input,
        other => {
            case.bad_marks
                .push(format!("line {number}: unknown marker `{other}`"));
            return;
        }
    };
    for what in rest.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        case.expected.insert(Mark {
            line: number,
            kind,
            what: what.to_string(),
        });
    }
}

/// What running one case gave, and how it differs from what it expected.
#[derive(Debug)]
pub struct CaseRun {
    pub case: Case,
    pub result: FileResult,
    /// Expected but not found.
    pub missing: Vec<Mark>,
    /// Found but not expected.
    pub unexpected: Vec<Mark>,
    pub actual: BTreeSet<Mark>,
}

impl CaseRun {
    pub fn passed(&self) -> bool {
        self.missing.is_empty()
            && self.unexpected.is_empty()
            && self.case.bad_marks.is_empty()
            && self.states_something()
    }
    pub fn states_something(&self) -> bool {
        self.case.expect_none || !self.case.expected.is_empty()
    }
}

fn actual_marks(catalog: &Catalog, result: &FileResult) -> BTreeSet<Mark> {
    let text = &result.source;
    let mark = |span: Span, kind, what: &str| Mark {
        line: line_of(text, span.offset),
        kind,
        what: what.to_string(),
    };
    match &result.outcome {
        Outcome::Unreadable(why) => BTreeSet::from([Mark {
            line: 0,
            kind: MarkKind::Input,
            what: format!("unreadable: {why}"),
        }]),
        Outcome::Invalid(errors) => errors
            .iter()
            .map(|e| mark(e.span, MarkKind::Input, e.code.as_str()))
            .collect(),
        Outcome::Checked(Checked { outcomes, .. }) => outcomes
            .iter()
            .map(|f| {
                let kind = match f.status {
                    Status::Violated => MarkKind::Violated,
                    Status::Unchecked => MarkKind::Unchecked,
                    Status::Holds => MarkKind::Holds,
                    Status::RuleError => MarkKind::RuleError,
                };
                let span = f.at.first().map_or(Span::default(), |a| a.span);
                let id = &catalog.rules[f.rule].id;
                match kind {
                    // Never expected: say what went wrong, for the diff.
                    MarkKind::RuleError => mark(span, kind, &format!("{id} ({})", f.message.en)),
                    _ => mark(span, kind, id),
                }
            })
            .collect(),
    }
}

/// Run one case against `rules` (catalog indices) of pack `pack`.
pub fn run_case(
    catalog: &Catalog,
    pack: usize,
    rules: &[usize],
    case: Case,
    path: &str,
) -> CaseRun {
    let selection = Selection {
        plans: vec![catalog.packs[pack].manifest.id.clone()],
        ..Selection::default()
    };
    let mut options = check::Options {
        selection,
        ..Default::default()
    };
    let text = case.text.clone();
    let outcome = match input::parse_submission(&text, &options.limits) {
        Err(errors) => Outcome::Invalid(errors),
        Ok(sub) => {
            // A case without a filing date is judged on a fixed day its plan is in force.
            if sub.filing.get("filed").is_none() {
                options.selection.as_of = Some(catalog.packs[pack].fixture_day());
            }
            match crate::plan::select(catalog, &sub, &options.selection) {
                Err(errors) => Outcome::Invalid(errors),
                Ok((packs, day)) => Outcome::Checked(Checked {
                    packs,
                    day,
                    outcomes: engine::run_rules(catalog, rules.iter().copied(), &sub, &day),
                    not_in_force: engine::not_in_force(catalog, rules.iter().copied(), &day),
                }),
            }
        }
    };
    let result = FileResult {
        path: path.to_string(),
        source: text,
        outcome,
        review: Default::default(),
        transcoded_from: None,
        cells: None,
    };
    let actual = actual_marks(catalog, &result);
    // Holds are compared only where the case asks about them.
    let mut case = case;
    if case.expect_none && case.expected.iter().any(|m| m.kind != MarkKind::Holds) {
        case.bad_marks
            .push("`# expect-none` in a case that also expects findings".into());
    }
    let missing = case.expected.difference(&actual).cloned().collect();
    let unexpected = actual
        .difference(&case.expected)
        .filter(|m| m.kind != MarkKind::Holds)
        .cloned()
        .collect();
    CaseRun {
        case,
        result,
        missing,
        unexpected,
        actual,
    }
}

/// The rules a fixture file runs against: the rule named by its file stem
/// (`elderly-space-new.yaml` → `<pack>.elderly-space-new`), else the pack.
pub fn rules_for(catalog: &Catalog, pack: usize, fixture_path: &str) -> Vec<usize> {
    let stem = fixture_path.rsplit('/').next().unwrap_or(fixture_path);
    let stem = stem.split('.').next().unwrap_or(stem);
    let id = format!("{}.{stem}", catalog.packs[pack].manifest.id);
    match catalog.rules.iter().position(|r| r.id == id) {
        Some(r) => vec![r],
        None => catalog.packs[pack].rules.clone(),
    }
}

/// Run every case of one fixture file.
pub fn run_fixture(catalog: &Catalog, pack: usize, path: &str, text: &str) -> Vec<CaseRun> {
    let rules = rules_for(catalog, pack, path);
    cases(text)
        .into_iter()
        .map(|c| run_case(catalog, pack, &rules, c, path))
        .collect()
}

/// Per rule: did some case see it fall short (violated, or "cannot be
/// checked": a clause bound by a condition no field records, 具备条件的, can
/// say no more of a record short of its figure: docs/readings.md R22), and
/// some see it hold?
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    pub fires: bool,
    pub holds: bool,
}

pub fn coverage_of<'a>(
    catalog: &Catalog,
    runs: impl Iterator<Item = &'a CaseRun> + Clone,
) -> Vec<(usize, Coverage)> {
    catalog
        .rules
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            let mut c = Coverage::default();
            for run in runs.clone().filter(|r| r.passed()) {
                for m in &run.actual {
                    if m.what == rule.id {
                        c.fires |= matches!(m.kind, MarkKind::Violated | MarkKind::Unchecked);
                        c.holds |= m.kind == MarkKind::Holds;
                    }
                }
            }
            (i, c)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_keep_the_file_s_line_numbers() {
        let text = "# one\nversion: 1 # expect-none\n---\n# two\nversion: 2 # expect-input: unsupported-version\n";
        let cs = cases(text);
        assert_eq!(cs.len(), 2);
        assert!(cs[0].expect_none);
        assert_eq!(cs[1].first_line, 4);
        let m = cs[1].expected.iter().next().unwrap();
        assert_eq!(
            (m.line, m.kind, m.what.as_str()),
            (5, MarkKind::Input, "unsupported-version")
        );
        assert_eq!(line_of(&cs[1].text, cs[1].text.find("version").unwrap()), 5);
    }

    #[test]
    fn malformed_markers_are_reported() {
        let cs = cases("version: 1 # expect shiyan.x\n");
        assert_eq!(cs[0].bad_marks.len(), 1);
        let cs = cases("version: 1 # expect-maybe: shiyan.x\n");
        assert_eq!(cs[0].bad_marks.len(), 1);
    }
}
