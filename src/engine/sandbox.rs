//! Bounds on rule scripts beyond rhai's counted operations: a wall-clock
//! budget per rule call, per rule on one submission and per pack load, no `sleep`, native scans that
//! count their work, and every built-in that could allocate in proportion
//! to its arguments checked before it allocates. docs/limits.md lists each.
//!
//! The budget is per thread (rules of different files run on different
//! rayon threads): [`with_budget`] sets it around a rule's records and
//! around each call, and the
//! engine's progress callback and the overrides below check it.

use rhai::{Array, Dynamic, Engine, EvalAltResult, ImmutableString, NativeCallContext, INT};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Default wall-clock budget of one rule on one submission.
pub const DEFAULT_RULE_TIME: Duration = Duration::from_millis(1_000);
/// Default wall-clock budget of loading one rule script (its top level).
pub const DEFAULT_LOAD_TIME: Duration = Duration::from_millis(2_000);
/// The budgets in total, unless set: this many times the budget of one.
/// The rule scripts of one submission together get 4 × `--rule-time-limit`
/// (4 s), the top levels of every script a run loads 4 ×
/// `--load-time-limit` (8 s): twenty slow rules, or ten slow scripts, cost
/// one budget, not twenty.
pub const TOTAL_FACTOR: u32 = 4;
/// Elements (or bytes / 16) native scans may visit in one budget: far more
/// than any rule needs, reached in well under a second.
pub const MAX_SCAN_WORK: u64 = 20_000_000;
/// Most `=>` (switch cases) in one script: rhai compiles a switch in time
/// quadratic in its cases.
pub const MAX_SWITCH_CASES: usize = 1_000;

/// The wall-clock budgets of a run (`--rule-time-limit`,
/// `--submission-time-limit`, `--load-time-limit`, `--load-time-limit-total`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeLimits {
    /// One rule call on one record, and one rule on one submission (plus a
    /// thousandth of it a record).
    pub rule: Duration,
    /// Every rule script on one submission together (plus a thousandth of
    /// it a record).
    pub submission: Duration,
    /// The top level of one script, when it loads.
    pub load: Duration,
    /// The top levels of every script loaded, together.
    pub load_total: Duration,
}

impl TimeLimits {
    /// The budgets given; a total not given is [`TOTAL_FACTOR`] times its
    /// single budget.
    pub fn new(
        rule: Duration,
        submission: Option<Duration>,
        load: Duration,
        load_total: Option<Duration>,
    ) -> Self {
        TimeLimits {
            rule,
            submission: submission.unwrap_or(rule * TOTAL_FACTOR),
            load,
            load_total: load_total.unwrap_or(load * TOTAL_FACTOR),
        }
    }
}

impl Default for TimeLimits {
    fn default() -> Self {
        TimeLimits::new(DEFAULT_RULE_TIME, None, DEFAULT_LOAD_TIME, None)
    }
}

static RULE_TIME_MS: AtomicU64 = AtomicU64::new(DEFAULT_RULE_TIME.as_millis() as u64);
static SUBMISSION_TIME_MS: AtomicU64 =
    AtomicU64::new(DEFAULT_RULE_TIME.as_millis() as u64 * TOTAL_FACTOR as u64);
static LOAD_TIME_MS: AtomicU64 = AtomicU64::new(DEFAULT_LOAD_TIME.as_millis() as u64);
static LOAD_TOTAL_MS: AtomicU64 =
    AtomicU64::new(DEFAULT_LOAD_TIME.as_millis() as u64 * TOTAL_FACTOR as u64);

/// Set the budgets of the run.
pub fn set_time_limits(limits: TimeLimits) {
    let ms = |d: Duration| d.as_millis().clamp(1, u64::MAX as u128) as u64;
    RULE_TIME_MS.store(ms(limits.rule), Ordering::Relaxed);
    SUBMISSION_TIME_MS.store(ms(limits.submission), Ordering::Relaxed);
    LOAD_TIME_MS.store(ms(limits.load), Ordering::Relaxed);
    LOAD_TOTAL_MS.store(ms(limits.load_total), Ordering::Relaxed);
}

pub fn rule_time() -> Duration {
    Duration::from_millis(RULE_TIME_MS.load(Ordering::Relaxed))
}

pub fn load_time() -> Duration {
    Duration::from_millis(LOAD_TIME_MS.load(Ordering::Relaxed))
}

/// The budget of every script's top level together, on one load.
pub fn load_total() -> Duration {
    Duration::from_millis(LOAD_TOTAL_MS.load(Ordering::Relaxed))
}

/// Which budget a deadline is of: what a time error names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// One call, or one rule on one submission.
    Rule,
    /// Every rule script on one submission.
    Submission,
    /// Loading one script, or every script of a load.
    Load,
}

thread_local! {
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    /// The length of the budget whose deadline is in force, and which it is.
    static LIMIT: Cell<(Duration, Scope)> = const { Cell::new((Duration::ZERO, Scope::Rule)) };
    /// The length of the last budget that ran out on this thread, and which.
    static SPENT: Cell<(Duration, Scope)> = const { Cell::new((Duration::ZERO, Scope::Rule)) };
    static WORK: Cell<u64> = const { Cell::new(0) };
}

/// Run `f` with a fresh budget of `time` (and of scan work) on this thread,
/// within any budget already running: a call's budget never outlasts its
/// rule's.
pub fn with_budget<T>(time: Duration, f: impl FnOnce() -> T) -> T {
    with_budget_of(Scope::Rule, time, f)
}

/// [`with_budget`], for a budget of `scope` (what its time error names).
pub fn with_budget_of<T>(scope: Scope, time: Duration, f: impl FnOnce() -> T) -> T {
    let mine = Instant::now() + time;
    let before = DEADLINE.with(|d| d.get());
    let limit = LIMIT.with(|l| l.get());
    if before.is_none_or(|b| mine < b) {
        DEADLINE.with(|d| d.set(Some(mine)));
        LIMIT.with(|l| l.set((time, scope)));
    }
    let work = WORK.with(|w| w.replace(0));
    let out = f();
    DEADLINE.with(|d| d.set(before));
    LIMIT.with(|l| l.set(limit));
    WORK.with(|w| w.set(work));
    out
}

/// The budget of one rule on one submission: the per-call budget, and a
/// thousandth of it more for every record the rule judges (1 ms a record
/// at the default 1,000 ms). A rule over a large file is not cut short,
/// and one that would spend the per-call budget on every record stops
/// there: 3,000 records get 4 s, not 3,000 × 1 s.
pub fn rule_budget(records: usize) -> Duration {
    per_record(rule_time(), records)
}

/// The budget of every rule script on one submission of `records`
/// records: `--submission-time-limit`, and a thousandth of it more a
/// record, as [`rule_budget`] grows.
pub fn submission_budget(records: usize) -> Duration {
    per_record(
        Duration::from_millis(SUBMISSION_TIME_MS.load(Ordering::Relaxed)),
        records,
    )
}

fn per_record(time: Duration, records: usize) -> Duration {
    time.mul_f64(1.0 + records as f64 / 1000.0)
}

/// The length of the budget that ran out last on this thread, and which
/// it was (what a time error reports).
pub fn spent_budget() -> (Duration, Scope) {
    SPENT.with(|s| s.get())
}

/// The error of a scan past [`MAX_SCAN_WORK`] (`host::describe_error`
/// words it in both languages).
pub const OVER_SCAN: &str = "exceeded the limit of 20000000 elements scanned";
/// The error of `sleep(…)`.
pub const NO_SLEEP: &str = "sleep is not available to rules";

/// What `on_progress` ends a script with when the budget is spent.
pub const OVER_TIME: &str = "peitao: time budget exceeded";

fn over_time() -> bool {
    let over = DEADLINE.with(|d| d.get().is_some_and(|t| Instant::now() >= t));
    if over {
        SPENT.with(|s| s.set(LIMIT.with(|l| l.get())));
    }
    over
}

/// Charge `n` units of native work; an error once the budget is spent.
pub(super) fn charge(n: usize) -> Result<(), Box<EvalAltResult>> {
    let total = WORK.with(|w| {
        let t = w.get().saturating_add(n as u64);
        w.set(t);
        t
    });
    if total > MAX_SCAN_WORK {
        return Err(OVER_SCAN.into());
    }
    if over_time() {
        return Err(EvalAltResult::ErrorTerminated(OVER_TIME.into(), rhai::Position::NONE).into());
    }
    Ok(())
}

fn too_large(max: usize) -> Box<EvalAltResult> {
    EvalAltResult::ErrorDataTooLarge(format!("a string of {max} bytes"), rhai::Position::NONE)
        .into()
}

/// Does a script stay within the compile budget? (Its size is bounded when
/// it is read; see `plan::load`.)
pub fn compile_budget(script: &str) -> Result<(), crate::input::Msg> {
    let cases = script.matches("=>").count();
    if cases > MAX_SWITCH_CASES {
        return Err(crate::input::Msg::new("plan.switch-cases")
            .arg("cases", cases)
            .arg("limit", MAX_SWITCH_CASES));
    }
    Ok(())
}

/// Plain equality for the values rules compare; `None` for other types.
fn equal(a: &Dynamic, b: &Dynamic) -> Option<bool> {
    if let (Ok(x), Ok(y)) = (a.as_int(), b.as_int()) {
        return Some(x == y);
    }
    if let (Ok(x), Ok(y)) = (a.as_float(), b.as_float()) {
        return Some(x == y);
    }
    if let (Ok(x), Ok(y)) = (a.as_bool(), b.as_bool()) {
        return Some(x == y);
    }
    if let (Ok(x), Ok(y)) = (a.as_char(), b.as_char()) {
        return Some(x == y);
    }
    if a.is_string() && b.is_string() {
        return Some(
            a.clone().into_immutable_string().ok() == b.clone().into_immutable_string().ok(),
        );
    }
    if a.is_unit() && b.is_unit() {
        return Some(true);
    }
    if a.type_id() != b.type_id() {
        return Some(false);
    }
    None
}

fn position(
    ctx: &NativeCallContext,
    list: &mut Array,
    value: &Dynamic,
) -> Result<INT, Box<EvalAltResult>> {
    charge(list.len())?;
    for (i, item) in list.iter_mut().enumerate() {
        let same = match equal(item, value) {
            Some(b) => b,
            None => ctx
                .call_native_fn::<bool>("==", (item.clone(), value.clone()))
                .unwrap_or(false),
        };
        if same {
            return Ok(i as INT);
        }
    }
    Ok(-1)
}

/// Remove `sleep`, set the progress check, and put bounded versions in
/// place of the built-ins that scan or allocate without counting.
pub fn harden(e: &mut Engine) {
    // A rule never waits: `sleep(…)` fails at once.
    let no_sleep = || -> Result<(), Box<EvalAltResult>> { Err(NO_SLEEP.into()) };
    e.register_fn("sleep", move |_: INT| no_sleep());
    e.register_fn("sleep", move |_: rhai::FLOAT| no_sleep());
    e.on_progress(|ops| {
        // Checking the clock every 16 operations costs little.
        (ops % 16 == 0 && over_time()).then(|| Dynamic::from(OVER_TIME))
    });
    // `x in list`, `list.contains(x)`, `list.index_of(x)`: counted scans.
    e.register_fn(
        "contains",
        |ctx: NativeCallContext, list: &mut Array, value: Dynamic| {
            position(&ctx, list, &value).map(|i| i >= 0)
        },
    );
    e.register_fn(
        "index_of",
        |ctx: NativeCallContext, list: &mut Array, value: Dynamic| position(&ctx, list, &value),
    );
    e.register_fn(
        "contains",
        |s: &mut ImmutableString, find: ImmutableString| -> Result<bool, Box<EvalAltResult>> {
            charge(s.len() / 16)?;
            Ok(s.contains(find.as_str()))
        },
    );
    e.register_fn(
        "index_of",
        |s: &mut ImmutableString, find: ImmutableString| -> Result<INT, Box<EvalAltResult>> {
            charge(s.len() / 16)?;
            Ok(s.find(find.as_str())
                .map_or(-1, |b| s[..b].chars().count() as INT))
        },
    );
    e.register_fn(
        "sort",
        |list: &mut Array| -> Result<(), Box<EvalAltResult>> {
            charge(list.len().saturating_mul(16))?;
            sort(list)
        },
    );
    // `replace` computes the result's size before building it.
    let max = super::host::MAX_STRING_BYTES;
    e.register_fn(
        "replace",
        move |s: &mut ImmutableString,
              find: ImmutableString,
              with: ImmutableString|
              -> Result<(), Box<EvalAltResult>> {
            if s.is_empty() || find.is_empty() && with.is_empty() {
                return Ok(());
            }
            charge(s.len() / 16)?;
            let count = if find.is_empty() {
                s.chars().count() + 1
            } else {
                s.matches(find.as_str()).count()
            };
            let size = (s.len() - count.min(s.len()) * find.len().min(s.len()))
                .saturating_add(count.saturating_mul(with.len()));
            if size > max {
                return Err(too_large(max));
            }
            *s = s.replace(find.as_str(), with.as_str()).into();
            Ok(())
        },
    );
    e.register_fn(
        "replace",
        move |s: &mut ImmutableString,
              find: char,
              with: ImmutableString|
              -> Result<(), Box<EvalAltResult>> {
            charge(s.len() / 16)?;
            let count = s.matches(find).count();
            if s.len().saturating_add(count.saturating_mul(with.len())) > max {
                return Err(too_large(max));
            }
            *s = s.replace(find, with.as_str()).into();
            Ok(())
        },
    );
}

/// `list.sort()`: numbers, strings, characters or booleans, as rhai's own.
fn sort(list: &mut Array) -> Result<(), Box<EvalAltResult>> {
    if list.len() < 2 {
        return Ok(());
    }
    if list.iter().all(Dynamic::is_int) {
        list.sort_by_key(|x| x.as_int().unwrap_or_default());
    } else if list.iter().all(Dynamic::is_float) {
        list.sort_by(|a, b| {
            let (a, b) = (
                a.as_float().unwrap_or_default(),
                b.as_float().unwrap_or_default(),
            );
            a.total_cmp(&b)
        });
    } else if list.iter().all(Dynamic::is_string) {
        list.sort_by_cached_key(|x| x.clone().into_immutable_string().unwrap_or_default());
    } else if list.iter().all(Dynamic::is_char) {
        list.sort_by_key(|x| x.as_char().unwrap_or_default());
    } else if list.iter().all(Dynamic::is_bool) {
        list.sort_by_key(|x| x.as_bool().unwrap_or_default());
    } else {
        return Err("sort: the elements must be all numbers, all strings, all characters or all booleans; pass a comparer otherwise".into());
    }
    Ok(())
}

/// `join(list, sep)`, bounded as it goes: never more than the string limit.
pub fn join(list: Array, sep: ImmutableString) -> Result<String, Box<EvalAltResult>> {
    let max = super::host::MAX_STRING_BYTES;
    charge(list.len())?;
    let mut out = String::new();
    for (i, item) in list.iter().enumerate() {
        let piece = match item.clone().into_immutable_string() {
            Ok(s) => s.to_string(),
            Err(_) => item.to_string(),
        };
        let sep_len = if i > 0 { sep.len() } else { 0 };
        if out.len() + sep_len + piece.len() > max {
            return Err(too_large(max));
        }
        if i > 0 {
            out.push_str(&sep);
        }
        out.push_str(&piece);
    }
    Ok(out)
}
