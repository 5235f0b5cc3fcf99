//! `one-per`: 每百张床位至少配1名社工; 每千名老年人、每百张养老床位拥有社会
//! 工作者1名: whole people per so many of each base.

use super::{
    at_least, calc, due_by, entry, entry_of_kinds, kind_in, localized, max, num_field, text, texts,
    year, Built, Cx, Figure, Native, NativeTemplate,
};
use crate::engine::num::Num;
use crate::engine::outcome::{Stop, Verdict, Violation};
use crate::input::Msg;
use crate::plan::{Section, Text};
use rhai::{Array, Dynamic, Map};

pub(super) const TEMPLATE: NativeTemplate = NativeTemplate {
    name: "one-per",
    summary: "at least one of `field` per `per` of each base (每百张床位至少配1名社工; 每千名老年人、每百张养老床位拥有社会工作者1名). People come whole: any part of a hundred beds needs one more. With several bases, each half of the clause must be met, so the largest requirement counts.",
    params: &[
        ("due", "the year a region must reach it (a shortfall in an earlier year is not judged), 0 for no year"),
        ("field", "the field counted (social_workers)"),
        ("institution", "the institution's bases: [[field, per], …]"),
        ("kinds", "the institution kinds judged, [] for none"),
        ("name", "#{ zh, en }: what is counted"),
        ("region", "the region's bases: [[field, per], …], [] for no region check"),
    ],
    source: "src/engine/native/one_per.rs",
    build: OnePer::build,
};

/// A base and how many of it call for one (`["beds", 100]`).
type Base = (String, Figure);

fn bases(p: &Map, key: &str) -> Result<Vec<Base>, Msg> {
    let wrong = || Msg::new("plan.param-bases").arg("key", key);
    let list = p
        .get(key)
        .and_then(|v| v.read_lock::<Array>().map(|a| a.to_vec()))
        .ok_or_else(wrong)?;
    list.iter()
        .map(|b| {
            let b = b.read_lock::<Array>().ok_or_else(wrong)?;
            match b.as_slice() {
                [field, per] => Ok((
                    field.clone().into_string().map_err(|_| wrong())?,
                    Figure::of(per).ok_or_else(wrong)?,
                )),
                _ => Err(wrong()),
            }
        })
        .collect()
}

struct OnePer {
    field: String,
    kinds: Vec<String>,
    institution: Vec<Base>,
    region: Vec<Base>,
    name: Text,
    due: i64,
}

impl OnePer {
    fn build(p: &Map) -> Result<Built, Msg> {
        let rule = OnePer {
            field: text(p, "field")?,
            kinds: texts(p, "kinds")?,
            institution: bases(p, "institution")?,
            region: bases(p, "region")?,
            name: localized(p, "name")?,
            due: year(p, "due")?,
        };
        let mut entries: Vec<_> = entry_of_kinds(Section::Institutions, &rule.kinds)
            .into_iter()
            .collect();
        if !rule.region.is_empty() {
            entries.push(entry(Section::Region, None));
        }
        Ok((Box::new(rule), entries))
    }

    /// At least the most any base calls for, each rounded up.
    fn one_per(&self, rec: &Dynamic, bases: &[Base]) -> Result<Verdict, Stop> {
        let mut required = Num::ZERO;
        let (mut why_zh, mut why_en, mut inputs) = (vec![], vec![], vec![]);
        for (base, per) in bases {
            let n = num_field(rec, base)?;
            let need = calc("/", n, per.value)?.ceiling();
            why_zh.push(format!("⌈{n} {base} / {per}⌉ = {need}"));
            why_en.push(format!("ceil({n} {base} / {per}) = {need}"));
            inputs.push(base.clone());
            required = max(need, required)?;
        }
        let have = num_field(rec, &self.field)?;
        if at_least(have, required)? {
            return Ok(Verdict::Holds);
        }
        let name = &self.name;
        Ok(Verdict::Violated(Box::new(Violation {
            message: Text {
                zh: format!(
                    "{} {have} 名 < 应配 {required} 名: {}",
                    name.zh,
                    why_zh.join(", ")
                ),
                en: format!(
                    "{} {have} < {required} required: {}",
                    name.en,
                    why_en.join(", ")
                ),
            },
            at: vec![self.field.clone()],
            inputs,
            label: None,
            required: Some(super::same(format!(">= {required}"))),
            provided: Some(super::same(have.to_string())),
        })))
    }
}

impl Native for OnePer {
    fn judge(&self, rec: &Dynamic, cx: &Cx) -> Result<Verdict, Stop> {
        if cx.section == Section::Region {
            return due_by(rec, self.due, || self.one_per(rec, &self.region));
        }
        if kind_in(rec, &self.kinds)?.is_none() {
            return Ok(Verdict::NotApplicable);
        }
        self.one_per(rec, &self.institution)
    }
}
