//! Stage 3, engine: runs the rules of the plans in force against a
//! submission and collects three-valued outcomes per rule and subject.
//!
//! Scripts are untrusted (packs can come from a directory): every engine is
//! sandboxed, and a script that fails or hits a limit becomes a rule error
//! naming the rule and line, while the other rules still run.
//!
//! Scripts (and rules of a pack's rhai templates) read the submission as
//! rhai values (`view`, `unknown`); the built-in templates read it typed
//! (`read`), with the same missing values and the same trying of a closed
//! set's values, so both give the same verdicts. What the plan stage holds
//! of a compiled rule is this engine's own type ([`Compiler`]'s
//! `RuleCompiler::Rule`): [`Catalog`] is `plan::Catalog<Compiler>`.

mod compile;
mod helpers;
mod host;
mod native;
mod num;
mod outcome;
mod read;
pub mod sandbox;
mod tables;
mod unknown;
mod view;

pub use compile::Compiler;
pub use helpers::normalize_name;
pub use host::{host_functions_table, sandboxed_engine, HOST_FUNCTIONS};
pub use native::{pack_schema, templates_table, NativeTemplate, Param, NATIVE};
pub use num::{DecimalError, Num};

use crate::base::text::both;
use crate::input::{Date, Msg, Span, Submission};
use crate::plan::{self, Entry, PlanError, Severity, Text};
use outcome::{Stop, Verdict};
use rhai::Dynamic;
use std::sync::Arc;

/// Every loaded pack and rule, as [`Compiler`] compiled them: what
/// [`check`] runs.
pub type Catalog = plan::Catalog<Compiler>;
/// A rule of the catalog.
pub type Rule = plan::Rule<Compiler>;
/// A pack of the catalog.
pub type Pack = plan::Pack<Compiler>;

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
    /// Text under the primary label(s).
    pub label: Option<Text>,
    /// For "cannot be checked" because a field is missing: the field's
    /// path (`region.indicators.lottery_fund_share`), so a report can
    /// gather a region plan's missing figures into one list.
    pub missing: Option<String>,
    /// A violation's inputs and figures ([`Finding::inputs`],
    /// [`Finding::required`], [`Finding::provided`]); `None` when it has
    /// none. Boxed: most outcomes of a large file (holds, cannot be
    /// checked) have none, and a finding is kept for the file's report.
    pub figures: Option<Box<Figures>>,
}

/// What a violation was computed from, and its figures.
#[derive(Clone, Debug, Default)]
pub struct Figures {
    /// The values the verdict was computed from: secondary labels.
    pub inputs: Vec<Located>,
    /// ">= 520 m²"-style figures, for JSON and CSV: mostly figures, units
    /// and operators, in both languages where a rule says more.
    pub required: Option<Text>,
    pub provided: Option<Text>,
}

impl Finding {
    /// The values the verdict was computed from: secondary labels.
    pub fn inputs(&self) -> &[Located] {
        self.figures.as_deref().map_or(&[], |f| &f.inputs)
    }
    /// What the clause requires (">= 520 m²"), when the rule says.
    pub fn required(&self) -> Option<&Text> {
        self.figures.as_deref()?.required.as_ref()
    }
    /// What the submission provides, when the rule says.
    pub fn provided(&self) -> Option<&Text> {
        self.figures.as_deref()?.provided.as_ref()
    }
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
    /// Rules of these packs whose own dates in force leave out `day`
    /// (catalog indices, in rule order): not run, and said so, never
    /// silently absent.
    pub not_in_force: Vec<usize>,
}

impl Checked {
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.outcomes.iter().filter(|f| f.status != Status::Holds)
    }
}

/// What a template checks, and the file it is written in, for `explain`.
pub fn template_summary(name: &str) -> Option<(String, &'static str)> {
    native::find(name).map(|t| (t.summary(), t.source))
}

/// The packs built into the binary, compiled.
pub fn load_embedded() -> Result<Catalog, Vec<PlanError>> {
    load_files(&plan::embedded_files())
}

/// Every pack among `files`, compiled.
pub fn load_files(files: &plan::Files) -> Result<Catalog, Vec<PlanError>> {
    plan::load_files(files, &Compiler::default())
}

/// Every pack among `files`, with only those answering to one of `names`
/// (plan ids or aliases) compiled: enough to check files of those plans.
/// With no name, or none a pack answers to, every pack is compiled.
pub fn load_files_naming(files: &plan::Files, names: &[String]) -> Result<Catalog, Vec<PlanError>> {
    let names: Vec<&str> = names.iter().map(|n| n.trim()).collect();
    let answers = |id: &str, aliases: &[String]| {
        names
            .iter()
            .any(|n| *n == id || aliases.iter().any(|a| a == n))
    };
    // One compiler, so one budget for the scripts' top levels, even when
    // every pack is loaded after all.
    let compiler = Compiler::default();
    let catalog = plan::load_files_for(files, &compiler, Some(&answers))?;
    if catalog.packs.iter().any(|p| p.complete) {
        Ok(catalog)
    } else {
        plan::load_files(files, &compiler)
    }
}

/// Run every rule of `packs` in force on `day` against `sub`. The
/// submission is taken, not borrowed: the rhai view of it reads the one
/// copy instead of copying it.
pub fn check(catalog: &Catalog, packs: &[usize], sub: Submission, day: &Date) -> Checked {
    let rules = packs
        .iter()
        .flat_map(|&p| catalog.packs[p].rules.iter().copied());
    let outcomes = run(catalog, rules.clone(), Shared::Owned(Arc::new(sub)), day);
    Checked {
        packs: packs.to_vec(),
        day: *day,
        outcomes,
        not_in_force: not_in_force(catalog, rules, day),
    }
}

/// The given rules (catalog indices) that are not in force on `day`.
pub fn not_in_force(
    catalog: &Catalog,
    rules: impl IntoIterator<Item = usize>,
    day: &Date,
) -> Vec<usize> {
    rules
        .into_iter()
        .filter(|&r| !catalog.rules[r].in_force(day))
        .collect()
}

/// Run the given rules (catalog indices) that are in force on `day`, each
/// on every record of the sections it judges. A script among them reads a
/// copy of `sub` ([`check`] lends it its own).
pub fn run_rules(
    catalog: &Catalog,
    rules: impl IntoIterator<Item = usize>,
    sub: &Submission,
    day: &Date,
) -> Vec<Finding> {
    run(catalog, rules, Shared::Borrowed(sub), day)
}

/// The submission the rules run on: the rhai view needs it shared.
enum Shared<'s> {
    Borrowed(&'s Submission),
    Owned(Arc<Submission>),
}

impl Shared<'_> {
    fn get(&self) -> &Submission {
        match self {
            Shared::Borrowed(s) => s,
            Shared::Owned(s) => s,
        }
    }
    fn shared(&self) -> Arc<Submission> {
        match self {
            Shared::Borrowed(s) => Arc::new((*s).clone()),
            Shared::Owned(s) => s.clone(),
        }
    }
}

fn run(
    catalog: &Catalog,
    rules: impl IntoIterator<Item = usize>,
    shared: Shared,
    day: &Date,
) -> Vec<Finding> {
    let sub = shared.get();
    let mut outcomes = Vec::new();
    let mut view = None;
    // Every rule script on this file shares one budget besides its own:
    // twenty rules that each spend their second cost it once, not twenty
    // times. Templates never read the clock, so they all run.
    let records = sub.facilities.len()
        + sub.institutions.len()
        + sub.hospitals.len()
        + sub.venues.len()
        + usize::from(sub.estate.is_some())
        + usize::from(sub.region.is_some());
    let budget = sandbox::submission_budget(records);
    sandbox::with_budget_of(sandbox::Scope::Submission, budget, || {
        for r in rules {
            let rule = &catalog.rules[r];
            if !rule.in_force(day) {
                continue;
            }
            match &rule.compiled {
                // A template in Rust reads the submission typed (no rhai
                // view), bounded by its parameters, not by the clock.
                compile::Compiled::Native(native) => {
                    judge_typed(catalog, r, rule, native.as_ref(), sub, &mut outcomes)
                }
                compile::Compiled::Script(ast) => {
                    let script = Scripted {
                        ast,
                        template: None,
                    };
                    // Built once per file, on first need, and shared by
                    // every script.
                    let view = view.get_or_insert_with(|| view::submission(shared.shared()));
                    run_script(catalog, r, rule, script, view, sub, &mut outcomes);
                }
                compile::Compiled::Template(template, params) => {
                    let script = Scripted {
                        ast: &template.ast,
                        template: Some((&template.path, params)),
                    };
                    let view = view.get_or_insert_with(|| view::submission(shared.shared()));
                    run_script(catalog, r, rule, script, view, sub, &mut outcomes);
                }
            }
        }
    });
    // Kept for the file's whole report: without the spare room growing
    // by doubling leaves (up to as much again as the outcomes hold).
    outcomes.shrink_to_fit();
    outcomes
}

/// Every record of a template's sections, judged through the typed view.
fn judge_typed(
    catalog: &Catalog,
    index: usize,
    rule: &Rule,
    native: &dyn native::Native,
    sub: &Submission,
    out: &mut Vec<Finding>,
) {
    let start = out.len();
    let whole = read::SubmissionView(sub);
    let tables = tables(catalog, rule);
    for entry in &rule.entries {
        let cx = |worded| native::Cx {
            section: entry.section,
            sub: whole,
            tables,
            worded,
        };
        for record in whole.records(entry.section) {
            if let Some(kinds) = &entry.kinds {
                // Declared by the template: a record of another kind is
                // not applicable, without a call.
                if record
                    .text("kind")
                    .is_some_and(|k| !kinds.iter().any(|w| w == k))
                {
                    continue;
                }
            }
            let view = read::RecordView::Given(record);
            let mut attempt = |worded| match native.judge(&view, &cx(worded)) {
                Ok(verdict) => Ok(Try::Verdict(verdict)),
                Err(Stop::Missing(path)) => Ok(Try::Missing(path)),
                Err(Stop::Error(why)) => Err(both(
                    &Msg::new("engine.template-in")
                        .text("why", &why)
                        .arg("path", &rule.path),
                )),
            };
            let judged = judge(&mut attempt, true);
            if !settle(judged, index, rule, &record.path, sub, start, out) {
                return;
            }
        }
    }
}

/// A rule in rhai as it runs: its syntax tree and, for a rule of a pack's
/// rhai template, the template's file and the rule's parameters.
#[derive(Clone, Copy)]
struct Scripted<'r> {
    ast: &'r rhai::AST,
    template: Option<(&'r str, &'r Dynamic)>,
}

/// A rule script (or a rule of a pack's rhai template) on every record of
/// its sections, within its budget.
fn run_script(
    catalog: &Catalog,
    index: usize,
    rule: &Rule,
    script: Scripted,
    view: &Dynamic,
    sub: &Submission,
    out: &mut Vec<Finding>,
) {
    let whole = view.read_lock::<view::Sub>().map(|s| s.clone());
    let Some(whole) = whole else { return };
    let records: usize = rule.entries.iter().map(|e| whole.count(e.section)).sum();
    sandbox::with_budget(sandbox::rule_budget(records), || {
        let start = out.len();
        for entry in &rule.entries {
            for i in 0..whole.count(entry.section) {
                let record = whole.record(entry.section, i);
                if let Some(kinds) = &entry.kinds {
                    let kind = record
                        .read_lock::<view::Rec>()
                        .and_then(|r| r.get("kind"))
                        .and_then(|k| k.into_immutable_string().ok());
                    if kind.is_some_and(|k| !kinds.iter().any(|w| *w == k.as_str())) {
                        continue;
                    }
                }
                let subject = record
                    .read_lock::<view::Rec>()
                    .map(|r| r.path().to_string())
                    .unwrap_or_default();
                // A script words its verdicts whatever is asked.
                let mut attempt = |_| try_script(catalog, rule, script, entry, &record, view);
                let judged = judge(&mut attempt, false);
                if !settle(judged, index, rule, &subject, sub, start, out) {
                    return;
                }
            }
        }
    });
}

/// The finding of one record's verdict pushed onto `out`; false when the
/// rule failed, which voids all it said on this submission (the findings
/// from `start` on give way to the rule error).
fn settle(
    judged: Result<(Verdict, Vec<String>), Text>,
    index: usize,
    rule: &Rule,
    subject: &str,
    sub: &Submission,
    start: usize,
    out: &mut Vec<Finding>,
) -> bool {
    let finding = judged
        .and_then(|(verdict, settled)| host::finding(verdict, settled, index, rule, subject, sub));
    match finding {
        Ok(Some(f)) => out.push(f),
        Ok(None) => {}
        Err(why) => {
            out.truncate(start);
            out.push(rule_error(index, rule, why));
            return false;
        }
    }
    true
}

fn rule_error(index: usize, rule: &Rule, why: Text) -> Finding {
    let why = host::bounded(why);
    Finding {
        rule: index,
        status: Status::RuleError,
        severity: Severity::Error,
        subject: String::new(),
        message: both(
            &Msg::new("engine.rule-failed")
                .arg("rule", &rule.id)
                .both("why", why.zh, why.en),
        ),
        at: Vec::new(),
        label: None,
        missing: None,
        figures: None,
    }
}

/// One call of a rule script's function on one record.
fn call(
    catalog: &Catalog,
    rule: &Rule,
    ast: &rhai::AST,
    entry: &Entry,
    record: &Dynamic,
    view: &Dynamic,
) -> Result<Dynamic, Box<rhai::EvalAltResult>> {
    let mut options = rhai::CallFnOptions::new()
        .eval_ast(false)
        .rewind_scope(true);
    // The pack's data tables, for `table(name)`.
    options.tag = Some(tables(catalog, rule).view().clone());
    let mut scope = rhai::Scope::new();
    let name = entry.section.function();
    let engine = &catalog.runtime;
    // Bounded in wall-clock time as well as in counted operations.
    sandbox::with_budget(sandbox::rule_time(), || match entry.arity {
        1 => engine.call_fn_with_options(options, &mut scope, ast, name, (record.clone(),)),
        _ => engine.call_fn_with_options(
            options,
            &mut scope,
            ast,
            name,
            (record.clone(), view.clone()),
        ),
    })
}

/// The data tables of the rule's pack.
fn tables<'a>(catalog: &'a Catalog, rule: &Rule) -> &'a tables::Tables {
    &catalog.packs[rule.pack].tables_view
}

/// What one try of a rule on a subject came to.
enum Try {
    Verdict(Verdict),
    /// A value the rule needed is missing.
    Missing(String),
}

/// One call of a script (or a rule of a rhai template) on one record.
fn try_script(
    catalog: &Catalog,
    rule: &Rule,
    script: Scripted,
    entry: &Entry,
    record: &Dynamic,
    view: &Dynamic,
) -> Result<Try, Text> {
    unknown::forget_last_read();
    match script.template {
        Some((path, params)) => {
            let called = with_params(params, || {
                call(catalog, rule, script.ast, entry, record, view)
            });
            // Its errors are in the template's file, not in pack.yaml.
            finish(rule, path, entry, called)
        }
        None => {
            let called = call(catalog, rule, script.ast, entry, record, view);
            finish(rule, &rule.path, entry, called)
        }
    }
}

thread_local! {
    /// The parameters of the rhai template rule running on this thread.
    static PARAMS: std::cell::RefCell<Option<Dynamic>> = const { std::cell::RefCell::new(None) };
}

/// `f` with `params` as what a template's `params` reads.
fn with_params<T>(params: &Dynamic, f: impl FnOnce() -> T) -> T {
    let before = PARAMS.with(|p| p.replace(Some(params.clone())));
    let out = f();
    PARAMS.with(|p| *p.borrow_mut() = before);
    out
}

/// The value of `params` for the template rule running on this thread.
pub(crate) fn current_params() -> Option<Dynamic> {
    PARAMS.with(|p| p.borrow().clone())
}

/// What one call of a script's function came to.
fn finish(
    rule: &Rule,
    path: &str,
    entry: &Entry,
    called: Result<Dynamic, Box<rhai::EvalAltResult>>,
) -> Result<Try, Text> {
    if let Some(path) = unknown::take_printed() {
        // A verdict whose words needed a missing value was not reached.
        return Ok(Try::Missing(path));
    }
    match called {
        Ok(v) => match v.try_cast::<Verdict>() {
            Some(verdict) => Ok(Try::Verdict(verdict)),
            None => Err(both(
                &Msg::new("engine.must-return")
                    .arg("name", entry.section.function())
                    .arg("path", &rule.path)
                    .phrase("verdicts", compile::verdicts()),
            )),
        },
        Err(e) => match unknown::missing_path(&e) {
            Some(path) => Ok(Try::Missing(path)),
            None => Err(host::describe_error(&e, path)),
        },
    }
}

/// Most missing values of a closed set tried together for one subject.
const MAX_ASSUMED: usize = 3;

/// The verdict on one subject, from `attempt`, one try of the rule on it
/// (a script's call, or a template's judging). A missing value that the
/// rule needed makes it "cannot be checked", unless the value is one of a
/// closed set (an enum or a boolean) and every value it could take gives
/// the same verdict: then the known values settle it, and the verdict says
/// what was missing (`settled`).
///
/// `attempt(worded)`: with `on_request` (a template), a try under assumed
/// values is asked unworded (see `native::Cx::worded`), and a violation
/// they agree on, the first such try's, is asked again worded under the
/// same assumptions. A script (not `on_request`) is asked worded each
/// time and never again: it words every verdict, and a call spends its
/// budget.
fn judge(
    attempt: &mut dyn FnMut(bool) -> Result<Try, Text>,
    on_request: bool,
) -> Result<(Verdict, Vec<String>), Text> {
    let mut assumed: Vec<(String, unknown::Assumed)> = Vec::new();
    let mut first = None;
    let (verdict, settled) = explore(attempt, on_request, &mut assumed, &mut first)?;
    match (&verdict, first) {
        (Verdict::Violated(_), Some(first)) if on_request && !first.is_empty() => {
            match unknown::with_assumptions(&first, || attempt(true))? {
                Try::Verdict(worded @ Verdict::Violated(_)) => Ok((worded, settled)),
                // A template judges the same record alike each time.
                _ => Err(both(&Msg::new("engine.unsteady"))),
            }
        }
        _ => Ok((verdict, settled)),
    }
}

/// `first`: the assumptions of the first try that gave a verdict (the
/// verdict kept when the others agree with it).
fn explore(
    attempt: &mut dyn FnMut(bool) -> Result<Try, Text>,
    on_request: bool,
    assumed: &mut Vec<(String, unknown::Assumed)>,
    first: &mut Option<Vec<(String, unknown::Assumed)>>,
) -> Result<(Verdict, Vec<String>), Text> {
    let worded = !on_request || assumed.is_empty();
    let tried = unknown::with_assumptions(assumed, || attempt(worded))?;
    let path = match tried {
        Try::Verdict(v) => {
            first.get_or_insert_with(|| assumed.clone());
            return Ok((v, Vec::new()));
        }
        Try::Missing(path) => path,
    };
    let choices = match choices(&path) {
        Some(c) if assumed.len() < MAX_ASSUMED => c,
        _ => return Ok((Verdict::Unchecked(path, None), Vec::new())),
    };
    let mut agreed: Option<Verdict> = None;
    let mut settled = vec![path.clone()];
    for choice in choices {
        assumed.push((path.clone(), choice));
        let result = explore(attempt, on_request, assumed, first);
        assumed.pop();
        let (verdict, more) = result?;
        if let Verdict::Unchecked(..) = verdict {
            return Ok((Verdict::Unchecked(path, None), Vec::new()));
        }
        settled.extend(more);
        agreed = Some(match agreed {
            None => verdict,
            Some(a) => match combine(a, verdict) {
                Some(v) => v,
                None => return Ok((Verdict::Unchecked(path, None), Vec::new())),
            },
        });
    }
    settled.dedup();
    Ok((agreed.unwrap_or(Verdict::Unchecked(path, None)), settled))
}

/// The values a missing field could take, when they are a closed set.
fn choices(path: &str) -> Option<Vec<unknown::Assumed>> {
    use crate::input::format::{closed_set, ClosedSet};
    use unknown::Assumed;
    Some(match closed_set(path)? {
        ClosedSet::Bool => vec![Assumed::Bool(true), Assumed::Bool(false)],
        ClosedSet::Words(words) => words.iter().map(|w| Assumed::Word(w)).collect(),
    })
}

/// Two verdicts under different values of a missing field: the same kind
/// agrees (the first's wording is kept; violations must name the same
/// values and figures); a clause that holds wherever it applies holds;
/// anything else depends on the missing value.
fn combine(a: Verdict, b: Verdict) -> Option<Verdict> {
    match (&a, &b) {
        // Violations agree only when they point at the same values with the
        // same figures: a violation "whatever the kind" that would name a
        // different shortfall per kind is not one verdict.
        (Verdict::Violated(x), Verdict::Violated(y)) => {
            (x.at == y.at && x.required == y.required && x.provided == y.provided).then_some(a)
        }
        _ if a.same_kind(&b) => Some(a),
        (Verdict::Holds, Verdict::NotApplicable) | (Verdict::NotApplicable, Verdict::Holds) => {
            Some(Verdict::Holds)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use outcome::Violation;

    /// A rule on a record whose `medical` (a closed set) is missing, that
    /// is violated alike under every value: words only when asked.
    fn violated_whatever_medical(
        asked: &std::cell::RefCell<Vec<(bool, usize)>>,
    ) -> impl FnMut(bool) -> Result<Try, Text> + '_ {
        move |worded| {
            let assumed = unknown::assumed("institutions[0].medical");
            asked
                .borrow_mut()
                .push((worded, usize::from(assumed.is_some())));
            let Some(unknown::Assumed::Word(_)) = assumed else {
                return Ok(Try::Missing("institutions[0].medical".into()));
            };
            let words = |w: &str| Text {
                zh: w.into(),
                en: w.into(),
            };
            Ok(Try::Verdict(Verdict::Violated(Box::new(Violation {
                message: if worded {
                    words("short")
                } else {
                    Text::default()
                },
                at: vec!["beds".into()],
                required: Some(words(">= 2")),
                provided: Some(words("1")),
                ..Violation::default()
            }))))
        }
    }

    #[test]
    fn a_violation_settled_under_assumed_values_is_worded_once_asked_again() {
        let asked = std::cell::RefCell::new(Vec::new());
        let (verdict, settled) = judge(&mut violated_whatever_medical(&asked), true).unwrap();
        let Verdict::Violated(v) = verdict else {
            panic!("{verdict:?}")
        };
        assert_eq!(v.message.en, "short");
        assert_eq!(settled, ["institutions[0].medical"]);
        let asked = asked.into_inner();
        // The first try (nothing assumed) worded, each value unworded, then
        // the first value's again, worded.
        let words = crate::input::format::closed_set("institutions[0].medical").map(|s| match s {
            crate::input::format::ClosedSet::Words(w) => w.len(),
            crate::input::format::ClosedSet::Bool => 2,
        });
        let n = words.unwrap();
        assert_eq!(asked.len(), n + 2, "{asked:?}");
        assert_eq!(asked[0], (true, 0));
        assert!(asked[1..=n].iter().all(|a| *a == (false, 1)), "{asked:?}");
        assert_eq!(asked[n + 1], (true, 1));
    }

    #[test]
    fn a_script_is_asked_worded_and_never_again() {
        let asked = std::cell::RefCell::new(Vec::new());
        let (verdict, _) = judge(&mut violated_whatever_medical(&asked), false).unwrap();
        let Verdict::Violated(v) = verdict else {
            panic!("{verdict:?}")
        };
        assert_eq!(v.message.en, "short");
        let asked = asked.into_inner();
        assert!(asked.iter().skip(1).all(|a| *a == (true, 1)), "{asked:?}");
        assert!(asked.len() > 2 && asked.len() < 10, "{asked:?}");
    }
}
