//! `rate`: 每千人口拥有3岁以下婴幼儿托位数, 每千名老年人养老床位数: a
//! region's count per so many of its base.

use super::{
    due_by, entry, field_param, localized, positive, short_of, year, Built, Cx, Figure, Native,
    NativeTemplate, Shortfall,
};
use crate::engine::outcome::{Stop, Verdict, Violation};
use crate::input::Msg;
use crate::plan::{Section, Text};
use rhai::{Dynamic, Map};

pub(super) const TEMPLATE: NativeTemplate = NativeTemplate {
    name: "rate",
    summary: "a region's count per `per` of its base reaches `rate` (每千人口托位数, 每千名老年人养老床位数). A base of 0 has no rate to judge.",
    params: &[
        ("base", "the region's field it is a rate of (population)"),
        ("count", "the region's field counted (childcare_slots)"),
        ("due", "the year it must be reached (a shortfall in an earlier year is not judged), 0 for no year"),
        ("name", "#{ zh, en }: what is counted"),
        ("of", "#{ zh, en }: what the base counts"),
        ("per", "the rate is per this many of the base (1000)"),
        ("rate", "the least rate"),
    ],
    source: "src/engine/native/rate.rs",
    build: Rate::build,
};

struct Rate {
    count: String,
    base: String,
    per: Figure,
    rate: Figure,
    due: i64,
    name: Text,
    of: Text,
}

impl Rate {
    fn build(p: &Map) -> Result<Built, Msg> {
        let rule = Rate {
            count: field_param(p, "count", Section::Region, true, false)?,
            base: field_param(p, "base", Section::Region, true, false)?,
            per: positive(p, "per")?,
            rate: super::non_negative(p, "rate")?,
            due: year(p, "due")?,
            name: localized(p, "name")?,
            of: localized(p, "of")?,
        };
        Ok((Box::new(rule), vec![entry(Section::Region, None)]))
    }

    fn rate_of(&self, r: &Dynamic) -> Result<Verdict, Stop> {
        let Shortfall { count, base, shown } =
            match short_of(r, &self.count, &self.base, self.per.value, self.rate.value)? {
                Ok(short) => short,
                Err(verdict) => return Ok(verdict),
            };
        let (per, least, name, of) = (&self.per, &self.rate, &self.name, &self.of);
        Ok(Verdict::Violated(Box::new(Violation {
            message: Text {
                zh: format!(
                    "每{per}{}{} {shown} = {count} × {per} / {base} < {least}",
                    of.zh, name.zh
                ),
                en: format!(
                    "{shown} {} per {per} {} = {count} × {per} / {base} < {least}",
                    name.en, of.en
                ),
            },
            at: vec![self.count.clone()],
            inputs: vec![self.base.clone()],
            label: Some(Text {
                zh: format!("每{per}{} {shown}", of.zh),
                en: format!("{shown} per {per}"),
            }),
            required: Some(Text {
                zh: format!(">= {least} (每{per}{})", of.zh),
                en: format!(">= {least} per {per}"),
            }),
            provided: Some(super::same(shown)),
        })))
    }
}

impl Native for Rate {
    fn judge(&self, r: &Dynamic, _: &Cx) -> Result<Verdict, Stop> {
        due_by(r, self.due, || self.rate_of(r))
    }
}
