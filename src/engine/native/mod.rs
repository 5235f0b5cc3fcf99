//! Templates written in Rust, for the shapes of clause a pack states by the
//! dozen: a region plan's figure against the plan's target is 130 of the
//! plans' clauses, and each runs once per region plan checked. They read the
//! submission through the same view and the same unknown values as scripts
//! (so the engine's reading of missing values, and its trying of each value
//! of a closed set, apply unchanged), use the host's helpers in Rust, and
//! give the same typed verdicts. One file per template, named after it;
//! what they share (reading params, reading records) is here.

mod record_target;
mod target;

use super::host;
use super::num::{self, as_num, Num};
use super::outcome::{Stop, Verdict};
use super::unknown::Unknown;
use super::view::Rec;
use crate::plan::{Entry, Section, Text};
use rhai::{Dynamic, Map};
use std::cmp::Ordering;

pub trait Native: Send + Sync {
    fn judge(&self, record: &Dynamic) -> Result<Verdict, Stop>;
}

/// A rule and the entries (sections, record kinds) it judges.
pub type Built = (Box<dyn Native>, Vec<Entry>);

/// A template: its name, what it checks, its parameters (name → doc, in
/// alphabetical order), the file it is written in, and how a rule is built
/// from a rule's params.
pub struct NativeTemplate {
    pub name: &'static str,
    pub summary: &'static str,
    pub params: &'static [(&'static str, &'static str)],
    pub source: &'static str,
    /// The rule, and the sections (with the record kinds) it judges.
    pub build: fn(&Map) -> Result<Built, String>,
}

/// Every template, by name.
pub const NATIVE: &[NativeTemplate] = &[record_target::TEMPLATE, target::TEMPLATE];

pub fn find(name: &str) -> Option<&'static NativeTemplate> {
    NATIVE.iter().find(|t| t.name == name)
}

// Reading a rule's params.

fn text(params: &Map, key: &str) -> Result<String, String> {
    params
        .get(key)
        .and_then(|v| v.clone().into_string().ok())
        .ok_or_else(|| format!("`{key}` must be text"))
}

/// `#{ zh, en }`, or `""` for empty words.
fn localized(params: &Map, key: &str) -> Result<Text, String> {
    let v = params
        .get(key)
        .ok_or_else(|| format!("`{key}` is missing"))?;
    if v.clone().into_string().is_ok_and(|s| s.is_empty()) {
        return Ok(Text::default());
    }
    let m = v
        .read_lock::<Map>()
        .ok_or_else(|| format!("`{key}` must be #{{ zh, en }} or \"\""))?;
    let get = |lang: &str| {
        m.get(lang)
            .and_then(|s| s.clone().into_string().ok())
            .ok_or_else(|| format!("`{key}` needs `{lang}`"))
    };
    Ok(Text {
        zh: get("zh")?,
        en: get("en")?,
    })
}

fn number(params: &Map, key: &str) -> Result<Num, String> {
    params
        .get(key)
        .and_then(as_num)
        .ok_or_else(|| format!("`{key}` must be a number"))
}

/// A year of the params (`due`), 0 for none.
fn year(params: &Map, key: &str) -> Result<i64, String> {
    params
        .get(key)
        .and_then(|v| v.as_int().ok())
        .ok_or_else(|| format!("`{key}` must be a year, or 0 for none"))
}

/// A list of texts (`kinds: [childcare]`).
fn texts(params: &Map, key: &str) -> Result<Vec<String>, String> {
    let list = params
        .get(key)
        .and_then(|v| v.read_lock::<rhai::Array>().map(|a| a.to_vec()))
        .ok_or_else(|| format!("`{key}` must be a list"))?;
    list.into_iter()
        .map(|v| {
            v.into_string()
                .map_err(|_| format!("each of `{key}` must be text"))
        })
        .collect()
}

/// The entry of a section, for the records of `kinds` (`None`: every
/// record). A record of another kind is not applicable without a call; a
/// record without `kind` is judged (it cannot be placed).
fn entry(section: Section, kinds: Option<Vec<String>>) -> Entry {
    Entry {
        section,
        arity: 2,
        kinds,
    }
}

// Reading the submission, as a script reads it.

/// `r.kind in kinds`: the record's kind (read, so a missing one stops the
/// rule), when it is one of `kinds`.
fn kind_in(record: &Dynamic, kinds: &[String]) -> Result<Option<String>, Stop> {
    let kind = host::known(host::read(record, "kind")?)?;
    Ok(kind
        .into_string()
        .ok()
        .filter(|k| kinds.iter().any(|w| w == k)))
}

/// A field of a record, following nested records (`indicators.x`); the
/// first missing record or field stops the rule.
fn read_path(record: &Dynamic, path: &str) -> Result<Dynamic, Stop> {
    let mut value = record.clone();
    for part in path.split('.') {
        let next = match value.read_lock::<Rec>() {
            Some(r) => r.read(part),
            None => return Err(Stop::Error(format!("`{path}` is not a field of a record"))),
        };
        value = next;
        if let Some(u) = value.read_lock::<Unknown>() {
            return Err(Stop::Missing(u.0.to_string()));
        }
    }
    Ok(value)
}

fn read_num(record: &Dynamic, path: &str) -> Result<Num, Stop> {
    let v = read_path(record, path)?;
    as_num(&v).ok_or_else(|| Stop::Error(format!("`{path}` is not a number")))
}

// Exact arithmetic, as scripts do it: an overflow is a rule error.

fn calc(op: &str, a: Num, b: Num) -> Result<Num, Stop> {
    num::checked(op, a, b).map_err(Stop::Error)
}

fn order(a: Num, b: Num) -> Result<Ordering, Stop> {
    num::order(a, b).map_err(Stop::Error)
}

/// How a value compares with a figure: >=, >, <= or <.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    AtLeast,
    MoreThan,
    AtMost,
    LessThan,
}

impl Op {
    fn parse(s: &str) -> Result<Op, String> {
        Ok(match s {
            ">=" => Op::AtLeast,
            ">" => Op::MoreThan,
            "<=" => Op::AtMost,
            "<" => Op::LessThan,
            other => return Err(format!("unknown op `{other}` (>=, >, <= or <)")),
        })
    }
    fn holds(self, o: Ordering) -> bool {
        match self {
            Op::AtLeast => o.is_ge(),
            Op::MoreThan => o.is_gt(),
            Op::AtMost => o.is_le(),
            Op::LessThan => o.is_lt(),
        }
    }
    fn symbol(self) -> &'static str {
        match self {
            Op::AtLeast => ">=",
            Op::MoreThan => ">",
            Op::AtMost => "<=",
            Op::LessThan => "<",
        }
    }
    fn wanted(self) -> (&'static str, &'static str) {
        match self {
            Op::AtLeast => ("不低于", "at least"),
            Op::MoreThan => ("超过", "more than"),
            Op::AtMost => ("不超过", "at most"),
            Op::LessThan => ("低于", "less than"),
        }
    }
}
