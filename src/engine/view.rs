//! The submission as rhai sees it (scripts and a pack's rhai templates;
//! the built-in templates read `engine::read` instead), never copied:
//! a record is a `Rec`, a handle into the one validated submission (shared
//! by an `Arc`) that names the record by its section, index and the nested
//! fields that lead to it, and turns a field into a rhai value only when a
//! rule reads it. A rule reading `s.facilities` or `s.estate` gets handles,
//! not copies: the view of a large file costs a handle per record a rule
//! is running on, not a second copy of its records (issue 25).
//! Fields are read through an indexer, which rhai also uses for property
//! syntax: `s.estate.households` is an `Unknown` naming the path when the
//! file does not give it (see `unknown`), and every figure is an exact
//! `Number` (see `num`).

use super::num::Num;
use super::unknown;
use crate::input::{Record, Span, Submission, Value};
use crate::plan::Section;
use rhai::{Array, Dynamic, Engine};
use std::sync::Arc;

/// Which top-level record of the submission a handle starts from.
#[derive(Clone, Copy, Debug)]
enum Top {
    Filing,
    Estate,
    Region,
    Facility(u32),
    Institution(u32),
    Hospital(u32),
    Venue(u32),
}

/// One record of the submission (the estate, a facility, a schedule …).
#[derive(Clone)]
pub struct Rec {
    sub: Arc<Submission>,
    top: Top,
    /// The entries, record within record, that lead to a nested record
    /// (`estate.schedule`); empty for a record of a section.
    nest: Vec<u16>,
}

/// What a handle resolves to if its record is not there (it always is: a
/// handle is made only for a record of its submission).
static NO_RECORD: Record = Record {
    path: String::new(),
    anchor: Span { offset: 0, len: 0 },
    entries: Vec::new(),
};

impl Rec {
    fn record(&self) -> &Record {
        let s = &*self.sub;
        let top = match self.top {
            Top::Filing => Some(&s.filing),
            Top::Estate => s.estate.as_ref(),
            Top::Region => s.region.as_ref(),
            Top::Facility(i) => s.facilities.get(i as usize),
            Top::Institution(i) => s.institutions.get(i as usize),
            Top::Hospital(i) => s.hospitals.get(i as usize),
            Top::Venue(i) => s.venues.get(i as usize),
        };
        let mut r = top.unwrap_or(&NO_RECORD);
        for &i in &self.nest {
            match r.entries.get(usize::from(i)).map(|e| &e.value) {
                Some(Value::Record(inner)) => r = inner,
                _ => return &NO_RECORD,
            }
        }
        r
    }

    /// The field `name` (or `path`), `None` when absent.
    pub fn get(&self, name: &str) -> Option<Dynamic> {
        let r = self.record();
        if name == "path" {
            return Some(r.path.as_str().into());
        }
        if let Some(i) = r.entries.iter().position(|e| e.name == name) {
            return Some(self.value(i, &r.entries[i].value));
        }
        crate::input::format::DEFAULTS
            .iter()
            .find(|(section, field, _)| r.path == *section && *field == name)
            .map(|(_, _, value)| (*value).into())
    }

    /// The value of entry `i`, as rhai reads it.
    fn value(&self, i: usize, v: &Value) -> Dynamic {
        match v {
            Value::Int(i) => Dynamic::from(Num::int(*i)),
            Value::Num(x) => Dynamic::from(*x),
            Value::Bool(b) => Dynamic::from_bool(*b),
            Value::Text(t) => t.as_str().into(),
            Value::Date(d) => d.to_string().into(),
            Value::Record(_) => {
                let mut nest = Vec::with_capacity(self.nest.len() + 1);
                nest.extend_from_slice(&self.nest);
                // A record has a few dozen fields at most.
                nest.push(u16::try_from(i).unwrap_or(u16::MAX));
                Dynamic::from(Rec {
                    sub: self.sub.clone(),
                    top: self.top,
                    nest,
                })
            }
        }
    }

    /// The field `name` as a rule reads it: an `Unknown` when absent.
    pub fn read(&self, name: &str) -> Dynamic {
        self.get(name)
            .unwrap_or_else(|| unknown::missing(format!("{}.{name}", self.record().path)))
    }

    pub fn path(&self) -> &str {
        &self.record().path
    }
}

impl std::fmt::Debug for Rec {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "Record({})", self.path())
    }
}

/// The whole submission.
#[derive(Clone)]
pub struct Sub(Arc<Submission>);

impl std::fmt::Debug for Sub {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("Submission")
    }
}

impl Sub {
    fn rec(&self, top: Top) -> Dynamic {
        Dynamic::from(Rec {
            sub: self.0.clone(),
            top,
            nest: Vec::new(),
        })
    }

    /// A section: a record, a list of records, or `()` when absent.
    pub fn get(&self, name: &str) -> Dynamic {
        let s = &*self.0;
        let one = |present: bool, top: Top| {
            if present {
                self.rec(top)
            } else {
                unknown::missing(name.to_string())
            }
        };
        let list = |section| {
            (0..self.count(section))
                .map(|i| self.record(section, i))
                .collect::<Array>()
                .into()
        };
        match name {
            "submission" => self.rec(Top::Filing),
            "estate" => one(s.estate.is_some(), Top::Estate),
            "facilities" => list(Section::Facilities),
            "institutions" => list(Section::Institutions),
            "hospitals" => list(Section::Hospitals),
            "venues" => list(Section::Venues),
            "region" => one(s.region.is_some(), Top::Region),
            _ => unknown::missing(name.to_string()),
        }
    }

    /// How many records `section` holds.
    pub fn count(&self, section: Section) -> usize {
        let s = &*self.0;
        match section {
            Section::Estate => usize::from(s.estate.is_some()),
            Section::Region => usize::from(s.region.is_some()),
            Section::Facilities => s.facilities.len(),
            Section::Institutions => s.institutions.len(),
            Section::Hospitals => s.hospitals.len(),
            Section::Venues => s.venues.len(),
        }
    }

    /// The `i`th record of a section (`estate` and `region` have one at
    /// most), `i` below [`Sub::count`].
    pub fn record(&self, section: Section, i: usize) -> Dynamic {
        // A list has at most `Limits::max_records` records.
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        self.rec(match section {
            Section::Estate => Top::Estate,
            Section::Region => Top::Region,
            Section::Facilities => Top::Facility(i),
            Section::Institutions => Top::Institution(i),
            Section::Hospitals => Top::Hospital(i),
            Section::Venues => Top::Venue(i),
        })
    }
}

/// The view of `sub`: a handle, shared by every script on the file.
pub fn submission(sub: Arc<Submission>) -> Dynamic {
    Dynamic::from(Sub(sub))
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
    e.register_fn("to_string", |r: &mut Rec| r.path().to_string());
    e.register_fn("to_debug", |r: &mut Rec| format!("Record({})", r.path()));
}
