//! The sandboxed rhai engine and the host API rules call.
//!
//! Rules are pure functions `fn check(s)` of the submission view `s`. They
//! return outcomes built with `holds`, `violated` and `unchecked` (one, an
//! array of them, or `()` when the rule does not apply), and use the helpers
//! below so that per-facility work runs in Rust, not in the interpreter.
//! docs/writing-rules.md documents every function here.

use super::{text_field, Finding, Located, Status};
use crate::input::{Date, Submission};
use crate::plan::{Rule, Text};
use rhai::{Array, Dynamic, Engine, EvalAltResult, ImmutableString, Map, FLOAT, INT};

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
    e.on_print(|_| {});
    e.on_debug(|_, _, _| {});

    e.register_fn("holds", |subject: ImmutableString| -> Map {
        outcome("holds", subject)
    });
    e.register_fn(
        "violated",
        |subject: ImmutableString, details: Map| -> Map {
            let mut m = details;
            m.extend(outcome("violated", subject));
            m
        },
    );
    e.register_fn(
        "unchecked",
        |subject: ImmutableString, missing: ImmutableString| -> Map {
            let mut m = outcome("unchecked", subject);
            m.insert("missing".into(), missing.into());
            m
        },
    );
    e.register_fn("of_kind", of_kind);
    e.register_fn("sum", sum);
    e.register_fn("lacking", lacking);
    e.register_fn("paths", paths);
    e.register_fn("fmt", |x: FLOAT| fmt_num(x));
    e.register_fn("fmt", |x: INT| x.to_string());
    e.register_fn("not_later", not_later);
    e.register_fn("at_least", at_least);
    super::helpers::register(&mut e);
    super::view::register(&mut e);
    e.register_fn("join", super::sandbox::join);
    super::sandbox::harden(&mut e);
    e
}

/// `at_least(provided, required)`: provided >= required, forgiving the last
/// bits of floating-point error (300.1 + 220.1 is 520.2).
fn at_least(provided: FLOAT, required: FLOAT) -> bool {
    provided >= required - 1e-9 * required.abs().max(1.0)
}

pub(super) fn outcome(status: &str, subject: ImmutableString) -> Map {
    let mut m = Map::new();
    m.insert("status".into(), status.into());
    m.insert("subject".into(), subject.into());
    m
}

fn field(item: &Dynamic, name: &str) -> Option<Dynamic> {
    super::helpers::get(item, name)
}

/// `of_kind(s.facilities, "childcare")`: the items whose `kind` is `kind`.
fn of_kind(list: Array, kind: ImmutableString) -> Array {
    list.into_iter()
        .filter(|item| {
            field(item, "kind")
                .and_then(|k| k.into_immutable_string().ok())
                .is_some_and(|k| k == kind)
        })
        .collect()
}

/// `sum(list, "floor_area")`: the sum of a numeric field over the items
/// that have it (check `lacking` first).
fn sum(list: Array, name: ImmutableString) -> FLOAT {
    list.iter()
        .filter_map(|item| field(item, &name))
        .map(|v| {
            v.as_float()
                .ok()
                .or_else(|| v.as_int().ok().map(|i| i as FLOAT))
                .unwrap_or(0.0)
        })
        .sum()
}

/// `lacking(list, "floor_area")`: paths of the items without the field.
fn lacking(list: Array, name: ImmutableString) -> Array {
    list.iter()
        .filter(|item| field(item, &name).is_none())
        .filter_map(|item| field(item, "path"))
        .map(|p| format!("{p}.{name}").into())
        .collect()
}

/// `paths(list, "floor_area")`: `facilities[0].floor_area`, … for each item.
fn paths(list: Array, name: ImmutableString) -> Array {
    list.iter()
        .filter_map(|item| field(item, "path"))
        .map(|p| format!("{p}.{name}").into())
        .collect()
}

/// A number as a person writes it: `520`, `519.5`, `66.67`.
pub fn fmt_num(x: FLOAT) -> String {
    fmt_places(x, 2)
}

fn fmt_places(x: FLOAT, places: usize) -> String {
    let x = x + 0.0; // -0 (an empty sum) reads as 0
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        let s = format!("{x:.places$}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// `x` written with as many decimals as it takes to tell it from `limit`:
/// 4.4975 against 4.5 is `4.4975`, not a confusing `4.5 < 4.5`.
pub fn fmt_apart(x: FLOAT, limit: FLOAT) -> String {
    (2..=6)
        .map(|p| fmt_places(x, p))
        .find(|s| *s != fmt_places(limit, 6))
        .unwrap_or_else(|| fmt_places(x, 6))
}

/// `not_later(a, b)`: is date `a` on or before date `b`? A month counts as
/// its last day.
fn not_later(a: ImmutableString, b: ImmutableString) -> Result<bool, Box<EvalAltResult>> {
    let a = Date::parse(&a, true).map_err(|e| format!("not_later: {e}"))?;
    let b = Date::parse(&b, true).map_err(|e| format!("not_later: {e}"))?;
    Ok(a.not_later_than(&b))
}

/// A script failure, in words that name the rule's file and line.
pub fn describe_error(e: &EvalAltResult, rule: &Rule) -> String {
    let what = match e {
        EvalAltResult::ErrorTooManyOperations(_) => {
            format!("exceeded the limit of {MAX_OPERATIONS} operations")
        }
        EvalAltResult::ErrorStackOverflow(_) => {
            format!("exceeded the limit of {MAX_CALL_LEVELS} nested calls")
        }
        EvalAltResult::ErrorDataTooLarge(what, _) => format!("exceeded the size limit of {what}"),
        EvalAltResult::ErrorTerminated(token, _)
            if token.to_string() == super::sandbox::OVER_TIME =>
        {
            format!(
                "exceeded the time budget of {} ms",
                super::sandbox::rule_time().as_millis()
            )
        }
        _ => {
            let s = e.to_string();
            let s = s.strip_prefix("Runtime error: ").unwrap_or(&s);
            s.split(" (line ").next().unwrap_or(s).to_string()
        }
    };
    let pos = e.position();
    match pos.line() {
        Some(line) => format!("{what} at {}:{line}", rule.path),
        None => format!("{what} in {}", rule.path),
    }
}

fn localized(v: &Dynamic) -> Option<Text> {
    if let Some(m) = v.clone().try_cast::<Map>() {
        let zh = text_field(&m, "zh")?;
        let en = text_field(&m, "en")?;
        return Some(Text { zh, en });
    }
    let s = v.clone().into_string().ok()?;
    Some(Text {
        zh: s.clone(),
        en: s,
    })
}

/// A path or list of paths of an outcome, each resolved to its span.
fn locate(v: Option<&Dynamic>, sub: &Submission) -> Result<Vec<Located>, String> {
    let Some(v) = v else { return Ok(Vec::new()) };
    let paths = if let Ok(s) = v.clone().into_string() {
        vec![s]
    } else if let Some(items) = v.clone().try_cast::<Array>() {
        items
            .into_iter()
            .map(|i| {
                i.into_string()
                    .map_err(|t| format!("expected a path string, found {t}"))
            })
            .collect::<Result<_, _>>()?
    } else {
        return Err(format!(
            "expected a path or a list of paths, found {}",
            v.type_name()
        ));
    };
    paths
        .into_iter()
        .map(|path| match sub.span_of(&path) {
            Some(span) => Ok(Located { path, span }),
            None => Err(format!("path `{path}` is not in the submission")),
        })
        .collect()
}

/// Turn what `check` returned into findings; an ill-formed outcome is the
/// rule's bug and makes the whole rule a rule error.
pub fn outcomes(
    value: Dynamic,
    index: usize,
    rule: &Rule,
    sub: &Submission,
    out: &mut Vec<Finding>,
) -> Result<(), String> {
    let items: Array = if value.is_unit() {
        return Ok(());
    } else if value.is_array() {
        value.cast::<Array>()
    } else {
        vec![value]
    };
    for item in items {
        if item.is_unit() {
            continue;
        }
        let Some(m) = item.clone().try_cast::<Map>() else {
            return Err(format!(
                "check returned {} where an outcome (holds / violated / unchecked) was expected",
                item.type_name()
            ));
        };
        let subject = text_field(&m, "subject").ok_or("an outcome without a subject")?;
        let Some(subject_span) = sub.span_of(&subject) else {
            return Err(format!("subject `{subject}` is not in the submission"));
        };
        let status = text_field(&m, "status").unwrap_or_default();
        let mut f = Finding {
            rule: index,
            status: Status::Holds,
            severity: rule.severity,
            subject: subject.clone(),
            message: Text::default(),
            at: Vec::new(),
            inputs: Vec::new(),
            label: None,
            required: None,
            provided: None,
        };
        match status.as_str() {
            "holds" => f.at.push(Located {
                path: subject,
                span: subject_span,
            }),
            "unchecked" => {
                let missing = text_field(&m, "missing").unwrap_or_default();
                f.status = Status::Unchecked;
                f.message = Text {
                    zh: format!("无法检查: 缺少 {missing}"),
                    en: format!("cannot be checked: {missing} missing"),
                };
                // Point at the nearest thing that is there: the record that
                // lacks the field, else the subject.
                let mut anchor = missing.as_str();
                let span = loop {
                    if let Some(span) = sub.span_of(anchor) {
                        break span;
                    }
                    match anchor.rfind('.') {
                        Some(i) => anchor = &anchor[..i],
                        None => {
                            anchor = &subject;
                            break subject_span;
                        }
                    }
                };
                f.at = vec![Located {
                    path: anchor.to_string(),
                    span,
                }];
                f.label = Some(Text {
                    zh: format!("此处缺少 {missing}"),
                    en: format!("{missing} is missing here"),
                });
            }
            "violated" => {
                f.status = Status::Violated;
                f.message = m
                    .get("message")
                    .and_then(localized)
                    .ok_or("violated(…) needs message: #{ zh: …, en: … }")?;
                f.at = locate(m.get("at"), sub)?;
                if f.at.is_empty() {
                    f.at.push(Located {
                        path: subject,
                        span: subject_span,
                    });
                }
                f.inputs = locate(m.get("inputs"), sub)?;
                f.label = Some(m.get("label").and_then(localized).unwrap_or_else(|| Text {
                    zh: "不符合条款".into(),
                    en: "does not meet the clause".into(),
                }));
                f.required = m.get("required").map(|v| v.to_string());
                f.provided = m.get("provided").map(|v| v.to_string());
            }
            other => return Err(format!("unknown outcome status `{other}`")),
        }
        out.push(f);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_people_write_them() {
        assert_eq!(fmt_num(520.0), "520");
        assert_eq!(fmt_num(519.5), "519.5");
        assert_eq!(fmt_num(2.0 / 3.0 * 100.0), "66.67");
        assert_eq!(fmt_num(-0.0), "0");
        assert!(
            fmt_apart(4.4975, 4.5).starts_with("4.49"),
            "{}",
            fmt_apart(4.4975, 4.5)
        );
        assert_eq!(fmt_apart(59.97, 60.0), "59.97");
    }

    #[test]
    fn helpers_work_inside_scripts() {
        let e = sandboxed_engine();
        let r: FLOAT = e
            .eval("let l = [#{kind: \"a\", x: 1.5, path: \"f[0]\"}, #{kind: \"b\", x: 2.0, path: \"f[1]\"}, #{kind: \"a\", path: \"f[2]\"}]; sum(of_kind(l, \"a\"), \"x\")")
            .unwrap();
        assert_eq!(r, 1.5);
        let missing: Array = e
            .eval("lacking([#{path: \"f[0]\", x: 1}, #{path: \"f[1]\"}], \"x\")")
            .unwrap();
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].clone().into_string().unwrap(), "f[1].x");
        assert!(e
            .eval::<bool>("not_later(\"2026-10\", \"2026-10-31\")")
            .unwrap());
        assert!(!e
            .eval::<bool>("not_later(\"2026-10\", \"2026-10-30\")")
            .unwrap());
    }
}

#[cfg(test)]
mod script_tests {
    use super::*;
    #[test]
    fn rhai_builtins_rules_rely_on() {
        let e = sandboxed_engine();
        assert_eq!(
            e.eval::<FLOAT>("max(20.0 * 2600 / 100, 350.0)").unwrap(),
            520.0
        );
        assert_eq!(
            e.eval::<INT>("(180 / 100.0).ceiling().to_int()").unwrap(),
            2
        );
        assert_eq!(
            e.eval::<String>("let x = 5; `a ${fmt(x * 1.5)} b`")
                .unwrap(),
            "a 7.5 b"
        );
        assert!(e.eval::<bool>("at_least(300.1 + 220.1, 520.2)").unwrap());
    }
}
