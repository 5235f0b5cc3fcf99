//! Templates written in Rust, for the shapes of clause a pack states by the
//! dozen: a region plan's figure against the plan's target is 130 of the
//! plans' clauses, and each runs once per region plan checked. They read the
//! submission through the same view and the same unknown values as scripts
//! (so the engine's reading of missing values, and its trying of each value
//! of a closed set, apply unchanged), and give the same typed verdicts.

use super::num::{as_num, written_apart, Num};
use super::outcome::{Verdict, Violation};
use super::unknown::Unknown;
use super::view::Rec;
use crate::plan::{Section, Text};
use rhai::{Dynamic, Map};
use std::cmp::Ordering;

/// Why a native template stopped: a value it needs is missing, or the rule
/// is wrong (a rule error).
pub enum Stop {
    Missing(String),
    Error(String),
}

pub trait Native: Send + Sync {
    fn judge(&self, record: &Dynamic) -> Result<Verdict, Stop>;
}

/// A template in Rust: its name, what it checks, its parameters (name →
/// doc), the sections it judges, and how it is built from a rule's params.
pub struct NativeTemplate {
    pub name: &'static str,
    pub summary: &'static str,
    pub params: &'static [(&'static str, &'static str)],
    pub sections: &'static [Section],
    pub build: fn(&Map) -> Result<Box<dyn Native>, String>,
}

pub const NATIVE: &[NativeTemplate] = &[NativeTemplate {
    name: "target",
    summary: "a figure of a region plan meets the plan's target: at least (or at most) `figure`, by the year `due` (docs/readings.md R3: a shortfall in an earlier plan year is not judged, nor is a figure left out then; meeting it early holds). A target of the whole city (全市 … 达到) binds only a plan whose `scope` is the city (R2); shares and rates bind any region plan. Written in Rust: the plans state 130 such targets.",
    params: &[
        ("due", "the year it is due, 0 for none"),
        ("field", "the region's field, or indicators.<name>"),
        ("figure", "the plan's figure (a percentage as written: 95 for 95%)"),
        ("name", "#{ zh, en }: what the figure measures"),
        ("op", "how the figure compares with the target: >=, >, <= or <"),
        ("scope", "city: only a whole-city plan; any: every region plan"),
        ("unit", "#{ zh, en }: the figure's unit (%, 张, 个), \"\" for none"),
    ],
    sections: &[Section::Region],
    build: Target::build,
}];

pub fn find(name: &str) -> Option<&'static NativeTemplate> {
    NATIVE.iter().find(|t| t.name == name)
}

fn text(params: &Map, key: &str) -> Result<String, String> {
    params
        .get(key)
        .and_then(|v| v.clone().into_string().ok())
        .ok_or_else(|| format!("`{key}` must be text"))
}

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

/// A field of a record, following nested records (`indicators.x`).
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

#[derive(Clone, Copy)]
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

/// `target`: see [`NATIVE`].
struct Target {
    field: String,
    op: Op,
    figure: Num,
    unit: Text,
    city_only: bool,
    due: i64,
    name: Text,
}

impl Target {
    fn build(p: &Map) -> Result<Box<dyn Native>, String> {
        let scope = text(p, "scope")?;
        if scope != "city" && scope != "any" {
            return Err(format!("`scope` is city or any, not `{scope}`"));
        }
        let due = number(p, "due")?;
        Ok(Box::new(Target {
            field: text(p, "field")?,
            op: Op::parse(&text(p, "op")?)?,
            figure: number(p, "figure")?,
            unit: localized(p, "unit")?,
            city_only: scope == "city",
            due: due.to_f64() as i64,
            name: localized(p, "name")?,
        }))
    }

    /// Is the plan year before the year the target is due? (The year is
    /// read only when it decides.)
    fn early(&self, region: &Dynamic) -> Result<bool, Stop> {
        if self.due <= 0 {
            return Ok(false);
        }
        let year = read_num(region, "year")?;
        Ok(year.compare(Num::int(self.due)) == Some(Ordering::Less))
    }
}

impl Native for Target {
    fn judge(&self, region: &Dynamic) -> Result<Verdict, Stop> {
        if self.city_only {
            let scope = read_path(region, "scope")?;
            if scope.into_string().ok().as_deref() != Some("city") {
                return Ok(Verdict::NotApplicable);
            }
        }
        let value = match read_num(region, &self.field) {
            Ok(v) => v,
            Err(Stop::Missing(path)) => {
                // Left out before the year it is due: nothing is due yet.
                return if self.early(region)? {
                    Ok(Verdict::NotApplicable)
                } else {
                    Err(Stop::Missing(path))
                };
            }
            Err(e) => return Err(e),
        };
        let order = value
            .compare(self.figure)
            .ok_or_else(|| Stop::Error("arithmetic overflow".into()))?;
        if self.op.holds(order) {
            return Ok(Verdict::Holds);
        }
        if self.early(region)? {
            return Ok(Verdict::NotApplicable);
        }
        let shown = written_apart(value, self.figure);
        let (wanted_zh, wanted_en) = self.op.wanted();
        let (u, f, name) = (&self.unit, self.figure, &self.name);
        Ok(Verdict::Violated(Box::new(Violation {
            message: Text {
                zh: format!(
                    "{} {shown}{}, 规划目标为{wanted_zh} {f}{}",
                    name.zh, u.zh, u.zh
                ),
                en: format!(
                    "{} is {shown}{}; the plan's target is {wanted_en} {f}{}",
                    name.en, u.en, u.en
                ),
            },
            at: vec![self.field.clone()],
            inputs: Vec::new(),
            label: Some(Text {
                zh: format!("目标: {wanted_zh} {f}{}", u.zh),
                en: format!("target: {wanted_en} {f}{}", u.en),
            }),
            required: Some(format!("{} {f}{}", self.op.symbol(), u.en)),
            provided: Some(format!("{shown}{}", u.en)),
        })))
    }
}
