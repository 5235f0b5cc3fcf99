//! The benchmark's answer corpus beyond its synthetic files (issue 25):
//! every fixture case of every pack, and for each rule the points where a
//! fixture's figure turns its verdict (`holds`, `violated`, or no longer
//! applies) — "boundaries", written to `benches/boundaries.txt` when the answers are
//! blessed and read back by the answer check and `tests/mutation.rs`.
//!
//! A boundary is found on the validated submission (one numeric field
//! changed in place, as the metamorphic suite moves figures): from the
//! case's value the field is moved up and down until the rule's verdict on
//! some record flips, then bisected to the two nearest values (integers,
//! or hundredths for areas, distances and percentages) on either side. So
//! the committed list says, in the submission's own units, where every
//! threshold of every rule sits, and a rule loosened or tightened by any
//! step larger than that grid turns one of its two values. Not part of the
//! stable API.

use crate::check::FileResult;
use crate::engine::{self, Catalog, Status};
use crate::input::{self, Date, Limits, Record, Submission, Value};
use crate::plan::Lang;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// FNV-1a, 64 bits: a digest that is the same on every machine and run.
pub struct Fnv(pub u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub fn add(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// Files per digest line: a changed answer is narrowed to a block.
pub const DIGEST_BLOCK: usize = 500;

/// The answers for a set of files, accumulated file by file: files per
/// status, outcomes per rule and outcome, digests of the findings (rule,
/// status, subject, message, figures, locations) by block, and the rule
/// errors, which fail a check whatever the expectation says.
pub struct Answers {
    title: String,
    statuses: BTreeMap<&'static str, usize>,
    pub outcomes: BTreeMap<(String, &'static str), usize>,
    digests: Vec<String>,
    digest: Fnv,
    files: usize,
    pub rule_errors: Vec<String>,
}

impl Answers {
    pub fn new(title: &str) -> Answers {
        Answers {
            title: title.to_string(),
            statuses: BTreeMap::new(),
            outcomes: BTreeMap::new(),
            digests: Vec::new(),
            digest: Fnv::default(),
            files: 0,
            rule_errors: Vec::new(),
        }
    }

    /// One file's result; `name` says which in a rule error.
    pub fn add(&mut self, catalog: &Catalog, result: &FileResult, name: &str) {
        let json = crate::report::json::file(catalog, result, Lang::En);
        *self.statuses.entry(json.status).or_default() += 1;
        for o in json.outcomes.iter() {
            *self
                .outcomes
                .entry((o.rule.to_string(), o.outcome))
                .or_default() += 1;
        }
        for finding in json.findings.iter().filter(|f| f.status == "rule_error") {
            self.rule_errors.push(format!(
                "{}, {name}: {} on {}: {}",
                self.title, finding.rule, finding.subject, finding.message
            ));
        }
        // Everything of the file's report but its path.
        let body = serde_json::to_string(&(
            json.status,
            &json.plans,
            &json.judged_on,
            &json.input_errors,
            &json.findings,
        ))
        .expect("a report serialises");
        self.digest.add(body.as_bytes());
        self.files += 1;
        if self.files.is_multiple_of(DIGEST_BLOCK) {
            self.close_block();
        }
    }

    fn close_block(&mut self) {
        let last = self.files - 1;
        let first = last / DIGEST_BLOCK * DIGEST_BLOCK;
        let d = std::mem::take(&mut self.digest);
        self.digests.push(format!(
            "findings digest, files {first}–{last}: {:016x}",
            d.0
        ));
    }

    /// The lines of the expectation file.
    pub fn render(mut self) -> (String, Vec<String>, BTreeMap<(String, &'static str), usize>) {
        if !self.files.is_multiple_of(DIGEST_BLOCK) {
            self.close_block();
        }
        let mut out = format!("## {}\n", self.title);
        for (status, n) in &self.statuses {
            let _ = writeln!(out, "files {status}: {n}");
        }
        for ((rule, outcome), n) in &self.outcomes {
            let _ = writeln!(out, "{rule} {outcome}: {n}");
        }
        for d in &self.digests {
            let _ = writeln!(out, "{d}");
        }
        (out, self.rule_errors, self.outcomes)
    }
}

/// Each fixture case of every complete pack of `catalog`, with its pack,
/// file and the rules it runs (its file's rule, or the whole pack),
/// narrowed to `only` (a rule id) if given.
fn each_fixture_case(
    catalog: &Catalog,
    only: Option<&str>,
    mut each: impl FnMut(usize, &str, &[usize], crate::fixture::Case),
) {
    for (p, pack) in catalog.packs.iter().enumerate() {
        if !pack.complete {
            continue;
        }
        for (path, text) in &pack.fixtures {
            let mut rules = crate::fixture::rules_for(catalog, p, path);
            if let Some(id) = only {
                rules.retain(|&r| catalog.rules[r].id == id);
            }
            if rules.is_empty() {
                continue;
            }
            for case in crate::fixture::cases(text) {
                each(p, path, &rules, case);
            }
        }
    }
}

/// Every fixture case of every pack of `catalog`, run as `peitao test`
/// runs it (against its file's rule, or the whole pack), into `answers`.
pub fn fixture_answers(catalog: &Catalog, answers: &mut Answers, only: Option<&str>) {
    each_fixture_case(catalog, only, |p, path, rules, case| {
        let line = case.first_line;
        let run = crate::fixture::run_case(catalog, p, rules, case, path);
        answers.add(catalog, &run.result, &format!("{path}:{line}"));
    });
}

/// A fixture case that parses, with the rules and the day it is judged by.
pub struct Subject {
    /// `rules/honghe/tests/childcare-radius.yaml:12`: the case's first line.
    pub name: String,
    pub sub: Submission,
    pub rules: Vec<usize>,
    pub day: Date,
}

/// Every fixture case of every (complete) pack that parses and selects
/// its plan, judged on the day `fixture::run_case` judges it (a region
/// report by its year, else its filing date, else the plan's fixture day).
pub fn fixture_subjects(catalog: &Catalog, only: Option<&str>) -> Vec<Subject> {
    let limits = Limits::default();
    let mut out = Vec::new();
    each_fixture_case(catalog, only, |p, path, rules, case| {
        let Ok(sub) = input::parse_submission(&case.text, &limits) else {
            return;
        };
        let pack = &catalog.packs[p];
        let selection = crate::plan::Selection {
            plans: vec![pack.manifest.id.clone()],
            as_of: sub
                .filing
                .get("filed")
                .is_none()
                .then(|| pack.fixture_day()),
            ..Default::default()
        };
        let Ok((_, day)) = crate::plan::select(catalog, &sub, &selection) else {
            return;
        };
        out.push(Subject {
            name: format!("{path}:{}", case.first_line),
            sub,
            rules: rules.to_vec(),
            day,
        });
    });
    out
}

// ------------------------------------------------------------ boundaries

/// What a rule says about one record, as a side of a boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    Holds,
    Violated,
    /// No outcome on the record: the clause does not reach it (a private
    /// home of fewer than 150 beds, a region before the year it is due).
    DoesNotApply,
}

impl Side {
    fn of(status: Option<&Status>) -> Option<Side> {
        match status {
            Some(Status::Holds) => Some(Side::Holds),
            Some(Status::Violated) => Some(Side::Violated),
            None => Some(Side::DoesNotApply),
            // Not a reading of the figure: a value missing or a failed rule.
            Some(Status::Unchecked | Status::RuleError) => None,
        }
    }
    pub fn word(self) -> &'static str {
        match self {
            Side::Holds => "holds",
            Side::Violated => "violated",
            Side::DoesNotApply => "does not apply",
        }
    }
    fn from_word(w: &str) -> Option<Side> {
        [Side::Holds, Side::Violated, Side::DoesNotApply]
            .into_iter()
            .find(|s| s.word() == w)
    }
}

/// Where one rule's verdict on one record flips, as one field of one
/// fixture case moves, every other figure of the case as written: one side
/// at one value, the other at the next value of the grid.
#[derive(Clone, Debug, PartialEq)]
pub struct Boundary {
    pub rule: String,
    /// The fixture case, `path:first-line`.
    pub case: String,
    /// The field moved, `facilities[0].service_radius`.
    pub field: String,
    /// The record the verdict is about.
    pub subject: String,
    /// The lower value and what the rule says there, then the higher.
    pub sides: [(Side, Value); 2],
}

fn show(v: &Value) -> String {
    match v {
        Value::Int(i) => i.to_string(),
        // Always with a point, so that the value reads back as a number of
        // the same kind.
        Value::Num(x) => {
            let w = x.written(2);
            if w.contains('.') {
                w
            } else {
                format!("{w}.0")
            }
        }
        _ => unreachable!("boundaries are numbers"),
    }
}

impl Boundary {
    /// One line of `benches/boundaries.txt`.
    pub fn line(&self) -> String {
        let [(a, x), (b, y)] = &self.sides;
        format!(
            "{} | {} | {} | on {} | {} at {} | {} at {}",
            self.rule,
            self.case,
            self.field,
            self.subject,
            a.word(),
            show(x),
            b.word(),
            show(y)
        )
    }

    /// Read a line written by [`Boundary::line`]; `None` for anything else.
    pub fn parse(line: &str) -> Option<Boundary> {
        let parts: Vec<&str> = line.split(" | ").collect();
        let [rule, case, field, subject, lower, higher] = parts[..] else {
            return None;
        };
        let side = |s: &str| -> Option<(Side, Value)> {
            let (word, number) = s.rsplit_once(" at ")?;
            let value = if number.contains(['.', 'e', 'i', 'N']) {
                Value::Num(crate::engine::Num::parse_decimal(number).ok()?)
            } else {
                Value::Int(number.parse().ok()?)
            };
            Some((Side::from_word(word)?, value))
        };
        Some(Boundary {
            rule: rule.to_string(),
            case: case.to_string(),
            field: field.to_string(),
            subject: subject.strip_prefix("on ")?.to_string(),
            sides: [side(lower)?, side(higher)?],
        })
    }
}

/// Every record of a submission, nested ones too (`estate.schedule`,
/// `region.indicators`), each with what it is named by.
fn all_records(sub: &Submission) -> Vec<&Record> {
    fn walk<'a>(r: &'a Record, out: &mut Vec<&'a Record>) {
        out.push(r);
        for e in &r.entries {
            if let Value::Record(inner) = &e.value {
                walk(inner, out);
            }
        }
    }
    let mut out = Vec::new();
    let tops = sub
        .estate
        .iter()
        .chain(sub.region.iter())
        .chain(&sub.facilities)
        .chain(&sub.institutions)
        .chain(&sub.hospitals)
        .chain(&sub.venues);
    for r in tops {
        walk(r, &mut out);
    }
    out
}

/// The numeric fields of a submission, by path (`facilities[0].floor_area`).
fn numeric_fields(sub: &Submission) -> Vec<String> {
    let mut out = Vec::new();
    for r in all_records(sub) {
        for e in &r.entries {
            if matches!(e.value, Value::Int(_) | Value::Num(_)) {
                out.push(format!("{}.{}", r.path, e.name));
            }
        }
    }
    out
}

/// The submission with the field at `path` set to `value`; `None` when it
/// has no such numeric field.
pub fn with_value(sub: &Submission, path: &str, value: &Value) -> Option<Submission> {
    fn set(r: &mut Record, path: &str, value: &Value) -> bool {
        for e in &mut r.entries {
            if let Value::Record(inner) = &mut e.value {
                if set(inner, path, value) {
                    return true;
                }
            } else if path
                .strip_prefix(r.path.as_str())
                .and_then(|rest| rest.strip_prefix('.'))
                == Some(e.name)
            {
                if !matches!(
                    (&e.value, value),
                    (Value::Int(_), Value::Int(_)) | (Value::Num(_), Value::Num(_))
                ) {
                    return false;
                }
                e.value = value.clone();
                return true;
            }
        }
        false
    }
    let mut sub = sub.clone();
    let found = {
        let tops = sub
            .estate
            .iter_mut()
            .chain(sub.region.iter_mut())
            .chain(sub.facilities.iter_mut())
            .chain(sub.institutions.iter_mut())
            .chain(sub.hospitals.iter_mut())
            .chain(sub.venues.iter_mut());
        let mut found = false;
        for r in tops {
            if set(r, path, value) {
                found = true;
                break;
            }
        }
        found
    };
    found.then_some(sub)
}

/// One rule's verdicts on a submission: subject → status.
fn verdicts(
    catalog: &Catalog,
    rule: usize,
    sub: &Submission,
    day: &Date,
) -> BTreeMap<String, Status> {
    engine::run_rules(catalog, [rule], sub, day)
        .into_iter()
        .map(|f| (f.subject, f.status))
        .collect()
}

/// A field's value on a grid: integers as they are, other numbers in
/// hundredths.
#[derive(Clone, Copy)]
enum Grid {
    Int,
    Hundredths,
}

impl Grid {
    fn value(self, k: i64) -> Value {
        match self {
            Grid::Int => Value::Int(k),
            Grid::Hundredths => Value::Num(
                crate::engine::Num::whole(k.into())
                    .div(crate::engine::Num::whole(100))
                    .expect("100 is not zero"),
            ),
        }
    }
}

/// Values to try away from `k` (grid units), nearest first: below, above.
fn probes(k: i64) -> [Vec<i64>; 2] {
    let down = [k - 1, k / 2, k / 10, 0, -1]
        .into_iter()
        .filter(|&c| c < k && c >= 0)
        .collect();
    let up = [
        k.saturating_add(1),
        k.saturating_mul(2).saturating_add(1),
        k.saturating_mul(10).saturating_add(10),
        k.saturating_mul(1000).saturating_add(1000),
    ]
    .into_iter()
    .filter(|&c| c > k)
    .collect();
    [down, up]
}

/// Every boundary of the rules of `subjects`: for each case, rule and
/// numeric field, the nearest flip below and above the case's value.
pub fn find_boundaries(catalog: &Catalog, subjects: &[Subject]) -> Vec<Boundary> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for s in subjects {
        let fields = numeric_fields(&s.sub);
        for &rule in &s.rules {
            let base = verdicts(catalog, rule, &s.sub, &s.day);
            if base.is_empty() {
                continue;
            }
            for field in &fields {
                for b in field_boundaries(catalog, s, rule, field, &base) {
                    // The same flip from another case says nothing new.
                    let key = (
                        b.rule.clone(),
                        b.field.clone(),
                        b.line().rsplit(" | on ").next().map(str::to_string),
                    );
                    if seen.insert(key) {
                        out.push(b);
                    }
                }
            }
        }
    }
    out
}

fn field_boundaries(
    catalog: &Catalog,
    s: &Subject,
    rule: usize,
    field: &str,
    base: &BTreeMap<String, Status>,
) -> Vec<Boundary> {
    let Some(v0) = all_records(&s.sub).into_iter().find_map(|r| {
        r.entries
            .iter()
            .find(|e| {
                field
                    .strip_prefix(r.path.as_str())
                    .and_then(|x| x.strip_prefix('.'))
                    == Some(e.name)
            })
            .map(|e| e.value.clone())
    }) else {
        return Vec::new();
    };
    let (grid, k0) = match v0 {
        Value::Int(i) => (Grid::Int, i),
        // On the grid of hundredths: the value's hundredths, rounded.
        Value::Num(x) => match x
            .mul(crate::engine::Num::whole(100))
            .map(|h| h.written(0))
            .and_then(|h| h.parse::<i64>().ok())
        {
            Some(h) if h.unsigned_abs() < 100_000_000_000_000 => (Grid::Hundredths, h),
            _ => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    let at = |k: i64| -> Option<BTreeMap<String, Status>> {
        let sub = with_value(&s.sub, field, &grid.value(k))?;
        Some(verdicts(catalog, rule, &sub, &s.day))
    };
    // On the grid the case's own value may read differently (a value
    // between two hundredths): start from the grid's.
    let Some(start) = at(k0) else {
        return Vec::new();
    };
    if &start != base {
        return Vec::new();
    }
    let mut out = Vec::new();
    for direction in probes(k0) {
        'probe: for c in direction {
            let Some(there) = at(c) else { continue };
            let subjects: BTreeSet<&String> = start.keys().chain(there.keys()).collect();
            for subject in subjects {
                let read = |m: &BTreeMap<String, Status>| Side::of(m.get(subject));
                let (Some(a), Some(b)) = (read(&start), read(&there)) else {
                    continue;
                };
                if a == b {
                    continue;
                }
                // Bisect: `lo` reads as at k0, `hi` as at c.
                let (mut lo, mut hi) = (k0, c);
                while (hi - lo).abs() > 1 {
                    let mid = lo + (hi - lo) / 2;
                    let Some(m) = at(mid) else { break };
                    if read(&m) == Some(a) {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                let hi_reads = at(hi).and_then(|m| read(&m));
                let Some(b) = hi_reads.filter(|&b| b != a && (hi - lo).abs() == 1) else {
                    break 'probe;
                };
                let (lower, higher) = if lo < hi {
                    ((a, lo), (b, hi))
                } else {
                    ((b, hi), (a, lo))
                };
                out.push(Boundary {
                    rule: catalog.rules[rule].id.clone(),
                    case: s.name.clone(),
                    field: field.to_string(),
                    subject: subject.clone(),
                    sides: [
                        (lower.0, grid.value(lower.1)),
                        (higher.0, grid.value(higher.1)),
                    ],
                });
                break 'probe;
            }
        }
    }
    out
}

/// The boundaries file: a header, then one [`Boundary::line`] a line.
pub fn render_boundaries(boundaries: &[Boundary]) -> String {
    let mut out = String::from(
        "# Where each rule's verdict flips as one figure of one fixture case moves\n\
         # (src/answers.rs): rule | case | field | record | what the rule says at\n\
         # the lower value | at the next value up. The answer check and\n\
         # tests/mutation.rs require both. Regenerated with the answers:\n\
         #   PEITAO_BLESS=1 cargo bench\n",
    );
    for b in boundaries {
        out.push_str(&b.line());
        out.push('\n');
    }
    out
}

/// The boundaries of a file written by [`render_boundaries`], or the lines
/// that are not boundaries.
pub fn parse_boundaries(text: &str) -> Result<Vec<Boundary>, Vec<String>> {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        match Boundary::parse(line) {
            Some(b) => out.push(b),
            None => bad.push(format!("line {}: {line}", i + 1)),
        }
    }
    if bad.is_empty() {
        Ok(out)
    } else {
        Err(bad)
    }
}

/// Run every boundary against `catalog`: per rule, how often each side
/// read as stated, and the boundaries that did not (or whose case, field
/// or rule is gone: stale, to re-bless).
pub struct BoundaryRun {
    /// (rule, what it said) → how many sides read so.
    pub outcomes: BTreeMap<(String, &'static str), usize>,
    pub wrong: Vec<String>,
}

pub fn run_boundaries(
    catalog: &Catalog,
    subjects: &[Subject],
    boundaries: &[Boundary],
) -> BoundaryRun {
    let by_name: BTreeMap<&str, &Subject> = subjects.iter().map(|s| (s.name.as_str(), s)).collect();
    let mut run = BoundaryRun {
        outcomes: BTreeMap::new(),
        wrong: Vec::new(),
    };
    for b in boundaries {
        let Some(rule) = catalog.rules.iter().position(|r| r.id == b.rule) else {
            run.wrong
                .push(format!("{}: no such rule (stale)", b.line()));
            continue;
        };
        let Some(s) = by_name.get(b.case.as_str()) else {
            run.wrong
                .push(format!("{}: no such fixture case (stale)", b.line()));
            continue;
        };
        for (expected, value) in &b.sides {
            let Some(sub) = with_value(&s.sub, &b.field, value) else {
                run.wrong
                    .push(format!("{}: no such field (stale)", b.line()));
                break;
            };
            let found = verdicts(catalog, rule, &sub, &s.day).remove(&b.subject);
            let word = match found {
                Some(Status::Unchecked) => "cannot_be_checked",
                Some(Status::RuleError) => "rule_error",
                _ => Side::of(found.as_ref()).map_or("?", Side::word),
            };
            *run.outcomes.entry((b.rule.clone(), word)).or_default() += 1;
            if Side::of(found.as_ref()) != Some(*expected) {
                run.wrong
                    .push(format!("{}: at {} {word} instead", b.line(), show(value)));
            }
        }
    }
    run
}

/// The rules of `catalog` that are not both held and violated somewhere in
/// `outcomes` (rule, outcome → count), each with the side it lacks.
pub fn one_sided(
    catalog: &Catalog,
    outcomes: &BTreeMap<(String, &'static str), usize>,
) -> Vec<String> {
    let has = |rule: &str, outcome: &str| {
        outcomes
            .get(&(rule.to_string(), outcome))
            .is_some_and(|&n| n > 0)
    };
    let mut out = Vec::new();
    for r in &catalog.rules {
        let holds = has(&r.id, "holds");
        // A clause bound by a condition no field records (具备条件的,
        // 有条件的: docs/readings.md R22) is never violated by design: short
        // of the figure, a record cannot be checked. Its other side is that.
        let conditional =
            r.template.as_deref() == Some("record-target") && r.script.contains("\"condition\":{");
        let violated = if conditional {
            has(&r.id, "cannot_be_checked")
        } else {
            has(&r.id, "violated")
        };
        if !(holds && violated) {
            let lacks = match (holds, violated) {
                (false, false) => "never holds, never violated",
                (false, true) => "never holds",
                _ => "never violated",
            };
            out.push(format!("{}: {lacks}", r.id));
        }
    }
    out
}
