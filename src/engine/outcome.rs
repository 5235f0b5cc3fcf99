//! What a rule concludes about one subject, as a typed value.
//!
//! Scripts build verdicts with `holds()`, `violated(#{ … })`,
//! `unchecked(path)` and `not_applicable()`. `violated` checks its map when
//! it is called: an unknown key (`input:` for `inputs:`), a wrong type or a
//! message without both languages is an error at that line of the script,
//! so a misspelt key is never lost without a word.

use super::num::Num;
use crate::plan::Text;
use rhai::{Array, Dynamic, EvalAltResult, ImmutableString, Map};

/// A rule's verdict on one subject.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    Holds,
    NotApplicable,
    /// A field the rule needs is missing, or (with a reason) cannot be
    /// judged as written.
    Unchecked(String, Option<Text>),
    Violated(Box<Violation>),
}

impl Verdict {
    /// Verdicts agree when they say the same about the subject (the
    /// wording may differ).
    pub fn same_kind(&self, other: &Verdict) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// A requirement not met: what to say and where to point.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Violation {
    pub message: Text,
    /// Paths of the offending values (absolute, or relative to the subject).
    pub at: Vec<String>,
    /// Paths of the values the verdict was computed from.
    pub inputs: Vec<String>,
    pub label: Option<Text>,
    pub required: Option<Text>,
    pub provided: Option<Text>,
}

/// Why a rule stopped on a subject without a verdict: a value it needs is
/// missing (the engine then tries a closed set's values, or says "cannot
/// be checked"), or the rule is wrong (a rule error, in both languages).
#[derive(Clone, Debug, PartialEq)]
pub enum Stop {
    Missing(String),
    Error(Text),
}

impl Stop {
    /// A rule error, in Chinese and in English.
    pub fn error(zh: impl Into<String>, en: impl Into<String>) -> Stop {
        Stop::Error(Text {
            zh: zh.into(),
            en: en.into(),
        })
    }

    /// A rule error in the catalogue's words ([`crate::base::text`]).
    pub fn said(m: crate::input::Msg) -> Stop {
        Stop::Error(crate::base::text::both(&m))
    }
}

/// A stop inside a script: the error a missing value raises there, or a
/// runtime error with the rule's words (rhai's errors are English; under
/// zh `host::describe_error` quotes them).
impl From<Stop> for Box<EvalAltResult> {
    fn from(stop: Stop) -> Self {
        match stop {
            Stop::Missing(path) => EvalAltResult::ErrorRuntime(
                Dynamic::from(super::unknown::Unknown(path.into())),
                rhai::Position::NONE,
            )
            .into(),
            Stop::Error(why) => why.en.into(),
        }
    }
}

/// The keys `violated` takes, with what each must be.
pub const VIOLATION_KEYS: &[(&str, &str)] = &[
    ("message", "#{ zh: …, en: … } (required)"),
    ("at", "a path or a list of paths"),
    ("inputs", "a path or a list of paths"),
    ("label", "#{ zh: …, en: … }"),
    (
        "required",
        "text, a number, or #{ zh: …, en: … } where it holds words",
    ),
    (
        "provided",
        "text, a number, or #{ zh: …, en: … } where it holds words",
    ),
];

type Fallible<T> = Result<T, Box<EvalAltResult>>;

fn text_of(v: &Dynamic, key: &str) -> Fallible<String> {
    if let Some(n) = v.read_lock::<Num>() {
        return Ok(n.to_string());
    }
    if v.is_int() || v.is_float() || v.is_bool() {
        return Ok(v.to_string());
    }
    v.clone()
        .into_string()
        .map_err(|t| format!("violated: `{key}` must be text, found {t}").into())
}

fn localized(v: &Dynamic, key: &str) -> Fallible<Text> {
    let Some(m) = v.read_lock::<Map>() else {
        return Err(format!(
            "violated: `{key}` must be #{{ zh: …, en: … }}, found {}",
            v.type_name()
        )
        .into());
    };
    for k in m.keys() {
        if k != "zh" && k != "en" {
            return Err(
                format!("violated: `{key}` has an unknown key `{k}` (only zh and en)").into(),
            );
        }
    }
    let get = |lang: &str| -> Fallible<String> {
        m.get(lang)
            .ok_or_else(|| format!("violated: `{key}` needs `{lang}`").into())
            .and_then(|v| text_of(v, key))
    };
    Ok(Text {
        zh: get("zh")?,
        en: get("en")?,
    })
}

/// `required` / `provided`: a figure (">= 350 m²", 12), the same in
/// both languages, or `#{ zh, en }` when it holds words.
fn figure(v: &Dynamic, key: &str) -> Fallible<Text> {
    if v.is_map() {
        return localized(v, key);
    }
    let t = text_of(v, key)?;
    Ok(Text {
        zh: t.clone(),
        en: t,
    })
}

fn paths(v: &Dynamic, key: &str) -> Fallible<Vec<String>> {
    if let Some(items) = v.read_lock::<Array>() {
        return items.iter().map(|i| text_of(i, key)).collect();
    }
    Ok(vec![text_of(v, key)?])
}

/// `violated(#{ … })`, checked key by key.
pub fn violated(details: Map) -> Fallible<Verdict> {
    let mut v = Violation::default();
    let mut has_message = false;
    for (key, value) in &details {
        match key.as_str() {
            "message" => {
                v.message = localized(value, "message")?;
                has_message = true;
            }
            "at" => v.at = paths(value, "at")?,
            "inputs" => v.inputs = paths(value, "inputs")?,
            "label" => v.label = Some(localized(value, "label")?),
            "required" => v.required = Some(figure(value, "required")?),
            "provided" => v.provided = Some(figure(value, "provided")?),
            other => {
                let names: Vec<&str> = VIOLATION_KEYS.iter().map(|(k, _)| *k).collect();
                let hint = crate::input::did_you_mean(other, names.iter().copied())
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                return Err(format!(
                    "violated: unknown key `{other}`{hint} (keys: {})",
                    names.join(", ")
                )
                .into());
            }
        }
    }
    if !has_message {
        return Err("violated: needs message: #{ zh: …, en: … }".into());
    }
    Ok(Verdict::Violated(Box::new(v)))
}

pub fn unchecked(path: ImmutableString) -> Verdict {
    Verdict::Unchecked(path.to_string(), None)
}

/// `unchecked("region.name", #{ zh, en })`: cannot be judged, and why.
pub fn unchecked_because(path: ImmutableString, why: Map) -> Fallible<Verdict> {
    let why = localized(&Dynamic::from_map(why), "reason")?;
    Ok(Verdict::Unchecked(path.to_string(), Some(why)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, Dynamic)]) -> Map {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), v.clone()))
            .collect()
    }

    fn msg() -> Dynamic {
        Dynamic::from_map(map(&[("zh", "中".into()), ("en", "en".into())]))
    }

    #[test]
    fn misspelt_keys_are_errors_with_a_hint() {
        let e = violated(map(&[("message", msg()), ("input", "a".into())])).unwrap_err();
        assert!(
            e.to_string()
                .contains("unknown key `input`; did you mean `inputs`?"),
            "{e}"
        );
        let e = violated(map(&[("message", msg()), ("lable", msg())])).unwrap_err();
        assert!(e.to_string().contains("did you mean `label`?"), "{e}");
        let e = violated(map(&[("at", "a".into())])).unwrap_err();
        assert!(e.to_string().contains("needs message"), "{e}");
        let e = violated(map(&[("message", "only one language".into())])).unwrap_err();
        assert!(e.to_string().contains("must be #{ zh"), "{e}");
        let e = violated(map(&[(
            "message",
            Dynamic::from_map(map(&[("zh", "中".into())])),
        )]))
        .unwrap_err();
        assert!(e.to_string().contains("needs `en`"), "{e}");
    }

    #[test]
    fn a_well_formed_violation_keeps_every_part() {
        let v = violated(map(&[
            ("message", msg()),
            ("at", "beds".into()),
            ("inputs", Dynamic::from_array(vec!["a".into(), "b".into()])),
            ("required", Dynamic::from(Num::int(5))),
        ]))
        .unwrap();
        let Verdict::Violated(v) = v else { panic!() };
        assert_eq!(v.at, ["beds"]);
        assert_eq!(v.inputs, ["a", "b"]);
        assert_eq!(v.required.as_ref().map(|t| t.en.as_str()), Some("5"));
    }
}
