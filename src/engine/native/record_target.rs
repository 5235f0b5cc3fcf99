//! `record-target`: each record of a section meets the clause's figure
//! (二级以上综合性医院开设老年医学科; 用人单位应给与每年累计不少于10天护理时间).

use super::*;
use crate::engine::outcome::{Stop, Verdict, Violation};
use crate::input::format::{termed, Ty};
use crate::input::Msg;
use crate::plan::{Entry, Section, Text};
use schemars::JsonSchema;
use serde::Deserialize;

/// Each record of `section` (of `kinds`, meeting every condition of
/// `where`) has `field` compared with `figure` as `op` says, or meets one
/// of the `otherwise` conditions: 二级以上综合性医院开设老年医学科 (hospitals of
/// kind general with level >= 2: geriatrics_department == true);
/// 用人单位应给与每年累计不少于10天护理时间 (employers:
/// elderly_care_leave_days >= 10); 设置医务室的实行备案 (medical != none: medical_filed == true). A
/// condition that cannot be read leaves the record "cannot be checked"
/// unless the known values settle it. A hospital is a hospital in either
/// section: a rule on `hospitals` (of every kind) also judges venues of
/// kind `hospital`, and a rule on venues that reaches kind `hospital` also
/// judges every record of `hospitals`, whenever the other section has
/// every field the rule reads (docs/readings.md R21). A venue of kind
/// `other` is never violated: the format cannot tell whether it is of the
/// clause's category, so short of the figure it cannot be checked (R4); nor
/// is a record under a `condition` the plan states (具备条件的, 有条件的)
/// unless its `field` says the record meets it (R22). Written in Rust: it
/// runs once per record.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordTargetParams {
    /// A condition of the clause (具备条件的公共场所: the places that have the means), and the record's yes-or-no field that states it, if one does; none: no such condition. Where no field is named, or the record leaves it out, a record short of the figure is "cannot be checked", naming the condition (docs/readings.md R22).
    #[serde(default)]
    condition: Option<ClauseCondition>,
    /// What the clause requires of it.
    duty: Words,
    /// The field required.
    #[schemars(extend("x-field" = "section"))]
    field: String,
    /// The value it must have or reach (true, 10, "approved"), or { field: staff } for another of the record's values.
    figure: serde_json::Value,
    /// The record kinds judged; none: every kind.
    #[serde(default)]
    kinds: Vec<String>,
    /// What the record is (医院, 用人单位).
    name: Words,
    /// How it compares with the figure: ==, !=, >=, >, <= or <.
    op: String,
    /// Other ways to meet the clause: [[field, op, value], …] (an in-house unit, or an agreement with a medical institution); none: no other way.
    #[serde(default)]
    otherwise: Vec<(String, String, serde_json::Value)>,
    /// institutions, hospitals, venues or facilities.
    section: String,
    /// Further conditions: [[field, op, value], …]; none: every record of the kinds.
    #[serde(default, rename = "where")]
    where_: Vec<(String, String, serde_json::Value)>,
}

/// `condition`: a condition of the clause (具备条件的, 有条件的).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClauseCondition {
    /// The words in Chinese.
    zh: String,
    /// The words in English.
    en: String,
    /// The record's yes-or-no field that states the condition (priority_means): true binds the record, false leaves it not applicable.
    #[serde(default)]
    field: Option<String>,
}

/// `condition.field`: a yes-or-no field of the section.
fn condition_field(field: Option<String>, section: Section) -> Result<Option<String>, Msg> {
    let Some(field) = field else {
        return Ok(None);
    };
    let ty = super::field_of("condition", section, &field, false)?.ty;
    if ty != Ty::Bool {
        return Err(Msg::new("plan.param-condition-field")
            .arg("key", "condition")
            .arg("field", &field));
    }
    Ok(Some(field))
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
            other => Cmp::Ord(
                Op::parse(other)
                    .map_err(|_| super::unknown_op(other, &["==", "!=", ">=", ">", "<=", "<"]))?,
            ),
        })
    }
    fn symbol(self) -> &'static str {
        match self {
            Cmp::Eq => "==",
            Cmp::Ne => "!=",
            Cmp::Ord(op) => op.symbol(),
        }
    }
    /// What the clause expects, in words: "expected at least".
    fn wanted(self) -> Text {
        both(&Msg::new(match self {
            Cmp::Eq => "template.cmp.eq",
            Cmp::Ne => "template.cmp.ne",
            Cmp::Ord(Op::AtLeast) => "template.cmp.at-least",
            Cmp::Ord(Op::MoreThan) => "template.cmp.more-than",
            Cmp::Ord(Op::AtMost) => "template.cmp.at-most",
            Cmp::Ord(Op::LessThan) => "template.cmp.less-than",
        }))
    }
    /// Does `value` stand to `figure` as this says? Values of different
    /// kinds are not equal; ordering needs two numbers.
    fn test(self, value: &Compared, figure: &Compared) -> Result<bool, Stop> {
        match (value.num, figure.num) {
            (Some(a), Some(b)) => {
                let o = super::order(a, b)?;
                Ok(match self {
                    Cmp::Eq => o.is_eq(),
                    Cmp::Ne => o.is_ne(),
                    Cmp::Ord(op) => op.holds(o),
                })
            }
            _ => {
                let same = value.type_name == figure.type_name && value.shown == figure.shown;
                match self {
                    Cmp::Eq => Ok(same),
                    Cmp::Ne => Ok(!same),
                    Cmp::Ord(_) => Err(Stop::said(
                        Msg::new("template.record-target.cannot-order")
                            .arg("a", value.type_name)
                            .arg("b", figure.type_name),
                    )),
                }
            }
        }
    }
}

/// A value as `==` and `>=` compare it: its number, if it is one, else
/// its type and its text (a date compares as the text it is written as).
struct Compared {
    num: Option<Num>,
    type_name: &'static str,
    shown: String,
}

impl Compared {
    fn read(v: &Value) -> Compared {
        Compared {
            num: v.num(),
            type_name: v.type_name(),
            shown: v.to_string(),
        }
    }

    fn param(v: &Scalar) -> Compared {
        Compared {
            num: match v {
                Scalar::Num(f) => Some(f.value),
                _ => None,
            },
            type_name: match v {
                Scalar::Num(_) => std::any::type_name::<Num>(),
                Scalar::Bool(_) => "bool",
                Scalar::Text(_) => "string",
                Scalar::Other(_) => "()",
            },
            shown: v.to_string(),
        }
    }
}

/// `[field, op, value]` of `where` and `otherwise`.
struct Condition {
    field: String,
    cmp: Cmp,
    value: Compared,
}

/// At most [`super::MAX_LIST`], each of a field the section's records
/// have, compared as its type allows with a value of its type: a
/// condition that could never hold, or never be tested, is refused here
/// rather than leaving every record "not applicable" or a rule error.
fn conditions(
    key: &str,
    list: Vec<(String, String, serde_json::Value)>,
    section: Section,
) -> Result<Vec<Condition>, Msg> {
    bounded(key, list, super::MAX_LIST)?
        .into_iter()
        .map(|(field, op, value)| {
            let field = short(key, field)?;
            let ty = super::field_of(key, section, &field, false)?.ty;
            let cmp = Cmp::parse(&op).map_err(|m| super::about(key, m))?;
            super::op_fits(key, &field, ty, matches!(cmp, Cmp::Ord(_)), &op)?;
            let value = Scalar::of(key, &value)?;
            super::value_fits(key, &field, ty, &value)?;
            Ok(Condition {
                field,
                cmp,
                value: Compared::param(&value),
            })
        })
        .collect()
}

/// What a record's field is compared with: a value of the params, or
/// another number field of the record (`figure: { field: staff }`).
enum Figured {
    Value(Scalar),
    Field(String),
}

/// The clause's `figure` for `field` (of type `ty`): a value of its type,
/// or `{ field: other }`, another number field of the record when `field`
/// is a number.
fn figure_of(
    figure: &serde_json::Value,
    section: Section,
    field: &str,
    ty: Ty,
) -> Result<Figured, Msg> {
    let value = Scalar::of("figure", figure)?;
    if let serde_json::Value::Object(m) = figure {
        let other = match (m.len(), m.get("field").map(|v| v.as_str())) {
            (1, Some(Some(other))) => other.to_string(),
            _ => return Err(Msg::new("plan.param-figure-map").arg("key", "figure")),
        };
        let other_ty = super::field_of("figure", section, &other, false)?.ty;
        if !(super::is_number_type(ty) && super::is_number_type(other_ty)) {
            return Err(Msg::new("plan.param-figure-field")
                .arg("key", "figure")
                .arg("field", field)
                .arg("other", &other));
        }
        return Ok(Figured::Field(other));
    }
    super::value_fits("figure", field, ty, &value)?;
    Ok(Figured::Value(value))
}

impl Condition {
    fn test(&self, record: &RecordView) -> Result<bool, Stop> {
        let v = read_path(record, &self.field)?;
        self.cmp.test(&Compared::read(&v), &self.value)
    }
}

/// `record-target`: see [`TEMPLATE`].
struct RecordTarget {
    /// The section the rule names; a hospital filed under the other of
    /// `hospitals` / `venues` is judged too (its entries say where).
    section: Section,
    kinds: Option<Vec<String>>,
    conditions: Vec<Condition>,
    field: String,
    cmp: Cmp,
    figure: Figured,
    otherwise: Vec<Condition>,
    name: Text,
    duty: Text,
    condition: Option<Text>,
    /// The record's yes-or-no field that states the condition, if any.
    condition_field: Option<String>,
}

impl Params for RecordTargetParams {
    fn build(self, _pack: &Pack) -> Result<Built, Msg> {
        let section = match self.section.as_str() {
            "institutions" => Section::Institutions,
            "hospitals" => Section::Hospitals,
            "venues" => Section::Venues,
            "facilities" => Section::Facilities,
            other => {
                return Err(super::not_one_of(
                    "section",
                    other,
                    &["institutions", "hospitals", "venues", "facilities"],
                ))
            }
        };
        let kinds = super::kinds("kinds", self.kinds, section)?;
        let kinds = (!kinds.is_empty()).then_some(kinds);
        let field = short("field", self.field)?;
        let ty = super::field_of("field", section, &field, false)?.ty;
        let op = self.op;
        let cmp = Cmp::parse(&op).map_err(|m| super::about("op", m))?;
        super::op_fits("op", &field, ty, matches!(cmp, Cmp::Ord(_)), &op)?;
        let rule = RecordTarget {
            section,
            kinds: kinds.clone(),
            conditions: conditions("where", self.where_, section)?,
            figure: figure_of(&self.figure, section, &field, ty)?,
            field,
            cmp,
            otherwise: conditions("otherwise", self.otherwise, section)?,
            name: localized("name", self.name)?,
            duty: localized("duty", self.duty)?,
            condition: localized_or_none(
                "condition",
                self.condition.as_ref().map(|c| Words {
                    zh: c.zh.clone(),
                    en: c.en.clone(),
                }),
            )?,
            condition_field: condition_field(self.condition.and_then(|c| c.field), section)?,
        };
        let figure_field = match &rule.figure {
            Figured::Field(f) => Some(f.clone()),
            Figured::Value(_) => None,
        };
        let mut read: Vec<&str> = vec![rule.field.as_str()];
        read.extend(rule.conditions.iter().map(|c| c.field.as_str()));
        read.extend(rule.otherwise.iter().map(|c| c.field.as_str()));
        read.extend(figure_field.as_deref());
        read.extend(rule.condition_field.as_deref());
        let mut entries = vec![entry(section, kinds.clone())];
        entries.extend(hospital_twin(section, &kinds, &read));
        Ok((Box::new(rule), entries))
    }
}

/// The venue kind a hospital is filed under in `venues`.
const HOSPITAL: &str = "hospital";
/// The venue kind the format cannot place in any category (R4).
const OTHER: &str = "other";

/// The other section a hospital may be filed under, when the rule reaches
/// hospitals and that section has every field it reads: a rule on
/// `hospitals` of every kind reaches venues of kind `hospital`; a rule on
/// `venues` reaching kind `hospital` reaches every hospital.
fn hospital_twin(section: Section, kinds: &Option<Vec<String>>, fields: &[&str]) -> Option<Entry> {
    let (twin, twin_kinds) = match section {
        Section::Hospitals if kinds.is_none() => {
            (Section::Venues, Some(vec![HOSPITAL.to_string()]))
        }
        Section::Venues
            if kinds
                .as_ref()
                .is_none_or(|k| k.iter().any(|k| k == HOSPITAL)) =>
        {
            (Section::Hospitals, None)
        }
        _ => return None,
    };
    let name = super::section_name(twin);
    fields
        .iter()
        .all(|f| crate::input::format::field_at(&format!("{name}.{f}")).is_some())
        .then(|| entry(twin, twin_kinds))
}

impl RecordTarget {}

impl Native for RecordTarget {
    fn judge(&self, record: &RecordView, cx: &Cx) -> Result<Verdict, Stop> {
        // The engine's entry let this record through: of a listed kind, or
        // without one, which then decides. A hospital filed under the other
        // section: every record of `hospitals`; venues of kind `hospital`.
        let hospital;
        let kinds = match (cx.section == self.section, cx.section) {
            (true, _) => self.kinds.as_deref(),
            (false, Section::Venues) => {
                hospital = [HOSPITAL.to_string()];
                Some(&hospital[..])
            }
            (false, _) => None,
        };
        if let Some(kinds) = kinds {
            if kind_in(record, kinds)?.is_none() {
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
        let figure = match &self.figure {
            Figured::Field(other) => Compared::read(&read_path(record, other)?),
            Figured::Value(v) => Compared::param(v),
        };
        let main = read_path(record, &self.field).and_then(|v| {
            self.cmp
                .test(&Compared::read(&v), &figure)
                .map(|ok| (ok, v))
        });
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
        let wanted = self.cmp.wanted();
        let (name, duty, field) = (&self.name, &self.duty, &self.field);
        let figure = match &self.figure {
            Figured::Field(other) => format!("{other} ({})", read_path(record, other)?),
            Figured::Value(v) => v.to_string(),
        };
        let shown = value.to_string();
        // A word of a closed set (`none`, `true`) reads as its term in
        // Chinese: `无 (none)`; a figure stays as it is.
        let (figure_zh, shown_zh) = (termed(&figure), termed(&shown));
        // Not worded, the record's name is not needed (see `Cx::worded`):
        // the engine sets aside an unworded try's reasons and message.
        let who = if cx.worded {
            record.name()
        } else {
            String::new()
        };
        let worded = |reason: &dyn Fn() -> Text| cx.worded.then(reason);
        // Short of the figure, but perhaps not bound: a venue the format
        // cannot place (R4), or a condition no field records (R22).
        if cx.section == Section::Venues && kind_in(record, &[OTHER.to_string()])?.is_some() {
            return Ok(Verdict::Unchecked(
                "kind".into(),
                worded(&|| {
                    both(
                        &Msg::new("template.record-target.other-venue")
                            .arg("who", &who)
                            .both("other", termed(OTHER), OTHER.to_string())
                            .arg("field", field)
                            .both("shown", shown_zh.clone(), shown.clone())
                            .text("duty", duty),
                    )
                }),
            ));
        }
        // The filing may say whether the record meets the condition: true
        // binds it (a shortfall is violated), false does not.
        let bound = match &self.condition_field {
            Some(f) => match read_path(record, f) {
                Ok(Value::Bool(true)) => true,
                Ok(_) => return Ok(Verdict::NotApplicable),
                Err(Stop::Missing(_)) => false,
                Err(e) => return Err(e),
            },
            None => false,
        };
        if let (Some(condition), false) = (&self.condition, bound) {
            let said = match &self.condition_field {
                Some(f) => format!(" ({f})"),
                None => String::new(),
            };
            return Ok(Verdict::Unchecked(
                field.clone(),
                worded(&|| {
                    both(
                        &Msg::new("template.record-target.unbound")
                            .text("name", name)
                            .arg("who", &who)
                            .arg("field", field)
                            .both("shown", shown_zh.clone(), shown.clone())
                            .text("condition", condition)
                            .arg("said", &said)
                            .text("duty", duty),
                    )
                }),
            ));
        }
        let message = worded(&|| {
            both(
                &Msg::new("template.record-target.short")
                    .text("name", name)
                    .arg("who", &who)
                    .arg("field", field)
                    .both("shown", shown_zh.clone(), shown.clone())
                    .text("wanted", &wanted)
                    .both("figure", figure_zh.clone(), figure.clone())
                    .text("duty", duty),
            )
        });
        let label = worded(&|| Text {
            zh: format!("{} {figure_zh}", wanted.zh),
            en: format!("{} {figure}", wanted.en),
        });
        Ok(Verdict::Violated(Box::new(Violation {
            message: message.unwrap_or_default(),
            at: vec![field.clone()],
            inputs: self
                .conditions
                .iter()
                .map(|c| c.field.clone())
                .chain(self.condition_field.clone().filter(|_| bound))
                .collect(),
            label,
            // In words where a symbol would read as code (`!= none`,
            // `== true`); a figure's bound stays `>= 10`.
            required: Some(match self.cmp {
                Cmp::Ord(_) => super::same(format!("{} {figure}", self.cmp.symbol())),
                Cmp::Eq | Cmp::Ne => Text {
                    zh: format!("{} {figure_zh}", wanted.zh),
                    en: format!("{} {figure}", wanted.en),
                },
            }),
            provided: Some(Text {
                zh: shown_zh,
                en: shown,
            }),
        })))
    }
}
