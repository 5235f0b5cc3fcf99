//! `per-county`: 每个县(市)区至少建有1所老年大学: a count for each county
//! (district), and for the whole city its counties' sum.

use super::*;
use crate::engine::num::Num;
use crate::engine::outcome::{Stop, Verdict, Violation};
use crate::input::Msg;
use crate::plan::{Section, Text};
use schemars::JsonSchema;
use serde::Deserialize;

/// A count the plan sets for each county (district) of the city:
/// 每个县(市)区至少建有1所老年大学. A district plan has at least `each`; a
/// whole-city plan at least `each` × its counties, plus `city_extra` the
/// city keeps itself (州本级及13县市均至少建有1所: 1; 市、县分别建立: 1). A
/// figure set per level down to the townships (成立市、县、乡三级…中心) adds
/// `each_township` × the plan's townships, on a district's plan and the
/// city's alike. Due by `due`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PerCountyParams {
    /// What the city itself has on top, 0 for nothing.
    #[serde(default = "zero")]
    city_extra: serde_json::Number,
    /// The year it is due, 0 for none.
    #[serde(default)]
    due: i64,
    /// What each county (district) must have.
    each: serde_json::Number,
    /// What each township (乡镇) must have on top, 0 for nothing.
    #[serde(default = "zero")]
    each_township: serde_json::Number,
    /// The region's field, or indicators.<name>.
    #[schemars(extend("x-field" = "region"))]
    field: String,
    /// What is counted.
    name: Words,
}

struct PerCounty {
    field: String,
    each: Figure,
    each_township: Figure,
    city_extra: Figure,
    due: i64,
    name: Text,
}

impl Params for PerCountyParams {
    fn build(self, _pack: &Pack) -> Result<Built, Msg> {
        let rule = PerCounty {
            field: field_param("field", self.field, Section::Region, true)?,
            each: non_negative("each", &self.each)?,
            each_township: non_negative("each_township", &self.each_township)?,
            city_extra: non_negative("city_extra", &self.city_extra)?,
            due: year("due", self.due)?,
            name: localized("name", self.name)?,
        };
        Ok((Box::new(rule), vec![entry(Section::Region, None)]))
    }
}

impl PerCounty {
    fn per_county_of(&self, r: &RecordView) -> Result<Verdict, Stop> {
        // Read first, judged last: a missing scope or count of counties
        // stops the rule before the figure does.
        let mut value: Got = Ok(Value::Record(r.clone()));
        for part in self.field.split('.') {
            value = field(&value, part)?;
        }
        let city = is_text(r.get("scope"), "city")?;
        let (required, basis) = if city {
            let counties = num_field(r, "counties")?;
            let required = calc(
                "+",
                calc("*", self.each.value, counties)?,
                self.city_extra.value,
            )?;
            let extra = if self
                .city_extra
                .value
                .compare(Num::ZERO)
                .is_some_and(|o| o.is_gt())
            {
                format!(" + {}", self.city_extra)
            } else {
                String::new()
            };
            let each = &self.each;
            let basis = both(
                &Msg::new("template.per-county.counties")
                    .arg("each", each)
                    .arg("counties", counties)
                    .arg("extra", extra),
            );
            (required, basis)
        } else {
            let basis = both(&Msg::new("template.per-county.each-county"));
            (self.each.value, basis)
        };
        // 市、县、乡三级: each township's on top, on every plan.
        let per_township = self
            .each_township
            .value
            .compare(Num::ZERO)
            .is_some_and(|o| o.is_gt());
        let (required, basis) = if per_township {
            let townships = num_field(r, "townships")?;
            let required = calc(
                "+",
                required,
                calc("*", self.each_township.value, townships)?,
            )?;
            let each = &self.each_township;
            let basis = both(
                &Msg::new("template.per-county.townships")
                    .both("basis", basis.zh, basis.en)
                    .arg("each", each)
                    .arg("townships", townships),
            );
            (required, basis)
        } else {
            (required, basis)
        };
        let value = known_num(value, &self.field)?;
        if at_least(value, required)? {
            return Ok(Verdict::Holds);
        }
        let name = &self.name;
        Ok(Verdict::Violated(Box::new(Violation {
            message: both(
                &Msg::new("template.per-county.short")
                    .text("name", name)
                    .arg("value", value)
                    .arg("required", required)
                    .text("basis", &basis),
            ),
            at: vec![self.field.clone()],
            inputs: {
                let mut inputs = vec!["scope".to_string()];
                if city {
                    inputs.push("counties".into());
                }
                if per_township {
                    inputs.push("townships".into());
                }
                inputs
            },
            label: None,
            required: Some(super::same(format!(">= {required}"))),
            provided: Some(super::same(value.to_string())),
        })))
    }
}

impl Native for PerCounty {
    fn judge(&self, r: &RecordView, _: &Cx) -> Result<Verdict, Stop> {
        due_by(r, self.due, || self.per_county_of(r))
    }
}
