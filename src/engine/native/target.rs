//! `target`: 到2025年, a figure of a region plan reaches the plan's target.

use super::*;
use crate::engine::num::{written_apart, Num};
use crate::engine::outcome::{Stop, Verdict, Violation};
use crate::input::format::Ty;
use crate::input::Msg;
use crate::plan::{Section, Text};
use schemars::JsonSchema;
use serde::Deserialize;

/// A figure of a region plan meets the plan's target: at least (or at
/// most) `figure`, by the year `due` (docs/readings.md R3: a shortfall in
/// an earlier plan year is not judged, nor is a figure left out then;
/// meeting it early holds). A target of the whole city (全市 … 达到) binds
/// only a plan whose `scope` is the city (R2); shares and rates bind any
/// region plan. Written in Rust: the plans state 130 such targets.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetParams {
    /// The year it is due, 0 for none.
    #[serde(default)]
    due: i64,
    /// The region's field, or indicators.<name>.
    #[schemars(extend("x-field" = "region"))]
    field: String,
    /// The plan's figure (a percentage as written: 95 for 95%).
    figure: serde_json::Number,
    /// What the figure measures.
    name: Words,
    /// How the figure compares with the target: >=, >, <= or <.
    op: String,
    /// city: only a whole-city plan (全市…, 市级…); any: every region plan; unit: every plan of one district or county, never the whole city (每个街道… where the city's total is a rule of its own); district: only a 区's plan (每个区…); county: only a 县's or a 县级市's plan (每个县(市)…). district and county read `level`: without it the rule cannot be checked.
    scope: String,
    /// A region count the figure is per (streets, townships: 每个街道至少1个 is 1 × streets); none: the figure is the total.
    #[serde(default)]
    #[schemars(extend("x-field" = "region"))]
    times: Option<String>,
    /// The figure's unit (%, 张, 个); none: no unit.
    #[serde(default)]
    unit: Option<Words>,
}

struct Target {
    times: String,
    field: String,
    op: Op,
    figure: Num,
    unit: Text,
    scope: Scope,
    due: i64,
    name: Text,
}

impl Params for TargetParams {
    fn build(self, _pack: &Pack) -> Result<Built, Msg> {
        let scope = Scope::parse(&self.scope).map_err(|m| super::about("scope", m))?;
        let field = field_param("field", self.field, Section::Region, true)?;
        // A share is 0 to 100; every other figure of a region 0 or more.
        let is_share = super::field_of("field", Section::Region, &field, true)?.ty == Ty::Percent;
        let figure = if is_share {
            super::percent("figure", &self.figure)?
        } else {
            non_negative("figure", &self.figure)?
        };
        let rule = Target {
            times: field_param_or_none("times", self.times, Section::Region, true)?,
            field,
            op: Op::parse(&self.op).map_err(|m| super::about("op", m))?,
            figure: figure.value,
            unit: localized_or_empty("unit", self.unit)?,
            scope,
            due: year("due", self.due)?,
            name: localized("name", self.name)?,
        };
        Ok((Box::new(rule), vec![entry(Section::Region, None)]))
    }
}

/// Which region plans a target binds, by the place the clause names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// 全市…, 市级…: the whole city's plan only.
    City,
    /// Rates and shares: every region plan.
    Any,
    /// 每个街道…: a plan of one district or county; the city's total is
    /// a rule of its own, so one shortfall is reported once.
    Unit,
    /// 每个区…: a 区's plan.
    District,
    /// 每个县(市)…: a 县's or a 县级市's plan.
    County,
}

const SCOPES: &[&str] = &["city", "any", "unit", "district", "county"];

impl Scope {
    fn parse(word: &str) -> Result<Scope, Msg> {
        Ok(match word {
            "city" => Scope::City,
            "any" => Scope::Any,
            "unit" => Scope::Unit,
            "district" => Scope::District,
            "county" => Scope::County,
            _ => return Err(super::not_one_of("scope", word, SCOPES)),
        })
    }

    /// Whether a region plan is bound: its `scope` (and, for a clause
    /// naming 区 or 县(市), its `level`) against the clause's place. A
    /// missing scope, or a missing level where the clause names one,
    /// stops the rule: it cannot be checked.
    fn binds(self, region: &RecordView) -> Result<bool, Stop> {
        if self == Scope::Any {
            return Ok(true);
        }
        let scope = read_path(region, "scope")?;
        let city = scope.text().as_deref() == Some("city");
        Ok(match self {
            Scope::Any => true,
            Scope::City => city,
            Scope::Unit => !city,
            Scope::District | Scope::County if city => false,
            Scope::District | Scope::County => {
                let level = read_path(region, "level")?;
                let level = level.text();
                matches!(
                    (self, level.as_deref()),
                    (Scope::District, Some("district"))
                        | (Scope::County, Some("county" | "county_city"))
                )
            }
        })
    }
}

impl Target {}

impl Native for Target {
    fn judge(&self, region: &RecordView, _: &Cx) -> Result<Verdict, Stop> {
        match self.scope.binds(region) {
            Ok(true) => {}
            Ok(false) => return Ok(Verdict::NotApplicable),
            // No level before the year it is due: nothing is due yet (R3).
            Err(Stop::Missing(_)) if early(region, self.due)? => return Ok(Verdict::NotApplicable),
            Err(e) => return Err(e),
        }
        let value = match read_num(region, &self.field) {
            Ok(v) => v,
            Err(Stop::Missing(path)) => {
                // Left out before the year it is due: nothing is due yet.
                return if early(region, self.due)? {
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
            (super::calc("*", self.figure, count)?, Some(count))
        };
        if self.op.holds(super::order(value, figure)?) {
            return Ok(Verdict::Holds);
        }
        if early(region, self.due)? {
            return Ok(Verdict::NotApplicable);
        }
        let shown = written_apart(value, figure);
        let wanted = self.op.wanted();
        let (u, f, name) = (&self.unit, figure, &self.name);
        let per = per.map_or(String::new(), |n| {
            format!(" (= {} × {n} {})", self.figure, self.times)
        });
        Ok(Verdict::Violated(Box::new(Violation {
            message: both(
                &Msg::new("template.target.short")
                    .text("name", name)
                    .arg("shown", &shown)
                    .text("unit", u)
                    .text("wanted", &wanted)
                    .arg("figure", f)
                    .arg("per", per),
            ),
            at: vec![self.field.clone()],
            inputs: if self.times.is_empty() {
                Vec::new()
            } else {
                vec![self.times.clone()]
            },
            label: Some(both(
                &Msg::new("template.target.label")
                    .text("wanted", &wanted)
                    .arg("figure", f)
                    .text("unit", u),
            )),
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
