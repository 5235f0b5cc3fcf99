//! `estate-standard`: 按照每百户不低于20平方米、且单处不小于350平方米的标准
//! 配建: an estate's facilities provide what its size calls for.

use super::*;
use crate::engine::num::{written_apart, Num};
use crate::engine::outcome::{Stop, Verdict, Violation};
use crate::input::Msg;
use crate::plan::{Section, Text};
use schemars::JsonSchema;
use serde::Deserialize;

/// An estate of `status` provides, in its facilities of `kinds`, at least
/// max(amount × base / per, minimum) of `field` (每百户不低于20平方米、不小于350平方米;
/// 每千人口不少于8个托位).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EstateStandardParams {
    /// What each `per` of the base needs (20).
    amount: serde_json::Number,
    /// The estate field the standard scales with (households, population).
    #[schemars(extend("x-field" = "estate"))]
    base: String,
    /// What the base counts (户, households).
    base_word: Words,
    /// The facility field summed (floor_area, slots).
    #[schemars(extend("x-field" = "facilities"))]
    field: String,
    /// The facility kinds counted (["elderly_service", "elderly_day_care"]).
    kinds: Vec<String>,
    /// The least total whatever the base, 0 for none.
    #[serde(default = "zero")]
    minimum: serde_json::Number,
    /// What is provided.
    name: Words,
    /// What the plan adds; none: nothing.
    #[serde(default)]
    note: Option<Words>,
    /// The standard is per this many of the base (100).
    per: serde_json::Number,
    /// The estate status the standard is for: new or existing.
    status: String,
    /// The unit of the field (m²).
    unit: Words,
}

struct EstateStandard {
    status: String,
    kinds: Vec<String>,
    field: String,
    base: String,
    per: Figure,
    amount: Figure,
    minimum: Figure,
    unit: Text,
    base_word: Text,
    name: Text,
    note: Option<Text>,
}

impl Params for EstateStandardParams {
    fn build(self, _pack: &Pack) -> Result<Built, Msg> {
        let rule = EstateStandard {
            status: one_of("status", self.status, crate::input::format::ESTATE_STATUS)?,
            kinds: kinds("kinds", self.kinds, Section::Facilities)?,
            field: field_param("field", self.field, Section::Facilities, true)?,
            base: field_param("base", self.base, Section::Estate, true)?,
            per: positive("per", &self.per)?,
            amount: non_negative("amount", &self.amount)?,
            minimum: non_negative("minimum", &self.minimum)?,
            unit: localized("unit", self.unit)?,
            base_word: localized("base_word", self.base_word)?,
            name: localized("name", self.name)?,
            note: localized_or_none("note", self.note)?,
        };
        Ok((Box::new(rule), vec![entry(Section::Estate, None)]))
    }
}

impl EstateStandard {}

impl Native for EstateStandard {
    fn judge(&self, e: &RecordView, cx: &Cx) -> Result<Verdict, Stop> {
        if !is_text(e.get("status"), &self.status)? {
            return Ok(Verdict::NotApplicable);
        }
        let rooms = of_kinds(&cx.sub.facilities(), &self.kinds)?;
        let provided = sum(&rooms, &self.field)?;
        let base = known_num(e.get(&self.base), &self.base)?;
        let by_base = calc("*", self.amount.value, base)?;
        let required = max(calc("/", by_base, self.per.value)?, self.minimum.value)?;
        if at_least(provided, required)? {
            return Ok(Verdict::Holds);
        }
        let shown = written_apart(provided, required);
        let (u, words, name) = (&self.unit, &self.base_word, &self.name);
        let (amount, per, minimum) = (&self.amount, &self.per, &self.minimum);
        let by_base = Text {
            zh: format!("{amount} {} × {base} {} / {per}", u.zh, words.zh),
            en: format!("{amount} {} × {base} {} / {per}", u.en, words.en),
        };
        let formula = if self
            .minimum
            .value
            .compare(Num::ZERO)
            .is_some_and(|o| o.is_gt())
        {
            Text {
                zh: format!("max({}, {minimum} {})", by_base.zh, u.zh),
                en: format!("max({}, {minimum} {})", by_base.en, u.en),
            }
        } else {
            by_base
        };
        let note = self.note.as_ref().map_or_else(Text::default, |n| Text {
            zh: format!("; {}", n.zh),
            en: format!("; {}", n.en),
        });
        let (at, label) = if rooms.is_empty() {
            (
                vec!["estate.status".to_string()],
                both(&Msg::new("template.estate-standard.none").text("name", name)),
            )
        } else {
            (
                paths(&rooms, &self.field),
                both(
                    &Msg::new("template.estate-standard.counted")
                        .arg("shown", &shown)
                        .text("unit", u),
                ),
            )
        };
        Ok(Verdict::Violated(Box::new(Violation {
            message: both(
                &Msg::new("template.estate-standard.short")
                    .text("name", name)
                    .arg("shown", &shown)
                    .text("unit", u)
                    .arg("required", required)
                    .text("formula", &formula)
                    .text("note", &note),
            ),
            at,
            inputs: vec![format!("estate.{}", self.base)],
            label: Some(label),
            required: Some(Text {
                zh: format!(">= {required} {}", u.zh),
                en: format!(">= {required} {}", u.en),
            }),
            provided: Some(Text {
                zh: format!("{shown} {}", u.zh),
                en: format!("{shown} {}", u.en),
            }),
        })))
    }
}
