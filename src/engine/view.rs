//! The submission as rhai sees it (scripts and a pack's rhai templates;
//! the built-in templates read `engine::read` instead), built once per
//! file, on a script's first need, and never copied:
//! every record is a `Rec`, a reference-counted list of its fields, so a
//! rule reading `s.facilities` or `s.estate` gets handles, not deep copies.
//! Fields are read through an indexer, which rhai also uses for property
//! syntax: `s.estate.households` is an `Unknown` naming the path when the
//! file does not give it (see `unknown`), and every figure is an exact
//! `Number` (see `num`).

use super::num::Num;
use super::unknown;
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

    /// The field `name` as a rule reads it: an `Unknown` when absent.
    pub fn read(&self, name: &str) -> Dynamic {
        self.get(name)
            .unwrap_or_else(|| unknown::missing(format!("{}.{name}", self.0.path)))
    }

    pub fn path(&self) -> &str {
        &self.0.path
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
        let one = |v: &Dynamic| {
            if v.is_unit() {
                unknown::missing(name.to_string())
            } else {
                v.clone()
            }
        };
        match name {
            "submission" => d.submission.clone(),
            "estate" => one(&d.estate),
            "facilities" => d.facilities.clone().into(),
            "institutions" => d.institutions.clone().into(),
            "hospitals" => d.hospitals.clone().into(),
            "venues" => d.venues.clone().into(),
            "region" => one(&d.region),
            _ => unknown::missing(name.to_string()),
        }
    }

    /// How many records `section` holds.
    pub fn count(&self, section: crate::plan::Section) -> usize {
        use crate::plan::Section;
        let d = &self.0;
        match section {
            Section::Estate => usize::from(!d.estate.is_unit()),
            Section::Region => usize::from(!d.region.is_unit()),
            Section::Facilities => d.facilities.len(),
            Section::Institutions => d.institutions.len(),
            Section::Hospitals => d.hospitals.len(),
            Section::Venues => d.venues.len(),
        }
    }

    /// The records of a section (`estate` and `region` give one or none).
    pub fn records(&self, section: crate::plan::Section) -> Vec<Dynamic> {
        use crate::plan::Section;
        let d = &self.0;
        let one = |v: &Dynamic| if v.is_unit() { vec![] } else { vec![v.clone()] };
        match section {
            Section::Estate => one(&d.estate),
            Section::Region => one(&d.region),
            Section::Facilities => d.facilities.to_vec(),
            Section::Institutions => d.institutions.to_vec(),
            Section::Hospitals => d.hospitals.to_vec(),
            Section::Venues => d.venues.to_vec(),
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
    let mut fields: Vec<(&'static str, Dynamic)> = r
        .entries
        .iter()
        .map(|e| {
            let v = match &e.value {
                Value::Int(i) => Dynamic::from(Num::int(*i)),
                Value::Num(x) => Dynamic::from(*x),
                Value::Bool(b) => Dynamic::from_bool(*b),
                Value::Text(t) => t.as_str().into(),
                Value::Date(d) => d.to_string().into(),
                Value::Record(inner) => record(inner),
            };
            (e.name, v)
        })
        .collect();
    for (section, name, value) in crate::input::format::DEFAULTS {
        if r.path == *section && r.get(name).is_none() {
            fields.push((name, (*value).into()));
        }
    }
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
    e.register_indexer_get(|r: &mut Rec, name: &str| r.read(name));
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
        e.register_get(name, move |r: &mut Rec| r.read(name));
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
