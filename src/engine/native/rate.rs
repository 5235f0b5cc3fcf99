//! `rate`: 每千人口拥有3岁以下婴幼儿托位数, 每千名老年人养老床位数: a
//! region's count per so many of its base.

use super::*;
use crate::engine::outcome::{Stop, Verdict, Violation};
use crate::input::Msg;
use crate::plan::{Section, Text};
use schemars::JsonSchema;
use serde::Deserialize;

/// A region's count per `per` of its base reaches `rate` (每千人口托位数,
/// 每千名老年人养老床位数). A base of 0 has no rate to judge.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RateParams {
    /// The region's field it is a rate of (population).
    #[schemars(extend("x-field" = "region"))]
    base: String,
    /// The region's field counted (childcare_slots).
    #[schemars(extend("x-field" = "region"))]
    count: String,
    /// The year it must be reached (a shortfall in an earlier year is not judged), 0 for no year.
    #[serde(default)]
    due: i64,
    /// What is counted.
    name: Words,
    /// What the base counts.
    of: Words,
    /// The rate is per this many of the base (1000).
    per: serde_json::Number,
    /// The least rate.
    rate: serde_json::Number,
}

struct Rate {
    count: String,
    base: String,
    per: Figure,
    rate: Figure,
    due: i64,
    name: Text,
    of: Text,
}

impl Params for RateParams {
    fn build(self, _pack: &Pack) -> Result<Built, Msg> {
        let rule = Rate {
            count: field_param("count", self.count, Section::Region, true)?,
            base: field_param("base", self.base, Section::Region, true)?,
            per: positive("per", &self.per)?,
            rate: non_negative("rate", &self.rate)?,
            due: year("due", self.due)?,
            name: localized("name", self.name)?,
            of: localized("of", self.of)?,
        };
        Ok((Box::new(rule), vec![entry(Section::Region, None)]))
    }
}

impl Rate {
    fn rate_of(&self, r: &RecordView) -> Result<Verdict, Stop> {
        let Shortfall { count, base, shown } =
            match short_of(r, &self.count, &self.base, self.per.value, self.rate.value)? {
                Ok(short) => short,
                Err(verdict) => return Ok(verdict),
            };
        let (per, least, name, of) = (&self.per, &self.rate, &self.name, &self.of);
        Ok(Verdict::Violated(Box::new(Violation {
            message: both(
                &Msg::new("template.rate.short")
                    .arg("shown", &shown)
                    .text("name", name)
                    .arg("per", per)
                    .text("of", of)
                    .arg("count", count)
                    .arg("base", base)
                    .arg("least", least),
            ),
            at: vec![self.count.clone()],
            inputs: vec![self.base.clone()],
            label: Some(both(
                &Msg::new("template.rate.label")
                    .arg("shown", &shown)
                    .arg("per", per)
                    .text("of", of),
            )),
            required: Some(both(
                &Msg::new("template.rate.required")
                    .arg("least", least)
                    .arg("per", per)
                    .text("of", of),
            )),
            provided: Some(super::same(shown)),
        })))
    }
}

impl Native for Rate {
    fn judge(&self, r: &RecordView, _: &Cx) -> Result<Verdict, Stop> {
        due_by(r, self.due, || self.rate_of(r))
    }
}
