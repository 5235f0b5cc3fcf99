//! The traceability table: every checkable clause of the five plans, its
//! status and the rules that encode it. The table is data written by hand
//! (`docs/coverage/<plan>.yaml`), embedded in the binary; tests/coverage.rs
//! checks every quote against its seed and every rule id against the packs.

use serde::{Deserialize, Serialize};

/// The tables, in the order `peitao plans` lists the plans.
const TABLES: &[(&str, &str)] = &[
    ("shiyan", include_str!("../../docs/coverage/shiyan.yaml")),
    ("taizhou", include_str!("../../docs/coverage/taizhou.yaml")),
    ("kunming", include_str!("../../docs/coverage/kunming.yaml")),
    ("honghe", include_str!("../../docs/coverage/honghe.yaml")),
    ("jiamusi", include_str!("../../docs/coverage/jiamusi.yaml")),
];

/// What a clause is about, i.e. which kind of submission could be judged by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Subject {
    Estate,
    Facility,
    Institution,
    Venue,
    /// A district's (or county's) plan, or a figure every district must meet.
    Region,
    /// A whole-city (prefecture) total: only a city-scope plan is judged by it.
    City,
}

/// Who a clause binds, as a bureau sees it: (a) a duty it checks on the
/// records of a filing (estates, facilities, institutions, hospitals,
/// venues), or (b) a target of a region's report to the city's leading
/// group (年度发展报告, 督导考核), a figure the region states itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    Record,
    Region,
}

impl Class {
    pub const ALL: [Class; 2] = [Class::Record, Class::Region];

    pub fn as_str(self) -> &'static str {
        match self {
            Class::Record => "record",
            Class::Region => "region",
        }
    }
}

impl Subject {
    pub fn class(self) -> Class {
        match self {
            Subject::Estate | Subject::Facility | Subject::Institution | Subject::Venue => {
                Class::Record
            }
            Subject::Region | Subject::City => Class::Region,
        }
    }
}

/// How far peitao checks a clause.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// A rule checks the clause as the plan says.
    Encoded,
    /// A rule checks part of it; `why` says which part is left.
    Partial,
    /// No rule yet; `encode` says how one would read it.
    Open,
    /// Not about anything a submission describes; `why` says so.
    OutOfScope,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Encoded,
        Status::Partial,
        Status::Open,
        Status::OutOfScope,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Encoded => "encoded",
            Status::Partial => "partial",
            Status::Open => "open",
            Status::OutOfScope => "out-of-scope",
        }
    }
}

/// How a clause not yet encoded would be: what a rule reads, the comparison
/// and figure, the year it applies from, and the severity with the wording
/// that sets it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Encode {
    /// Fields of the submission format, as `section.field` paths
    /// (`region.indicators.day_care_coverage`, `institutions[kind=childcare].staff`).
    pub reads: Vec<String>,
    /// The comparison and figure, e.g. `>= 60%`.
    pub check: String,
    /// The year by whose end the plan wants it, where it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<u16>,
    /// `error` or `warning`.
    pub severity: String,
    /// The words of the plan that set the severity.
    pub wording: String,
}

/// One clause of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    /// The plan's id; filled from the table's `plan:`.
    #[serde(default)]
    pub plan: String,
    /// Where the clause is, as the plan numbers it (`三、(二)5.`, `专栏1 #3`).
    pub section: String,
    /// The clause, verbatim from the plan's seed.
    pub quote: String,
    pub subject: Subject,
    /// `record` or `region`, from the subject (filled when read).
    #[serde(default = "no_class", skip_deserializing)]
    pub class: Class,
    pub status: Status,
    /// For a clause that restates another of the same plan (the same
    /// figure said twice): the other clause's quote. It is checked by the
    /// same rule and counted once, as its twin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restates: Option<String>,
    /// Ids of the rules that encode it (all or in part).
    #[serde(default)]
    pub rules: Vec<String>,
    /// Why it is not (fully) encoded, or a note on how it is.
    #[serde(default)]
    pub why: String,
    #[serde(default, skip_serializing)]
    pub encode: Option<Encode>,
}

fn no_class() -> Class {
    Class::Region
}

/// A part of a plan the published text does not carry, so no clause of it
/// can be listed (红河's attachment 2, 主要目标).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gap {
    /// The plan's id; filled from the table's `plan:`.
    #[serde(default)]
    pub plan: String,
    pub section: String,
    /// Where the plan names what is missing, verbatim from the seed.
    pub quote: String,
    pub why: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    plan: String,
    clauses: Vec<Clause>,
    #[serde(default)]
    gaps: Vec<Gap>,
}

/// Clause counts by status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub clauses: usize,
    pub encoded: usize,
    pub partial: usize,
    pub open: usize,
    #[serde(rename = "out-of-scope")]
    pub out_of_scope: usize,
}

impl Counts {
    /// The counts of `clauses`, a restated clause counted once (as its twin).
    pub fn of<'c>(clauses: impl IntoIterator<Item = &'c Clause>) -> Counts {
        let mut c = Counts::default();
        for clause in clauses.into_iter().filter(|c| c.restates.is_none()) {
            c.clauses += 1;
            *c.get_mut(clause.status) += 1;
        }
        c
    }

    pub fn get(&self, status: Status) -> usize {
        match status {
            Status::Encoded => self.encoded,
            Status::Partial => self.partial,
            Status::Open => self.open,
            Status::OutOfScope => self.out_of_scope,
        }
    }

    fn get_mut(&mut self, status: Status) -> &mut usize {
        match status {
            Status::Encoded => &mut self.encoded,
            Status::Partial => &mut self.partial,
            Status::Open => &mut self.open,
            Status::OutOfScope => &mut self.out_of_scope,
        }
    }

    /// Share of the clauses encoded, in percent.
    pub fn encoded_percent(&self) -> f64 {
        if self.clauses == 0 {
            0.0
        } else {
            self.encoded as f64 * 100.0 / self.clauses as f64
        }
    }
}

/// Every clause of every plan, in table order.
pub fn clauses() -> Result<Vec<Clause>, String> {
    Ok(tables()?.0)
}

/// The known gaps of every plan, in table order.
pub fn gaps() -> Result<Vec<Gap>, String> {
    Ok(tables()?.1)
}

fn tables() -> Result<(Vec<Clause>, Vec<Gap>), String> {
    let mut all = Vec::new();
    let mut gaps = Vec::new();
    for (plan, text) in TABLES {
        let table: Table = serde_saphyr::from_str(text)
            .map_err(|e| format!("cannot read docs/coverage/{plan}.yaml: {e}"))?;
        if table.plan != *plan {
            return Err(format!(
                "docs/coverage/{plan}.yaml: says `plan: {}`",
                table.plan
            ));
        }
        all.extend(table.clauses.into_iter().map(|mut c| {
            c.plan = table.plan.clone();
            c.class = c.subject.class();
            c
        }));
        gaps.extend(table.gaps.into_iter().map(|mut g| {
            g.plan = table.plan.clone();
            g
        }));
    }
    Ok((all, gaps))
}

/// The plan ids the table covers, in order.
pub fn plans() -> impl Iterator<Item = &'static str> {
    TABLES.iter().map(|(plan, _)| *plan)
}
