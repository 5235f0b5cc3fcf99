//! `share`: 护理型床位占比, 普惠性托位占比, 持证上岗率: a part of a whole
//! reaches a percentage.

use super::{
    both, due_by, entry, entry_of_kinds, field_param_or_none, kind_in, kinds, localized, short_of,
    year, Built, Cx, Figure, Native, Pack, Params, RecordView, Shortfall, Words,
};
use crate::engine::num::Num;
use crate::engine::outcome::{Stop, Verdict, Violation};
use crate::input::Msg;
use crate::plan::{Section, Text};
use schemars::JsonSchema;
use serde::Deserialize;

/// A share of at least `percent` % (护理型床位占比, 普惠性托位占比,
/// 持证上岗率). An institution of `kinds` is judged on part / whole; a
/// region on region_part / region_whole. A whole of 0 has no share. A
/// region's shortfall counts from the year the target is due
/// (docs/readings.md R3).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareParams {
    /// The year a region must reach it (a shortfall in an earlier year is not judged), 0 for no year.
    #[serde(default)]
    due: i64,
    /// The institution kinds judged; none: no institution is.
    #[serde(default)]
    kinds: Vec<String>,
    /// What is counted.
    name: Words,
    /// The institution's field counted (nursing_beds).
    #[serde(default)]
    #[schemars(extend("x-field" = "institutions"))]
    part: Option<String>,
    /// The least share, in %.
    percent: serde_json::Number,
    /// The region's field counted; none: no region check.
    #[serde(default)]
    #[schemars(extend("x-field" = "region"))]
    region_part: Option<String>,
    /// The region's field it is a share of.
    #[serde(default)]
    #[schemars(extend("x-field" = "region"))]
    region_whole: Option<String>,
    /// The institution's field it is a share of (beds).
    #[serde(default)]
    #[schemars(extend("x-field" = "institutions"))]
    whole: Option<String>,
}

struct Share {
    kinds: Vec<String>,
    part: String,
    whole: String,
    region_part: String,
    region_whole: String,
    percent: Figure,
    due: i64,
    name: Text,
}

impl Params for ShareParams {
    fn build(self, _pack: &Pack) -> Result<Built, Msg> {
        let rule = Share {
            kinds: kinds("kinds", self.kinds, Section::Institutions)?,
            part: field_param_or_none("part", self.part, Section::Institutions, true)?,
            whole: field_param_or_none("whole", self.whole, Section::Institutions, true)?,
            region_part: field_param_or_none(
                "region_part",
                self.region_part,
                Section::Region,
                true,
            )?,
            region_whole: field_param_or_none(
                "region_whole",
                self.region_whole,
                Section::Region,
                true,
            )?,
            percent: super::percent("percent", &self.percent)?,
            due: year("due", self.due)?,
            name: localized("name", self.name)?,
        };
        let mut entries: Vec<_> = entry_of_kinds(Section::Institutions, &rule.kinds)
            .into_iter()
            .collect();
        if !rule.region_part.is_empty() {
            entries.push(entry(Section::Region, None));
        }
        Ok((Box::new(rule), entries))
    }
}

impl Share {
    /// `part` / `whole` of the record, at least `percent` %.
    fn share_of(&self, part: &str, whole: &str, rec: &RecordView) -> Result<Verdict, Stop> {
        let Shortfall {
            count: n,
            base: w,
            shown,
        } = match short_of(rec, part, whole, Num::int(100), self.percent.value)? {
            Ok(short) => short,
            Err(verdict) => return Ok(verdict),
        };
        let (percent, name) = (&self.percent, &self.name);
        Ok(Verdict::Violated(Box::new(Violation {
            message: both(
                &Msg::new("template.share.short")
                    .text("name", name)
                    .arg("shown", &shown)
                    .arg("n", n)
                    .arg("w", w)
                    .arg("whole", whole)
                    .arg("percent", percent),
            ),
            at: vec![part.to_string()],
            inputs: vec![whole.to_string()],
            label: Some(both(
                &Msg::new("template.share.label")
                    .arg("shown", &shown)
                    .arg("whole", whole),
            )),
            required: Some(super::same(format!(">= {percent}%"))),
            provided: Some(super::same(format!("{shown}%"))),
        })))
    }
}

impl Native for Share {
    fn judge(&self, rec: &RecordView, cx: &Cx) -> Result<Verdict, Stop> {
        if cx.section == Section::Region {
            return due_by(rec, self.due, || {
                self.share_of(&self.region_part, &self.region_whole, rec)
            });
        }
        if kind_in(rec, &self.kinds)?.is_none() {
            return Ok(Verdict::NotApplicable);
        }
        self.share_of(&self.part, &self.whole, rec)
    }
}
