//! `one-per`: 每百张床位至少配1名社工; 每千名老年人、每百张养老床位拥有社会
//! 工作者1名: whole people per so many of each base.

use super::{
    at_least, calc, due_by, entry, entry_of_kinds, kind_in, kinds, localized, max, num_field, text,
    year, Built, Cx, Figure, Native, NativeTemplate,
};
use crate::engine::num::Num;
use crate::engine::outcome::{Stop, Verdict, Violation};
use crate::input::format::{INSTITUTION, REGION};
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

/// At most [`super::MAX_BASES`], each a number field of `section`'s
/// records and a `per` more than 0 (a base is divided by it).
fn bases(p: &Map, key: &str, section: Section) -> Result<Vec<Base>, Msg> {
    let wrong = || Msg::new("plan.param-bases").arg("key", key);
    if !p.get(key).is_some_and(|v| v.is_array()) {
        return Err(wrong());
    }
    let list = super::list(p, key, super::MAX_BASES)?;
    list.iter()
        .map(|b| {
            let b = b.read_lock::<Array>().ok_or_else(wrong)?;
            let (field, per) = match b.as_slice() {
                [field, per] => (
                    field.clone().into_string().map_err(|_| wrong())?,
                    Figure::of(per).ok_or_else(wrong)?,
                ),
                _ => return Err(wrong()),
            };
            super::known_field(key, section, &field, true)?;
            if !super::is_positive(per.value) {
                return Err(Msg::new("plan.param-base-per")
                    .arg("key", key)
                    .arg("field", &field)
                    .arg("value", &per));
            }
            Ok((field, per))
        })
        .collect()
}

/// A base as a Chinese count reads it (⌈180 张床位 / 100⌉): its measure
/// word and noun, else the format's Chinese name of the field.
fn base_zh(base: &str) -> &str {
    const WORDS: &[(&str, &str)] = &[
        ("beds", "张床位"),
        ("nursing_beds", "张护理型床位"),
        ("elderly_beds", "张养老床位"),
        ("institution_beds", "张养老机构床位"),
        ("elderly_population", "名老年人"),
        ("population", "人"),
        ("residents", "名入住老人"),
    ];
    WORDS
        .iter()
        .find(|(field, _)| *field == base)
        .map(|(_, zh)| *zh)
        .or_else(|| {
            [INSTITUTION, REGION]
                .iter()
                .flat_map(|fields| fields.iter())
                .find(|f| f.name == base)
                .map(|f| f.zh)
        })
        .unwrap_or(base)
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
        let institution = bases(p, "institution", Section::Institutions)?;
        let region = bases(p, "region", Section::Region)?;
        // The field is read from the records of each side with bases: a
        // number field of each.
        let field = text(p, "field")?;
        for (bases, section) in [
            (&institution, Section::Institutions),
            (&region, Section::Region),
        ] {
            if !bases.is_empty() {
                super::known_field("field", section, &field, true)?;
            }
        }
        let rule = OnePer {
            field,
            kinds: kinds(p, "kinds", Section::Institutions)?,
            institution,
            region,
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

    /// At least the most any base calls for, each rounded up. Each base
    /// is a half of the clause of its own (docs/readings.md R10): a known
    /// base that calls for more than there are is a violation whatever the
    /// others leave out; else a missing base cannot be checked.
    fn one_per(&self, rec: &Dynamic, bases: &[Base]) -> Result<Verdict, Stop> {
        let mut known = Vec::new();
        let mut missing = None;
        for (base, per) in bases {
            match num_field(rec, base) {
                Ok(n) => known.push((base, per, n)),
                Err(Stop::Missing(path)) => {
                    missing.get_or_insert(Stop::Missing(path));
                }
                Err(e) => return Err(e),
            }
        }
        let have = match num_field(rec, &self.field) {
            Ok(have) => have,
            Err(Stop::Missing(path)) => return Err(missing.unwrap_or(Stop::Missing(path))),
            Err(e) => return Err(e),
        };
        let mut required = Num::ZERO;
        let (mut why_zh, mut why_en, mut inputs) = (vec![], vec![], vec![]);
        for (base, per, n) in known {
            let need = calc("/", n, per.value)?.ceiling();
            why_zh.push(format!("⌈{n} {} / {per}⌉ = {need}", base_zh(base)));
            why_en.push(format!("ceil({n} {base} / {per}) = {need}"));
            inputs.push(base.clone());
            required = max(need, required)?;
        }
        if at_least(have, required)? {
            return match missing {
                Some(stop) => Err(stop),
                None => Ok(Verdict::Holds),
            };
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
