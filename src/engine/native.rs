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
use crate::input::Msg;
use crate::plan::{Entry, Section, Text};
use rhai::{Dynamic, Map};
use std::cmp::Ordering;

/// Why a native template stopped: a value it needs is missing, or the rule
/// is wrong (a rule error).
pub enum Stop {
    Missing(String),
    Error(Text),
}

/// A figure, the same in both languages.
fn same(text: String) -> Text {
    Text {
        zh: text.clone(),
        en: text,
    }
}

fn overflow() -> Stop {
    Stop::Error(Text {
        zh: "算术溢出".into(),
        en: "arithmetic overflow".into(),
    })
}

pub trait Native: Send + Sync {
    fn judge(&self, record: &Dynamic) -> Result<Verdict, Stop>;
}

/// A native rule and the entries (sections, record kinds) it judges.
pub type Built = (Box<dyn Native>, Vec<Entry>);

/// A template in Rust: its name, what it checks, its parameters (name →
/// doc), the sections it judges, and how it is built from a rule's params.
pub struct NativeTemplate {
    pub name: &'static str,
    pub summary: &'static str,
    pub params: &'static [(&'static str, &'static str)],
    /// The rule, and the sections (with the record kinds) it judges.
    pub build: fn(&Map) -> Result<Built, Msg>,
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
        ("times", "a region count the figure is per (streets, townships: 每个街道至少1个 is 1 × streets), \"\" for none"),
        ("unit", "#{ zh, en }: the figure's unit (%, 张, 个), \"\" for none"),
    ],
    build: Target::build,
}, NativeTemplate {
    name: "record-target",
    summary: "each record of `section` (of `kinds`, meeting every condition of `where`) has `field` compared with `figure` as `op` says, or meets one of the `otherwise` conditions: 二级以上综合性医院开设老年医学科 (hospitals of kind general with level >= 2: geriatrics_department == true); 用人单位应给与每年累计不少于10天护理时间 (employers: elderly_care_leave_days >= 10); 设置医务室的实行备案 (medical != none: medical_filed == true). A condition that cannot be read leaves the record \"cannot be checked\" unless the known values settle it. Written in Rust: it runs once per record.",
    params: &[
        ("duty", "#{ zh, en }: what the clause requires of it"),
        ("field", "the field required"),
        ("figure", "the value it must have or reach (true, 10, \"approved\"), or { field: staff } for another of the record's values"),
        ("kinds", "the record kinds judged, [] for every kind"),
        ("name", "#{ zh, en }: what the record is (医院, 用人单位)"),
        ("op", "how it compares with the figure: ==, !=, >=, >, <= or <"),
        ("otherwise", "other ways to meet the clause: [[field, op, value], …], [] for none (an in-house unit, or an agreement with a medical institution)"),
        ("section", "institutions, hospitals, venues or facilities"),
        ("where", "further conditions: [[field, op, value], …], [] for none"),
    ],
    build: RecordTarget::build,
}];

pub fn find(name: &str) -> Option<&'static NativeTemplate> {
    NATIVE.iter().find(|t| t.name == name)
}

fn text(params: &Map, key: &str) -> Result<String, Msg> {
    params
        .get(key)
        .and_then(|v| v.clone().into_string().ok())
        .ok_or_else(|| Msg::new("plan.param-text").arg("key", key))
}

fn localized(params: &Map, key: &str) -> Result<Text, Msg> {
    let v = params
        .get(key)
        .ok_or_else(|| Msg::new("plan.param-missing").arg("key", key))?;
    if v.clone().into_string().is_ok_and(|s| s.is_empty()) {
        return Ok(Text::default());
    }
    let m = v.read_lock::<Map>().ok_or_else(|| {
        Msg::new("plan.param-localized")
            .arg("key", key)
            .arg("form", "#{ zh, en }")
    })?;
    let get = |lang: &str| {
        m.get(lang)
            .and_then(|s| s.clone().into_string().ok())
            .ok_or_else(|| {
                Msg::new("plan.param-needs-lang")
                    .arg("key", key)
                    .arg("lang", lang)
            })
    };
    Ok(Text {
        zh: get("zh")?,
        en: get("en")?,
    })
}

fn number(params: &Map, key: &str) -> Result<Num, Msg> {
    params
        .get(key)
        .and_then(as_num)
        .ok_or_else(|| Msg::new("plan.param-number").arg("key", key))
}

/// `op` is none of the comparisons a template takes.
fn unknown_op(op: &str, zh: &str, en: &str) -> Msg {
    Msg::new("plan.unknown-op")
        .arg("op", op)
        .both("ops", zh.into(), en.into())
}

/// A parameter is none of the words it may be.
fn not_one_of(key: &str, value: &str, zh: &str, en: &str) -> Msg {
    Msg::new("plan.param-choice")
        .arg("key", key)
        .arg("value", value)
        .both("choices", zh.into(), en.into())
}

/// A field of a record, following nested records (`indicators.x`).
fn read_path(record: &Dynamic, path: &str) -> Result<Dynamic, Stop> {
    let mut value = record.clone();
    for part in path.split('.') {
        let next = match value.read_lock::<Rec>() {
            Some(r) => r.read(part),
            None => {
                return Err(Stop::Error(Text {
                    zh: format!("`{path}` 不是记录的字段"),
                    en: format!("`{path}` is not a field of a record"),
                }))
            }
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
    as_num(&v).ok_or_else(|| {
        Stop::Error(Text {
            zh: format!("`{path}` 不是数值"),
            en: format!("`{path}` is not a number"),
        })
    })
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    AtLeast,
    MoreThan,
    AtMost,
    LessThan,
}

impl Op {
    fn parse(s: &str) -> Result<Op, Msg> {
        Ok(match s {
            ">=" => Op::AtLeast,
            ">" => Op::MoreThan,
            "<=" => Op::AtMost,
            "<" => Op::LessThan,
            other => {
                return Err(unknown_op(
                    other,
                    "`>=`、`>`、`<=` 或 `<`",
                    ">=, >, <= or <",
                ))
            }
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
    times: String,
    field: String,
    op: Op,
    figure: Num,
    unit: Text,
    city_only: bool,
    due: i64,
    name: Text,
}

impl Target {
    fn build(p: &Map) -> Result<Built, Msg> {
        let scope = text(p, "scope")?;
        if scope != "city" && scope != "any" {
            return Err(not_one_of(
                "scope",
                &scope,
                "`city` 或 `any`",
                "city or any",
            ));
        }
        let due = number(p, "due")?;
        let rule = Target {
            times: text(p, "times")?,
            field: text(p, "field")?,
            op: Op::parse(&text(p, "op")?)?,
            figure: number(p, "figure")?,
            unit: localized(p, "unit")?,
            city_only: scope == "city",
            due: due.to_f64() as i64,
            name: localized(p, "name")?,
        };
        let entry = Entry {
            section: Section::Region,
            arity: 3,
            kinds: None,
        };
        Ok((Box::new(rule), vec![entry]))
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
        // 每个街道至少1个: the figure times the region's streets.
        let (figure, per) = if self.times.is_empty() {
            (self.figure, None)
        } else {
            let count = read_num(region, &self.times)?;
            let f = self.figure.mul(count).ok_or_else(overflow)?;
            (f, Some(count))
        };
        let order = value.compare(figure).ok_or_else(overflow)?;
        if self.op.holds(order) {
            return Ok(Verdict::Holds);
        }
        if self.early(region)? {
            return Ok(Verdict::NotApplicable);
        }
        let shown = written_apart(value, figure);
        let (wanted_zh, wanted_en) = self.op.wanted();
        let (u, f, name) = (&self.unit, figure, &self.name);
        let per = per.map_or((String::new(), String::new()), |n| {
            (
                format!(" (= {} × {n} {})", self.figure, self.times),
                format!(" (= {} × {n} {})", self.figure, self.times),
            )
        });
        Ok(Verdict::Violated(Box::new(Violation {
            message: Text {
                zh: format!(
                    "{} {shown}{}, 规划目标为{wanted_zh} {f}{}{}",
                    name.zh, u.zh, u.zh, per.0
                ),
                en: format!(
                    "{} is {shown}{}; the plan's target is {wanted_en} {f}{}{}",
                    name.en, u.en, u.en, per.1
                ),
            },
            at: vec![self.field.clone()],
            inputs: if self.times.is_empty() {
                Vec::new()
            } else {
                vec![self.times.clone()]
            },
            label: Some(Text {
                zh: format!("目标: {wanted_zh} {f}{}", u.zh),
                en: format!("target: {wanted_en} {f}{}", u.en),
            }),
            required: Some(Text {
                zh: format!("{} {f}{}", self.op.symbol(), u.zh),
                en: format!("{} {f}{}", self.op.symbol(), u.en),
            }),
            provided: Some(Text {
                zh: format!("{shown}{}", u.zh),
                en: format!("{shown}{}", u.en),
            }),
        })))
    }
}

/// A comparison of a record's value with a figure.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Cmp {
    Eq,
    Ne,
    Ord(Op),
}

impl Cmp {
    fn parse(s: &str) -> Result<Cmp, Msg> {
        Ok(match s {
            "==" => Cmp::Eq,
            "!=" => Cmp::Ne,
            other => Cmp::Ord(Op::parse(other).map_err(|_| {
                unknown_op(
                    other,
                    "`==`、`!=`、`>=`、`>`、`<=` 或 `<`",
                    "==, !=, >=, >, <= or <",
                )
            })?),
        })
    }
    fn symbol(self) -> &'static str {
        match self {
            Cmp::Eq => "==",
            Cmp::Ne => "!=",
            Cmp::Ord(op) => op.symbol(),
        }
    }
    fn wanted(self) -> (&'static str, &'static str) {
        match self {
            Cmp::Eq => ("应为", "expected"),
            Cmp::Ne => ("应不为", "expected other than"),
            Cmp::Ord(Op::AtLeast) => ("应不少于", "expected at least"),
            Cmp::Ord(Op::MoreThan) => ("应超过", "expected more than"),
            Cmp::Ord(Op::AtMost) => ("应不超过", "expected at most"),
            Cmp::Ord(Op::LessThan) => ("应低于", "expected less than"),
        }
    }
    /// Does `value` stand to `figure` as this says? Values of different
    /// kinds are not equal; ordering needs two numbers.
    fn test(self, value: &Dynamic, figure: &Dynamic) -> Result<bool, Stop> {
        match (as_num(value), as_num(figure)) {
            (Some(a), Some(b)) => {
                let o = a.compare(b).ok_or_else(overflow)?;
                Ok(match self {
                    Cmp::Eq => o.is_eq(),
                    Cmp::Ne => o.is_ne(),
                    Cmp::Ord(op) => op.holds(o),
                })
            }
            _ => {
                let same = value.type_name() == figure.type_name()
                    && value.to_string() == figure.to_string();
                match self {
                    Cmp::Eq => Ok(same),
                    Cmp::Ne => Ok(!same),
                    Cmp::Ord(_) => Err(Stop::Error(Text {
                        zh: format!(
                            "无法比较 {} 与 {} 的大小",
                            value.type_name(),
                            figure.type_name()
                        ),
                        en: format!(
                            "cannot order {} and {}",
                            value.type_name(),
                            figure.type_name()
                        ),
                    })),
                }
            }
        }
    }
}

/// `[field, op, value]` of `where` and `otherwise`.
struct Condition {
    field: String,
    cmp: Cmp,
    value: Dynamic,
}

fn conditions(p: &Map, key: &str) -> Result<Vec<Condition>, Msg> {
    let list = p
        .get(key)
        .and_then(|v| v.clone().try_cast::<rhai::Array>())
        .ok_or_else(|| Msg::new("plan.param-conditions").arg("key", key))?;
    list.into_iter()
        .map(|c| {
            let c = c
                .try_cast::<rhai::Array>()
                .filter(|c| c.len() == 3)
                .ok_or_else(|| Msg::new("plan.param-condition").arg("key", key))?;
            Ok(Condition {
                field: c[0].to_string(),
                cmp: Cmp::parse(&c[1].to_string())?,
                value: c[2].clone(),
            })
        })
        .collect()
}

impl Condition {
    fn test(&self, record: &Dynamic) -> Result<bool, Stop> {
        let v = read_path(record, &self.field)?;
        self.cmp.test(&v, &self.value)
    }
}

/// `record-target`: see [`NATIVE`].
struct RecordTarget {
    kinds: Option<Vec<String>>,
    conditions: Vec<Condition>,
    field: String,
    cmp: Cmp,
    figure: Dynamic,
    otherwise: Vec<Condition>,
    name: Text,
    duty: Text,
}

impl RecordTarget {
    fn build(p: &Map) -> Result<Built, Msg> {
        let section = match text(p, "section")?.as_str() {
            "institutions" => Section::Institutions,
            "hospitals" => Section::Hospitals,
            "venues" => Section::Venues,
            "facilities" => Section::Facilities,
            other => {
                return Err(not_one_of(
                    "section",
                    other,
                    "`institutions`、`hospitals`、`venues` 或 `facilities`",
                    "institutions, hospitals, venues or facilities",
                ))
            }
        };
        let kinds: Vec<String> = p
            .get("kinds")
            .and_then(|v| v.clone().try_cast::<rhai::Array>())
            .ok_or_else(|| Msg::new("plan.param-list").arg("key", "kinds"))?
            .iter()
            .map(|k| k.to_string())
            .collect();
        let kinds = (!kinds.is_empty()).then_some(kinds);
        let rule = RecordTarget {
            kinds: kinds.clone(),
            conditions: conditions(p, "where")?,
            field: text(p, "field")?,
            cmp: Cmp::parse(&text(p, "op")?)?,
            figure: p
                .get("figure")
                .cloned()
                .ok_or_else(|| Msg::new("plan.param-missing").arg("key", "figure"))?,
            otherwise: conditions(p, "otherwise")?,
            name: localized(p, "name")?,
            duty: localized(p, "duty")?,
        };
        // A record of another kind is not applicable, without a call; a
        // record without `kind` is judged (it cannot be placed).
        let entry = Entry {
            section,
            arity: 3,
            kinds,
        };
        Ok((Box::new(rule), vec![entry]))
    }
}

fn name_of(record: &Dynamic) -> String {
    record
        .read_lock::<Rec>()
        .map(|r| {
            r.get("id")
                .and_then(|v| v.into_string().ok())
                .unwrap_or_else(|| r.path().to_string())
        })
        .unwrap_or_default()
}

impl Native for RecordTarget {
    fn judge(&self, record: &Dynamic) -> Result<Verdict, Stop> {
        if let Some(kinds) = &self.kinds {
            // The engine's entry let this record through: of a listed kind,
            // or without one, which then decides.
            let kind = read_path(record, "kind")?;
            if !kinds.iter().any(|k| *k == kind.to_string()) {
                return Ok(Verdict::NotApplicable);
            }
        }
        for c in &self.conditions {
            if !c.test(record)? {
                return Ok(Verdict::NotApplicable);
            }
        }
        // The clause is met by the field, or by any other way it allows,
        // whatever of the rest cannot be read.
        // `figure: { field: staff }`: the record's own other value.
        let figure = match self
            .figure
            .read_lock::<Map>()
            .and_then(|m| m.get("field").cloned())
        {
            Some(other) => read_path(record, &other.to_string())?,
            None => self.figure.clone(),
        };
        let main = read_path(record, &self.field)
            .and_then(|v| self.cmp.test(&v, &figure).map(|ok| (ok, v)));
        let value = match main {
            Ok((true, _)) => return Ok(Verdict::Holds),
            Ok((false, v)) => Ok(v),
            Err(Stop::Missing(p)) => Err(Stop::Missing(p)),
            Err(e) => return Err(e),
        };
        let mut missing = None;
        for c in &self.otherwise {
            match c.test(record) {
                Ok(true) => return Ok(Verdict::Holds),
                Ok(false) => {}
                Err(Stop::Missing(p)) => {
                    missing.get_or_insert(p);
                }
                Err(e) => return Err(e),
            }
        }
        let value = value?;
        if let Some(p) = missing {
            return Err(Stop::Missing(p));
        }
        let (wanted_zh, wanted_en) = self.cmp.wanted();
        let (name, duty, field) = (&self.name, &self.duty, &self.field);
        let figure = match self
            .figure
            .read_lock::<Map>()
            .and_then(|m| m.get("field").cloned())
        {
            Some(other) => {
                let v = read_path(record, &other.to_string())?;
                format!(
                    "{other} ({})",
                    as_num(&v).map_or(v.to_string(), |n| n.to_string())
                )
            }
            None => self.figure.to_string(),
        };
        let shown = match as_num(&value) {
            Some(n) => n.to_string(),
            None => value.to_string(),
        };
        let who = name_of(record);
        Ok(Verdict::Violated(Box::new(Violation {
            message: Text {
                zh: format!(
                    "{} {who} {field} 为 {shown}, {wanted_zh} {figure}: {}",
                    name.zh, duty.zh
                ),
                en: format!(
                    "{} {who} has {field}: {shown}, {wanted_en} {figure}; {}",
                    name.en, duty.en
                ),
            },
            at: vec![field.clone()],
            inputs: self.conditions.iter().map(|c| c.field.clone()).collect(),
            label: Some(Text {
                zh: format!("{wanted_zh} {figure}"),
                en: format!("{wanted_en} {figure}"),
            }),
            required: Some(same(format!("{} {figure}", self.cmp.symbol()))),
            provided: Some(same(shown)),
        })))
    }
}
