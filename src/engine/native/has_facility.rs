//! `has-facility`: 配套托育服务设施覆盖所有新建住宅小区; 每个社区建有一处
//! 日间照料室: an estate has a facility of the kinds.

use super::*;
use crate::engine::outcome::{Stop, Verdict, Violation};
use crate::input::format::termed;
use crate::input::Msg;
use crate::plan::{Section, Text};
use schemars::JsonSchema;
use serde::Deserialize;

/// An estate (of `status`, or any) has at least one facility of `kinds`
/// (配套托育服务设施覆盖所有新建住宅小区; 每个社区建有一处日间照料室).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HasFacilityParams {
    /// The facility kinds that count.
    kinds: Vec<String>,
    /// The facility.
    name: Words,
    /// The estate as the plan calls it (新建住宅小区).
    place: Words,
    /// The estate status it is for: new, existing or any.
    status: String,
}

struct HasFacility {
    /// `None` for any estate.
    status: Option<String>,
    kinds: Vec<String>,
    name: Text,
    place: Text,
}

impl Params for HasFacilityParams {
    fn build(self, _pack: &Pack) -> Result<Built, Msg> {
        let status = one_of("status", self.status, &["new", "existing", "any"])?;
        let rule = HasFacility {
            status: (status != "any").then_some(status),
            kinds: kinds("kinds", self.kinds, Section::Facilities)?,
            name: localized("name", self.name)?,
            place: localized("place", self.place)?,
        };
        Ok((Box::new(rule), vec![entry(Section::Estate, None)]))
    }
}

impl HasFacility {}

impl Native for HasFacility {
    fn judge(&self, e: &RecordView, cx: &Cx) -> Result<Verdict, Stop> {
        if let Some(status) = &self.status {
            if !is_text(e.get("status"), status)? {
                return Ok(Verdict::NotApplicable);
            }
        }
        if !of_kinds(&cx.sub.facilities(), &self.kinds)?.is_empty() {
            return Ok(Verdict::Holds);
        }
        let (name, place) = (&self.name, &self.place);
        let kinds_zh = self
            .kinds
            .iter()
            .map(|k| termed(k))
            .collect::<Vec<_>>()
            .join(" / ");
        let kinds = (kinds_zh, self.kinds.join(" / "));
        Ok(Verdict::Violated(Box::new(Violation {
            message: both(
                &Msg::new("template.has-facility.none")
                    .text("place", place)
                    .text("name", name)
                    .both("kinds", kinds.0.clone(), kinds.1.clone()),
            ),
            at: vec![match self.status {
                None => "estate".into(),
                Some(_) => "estate.status".into(),
            }],
            inputs: Vec::new(),
            label: Some(both(
                &Msg::new("template.has-facility.label")
                    .text("place", place)
                    .text("name", name),
            )),
            required: Some(both(
                &Msg::new("template.has-facility.required").both("kinds", kinds.0, kinds.1),
            )),
            provided: Some(super::same("0".into())),
        })))
    }
}
