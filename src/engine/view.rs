//! The submission as rhai sees it, built once per file and never copied:
//! every record is a `Rec`, a reference-counted list of its fields, so a
//! rule reading `s.facilities` or `s.estate` gets handles, not deep copies.
//! Fields are read through an indexer, which rhai also uses for property
//! syntax: `s.estate.households` is `()` when the file does not give it.

use crate::input::{Record, Submission, Value};
use rhai::{Array, Dynamic, Engine, ImmutableString};
use std::sync::Arc;

/// One record of the submission (the estate, a facility, a schedule …).
#[derive(Clone, Debug)]
pub struct Rec(Arc<RecData>);

#[derive(Debug)]
pub struct RecData {
    pub path: ImmutableString,
    pub fields: Vec<(&'static str, Dynamic)>,
}

impl Rec {
    /// The field `name` (or `path`), `None` when absent.
    pub fn get(&self, name: &str) -> Option<Dynamic> {
        if name == "path" {
            return Some(self.0.path.clone().into());
        }
        self.0
            .fields
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    }
}

/// The whole submission.
#[derive(Clone, Debug)]
pub struct Sub(Arc<SubData>);

#[derive(Debug)]
struct SubData {
    submission: Dynamic,
    estate: Dynamic,
    facilities: Array,
    institutions: Array,
    hospitals: Array,
    venues: Array,
    region: Dynamic,
}

impl Sub {
    /// A section: a record, a list of records, or `()` when absent.
    pub fn get(&self, name: &str) -> Dynamic {
        let d = &self.0;
        match name {
            "submission" => d.submission.clone(),
            "estate" => d.estate.clone(),
            "facilities" => d.facilities.clone().into(),
            "institutions" => d.institutions.clone().into(),
            "hospitals" => d.hospitals.clone().into(),
            "venues" => d.venues.clone().into(),
            "region" => d.region.clone(),
            _ => Dynamic::UNIT,
        }
    }
}

pub fn submission(sub: &Submission) -> Dynamic {
    let one = |r: &Option<Record>| r.as_ref().map_or(Dynamic::UNIT, record);
    let list = |rs: &[Record]| rs.iter().map(record).collect::<Array>();
    Dynamic::from(Sub(Arc::new(SubData {
        submission: record(&sub.filing),
        estate: one(&sub.estate),
        facilities: list(&sub.facilities),
        institutions: list(&sub.institutions),
        hospitals: list(&sub.hospitals),
        venues: list(&sub.venues),
        region: one(&sub.region),
    })))
}

fn record(r: &Record) -> Dynamic {
    let fields = r
        .entries
        .iter()
        .map(|e| {
            let v = match &e.value {
                Value::Int(i) => Dynamic::from_int(*i),
                Value::Num(x) => Dynamic::from_float(*x),
                Value::Bool(b) => Dynamic::from_bool(*b),
                Value::Text(t) => t.as_str().into(),
                Value::Date(d) => d.to_string().into(),
                Value::Record(inner) => record(inner),
            };
            (e.name, v)
        })
        .collect();
    Dynamic::from(Rec(Arc::new(RecData {
        path: r.path.as_str().into(),
        fields,
    })))
}

/// Teach the engine the two types: indexers (also behind `.field`), and
/// `to_string` so a record prints as its path in messages.
pub fn register(e: &mut Engine) {
    e.register_type_with_name::<Rec>("Record");
    e.register_type_with_name::<Sub>("Submission");
    e.register_indexer_get(|r: &mut Rec, name: &str| r.get(name).unwrap_or(Dynamic::UNIT));
    e.register_indexer_get(|s: &mut Sub, name: &str| s.get(name));
    // A getter per known name: `r.households` then resolves directly instead
    // of missing a getter and falling back to the indexer on every access.
    use crate::input::format;
    let mut names: Vec<&'static str> = format::TABLES
        .iter()
        .flat_map(|t| t.iter().map(|f| f.name))
        .chain(["path"])
        .collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        e.register_get(name, move |r: &mut Rec| {
            r.get(name).unwrap_or(Dynamic::UNIT)
        });
    }
    for name in [
        "submission",
        "estate",
        "facilities",
        "institutions",
        "hospitals",
        "venues",
        "region",
    ] {
        e.register_get(name, move |s: &mut Sub| s.get(name));
    }
    e.register_fn("to_string", |r: &mut Rec| r.0.path.to_string());
    e.register_fn("to_debug", |r: &mut Rec| format!("Record({})", r.0.path));
}
