//! `target`: 到2025年, a figure of a region plan reaches the plan's target.

use super::{
    entry, field_param, localized, read_num, read_path, text, year, Built, Cx, Native,
    NativeTemplate, Op,
};
use crate::engine::host::early;
use crate::engine::num::{written_apart, Num};
use crate::engine::outcome::{Stop, Verdict, Violation};
use crate::input::format::Ty;
use crate::input::Msg;
use crate::plan::{Section, Text};
use rhai::{Dynamic, Map};

pub(super) const TEMPLATE: NativeTemplate = NativeTemplate {
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
    source: "src/engine/native/target.rs",
    build: Target::build,
};

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
            return Err(super::not_one_of("scope", &scope, &["city", "any"]));
        }
        let field = field_param(p, "field", Section::Region, true, false)?;
        // A share is 0 to 100; every other figure of a region 0 or more.
        let is_share = super::field_of("field", Section::Region, &field, true)?.ty == Ty::Percent;
        let figure = if is_share {
            super::percent(p, "figure")?
        } else {
            super::non_negative(p, "figure")?
        };
        let rule = Target {
            times: field_param(p, "times", Section::Region, true, true)?,
            field,
            op: Op::parse(&text(p, "op")?).map_err(|m| super::about("op", m))?,
            figure: figure.value,
            unit: localized(p, "unit")?,
            city_only: scope == "city",
            due: year(p, "due")?,
            name: localized(p, "name")?,
        };
        Ok((Box::new(rule), vec![entry(Section::Region, None)]))
    }
}

impl Native for Target {
    fn judge(&self, region: &Dynamic, _: &Cx) -> Result<Verdict, Stop> {
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
        let (wanted_zh, wanted_en) = self.op.wanted();
        let (u, f, name) = (&self.unit, figure, &self.name);
        let per = per.map_or(String::new(), |n| {
            format!(" (= {} × {n} {})", self.figure, self.times)
        });
        Ok(Verdict::Violated(Box::new(Violation {
            message: Text {
                zh: format!(
                    "{} {shown}{}, 规划目标为{wanted_zh} {f}{}{per}",
                    name.zh, u.zh, u.zh
                ),
                en: format!(
                    "{} is {shown}{}; the plan's target is {wanted_en} {f}{}{per}",
                    name.en, u.en, u.en
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
