//! `share`: 护理型床位占比, 普惠性托位占比, 持证上岗率: a part of a whole
//! reaches a percentage.

use super::{
    due_by, entry, entry_of_kinds, field_param, kind_in, kinds, localized, short_of, year, Built,
    Cx, Figure, Native, NativeTemplate, Shortfall,
};
use crate::engine::num::Num;
use crate::engine::outcome::{Stop, Verdict, Violation};
use crate::input::Msg;
use crate::plan::{Section, Text};
use rhai::{Dynamic, Map};

pub(super) const TEMPLATE: NativeTemplate = NativeTemplate {
    name: "share",
    summary: "a share of at least `percent` % (护理型床位占比, 普惠性托位占比, 持证上岗率). An institution of `kinds` is judged on part / whole; a region on region_part / region_whole. A whole of 0 has no share. A region's shortfall counts from the year the target is due (docs/readings.md R3).",
    params: &[
        ("due", "the year a region must reach it (a shortfall in an earlier year is not judged), 0 for no year"),
        ("kinds", "the institution kinds judged, [] for none"),
        ("name", "#{ zh, en }: what is counted"),
        ("part", "the institution's field counted (nursing_beds)"),
        ("percent", "the least share, in %"),
        ("region_part", "the region's field counted, \"\" for no region check"),
        ("region_whole", "the region's field it is a share of"),
        ("whole", "the institution's field it is a share of (beds)"),
    ],
    source: "src/engine/native/share.rs",
    build: Share::build,
};

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

impl Share {
    fn build(p: &Map) -> Result<Built, Msg> {
        let rule = Share {
            kinds: kinds(p, "kinds", Section::Institutions)?,
            part: field_param(p, "part", Section::Institutions, true, true)?,
            whole: field_param(p, "whole", Section::Institutions, true, true)?,
            region_part: field_param(p, "region_part", Section::Region, true, true)?,
            region_whole: field_param(p, "region_whole", Section::Region, true, true)?,
            percent: super::percent(p, "percent")?,
            due: year(p, "due")?,
            name: localized(p, "name")?,
        };
        let mut entries: Vec<_> = entry_of_kinds(Section::Institutions, &rule.kinds)
            .into_iter()
            .collect();
        if !rule.region_part.is_empty() {
            entries.push(entry(Section::Region, None));
        }
        Ok((Box::new(rule), entries))
    }

    /// `part` / `whole` of the record, at least `percent` %.
    fn share_of(&self, part: &str, whole: &str, rec: &Dynamic) -> Result<Verdict, Stop> {
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
            message: Text {
                zh: format!("{}占比 {shown}% = {n} / {w} < {percent}%", name.zh),
                en: format!(
                    "{} are {shown}% = {n} / {w} of {whole}, below {percent}%",
                    name.en
                ),
            },
            at: vec![part.to_string()],
            inputs: vec![whole.to_string()],
            label: Some(Text {
                zh: format!("占比 {shown}%"),
                en: format!("{shown}% of {whole}"),
            }),
            required: Some(super::same(format!(">= {percent}%"))),
            provided: Some(super::same(format!("{shown}%"))),
        })))
    }
}

impl Native for Share {
    fn judge(&self, rec: &Dynamic, cx: &Cx) -> Result<Verdict, Stop> {
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
