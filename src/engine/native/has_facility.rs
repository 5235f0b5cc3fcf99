//! `has-facility`: 配套托育服务设施覆盖所有新建住宅小区; 每个社区建有一处
//! 日间照料室: an estate has a facility of the kinds.

use super::{entry, field, is_text, kinds, localized, one_of, Built, Cx, Native, NativeTemplate};
use crate::engine::host::of_kinds;
use crate::engine::outcome::{Stop, Verdict, Violation};
use crate::input::Msg;
use crate::plan::{Section, Text};
use rhai::{Dynamic, Map};

pub(super) const TEMPLATE: NativeTemplate = NativeTemplate {
    name: "has-facility",
    summary: "an estate (of `status`, or any) has at least one facility of `kinds` (配套托育服务设施覆盖所有新建住宅小区; 每个社区建有一处日间照料室).",
    params: &[
        ("kinds", "the facility kinds that count"),
        ("name", "#{ zh, en }: the facility"),
        ("place", "#{ zh, en }: the estate as the plan calls it (新建住宅小区)"),
        ("status", "the estate status it is for: new, existing or any"),
    ],
    source: "src/engine/native/has_facility.rs",
    build: HasFacility::build,
};

struct HasFacility {
    /// `None` for any estate.
    status: Option<String>,
    kinds: Vec<String>,
    name: Text,
    place: Text,
}

impl HasFacility {
    fn build(p: &Map) -> Result<Built, Msg> {
        let status = one_of(p, "status", &["new", "existing", "any"])?;
        let rule = HasFacility {
            status: (status != "any").then_some(status),
            kinds: kinds(p, "kinds", Section::Facilities)?,
            name: localized(p, "name")?,
            place: localized(p, "place")?,
        };
        Ok((Box::new(rule), vec![entry(Section::Estate, None)]))
    }
}

impl Native for HasFacility {
    fn judge(&self, e: &Dynamic, cx: &Cx) -> Result<Verdict, Stop> {
        if let Some(status) = &self.status {
            if !is_text(field(e, "status")?, status)? {
                return Ok(Verdict::NotApplicable);
            }
        }
        if !of_kinds(cx.sub.facilities(), &self.kinds)?.is_empty() {
            return Ok(Verdict::Holds);
        }
        let (name, place, kinds) = (&self.name, &self.place, self.kinds.join(" / "));
        Ok(Verdict::Violated(Box::new(Violation {
            message: Text {
                zh: format!(
                    "{}未建设{} (facilities 中无 kind: {kinds})",
                    place.zh, name.zh
                ),
                en: format!(
                    "{} has no {} (no facility of kind: {kinds})",
                    place.en, name.en
                ),
            },
            at: vec![match self.status {
                None => "estate".into(),
                Some(_) => "estate.status".into(),
            }],
            inputs: Vec::new(),
            label: Some(Text {
                zh: format!("{}, 无{}", place.zh, name.zh),
                en: format!("{} without {}", place.en, name.en),
            }),
            required: Some(Text {
                zh: format!("至少 1 处 kind 为 {kinds} 的设施"),
                en: format!("at least 1 facility of kind {kinds}"),
            }),
            provided: Some(super::same("0".into())),
        })))
    }
}
