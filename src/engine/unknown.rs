//! Unknown values: what a rule reads where the submission gives nothing.
//!
//! A field the file leaves out does not read as `()` (which a script could
//! compare, skip or count as false without noticing) but as an `Unknown`
//! carrying its path. Anything a rule does that needs the value (compare
//! it, add to it, test it, print it, read a field of it) stops the rule for
//! that subject with "cannot be checked: <path> missing". The engine catches
//! it per subject, so no script has to remember a guard, and forgetting one
//! can never pass.
//!
//! Where the known values settle the verdict anyway, the engine still gives
//! it: a missing field of a closed set of values (an enum or a boolean) is
//! tried with each of its values (see `engine::run_subject`); when every
//! value gives the same verdict, that is the verdict. The assumption is
//! what a read of the missing path answers while one such try runs: a
//! script's `Rec::read` gets it as a rhai value, a template's
//! `read::RecordView` as a typed one ([`Assumed`]).

use rhai::{Dynamic, Engine, EvalAltResult, ImmutableString, Position};
use std::cell::RefCell;

/// A value assumed for a missing field of a closed set, in one try.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assumed {
    Bool(bool),
    Word(&'static str),
}

impl Assumed {
    /// The value as a script reads it.
    fn dynamic(self) -> Dynamic {
        match self {
            Assumed::Bool(b) => b.into(),
            Assumed::Word(w) => w.into(),
        }
    }
}

/// A value the submission does not give, named by its path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unknown(pub ImmutableString);

thread_local! {
    /// Values assumed for missing paths during one try of a subject.
    static ASSUMED: RefCell<Vec<(String, Assumed)>> = const { RefCell::new(Vec::new()) };
    /// The most recent missing path a script read, for the rare error rhai
    /// raises itself (an `if` on an unknown) rather than through our hooks.
    static LAST_READ: RefCell<Option<ImmutableString>> = const { RefCell::new(None) };
    /// A missing value a script tried to turn into text. rhai's string
    /// interpolation swallows the error a conversion raises (it prints the
    /// type name instead), so the engine asks here after each call.
    static PRINTED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The missing value a script printed during this call, if any.
pub fn take_printed() -> Option<String> {
    PRINTED.with(|p| p.borrow_mut().take())
}

/// The value assumed for `path` in this try, if any.
pub fn assumed(path: &str) -> Option<Assumed> {
    ASSUMED.with(|a| a.borrow().iter().find(|(p, _)| p == path).map(|(_, v)| *v))
}

/// The value assumed in this try for the field `name` of the record at
/// `record` (the path `record.name`), if any; no path is built to ask.
pub fn assumed_field(record: &str, name: &str) -> Option<Assumed> {
    ASSUMED.with(|a| {
        a.borrow()
            .iter()
            .find(|(p, _)| {
                p.strip_prefix(record)
                    .and_then(|rest| rest.strip_prefix('.'))
                    == Some(name)
            })
            .map(|(_, v)| *v)
    })
}

/// Run `f` with `assumptions` in place (they replace any earlier ones).
pub fn with_assumptions<T>(assumptions: &[(String, Assumed)], f: impl FnOnce() -> T) -> T {
    let before = ASSUMED.with(|a| std::mem::replace(&mut *a.borrow_mut(), assumptions.to_vec()));
    let out = f();
    ASSUMED.with(|a| *a.borrow_mut() = before);
    out
}

/// The value a rule reads for the missing `path`.
pub fn missing(path: String) -> Dynamic {
    if let Some(v) = assumed(&path) {
        return v.dynamic();
    }
    // One string, shared by the value and the last read (not copied).
    let path = ImmutableString::from(path);
    LAST_READ.with(|l| *l.borrow_mut() = Some(path.clone()));
    Dynamic::from(Unknown(path))
}

pub fn forget_last_read() {
    LAST_READ.with(|l| *l.borrow_mut() = None);
    PRINTED.with(|p| *p.borrow_mut() = None);
}

pub fn last_read() -> Option<String> {
    LAST_READ.with(|l| l.borrow().as_ref().map(|p| p.to_string()))
}

/// The error that stops a rule for one subject.
fn stop(u: &Unknown) -> Box<EvalAltResult> {
    EvalAltResult::ErrorRuntime(Dynamic::from(u.clone()), Position::NONE).into()
}

/// The missing path an evaluation error stands for, if it is one.
pub fn missing_path(e: &EvalAltResult) -> Option<String> {
    match e {
        EvalAltResult::ErrorRuntime(v, _) => v.read_lock::<Unknown>().map(|u| u.0.to_string()),
        EvalAltResult::ErrorInFunctionCall(_, _, inner, _) => missing_path(inner),
        // rhai's own checks (`if`, `&&`, `!` …) on an Unknown.
        EvalAltResult::ErrorMismatchDataType(a, b, _)
        | EvalAltResult::ErrorMismatchOutputType(a, b, _)
            if a.contains("Unknown") || b.contains("Unknown") =>
        {
            last_read()
        }
        EvalAltResult::ErrorFor(_) => None,
        _ => None,
    }
}

pub fn register(e: &mut Engine) {
    e.register_type_with_name::<Unknown>("Unknown");
    // Any use of the value stops the rule: every operator, in either order.
    for op in [
        "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "**", "&", "|", "^", "in",
    ] {
        e.register_fn(op, |a: Unknown, _b: Dynamic| -> Result<Dynamic, _> {
            Err(stop(&a))
        });
        e.register_fn(op, |_a: Dynamic, b: Unknown| -> Result<Dynamic, _> {
            Err(stop(&b))
        });
        e.register_fn(op, |a: Unknown, _b: Unknown| -> Result<Dynamic, _> {
            Err(stop(&a))
        });
    }
    e.register_fn(
        "contains",
        |_a: rhai::Array, b: Unknown| -> Result<bool, _> { Err(stop(&b)) },
    );
    e.register_fn("!", |a: Unknown| -> Result<bool, _> { Err(stop(&a)) });
    e.register_fn("-", |a: Unknown| -> Result<Dynamic, _> { Err(stop(&a)) });
    for name in ["to_string", "to_debug", "print", "debug"] {
        e.register_fn(name, |a: &mut Unknown| -> Result<Dynamic, _> {
            PRINTED.with(|p| {
                p.borrow_mut().get_or_insert_with(|| a.0.to_string());
            });
            Err(stop(a))
        });
    }
    for name in [
        "fmt",
        "ceiling",
        "floor",
        "to_int",
        "is_zero",
        "len",
        "is_empty",
        "normalize_name",
        "name_of",
        "term",
    ] {
        e.register_fn(name, |a: &mut Unknown| -> Result<Dynamic, _> {
            Err(stop(a))
        });
    }
    for name in ["max", "min", "fmt_apart", "starts_with"] {
        e.register_fn(name, |a: Unknown, _b: Dynamic| -> Result<Dynamic, _> {
            Err(stop(&a))
        });
        e.register_fn(name, |_a: Dynamic, b: Unknown| -> Result<Dynamic, _> {
            Err(stop(&b))
        });
    }
    // A field of a missing record is missing too: `f.schedule.planned`.
    e.register_indexer_get(|a: &mut Unknown, name: &str| missing(format!("{}.{name}", a.0)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> Engine {
        let mut e = Engine::new();
        register(&mut e);
        super::super::num::register(&mut e);
        e
    }

    fn stops_on(script: &str) -> Option<String> {
        let e = engine();
        let mut scope = rhai::Scope::new();
        forget_last_read();
        scope.push_dynamic("x", missing("estate.households".into()));
        match e.eval_with_scope::<Dynamic>(&mut scope, script) {
            // Interpolation goes on, but the engine hears of it.
            Ok(v) => take_printed().or_else(|| panic!("`{script}` went on with {v:?}")),
            Err(err) => missing_path(&err),
        }
    }

    #[test]
    fn every_use_of_an_unknown_stops_the_rule() {
        for script in [
            "x == 1",
            "1 == x",
            "x != \"new\"",
            "\"new\" != x",
            "x < 3",
            "x >= 3.5",
            "x + 1",
            "2 * x",
            "x == ()",
            "`${x}`",
            "x.to_string()",
            "max(x, 3)",
            "x in [1, 2]",
            "!x",
            "-x",
            "let t = true; x && t",
            "if x { 1 } else { 2 }",
        ] {
            let path = stops_on(script);
            assert!(
                path.is_some(),
                "`{script}` did not stop with the missing path"
            );
        }
        assert_eq!(
            stops_on("x.planned == 1").as_deref(),
            Some("estate.households.planned")
        );
    }

    #[test]
    fn assumptions_answer_for_missing_paths() {
        let v = with_assumptions(&[("a.b".into(), Assumed::Bool(true))], || {
            missing("a.b".into())
        });
        assert_eq!(v.as_bool(), Ok(true));
        assert!(missing("a.b".into()).is::<Unknown>());
    }
}
