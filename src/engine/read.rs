//! The submission as a template reads it: typed views over the input's
//! records, without rhai. A template (src/engine/native) judges a
//! [`RecordView`] and reads its fields as typed [`Value`]s: a number is an
//! exact [`Num`], a yes/no a `bool`, a date a [`Date`], a nested record
//! (`schedule`, `indicators`) another view.
//!
//! A field the file leaves out reads as [`Missing`], naming its path
//! (`region.indicators.day_care_coverage`); a template that needs the value
//! turns it into [`Stop::Missing`], and the engine says "cannot be checked"
//! exactly as for a script. A field of a record the file leaves out is
//! missing too, under the record's path (`estate.status` when there is no
//! estate). While the engine tries each value of a closed set for a
//! missing field (`unknown`), a read of that path gives the value assumed
//! for it, as a script's read does: templates and scripts give the same
//! verdicts, in the same words, on the same paths.

use super::num::Num;
use super::outcome::Stop;
use super::unknown::{self, Assumed};
use crate::input::{Date, Msg, Record, Submission, Value as Given};
use crate::plan::Section;
use std::borrow::Cow;
use std::fmt;

/// What a template's read gives, or why it stops: [`Stop::Missing`] with
/// the path of a value the file does not give, or a rule error.
pub type Read<T> = Result<T, Stop>;

/// A value the file does not give, named by its path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Missing(pub String);

impl From<Missing> for Stop {
    fn from(m: Missing) -> Stop {
        Stop::Missing(m.0)
    }
}

/// A field as read: its value, or [`Missing`] (not yet a stop: a
/// template may read a field first and need it later).
pub type Got<'a> = Result<Value<'a>, Missing>;

/// A value of a record, typed.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    /// A count, an area, a share, a year … exactly as written.
    Num(Num),
    Bool(bool),
    Text(&'a str),
    Date(Date),
    Record(RecordView<'a>),
}

impl Value<'_> {
    /// The value as a number, if it is one.
    pub fn num(&self) -> Option<Num> {
        match self {
            Value::Num(n) => Some(*n),
            _ => None,
        }
    }

    /// The value as text, if it is written as text (a date is: the file
    /// writes `2027-06`, a script reads it as that text).
    pub fn text(&self) -> Option<Cow<'_, str>> {
        match self {
            Value::Text(t) => Some(Cow::Borrowed(t)),
            Value::Date(d) => Some(Cow::Owned(d.to_string())),
            _ => None,
        }
    }

    /// The name of the value's type, as a rule error gives it (rhai's
    /// names, so that the words are a script's).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Num(_) => std::any::type_name::<Num>(),
            Value::Bool(_) => "bool",
            Value::Text(_) | Value::Date(_) => "string",
            Value::Record(_) => std::any::type_name::<super::view::Rec>(),
        }
    }
}

/// A value as a message prints it: numbers as people write them (`520`,
/// `66.67`), text and dates as written, a record as its path.
impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Num(n) => write!(f, "{n}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Text(t) => f.write_str(t),
            Value::Date(d) => write!(f, "{d}"),
            Value::Record(r) => f.write_str(r.path()),
        }
    }
}

/// A record of the submission, or one the file leaves out (then every
/// field of it is missing, under its path).
#[derive(Clone, Debug, PartialEq)]
pub enum RecordView<'a> {
    Given(&'a Record),
    Missing(Cow<'a, str>),
}

/// What the file does not give at `path`, unless the engine is trying a
/// value of its closed set for it.
fn missing<'a>(path: String) -> Got<'a> {
    match unknown::assumed(&path) {
        Some(Assumed::Bool(b)) => Ok(Value::Bool(b)),
        Some(Assumed::Word(w)) => Ok(Value::Text(w)),
        None => Err(Missing(path)),
    }
}

impl<'a> RecordView<'a> {
    /// Its path in the submission (`facilities[1]`, `estate.schedule`).
    pub fn path(&self) -> &str {
        match self {
            RecordView::Given(r) => &r.path,
            RecordView::Missing(p) => p,
        }
    }

    /// The field `name` (or `path`): its value, the format's default for
    /// a field that has one (`complete_community`), else missing. The name
    /// is one key, as the file writes it (`indicators.x` is no key: see
    /// [`RecordView::at`]).
    pub fn get(&self, name: &str) -> Got<'a> {
        let RecordView::Given(record) = *self else {
            return missing(format!("{}.{name}", self.path()));
        };
        if name == "path" {
            return Ok(Value::Text(&record.path));
        }
        if let Some(entry) = record.get(name) {
            return Ok(match &entry.value {
                Given::Int(i) => Value::Num(Num::int(*i)),
                Given::Num(n) => Value::Num(*n),
                Given::Bool(b) => Value::Bool(*b),
                Given::Text(t) => Value::Text(t),
                Given::Date(d) => Value::Date(*d),
                Given::Record(inner) => Value::Record(RecordView::Given(inner)),
            });
        }
        for (section, field, value) in crate::input::format::DEFAULTS {
            if record.path == *section && name == *field {
                return Ok(Value::Bool(*value));
            }
        }
        match unknown::assumed_field(&record.path, name) {
            Some(Assumed::Bool(b)) => Ok(Value::Bool(b)),
            Some(Assumed::Word(w)) => Ok(Value::Text(w)),
            None => Err(Missing(format!("{}.{name}", record.path))),
        }
    }

    /// The value at `path`, following nested records (`indicators.x`):
    /// the first missing record or field stops the rule, naming itself.
    pub fn at(&self, path: &str) -> Read<Value<'a>> {
        let mut value = Value::Record(self.clone());
        for part in path.split('.') {
            let Value::Record(record) = value else {
                return Err(Stop::said(Msg::new("engine.not-a-field").arg("path", path)));
            };
            value = record.get(part)?;
        }
        Ok(value)
    }

    /// The record's `id`, or its path when it has none: for messages.
    pub fn name(&self) -> String {
        match self {
            RecordView::Given(r) => r.text("id").unwrap_or(&r.path).to_string(),
            RecordView::Missing(p) => p.to_string(),
        }
    }
}

/// `v.name` where `v` was read as a field: a field of a record, or of a
/// missing value (itself missing: `f.schedule.planned` of a facility
/// without a schedule). Any other value has no fields: a rule error.
pub fn field<'a>(v: &Got<'a>, name: &str) -> Read<Got<'a>> {
    match v {
        Ok(Value::Record(r)) => Ok(r.get(name)),
        Err(Missing(path)) => Ok(missing(format!("{path}.{name}"))),
        Ok(other) => Err(Stop::said(
            Msg::new("engine.not-a-record").arg("found", other.type_name()),
        )),
    }
}

/// The whole submission, for a template that reads beyond its record.
#[derive(Clone, Copy, Debug)]
pub struct SubmissionView<'a>(pub &'a Submission);

impl<'a> SubmissionView<'a> {
    /// The estate, or a missing one (`estate`).
    pub fn estate(&self) -> RecordView<'a> {
        self.0
            .estate
            .as_ref()
            .map_or(RecordView::Missing(Cow::Borrowed("estate")), |e| {
                RecordView::Given(e)
            })
    }

    /// The facilities, in the file's order.
    pub fn facilities(&self) -> Vec<RecordView<'a>> {
        self.0.facilities.iter().map(RecordView::Given).collect()
    }

    /// The records of a section (`estate` and `region` give one or none).
    pub fn records(&self, section: Section) -> &'a [Record] {
        let s = self.0;
        match section {
            Section::Estate => s.estate.as_slice(),
            Section::Region => s.region.as_slice(),
            Section::Facilities => &s.facilities,
            Section::Institutions => &s.institutions,
            Section::Hospitals => &s.hospitals,
            Section::Venues => &s.venues,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{parse_submission, Limits};

    fn sub() -> Submission {
        parse_submission(
            "version: 1\nestate: { status: new, households: 300 }\nfacilities:\n  - { id: F1, kind: childcare, schedule: { planned: 2026-05 } }\n",
            &Limits::default(),
        )
        .unwrap()
    }

    #[test]
    fn fields_read_typed_and_missing_ones_name_their_path() {
        let sub = sub();
        let view = SubmissionView(&sub);
        let estate = view.estate();
        assert_eq!(estate.get("households"), Ok(Value::Num(Num::int(300))));
        assert_eq!(estate.get("status"), Ok(Value::Text("new")));
        assert_eq!(
            estate.get("area_per_household"),
            Err(Missing("estate.area_per_household".into()))
        );
        // The format's default for a field left out.
        assert_eq!(estate.get("complete_community"), Ok(Value::Bool(false)));
        let f = &view.facilities()[0];
        assert_eq!(f.name(), "F1");
        assert_eq!(
            f.at("schedule.delivery"),
            Err(Stop::Missing("facilities[0].schedule.delivery".into()))
        );
        assert_eq!(
            f.at("schedule.planned").map(|v| v.to_string()),
            Ok("2026-05".to_string())
        );
        // A missing record's fields are missing under its path.
        let g = field(&f.get("nothing"), "planned").unwrap();
        assert_eq!(g, Err(Missing("facilities[0].nothing.planned".into())));
    }

    #[test]
    fn a_closed_sets_assumed_value_answers_for_its_missing_path() {
        let none = Submission {
            estate: None,
            ..sub()
        };
        let estate = SubmissionView(&none).estate();
        assert_eq!(estate.get("status"), Err(Missing("estate.status".into())));
        let got = unknown::with_assumptions(
            &[("estate.status".into(), Assumed::Word("existing"))],
            || estate.get("status"),
        );
        assert_eq!(got, Ok(Value::Text("existing")));
    }
}
