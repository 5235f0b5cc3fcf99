//! `one-per`: 每百张床位至少配1名社工; 每千名老年人、每百张养老床位拥有社会
//! 工作者1名: whole people per so many of each base.

use super::*;
use crate::engine::num::Num;
use crate::engine::outcome::{Stop, Verdict, Violation};
use crate::input::format::{INSTITUTION, REGION};
use crate::input::Msg;
use crate::plan::{Section, Text};
use schemars::JsonSchema;
use serde::Deserialize;

/// At least one of `field` per `per` of each base (每百张床位至少配1名社工;
/// 每千名老年人、每百张养老床位拥有社会工作者1名). People come whole: any part
/// of a hundred beds needs one more. With several bases, each half of the
/// clause must be met, so the largest requirement counts.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OnePerParams {
    /// The year a region must reach it (a shortfall in an earlier year is not judged), 0 for no year.
    #[serde(default)]
    due: i64,
    /// The field counted (social_workers).
    #[schemars(extend("x-field" = "institutions"))]
    field: String,
    /// The institution's bases: [[field, per], …]; none: no institution check.
    #[serde(default)]
    institution: Vec<(String, serde_json::Number)>,
    /// The institution kinds judged; none: no institution is.
    #[serde(default)]
    kinds: Vec<String>,
    /// What is counted.
    name: Words,
    /// The region's bases: [[field, per], …]; none: no region check.
    #[serde(default)]
    region: Vec<(String, serde_json::Number)>,
}

/// A base and how many of it call for one (`["beds", 100]`).
type Base = (String, Figure);

/// At most [`super::MAX_BASES`], each a number field of `section`'s
/// records and a `per` more than 0 (a base is divided by it).
fn bases(
    key: &str,
    list: Vec<(String, serde_json::Number)>,
    section: Section,
) -> Result<Vec<Base>, Msg> {
    bounded(key, list, super::MAX_BASES)?
        .into_iter()
        .map(|(field, per)| {
            let field = short(key, field)?;
            let per = figure(key, &per)?;
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

/// A base as a count reads it: in Chinese its measure word and noun
/// (⌈180 张床位 / 100⌉), else the format's Chinese name of the field; in
/// English the field.
fn base_words(base: &str) -> Text {
    let key = match base {
        "beds" => "template.base.beds",
        "nursing_beds" => "template.base.nursing_beds",
        "elderly_beds" => "template.base.elderly_beds",
        "institution_beds" => "template.base.institution_beds",
        "elderly_population" => "template.base.elderly_population",
        "population" => "template.base.population",
        "residents" => "template.base.residents",
        _ => {
            let zh = [INSTITUTION, REGION]
                .iter()
                .flat_map(|fields| fields.iter())
                .find(|f| f.name == base)
                .map_or(base, |f| f.zh);
            return Text {
                zh: zh.to_string(),
                en: base.to_string(),
            };
        }
    };
    both(&Msg::new(key))
}

struct OnePer {
    field: String,
    kinds: Vec<String>,
    institution: Vec<Base>,
    region: Vec<Base>,
    name: Text,
    due: i64,
}

impl Params for OnePerParams {
    fn build(self, _pack: &Pack) -> Result<Built, Msg> {
        let institution = bases("institution", self.institution, Section::Institutions)?;
        let region = bases("region", self.region, Section::Region)?;
        // The field is read from the records of each side with bases: a
        // number field of each.
        let field = short("field", self.field)?;
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
            kinds: kinds("kinds", self.kinds, Section::Institutions)?,
            institution,
            region,
            name: localized("name", self.name)?,
            due: year("due", self.due)?,
        };
        let mut entries: Vec<_> = entry_of_kinds(Section::Institutions, &rule.kinds)
            .into_iter()
            .collect();
        if !rule.region.is_empty() {
            entries.push(entry(Section::Region, None));
        }
        Ok((Box::new(rule), entries))
    }
}

impl OnePer {
    /// At least the most any base calls for, each rounded up. Each base
    /// is a half of the clause of its own (docs/readings.md R10): a known
    /// base that calls for more than there are is a violation whatever the
    /// others leave out; else a missing base cannot be checked.
    fn one_per(&self, rec: &RecordView, bases: &[Base]) -> Result<Verdict, Stop> {
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
        let mut needs = Vec::with_capacity(known.len());
        for (base, per, n) in known {
            let need = calc("/", n, per.value)?.ceiling();
            needs.push((base, per, n, need));
            required = max(need, required)?;
        }
        if at_least(have, required)? {
            return match missing {
                Some(stop) => Err(stop),
                None => Ok(Verdict::Holds),
            };
        }
        // Worded only for a violation: most tries hold, or are one of a
        // closed set's values the engine tries and then sets aside.
        let (mut why_zh, mut why_en, mut inputs) = (vec![], vec![], vec![]);
        for (base, per, n, need) in needs {
            let base_words = base_words(base);
            let said = both(
                &Msg::new("template.one-per.need")
                    .arg("n", n)
                    .both("base", base_words.zh, base_words.en)
                    .arg("per", per)
                    .arg("need", need),
            );
            why_zh.push(said.zh);
            why_en.push(said.en);
            inputs.push(base.clone());
        }
        let name = &self.name;
        Ok(Verdict::Violated(Box::new(Violation {
            message: both(
                &Msg::new("template.one-per.short")
                    .text("name", name)
                    .arg("have", have)
                    .arg("required", required)
                    .both("why", why_zh.join(", "), why_en.join(", ")),
            ),
            at: vec![self.field.clone()],
            inputs,
            label: None,
            required: Some(super::same(format!(">= {required}"))),
            provided: Some(super::same(have.to_string())),
        })))
    }
}

impl Native for OnePer {
    fn judge(&self, rec: &RecordView, cx: &Cx) -> Result<Verdict, Stop> {
        if cx.section == Section::Region {
            return due_by(rec, self.due, || self.one_per(rec, &self.region));
        }
        if kind_in(rec, &self.kinds)?.is_none() {
            return Ok(Verdict::NotApplicable);
        }
        self.one_per(rec, &self.institution)
    }
}
