//! Stage 3, engine: runs the rules of the plans in force against a
//! submission and collects three-valued outcomes per rule and subject.
//!
//! Scripts are untrusted (packs can come from a directory): every engine is
//! sandboxed, and a script that fails or hits a limit becomes a rule error
//! naming the rule and line, while the other rules still run.

mod helpers;
mod host;
pub mod sandbox;
mod view;

pub use helpers::{normalize_name, tables_view};
pub use host::sandboxed_engine;

use crate::input::{Date, Span, Submission};
use crate::plan::{Catalog, Rule, Section, Severity, Text};
use rhai::{Dynamic, Map};

/// What a rule concluded about one subject (the estate, an institution …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// The requirement is not met.
    Violated,
    /// The rule applies but a field it needs is missing.
    Unchecked,
    /// The script failed or exceeded a sandbox limit.
    RuleError,
    /// The rule applies and the requirement is met.
    Holds,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Violated => "violated",
            Status::Unchecked => "cannot be checked",
            Status::RuleError => "rule error",
            Status::Holds => "holds",
        }
    }
}

/// One outcome of one rule for one subject. Every status but `Holds` is a
/// finding the reports show.
#[derive(Clone, Debug)]
pub struct Finding {
    /// Index of the rule in the catalog.
    pub rule: usize,
    pub status: Status,
    pub severity: Severity,
    /// Path of what the outcome is about (`estate`, `institutions[0]`).
    pub subject: String,
    pub message: Text,
    /// The offending values: the primary labels.
    pub at: Vec<Located>,
    /// The values the verdict was computed from: secondary labels.
    pub inputs: Vec<Located>,
    /// Text under the primary label(s).
    pub label: Option<Text>,
    /// "≥ 520 m²"-style figures, for JSON and SARIF.
    pub required: Option<String>,
    pub provided: Option<String>,
}

/// A value of the submission named by its path, and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub path: String,
    pub span: Span,
}

/// Everything the rules said about one submission.
#[derive(Clone, Debug)]
pub struct Checked {
    /// Indices of the packs whose rules ran.
    pub packs: Vec<usize>,
    /// The day the submission was judged on (its filing date, or --as-of).
    pub day: Date,
    /// Every outcome, `Holds` included, in rule order.
    pub outcomes: Vec<Finding>,
}

impl Checked {
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.outcomes.iter().filter(|f| f.status != Status::Holds)
    }
}

fn has_section(sub: &Submission, section: Section) -> bool {
    match section {
        Section::Estate => sub.estate.is_some(),
        Section::Facilities => !sub.facilities.is_empty(),
        Section::Institutions => !sub.institutions.is_empty(),
        Section::Venues => !sub.venues.is_empty(),
        Section::Region => sub.region.is_some(),
    }
}

/// Run every rule of `packs` in force on `day` against `sub`.
pub fn check(catalog: &Catalog, packs: &[usize], sub: &Submission, day: &Date) -> Checked {
    let rules = packs
        .iter()
        .flat_map(|&p| catalog.packs[p].rules.iter().copied());
    Checked {
        packs: packs.to_vec(),
        day: *day,
        outcomes: run_rules(catalog, rules, sub, day),
    }
}

/// Run the given rules (catalog indices) that are in force on `day` and
/// whose sections the submission has.
pub fn run_rules(
    catalog: &Catalog,
    rules: impl IntoIterator<Item = usize>,
    sub: &Submission,
    day: &Date,
) -> Vec<Finding> {
    let mut outcomes = Vec::new();
    let mut view = None;
    for r in rules {
        let rule = &catalog.rules[r];
        if !rule.in_force(day) || !rule.applies_to.iter().any(|&s| has_section(sub, s)) {
            continue;
        }
        // Built once per file, on first need, and shared by every rule.
        let view = view.get_or_insert_with(|| view::submission(sub));
        run_rule(catalog, r, rule, view, sub, &mut outcomes);
    }
    outcomes
}

fn run_rule(
    catalog: &Catalog,
    index: usize,
    rule: &Rule,
    view: &Dynamic,
    sub: &Submission,
    out: &mut Vec<Finding>,
) {
    let mut options = rhai::CallFnOptions::new()
        .eval_ast(false)
        .rewind_scope(true);
    // The pack's data tables, for `table(name)`.
    options.tag = Some(catalog.packs[rule.pack].tables_view.clone());
    let mut scope = rhai::Scope::new();
    let result = sandbox::with_budget(sandbox::rule_time(), || {
        catalog.engine.call_fn_with_options::<Dynamic>(
            options,
            &mut scope,
            &rule.ast,
            "check",
            (view.clone(),),
        )
    });
    let start = out.len();
    let outcome = result
        .map_err(|e| host::describe_error(&e, rule))
        .and_then(|value| host::outcomes(value, index, rule, sub, out));
    if let Err(why) = outcome {
        out.truncate(start);
        out.push(Finding {
            rule: index,
            status: Status::RuleError,
            severity: Severity::Error,
            subject: String::new(),
            message: Text {
                zh: format!("规则 {} 执行出错: {why}", rule.id),
                en: format!("rule {} failed: {why}", rule.id),
            },
            at: Vec::new(),
            inputs: Vec::new(),
            label: None,
            required: None,
            provided: None,
        });
    }
}

/// A map field as text, for outcome maps.
fn text_field(m: &Map, key: &str) -> Option<String> {
    m.get(key).and_then(|v| v.clone().into_string().ok())
}
