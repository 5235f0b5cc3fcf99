//! Stage 1, input: read a submission file into a validated [`Submission`]
//! whose every value keeps its byte span, or into located [`InputError`]s.

pub mod bounded;
pub mod date;
pub mod format;
pub mod schema;
pub mod units;
mod validate;
pub mod workbook;
pub mod yaml;

pub use crate::base::text::{Arg, Msg};
pub use date::Date;
pub use validate::{did_you_mean, parse_submission, Limits};
pub use yaml::Span;

/// A validated value of a field, in canonical units (m², m).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Int(i64),
    /// A quantity or share, exactly as written (m², m, percent).
    Num(crate::base::num::Num),
    Bool(bool),
    Text(String),
    Date(Date),
    /// Boxed: a record is three times the size of any other value, and
    /// every entry of every record would otherwise carry its room.
    Record(Box<Record>),
}

/// One field as written: its name in the format, its value and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub name: &'static str,
    pub value: Value,
    pub span: Span,
}

/// A mapping of the submission (the estate, one facility, a schedule …).
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// Where it sits in the submission, e.g. `facilities[1]` or `estate.schedule`.
    pub path: String,
    /// What to underline when the record as a whole is meant: its `id`
    /// value, else its key or first key.
    pub anchor: Span,
    pub entries: Vec<Entry>,
}

impl Record {
    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name == name)
    }
    pub fn text(&self, name: &str) -> Option<&str> {
        match self.get(name).map(|e| &e.value) {
            Some(Value::Text(t)) => Some(t),
            _ => None,
        }
    }
    pub fn int(&self, name: &str) -> Option<i64> {
        match self.get(name).map(|e| &e.value) {
            Some(Value::Int(i)) => Some(*i),
            _ => None,
        }
    }
    pub fn date(&self, name: &str) -> Option<Date> {
        match self.get(name).map(|e| &e.value) {
            Some(Value::Date(d)) => Some(*d),
            _ => None,
        }
    }
}

/// A validated submission (format version 1).
#[derive(Clone, Debug, PartialEq)]
pub struct Submission {
    /// The `submission:` section (id, title, jurisdiction, filed, applicant);
    /// empty when the file has none.
    pub filing: Record,
    pub estate: Option<Record>,
    pub facilities: Vec<Record>,
    pub institutions: Vec<Record>,
    pub hospitals: Vec<Record>,
    pub venues: Vec<Record>,
    pub region: Option<Record>,
    /// The `version: 1` value, where a finding about the whole file points.
    pub version_span: Span,
}

impl Submission {
    /// The span of the value at `path` (`estate.households`,
    /// `facilities[0].floor_area`, `institutions[2]`), if the file has it.
    /// A record path gives the record's anchor.
    pub fn span_of(&self, path: &str) -> Option<Span> {
        // Read byte by byte: called for every location of every finding,
        // and a `str` pattern search costs more than these short paths.
        let dot = path.bytes().position(|b| b == b'.');
        let head = &path[..dot.unwrap_or(path.len())];
        let (section, index) = match head.bytes().position(|b| b == b'[') {
            Some(open) => (
                &head[..open],
                Some(head[open + 1..].strip_suffix(']')?.parse::<usize>().ok()?),
            ),
            None => (head, None),
        };
        let segments = dot
            .map(|d| path.as_bytes()[d + 1..].split(|&b| b == b'.'))
            .into_iter()
            .flatten();
        let mut record = match (section, index) {
            ("submission", None) => &self.filing,
            ("estate", None) => self.estate.as_ref()?,
            ("region", None) => self.region.as_ref()?,
            ("facilities", Some(i)) => self.facilities.get(i)?,
            ("institutions", Some(i)) => self.institutions.get(i)?,
            ("hospitals", Some(i)) => self.hospitals.get(i)?,
            ("venues", Some(i)) => self.venues.get(i)?,
            ("version", None) => return Some(self.version_span),
            _ => return None,
        };
        let mut span = record.anchor;
        for name in segments {
            let entry = record.entries.iter().find(|e| e.name.as_bytes() == name)?;
            span = entry.span;
            if let Value::Record(inner) = &entry.value {
                record = &**inner;
            }
        }
        Some(span)
    }
}

/// A problem with the input file, located at the value it concerns.
#[derive(Clone, Debug, PartialEq)]
pub struct InputError {
    /// Its stable code, e.g. `input::unknown-key` (shown without the
    /// stage: `unknown-key`).
    pub code: crate::base::code::Code,
    pub message: Msg,
    pub span: Span,
    /// Text under the underline.
    pub label: Msg,
    pub help: Option<Msg>,
    /// Other values involved, e.g. `beds` when `nursing_beds` exceeds it.
    pub related: Vec<(Span, Msg)>,
    /// The edit that fixes it, when one is plain (the key a typo meant, the
    /// unit a mistyped one meant): for editors' quick fixes.
    pub fix: Option<Fix>,
}

/// Replace the text at `span` with `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub span: Span,
    pub text: String,
}

impl InputError {
    pub fn new(
        code: impl Into<crate::base::code::Code>,
        span: Span,
        message: impl Into<Msg>,
        label: impl Into<Msg>,
    ) -> Self {
        InputError {
            code: code.into(),
            message: message.into(),
            span,
            label: label.into(),
            help: None,
            related: Vec::new(),
            fix: None,
        }
    }
    pub fn with_help(mut self, help: impl Into<Msg>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn with_fix(mut self, span: Span, text: impl Into<String>) -> Self {
        self.fix = Some(Fix {
            span,
            text: text.into(),
        });
        self
    }
    pub fn with_related(mut self, span: Span, label: impl Into<Msg>) -> Self {
        self.related.push((span, label.into()));
        self
    }
}

/// Every input error code (documented in docs/submission-format.md; a
/// test keeps the two in step). What each means is the catalogue's
/// `code.input::…` (docs/codes.md, SARIF's rule descriptors).
pub const INPUT_CODES: &[&str] = crate::base::code::InputCode::IDS;
