//! `keep-pace`: 同步规划、同步建设、同步验收、同步交付: a new estate's
//! facilities keep pace with its housing, milestone by milestone.

use super::*;
use crate::engine::host::Late;
use crate::engine::outcome::{Stop, Verdict, Violation};
use crate::input::format::{FACILITY_KINDS_ZH, SCHEDULE};
use crate::input::Msg;
use crate::plan::{Section, Text};
use schemars::JsonSchema;
use serde::Deserialize;

/// In a new estate, each facility of `kinds` reaches each of `milestones`
/// no later than the housing (同步规划、同步建设、同步验收、同步交付). Every
/// milestone is an obligation of its own (docs/readings.md R8): one
/// milestone late is a violation whatever the others say; else one the
/// facility or the housing does not give cannot be checked. A month counts
/// as its last day.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeepPaceParams {
    /// The facility kinds that keep pace.
    kinds: Vec<String>,
    /// The schedule milestones compared (planned, construction_start, acceptance, delivery).
    milestones: Vec<String>,
}

struct KeepPace {
    kinds: Vec<String>,
    milestones: Vec<String>,
}

impl Params for KeepPaceParams {
    fn build(self, _pack: &Pack) -> Result<Built, Msg> {
        let rule = KeepPace {
            kinds: kinds("kinds", self.kinds, Section::Facilities)?,
            milestones: words("milestones", self.milestones, &milestones())?,
        };
        let entries = entry_of_kinds(Section::Facilities, &rule.kinds)
            .into_iter()
            .collect();
        Ok((Box::new(rule), entries))
    }
}

impl KeepPace {}

/// The milestones of a schedule: planned, construction_start …
fn milestones() -> Vec<&'static str> {
    SCHEDULE.iter().map(|f| f.name).collect()
}

/// A milestone as the format names it in Chinese (acceptance: 竣工验收).
fn milestone_zh(m: &str) -> &str {
    SCHEDULE.iter().find(|f| f.name == m).map_or(m, |f| f.zh)
}

/// A facility kind as the plans name it (elderly_service: 养老服务设施;
/// in English, and for a kind the plans do not name, "elderly_service facility").
fn kind_words(kind: &str) -> Text {
    let mut words = both(&Msg::new("template.facility-kind").arg("kind", kind));
    if let Some((_, zh)) = FACILITY_KINDS_ZH.iter().find(|(k, _)| *k == kind) {
        words.zh = zh.to_string();
    }
    words
}

impl Native for KeepPace {
    fn judge(&self, f: &RecordView, cx: &Cx) -> Result<Verdict, Stop> {
        let Some(kind) = kind_in(f, &self.kinds)? else {
            return Ok(Verdict::NotApplicable);
        };
        let e = cx.sub.estate();
        if !is_text(e.get("status"), "new")? {
            return Ok(Verdict::NotApplicable);
        }
        // One milestone late is a violation whatever the others say; with
        // none late, a missing one stops the rule (docs/readings.md R8).
        let found = late_milestones(f, &e, &self.milestones)?;
        if found.is_empty() {
            return Ok(Verdict::Holds);
        }
        let (mut late, mut housing, mut zh, mut en) = (vec![], vec![], vec![], vec![]);
        let (mut given_zh, mut given_en) = (vec![], vec![]);
        for Late {
            milestone: m,
            mine,
            theirs,
        } in found
        {
            late.push(format!("schedule.{m}"));
            given_zh.push(format!("{} {mine}", milestone_zh(&m)));
            given_en.push(format!("{m} {mine}"));
            housing.push(format!("estate.schedule.{m}"));
            let said = both(
                &Msg::new("template.keep-pace.late")
                    .both("milestone", milestone_zh(&m).to_string(), m.to_string())
                    .arg("mine", mine)
                    .arg("theirs", theirs),
            );
            zh.push(said.zh);
            en.push(said.en);
        }
        let (who, kind) = (f.name(), kind_words(&kind));
        Ok(Verdict::Violated(Box::new(Violation {
            message: both(
                &Msg::new("template.keep-pace.lags")
                    .both("kind", kind.zh, kind.en)
                    .arg("who", who)
                    .both("late", zh.join("; "), en.join("; ")),
            ),
            // The dates given, not the fields' paths.
            provided: Some(Text {
                zh: given_zh.join(", "),
                en: given_en.join(", "),
            }),
            at: late,
            label: Some(both(&Msg::new("template.keep-pace.later"))),
            inputs: housing,
            required: Some(both(&Msg::new("template.keep-pace.not-later"))),
        })))
    }
}
