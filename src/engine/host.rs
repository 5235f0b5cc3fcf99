//! The sandboxed rhai engine and the host API rules call.
//!
//! A rule defines one function per section it judges (`fn institution(i)`,
//! `fn estate(e, s)` …); the engine calls it once per record and the
//! function returns a typed verdict: `holds()`, `violated(#{ … })`,
//! `unchecked(path)` or `not_applicable()`. Every host function is listed
//! in [`HOST_FUNCTIONS`], from which docs/writing-rules.md's table is
//! checked.

use super::num::Num;
use super::outcome::{self, Stop, Verdict};
use super::view::Rec;
use super::Rule;
use super::{unknown, Figures, Finding, Located, Status};
use crate::base::text::both;
use crate::input::{Date, Msg, Submission};
use crate::plan::Text;
use rhai::{Array, Dynamic, Engine, EvalAltResult, ImmutableString, Map};

/// Most rhai operations one rule may take on one submission: far above what
/// the shipped rules need (they stay under a few hundred), low enough that
/// an endless loop ends in well under a second.
pub const MAX_OPERATIONS: u64 = 2_000_000;
pub const MAX_CALL_LEVELS: usize = 32;
pub const MAX_EXPR_DEPTH: usize = 64;
pub const MAX_STRING_BYTES: usize = 64 * 1024;
pub const MAX_ARRAY_LEN: usize = 200_000;
pub const MAX_MAP_LEN: usize = 10_000;

/// A rhai engine with the host API and every sandbox limit set.
pub fn sandboxed_engine() -> Engine {
    let mut e = Engine::new();
    // The interner's lock would serialise rayon threads.
    e.set_max_strings_interned(0);
    e.set_strict_variables(true);
    // A rhai template of a pack reads its rule's parameters as `params`
    // (declared to the compiler, given here while the rule runs).
    #[allow(deprecated)]
    e.on_var(|name, _, _| {
        Ok(if name == super::compile::PARAMS {
            // A copy: a rule that changed it would change nothing.
            super::current_params()
        } else {
            None
        })
    });
    e.set_max_operations(MAX_OPERATIONS);
    e.set_max_call_levels(MAX_CALL_LEVELS);
    e.set_max_expr_depths(MAX_EXPR_DEPTH, MAX_EXPR_DEPTH / 2);
    e.set_max_string_size(MAX_STRING_BYTES);
    e.set_max_array_size(MAX_ARRAY_LEN);
    e.set_max_map_size(MAX_MAP_LEN);
    e.set_max_variables(1_000);
    e.set_max_functions(1_000);
    // Rules compute; they never evaluate code or write to the terminal.
    e.disable_symbol("eval");
    // `switch` matches a value against its cases by hash: a missing value
    // (an `Unknown`) matches none and falls to `_`, silently, where every
    // operator would have stopped the rule as "cannot be checked". Rules
    // compare with `==` and `if` instead (docs/writing-rules.md).
    e.disable_symbol("switch");
    e.on_print(|_| {});
    e.on_debug(|_, _, _| {});

    register_api(&mut e);
    // Last: the sandbox's bounded versions replace rhai's own.
    super::sandbox::harden(&mut e);
    e
}

/// A host function as rule authors see it.
pub struct HostFn {
    pub name: &'static str,
    pub signature: &'static str,
    pub doc: &'static str,
}

const fn host(name: &'static str, signature: &'static str, doc: &'static str) -> HostFn {
    HostFn {
        name,
        signature,
        doc,
    }
}

/// Every function the host gives rules, with its one-line doc: the table
/// of docs/writing-rules.md is this list (a test keeps them equal).
pub const HOST_FUNCTIONS: &[HostFn] = &[
    host("holds", "holds()", "the rule applies to this record and the requirement is met"),
    host("violated", "violated(#{ message, at, inputs, label, required, provided })", "the requirement is not met; an unknown key is an error"),
    host("unchecked", "unchecked(path)", "the rule applies but cannot be checked: `path` is missing (rarely needed: reading a missing field already says so)"),
    host("not_applicable", "not_applicable()", "the clause does not apply to this record"),
    host("of_kind", "of_kind(records, kind)", "the records whose `kind` is `kind` (a record without `kind` stops the rule: cannot be checked)"),
    host("of_kinds", "of_kinds(records, kinds)", "the records whose `kind` is one of `kinds`"),
    host("due_by", "due_by(|| verdict, region, year)", "a region's target by the year it is due (docs/readings.md R3): met, it holds; short of it, or the figure missing, before `year`: not judged; 0 for no year"),
    host("any_of", "any_of(|| a, || b [, || c])", "true if any test is true, even when another cannot be read (a missing value then stops the rule only if no test is true)"),
    host("all_of", "all_of(|| a, || b [, || c])", "false if any test is false, even when another cannot be read; true if all are"),
    host("sum", "sum(records, field)", "the exact sum of `field` over the records (a missing one stops the rule)"),
    host("paths", "paths(records, field)", "`facilities[0].floor_area`, … for each record"),
    host("name_of", "name_of(record)", "the record's `id`, or its path when it has none: for messages"),
    host("term", "term(word)", "a word of the format's closed sets (or `true`/`false`) as a Chinese message shows it, its term with the YAML word: `term(i.medical)` is `诊所 (clinic)` (the terms: `TERMS` in src/input/format.rs); other text as it is"),
    host("not_later", "not_later(date, limit)", "is `date` on or before `limit`? a month counts as its last day"),
    host("late_milestones", "late_milestones(facility, estate, milestones)", "the `milestones` (acceptance, delivery …) at which the facility's `schedule` is later than the housing's: each is an obligation of its own (docs/readings.md R8), so one late is reported whatever the others say; with none late, one either side does not give stops the rule (cannot be checked)"),
    host("fmt", "fmt(number)", "a number as people write it: 520, 519.5, 66.67; a terminating decimal in full (519.99999999999999), any other to 2 decimals; exact at every magnitude (it never overflows)"),
    host("fmt_apart", "fmt_apart(number, limit)", "`number` with the decimals it takes to tell it from `limit` (4.4975, not 4.5)"),
    host("number", "number(x)", "an exact number from an integer or a decimal literal"),
    host("ceiling", "x.ceiling()", "the least whole number not below x (exact)"),
    host("floor", "x.floor()", "the greatest whole number not above x (exact)"),
    host("to_int", "x.to_int()", "a whole number as an integer (an error if x has a fraction)"),
    host("table", "table(name)", "a data table of the rule's pack: an array of maps from column to cell"),
    host("normalize_name", "normalize_name(text)", "a place name without spaces (the plans write 郊 区 for 郊区)"),
];

/// The table of host functions as docs/writing-rules.md shows it.
pub fn host_functions_table() -> String {
    let mut out = String::from("| function | what it gives |\n|---|---|\n");
    for f in HOST_FUNCTIONS {
        let cell = |t: &str| t.replace('|', "\\|");
        out.push_str(&format!("| `{}` | {} |\n", cell(f.signature), cell(f.doc)));
    }
    out
}

fn register_api(e: &mut Engine) {
    super::num::register(e);
    super::unknown::register(e);
    super::view::register(e);
    super::helpers::register(e);
    e.register_type_with_name::<Verdict>("Verdict");
    e.register_fn("holds", || Verdict::Holds);
    e.register_fn("not_applicable", || Verdict::NotApplicable);
    e.register_fn("unchecked", outcome::unchecked);
    e.register_fn("unchecked", outcome::unchecked_because);
    e.register_fn("violated", outcome::violated);
    e.register_fn("of_kind", of_kind);
    e.register_fn("of_kinds", |list: Array, kinds: Array| -> Fallible<Array> {
        let kinds: Vec<String> = kinds.iter().map(|k| k.to_string()).collect();
        Ok(of_kinds(&list, &kinds)?)
    });
    e.register_fn(
        "due_by",
        |ctx: rhai::NativeCallContext,
         judge: rhai::FnPtr,
         region: Dynamic,
         due: rhai::INT|
         -> Fallible<Verdict> {
            let outcome = judge.call_within_context::<Verdict>(&ctx, ());
            due_by(
                outcome,
                |e| unknown::missing_path(e).is_some(),
                || early(&region, due),
            )
        },
    );
    e.register_fn(
        "sum",
        |list: Array, name: ImmutableString| -> Fallible<Num> { Ok(sum(&list, &name)?) },
    );
    e.register_fn(
        "paths",
        |list: Array, name: ImmutableString| -> Fallible<Array> {
            Ok(paths(&list, &name)?
                .into_iter()
                .map(Dynamic::from)
                .collect())
        },
    );
    e.register_fn("name_of", |item: Dynamic| -> Fallible<ImmutableString> {
        Ok(name_of(&item)?)
    });
    e.register_fn(
        "any_of",
        |ctx: rhai::NativeCallContext, a: rhai::FnPtr, b: rhai::FnPtr| kleene(&ctx, &[a, b], true),
    );
    e.register_fn(
        "any_of",
        |ctx: rhai::NativeCallContext, a: rhai::FnPtr, b: rhai::FnPtr, c: rhai::FnPtr| {
            kleene(&ctx, &[a, b, c], true)
        },
    );
    e.register_fn(
        "all_of",
        |ctx: rhai::NativeCallContext, a: rhai::FnPtr, b: rhai::FnPtr| kleene(&ctx, &[a, b], false),
    );
    e.register_fn(
        "all_of",
        |ctx: rhai::NativeCallContext, a: rhai::FnPtr, b: rhai::FnPtr, c: rhai::FnPtr| {
            kleene(&ctx, &[a, b, c], false)
        },
    );
    e.register_fn("not_later", |a: Dynamic, b: Dynamic| -> Fallible<bool> {
        Ok(not_later(a, b)?)
    });
    e.register_fn(
        "late_milestones",
        |facility: Dynamic, estate: Dynamic, milestones: Array| -> Fallible<Array> {
            let names: Vec<String> = milestones.iter().map(|m| m.to_string()).collect();
            Ok(late_milestones(&facility, &estate, &names)?
                .into_iter()
                .map(|late| Dynamic::from(late.milestone))
                .collect())
        },
    );
    e.register_fn("join", super::sandbox::join);
    // A word of the format's closed sets as a Chinese message shows it:
    // `term(i.medical)` is `诊所 (clinic)`, `term(true)` is `是 (true)`.
    e.register_fn("term", |word: Dynamic| -> ImmutableString {
        crate::input::format::termed(&word.to_string()).into()
    });
}

type Fallible<T> = Result<T, Box<EvalAltResult>>;

// The helpers below are the host's, in Rust: scripts call them through the
// registrations of `register_api`. Templates read typed values
// (`engine::read`) with the same helpers over those (src/engine/native),
// sharing the rules that decide a verdict (`due_by`, `late_of`) from here.

/// A field of a record as a rule reads it (an `Unknown` when missing).
pub(super) fn read(item: &Dynamic, name: &str) -> Result<Dynamic, Stop> {
    if let Some(r) = item.read_lock::<Rec>() {
        return Ok(r.read(name));
    }
    if let Some(m) = item.read_lock::<Map>() {
        return Ok(m.get(name).cloned().unwrap_or(Dynamic::UNIT));
    }
    Err(Stop::said(
        Msg::new("engine.not-a-record").arg("found", item.type_name()),
    ))
}

/// Stop the rule when `v` is unknown: the same as comparing it would.
pub(super) fn known(v: Dynamic) -> Result<Dynamic, Stop> {
    let missing = v.read_lock::<unknown::Unknown>().map(|u| u.0.to_string());
    match missing {
        Some(path) => Err(Stop::Missing(path)),
        None => Ok(v),
    }
}

/// `of_kind(s.facilities, "childcare")`: the records whose `kind` is `kind`.
fn of_kind(list: Array, kind: ImmutableString) -> Fallible<Array> {
    let mut out = Array::new();
    for item in list {
        let k = known(read(&item, "kind")?)?;
        if k.into_immutable_string().is_ok_and(|k| k == kind) {
            out.push(item);
        }
    }
    Ok(out)
}

/// `of_kinds(s.facilities, ["elderly_service", "elderly_day_care"])`: the
/// records whose `kind` is one of `kinds`. Every record's kind is read, so
/// one without a kind stops the rule even when another is of the kinds.
pub(super) fn of_kinds(list: &[Dynamic], kinds: &[String]) -> Result<Array, Stop> {
    let mut out = Array::new();
    for item in list {
        let k = known(read(item, "kind")?)?;
        if kinds.iter().any(|w| *w == k.to_string()) {
            out.push(item.clone());
        }
    }
    Ok(out)
}

/// Is the region's plan year before `due`, the year its target is due
/// (docs/readings.md R3)? Never when `due` is 0 or less. The year is read
/// only then.
fn early(region: &Dynamic, due: i64) -> Result<bool, Stop> {
    if due <= 0 {
        return Ok(false);
    }
    let year = known(read(region, "year")?)?;
    let year =
        super::num::as_num(&year).ok_or_else(|| Stop::said(Msg::new("engine.due-by-year")))?;
    Ok(year.compare(Num::int(due)).is_some_and(|o| o.is_lt()))
}

/// `due_by(|| verdict, r, 2025)`: a region's target by the year it is due
/// (docs/readings.md R3). Meeting it holds whatever the year; a shortfall
/// in a plan year before it is not judged, and neither is a figure the plan
/// leaves out then (`missing` tells that stop from others): nothing is due
/// yet. From that year on, both stand. The region's `year` is read only
/// when it decides (`early`: is the plan year before the year it is due?).
pub(super) fn due_by<E: From<Stop>>(
    outcome: Result<Verdict, E>,
    missing: impl FnOnce(&E) -> bool,
    early: impl FnOnce() -> Result<bool, Stop>,
) -> Result<Verdict, E> {
    let open = match &outcome {
        Ok(Verdict::Violated(_)) => true,
        Ok(_) => false,
        Err(e) => missing(e),
    };
    if open && early()? {
        Ok(Verdict::NotApplicable)
    } else {
        outcome
    }
}

/// `sum(records, "floor_area")`: exact, and stops on a missing value.
fn sum(list: &[Dynamic], name: &str) -> Result<Num, Stop> {
    let mut total = Num::ZERO;
    for item in list {
        let v = known(read(item, name)?)?;
        let n = super::num::as_num(&v)
            .ok_or_else(|| Stop::said(Msg::new("engine.sum-not-a-number").arg("name", name)))?;
        total = total
            .add(n)
            .ok_or_else(|| Stop::said(Msg::new("engine.sum-overflow")))?;
    }
    Ok(total)
}

/// `paths(records, "floor_area")`: `facilities[0].floor_area`, … for each.
fn paths(list: &[Dynamic], name: &str) -> Result<Vec<String>, Stop> {
    list.iter()
        .map(|item| Ok(format!("{}.{name}", read(item, "path")?)))
        .collect()
}

/// `any_of(|| a, || b)` / `all_of(…)`: the tests of a clause joined by 或 /
/// 和, decided by the known values where they settle it: one true test
/// makes `any_of` true whatever the others could not read; one false test
/// makes `all_of` false. Otherwise a missing value stops the rule as usual.
fn kleene(ctx: &rhai::NativeCallContext, tests: &[rhai::FnPtr], any: bool) -> Fallible<bool> {
    let mut stopped = None;
    for test in tests {
        match test.call_within_context::<bool>(ctx, ()) {
            Ok(value) if value == any => return Ok(any),
            Ok(_) => {}
            Err(e) if unknown::missing_path(&e).is_some() => {
                stopped.get_or_insert(e);
            }
            Err(e) => return Err(e),
        }
    }
    match stopped {
        Some(e) => Err(e),
        None => Ok(!any),
    }
}

/// `name_of(i)`: the record's id, or its path.
fn name_of(item: &Dynamic) -> Result<ImmutableString, Stop> {
    let Some(r) = item.read_lock::<Rec>() else {
        return Err(Stop::said(
            Msg::new("engine.name-of-not-a-record").arg("found", item.type_name()),
        ));
    };
    Ok(r.get("id")
        .and_then(|v| v.into_immutable_string().ok())
        .unwrap_or_else(|| r.path().into()))
}

/// `not_later(a, b)`: is date `a` on or before date `b`? A month counts as
/// its last day.
fn not_later(a: Dynamic, b: Dynamic) -> Result<bool, Stop> {
    let text = |v: Dynamic| -> Result<String, Stop> {
        known(v)?
            .into_string()
            .map_err(|t| Stop::said(Msg::new("engine.not-later-not-a-date").arg("found", t)))
    };
    let (a, b) = (text(a)?, text(b)?);
    let (a, b) = (parse_date(&a)?, parse_date(&b)?);
    Ok(a.not_later_than(&b))
}

/// A date as `not_later` reads it (a month allowed), or a rule error.
pub(super) fn parse_date(s: &str) -> Result<Date, Stop> {
    Date::parse_checked(s, true).map_err(|e| {
        let zh = crate::base::text::say(&e.msg(), crate::base::Lang::Zh);
        Stop::said(Msg::new("engine.not-later").both("why", zh, e.to_string()))
    })
}

/// One milestone at which a facility is later than its housing.
pub(super) struct Late<V> {
    pub milestone: String,
    /// The facility's date and the housing's, as the file gives them.
    pub mine: V,
    pub theirs: V,
}

/// `r.name`, where `r` may itself be missing (then so is `r.name`).
fn field_of(v: &Dynamic, name: &str) -> Result<Dynamic, Stop> {
    if let Some(u) = v.read_lock::<unknown::Unknown>() {
        return Ok(unknown::missing(format!("{}.{name}", u.0)));
    }
    read(v, name)
}

/// The milestones at which `facility.schedule` is later than
/// `estate.schedule` (同步规划、同步建设、同步验收、同步交付), as a script reads
/// the two records: see [`late_of`].
fn late_milestones(
    facility: &Dynamic,
    estate: &Dynamic,
    milestones: &[String],
) -> Result<Vec<Late<Dynamic>>, Stop> {
    late_of(milestones, |m| {
        let mine = field_of(&field_of(facility, "schedule")?, m)?;
        let theirs = field_of(&field_of(estate, "schedule")?, m)?;
        Ok((not_later(mine.clone(), theirs.clone())?, mine, theirs))
    })
}

/// The milestones at which a facility is later than its housing, where
/// `compared(m)` reads both sides' date of milestone `m` and whether the
/// facility's is not later. Each milestone the clause names is an
/// obligation of its own (docs/readings.md R8):
/// 1. any milestone given on both sides and late is returned, whatever the
///    others say (known values settle it);
/// 2. else a milestone either side does not give stops the rule: cannot be
///    checked, naming the first such path;
/// 3. else none is late: an empty list.
pub(super) fn late_of<V>(
    milestones: &[String],
    mut compared: impl FnMut(&str) -> Result<(bool, V, V), Stop>,
) -> Result<Vec<Late<V>>, Stop> {
    let mut late = Vec::new();
    let mut open = None;
    for m in milestones {
        if !crate::input::format::SCHEDULE.iter().any(|f| f.name == m) {
            return Err(Stop::said(
                Msg::new("engine.no-milestone").arg("milestone", m),
            ));
        }
        // A milestone missing on either side leaves that one open; the
        // others are still compared.
        match compared(m) {
            Ok((true, ..)) => {}
            Ok((false, mine, theirs)) => late.push(Late {
                milestone: m.clone(),
                mine,
                theirs,
            }),
            Err(stop @ Stop::Missing(_)) => {
                open.get_or_insert(stop);
            }
            Err(other) => return Err(other),
        }
    }
    match open {
        Some(stop) if late.is_empty() => Err(stop),
        _ => Ok(late),
    }
}

/// A script failure, in words that name the rule's file and line.
pub fn describe_error(e: &EvalAltResult, path: &str) -> Text {
    use super::sandbox::{MAX_SCAN_WORK, NO_SLEEP, OVER_SCAN};
    let what = match e {
        EvalAltResult::ErrorTooManyOperations(_) => {
            Msg::new("engine.too-many-operations").arg("limit", MAX_OPERATIONS)
        }
        EvalAltResult::ErrorStackOverflow(_) => {
            Msg::new("engine.too-many-calls").arg("limit", MAX_CALL_LEVELS)
        }
        EvalAltResult::ErrorDataTooLarge(what, _) => {
            Msg::new("engine.too-large").quote("what", what)
        }
        EvalAltResult::ErrorTerminated(token, _)
            if token.to_string() == super::sandbox::OVER_TIME =>
        {
            let (spent, scope) = super::sandbox::spent_budget();
            let key = match scope {
                super::sandbox::Scope::Submission => "engine.over-submission-time",
                _ => "engine.over-time",
            };
            Msg::new(key).arg("ms", spent.as_millis())
        }
        _ => {
            let s = e.to_string();
            let s = s.strip_prefix("Runtime error: ").unwrap_or(&s);
            let s = s.split(" (line ").next().unwrap_or(s);
            match s {
                OVER_SCAN => Msg::new("engine.over-scan").arg("limit", MAX_SCAN_WORK),
                NO_SLEEP => Msg::new("engine.no-sleep"),
                _ => Msg::new("engine.rhai").quote("rhai", s),
            }
        }
    };
    let place = match e.position().line() {
        Some(line) => Msg::new("engine.at-line").arg("line", line),
        None => Msg::new("engine.in-file"),
    };
    both(&place.phrase("what", what).arg("path", path))
}

/// A path as written in a verdict: absolute when it starts with a section,
/// else relative to the subject (`"beds"` of `institutions[0]`).
fn absolute(path: &str, subject: &str) -> String {
    const ROOTS: &[&str] = &[
        "submission",
        "estate",
        "facilities",
        "institutions",
        "hospitals",
        "venues",
        "region",
    ];
    let root = path.split(['.', '[']).next().unwrap_or(path);
    if ROOTS.contains(&root) {
        path.to_string()
    } else {
        format!("{subject}.{path}")
    }
}

fn locate(paths: &[String], subject: &str, sub: &Submission) -> Result<Vec<Located>, Text> {
    paths
        .iter()
        .map(|p| {
            let path = absolute(p, subject);
            match sub.span_of(&path) {
                Some(span) => Ok(Located { path, span }),
                None => Err(both(&Msg::new("engine.path-not-found").arg("path", path))),
            }
        })
        .collect()
}

/// Longest message or label one finding carries, in bytes: a rule (a
/// script or a template) cannot fill a report with one finding.
pub const MAX_FINDING_TEXT: usize = 64 * 1024;
/// Most paths one finding points at (`at`), and most it names as inputs.
pub const MAX_FINDING_PATHS: usize = 1000;

/// `s` cut to [`MAX_FINDING_TEXT`] bytes at a character boundary, ending
/// in `…` where it was cut.
fn cut(s: &mut String) {
    if s.len() <= MAX_FINDING_TEXT {
        return;
    }
    let mut end = MAX_FINDING_TEXT - '…'.len_utf8();
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    s.push('…');
}

/// A text of a finding, in both languages, cut to [`MAX_FINDING_TEXT`].
pub fn bounded(mut t: Text) -> Text {
    cut(&mut t.zh);
    cut(&mut t.en);
    t
}

/// The finding a verdict on `subject` makes, `None` when the clause does
/// not apply. `settled` names missing values the verdict did not depend on.
pub fn finding(
    verdict: Verdict,
    settled: Vec<String>,
    index: usize,
    rule: &Rule,
    subject: &str,
    sub: &Submission,
) -> Result<Option<Finding>, Text> {
    let Some(subject_span) = sub.span_of(subject) else {
        return Err(both(
            &Msg::new("engine.subject-not-found").arg("subject", subject),
        ));
    };
    let mut f = Finding {
        rule: index,
        status: Status::Holds,
        severity: rule.severity,
        subject: subject.to_string(),
        message: Text::default(),
        at: vec![Located {
            path: subject.to_string(),
            span: subject_span,
        }],
        label: None,
        missing: None,
        figures: None,
    };
    match verdict {
        Verdict::NotApplicable => return Ok(None),
        Verdict::Holds => {}
        Verdict::Unchecked(missing, why) => {
            let missing = absolute(&missing, subject);
            // Point at the nearest thing that is there: the record that
            // lacks the field, else the subject.
            let mut anchor = missing.as_str();
            let mut gap = missing.as_str();
            while sub.span_of(anchor).is_none() {
                gap = anchor;
                match anchor.rfind(['.', '[']) {
                    Some(i) => anchor = &anchor[..i],
                    None => {
                        anchor = subject;
                        break;
                    }
                }
            }
            f.status = Status::Unchecked;
            if why.is_none() {
                f.missing = Some(missing.clone());
            }
            f.message = both(&match &why {
                Some(why) => {
                    Msg::new("engine.unchecked-why").both("why", why.zh.clone(), why.en.clone())
                }
                None => Msg::new("engine.unchecked-missing").arg("gap", gap),
            });
            if let Some(span) = sub.span_of(anchor) {
                f.at = vec![Located {
                    path: anchor.to_string(),
                    span,
                }];
            }
            f.label =
                Some(why.unwrap_or_else(|| both(&Msg::new("engine.missing-here").arg("gap", gap))));
        }
        Verdict::Violated(v) => {
            f.status = Status::Violated;
            f.message = v.message;
            let at = locate(&v.at[..v.at.len().min(MAX_FINDING_PATHS)], subject, sub)?;
            if !at.is_empty() {
                f.at = at;
            }
            // An input the file does not give (the other branch of a
            // clause 或 …) is not shown; the offending values must exist.
            let inputs: Vec<Located> = v
                .inputs
                .iter()
                .take(MAX_FINDING_PATHS)
                .map(|p| absolute(p, subject))
                .filter_map(|path| sub.span_of(&path).map(|span| Located { path, span }))
                .collect();
            f.label = Some(
                v.label
                    .unwrap_or_else(|| both(&Msg::new("engine.does-not-meet"))),
            );
            if !inputs.is_empty() || v.required.is_some() || v.provided.is_some() {
                f.figures = Some(Box::new(Figures {
                    inputs,
                    required: v.required.map(bounded),
                    provided: v.provided.map(bounded),
                }));
            }
        }
    }
    if !settled.is_empty() && f.status != Status::Unchecked {
        let m = std::mem::take(&mut f.message);
        f.message = both(
            &Msg::new("engine.settled")
                .both("message", m.zh, m.en)
                .arg("list", settled.join(", ")),
        );
    }
    f.message = bounded(f.message);
    f.label = f.label.map(bounded);
    Ok(Some(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_work_inside_scripts() {
        let e = sandboxed_engine();
        assert!(e
            .eval::<bool>("not_later(\"2026-10\", \"2026-10-31\")")
            .unwrap());
        assert!(!e
            .eval::<bool>("not_later(\"2026-10\", \"2026-10-30\")")
            .unwrap());
        let n: Num = e
            .eval("sum([#{floor_area: number(0.1)}, #{floor_area: number(0.2)}], \"floor_area\")")
            .unwrap();
        assert_eq!(n.to_string(), "0.3");
        assert_eq!(
            e.eval::<String>("fmt(max(20.0 * number(2600) / 100, 350.0))")
                .unwrap(),
            "520"
        );
        assert_eq!(
            e.eval::<rhai::INT>("(number(180) / 100).ceiling().to_int()")
                .unwrap(),
            2
        );
    }

    #[test]
    fn every_host_function_is_registered_and_works() {
        // One call of each documented function, with what it must give.
        let calls: &[(&str, &str)] = &[
            ("holds", "type_of(holds())"),
            (
                "violated",
                "type_of(violated(#{ message: #{ zh: \"z\", en: \"e\" } }))",
            ),
            ("unchecked", "type_of(unchecked(\"estate.households\"))"),
            ("not_applicable", "type_of(not_applicable())"),
            (
                "of_kind",
                "of_kind([#{kind: \"a\"}, #{kind: \"b\"}], \"b\").len()",
            ),
            (
                "of_kinds",
                "of_kinds([#{kind: \"a\"}, #{kind: \"b\"}, #{kind: \"c\"}], [\"a\", \"c\"]).len()",
            ),
            ("due_by", "type_of(due_by(|| holds(), #{}, 2025))"),
            ("any_of", "any_of(|| false, || true)"),
            ("all_of", "all_of(|| true, || true, || false)"),
            ("sum", "sum([#{x: number(0.1)}, #{x: number(0.2)}], \"x\")"),
            ("paths", "paths([#{path: \"facilities[0]\"}], \"slots\")[0]"),
            ("name_of", "name_of(#{})"),
            ("not_later", "not_later(\"2026-10\", \"2026-10-31\")"),
            (
                "late_milestones",
                "late_milestones(#{schedule: #{acceptance: \"2027-01\", delivery: \"2027-06\"}}, #{schedule: #{acceptance: \"2027-01\", delivery: \"2026-12\"}}, [\"acceptance\", \"delivery\"])",
            ),
            ("fmt", "fmt(number(2) / 3 * 100)"),
            ("fmt_apart", "fmt_apart(number(4.4975), 4.5)"),
            ("number", "number(0.1) + number(0.2) == 0.3"),
            ("ceiling", "(number(180) / 100).ceiling()"),
            ("floor", "(number(180) / 100).floor()"),
            ("to_int", "(number(180) / 90).to_int()"),
            ("table", "table(\"beds\")"),
            ("normalize_name", "normalize_name(\"郊 区\")"),
            ("term", "term(\"clinic\") + \"; \" + term(false) + \"; \" + term(\"I1\")"),
        ];
        let expected = [
            "Verdict",
            "Verdict",
            "Verdict",
            "Verdict",
            "1",
            "2",
            "Verdict",
            "true",
            "false",
            "0.3",
            "facilities[0].slots",
            "error: name_of: expected a record",
            "true",
            "[\"delivery\"]",
            "66.67",
            "4.4975",
            "true",
            "2",
            "1",
            "2",
            "error: this rule's pack has no data tables",
            "郊区",
            "诊所 (clinic); 否 (false); I1",
        ];
        let e = sandboxed_engine();
        for ((name, script), want) in calls.iter().zip(expected) {
            // An error that is the function's own answer proves it exists.
            let got = e
                .eval::<String>(&format!("`${{ {script} }}`"))
                .unwrap_or_else(|err| format!("error: {err}"));
            assert!(
                got == want
                    || want
                        .strip_prefix("error: ")
                        .is_some_and(|w| got.starts_with("error: ") && got.contains(w)),
                "{name}: {script}: {got}"
            );
        }
        for f in HOST_FUNCTIONS {
            assert!(
                calls.iter().any(|(n, _)| *n == f.name),
                "{} is documented but not exercised here",
                f.name
            );
        }
    }

    #[test]
    fn long_texts_are_cut_at_a_character_boundary() {
        let t = bounded(Text {
            zh: "字".repeat(30_000),
            en: "ab".repeat(40_000),
        });
        assert!(
            t.zh.len() <= MAX_FINDING_TEXT && t.zh.ends_with("字…"),
            "{}",
            t.zh.len()
        );
        assert_eq!(t.en.len(), MAX_FINDING_TEXT);
        assert!(t.en.ends_with('…'));
        let short = bounded(Text {
            zh: "中".into(),
            en: "e".into(),
        });
        assert_eq!((short.zh.as_str(), short.en.as_str()), ("中", "e"));
    }

    #[test]
    fn relative_paths_resolve_against_the_subject() {
        assert_eq!(absolute("beds", "institutions[2]"), "institutions[2].beds");
        assert_eq!(absolute("estate.status", "facilities[0]"), "estate.status");
        assert_eq!(
            absolute("schedule.planned", "facilities[0]"),
            "facilities[0].schedule.planned"
        );
    }
}
