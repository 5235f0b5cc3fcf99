//! `allocation`: 专栏3 托位分解表, 专栏4 养老床位分解表: a region reaches the
//! figure a table of the plan allocates to it for the year.

use super::{
    at_least, entry, field_param, listed, localized, num_field, short, texts, Built, Cx, Native,
    Pack, Params, RecordView, Words,
};
use crate::base::lang::Lang;
use crate::base::text::both;
use crate::engine::helpers::normalize_name;
use crate::engine::outcome::{Stop, Verdict, Violation};
use crate::engine::tables::{Row, Tables};
use crate::input::Msg;
use crate::plan::{Section, Text};
use schemars::JsonSchema;
use serde::Deserialize;

/// A region named in a table of the plan (the whole city or a district),
/// in a year the table gives, has at least the table's figure of `field`.
/// Names are matched as docs/readings.md R6 says: spaces ignored, then the
/// province and the city's name before a district dropped; the whole city
/// by `whole_city` or by the city's name alone. A name that is no row of
/// the table cannot be checked (never silence): the rows cover the whole
/// city.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationParams {
    /// The table as the plan names it (专栏4).
    column: String,
    /// The region's field compared.
    #[schemars(extend("x-field" = "region"))]
    field: String,
    /// What is counted.
    name: Words,
    /// Names that may stand before a district, longest first (["黑龙江省", "佳木斯市", "佳木斯"]).
    #[serde(default)]
    prefixes: Vec<String>,
    /// The pack's data table (region column, then one column per year).
    table: String,
    /// The row of the whole city (全市).
    whole_city: String,
}

struct Allocation {
    table: String,
    field: String,
    column: String,
    name: Text,
    whole_city: String,
    prefixes: Vec<String>,
}

impl Params for AllocationParams {
    fn build(self, pack: &Pack) -> Result<Built, Msg> {
        let rule = Allocation {
            table: pack.table("table", short("table", self.table)?)?,
            field: field_param("field", self.field, Section::Region, true)?,
            column: short("column", self.column)?,
            name: localized("name", self.name)?,
            whole_city: short("whole_city", self.whole_city)?,
            prefixes: texts("prefixes", self.prefixes, super::MAX_LIST)?,
        };
        Ok((Box::new(rule), vec![entry(Section::Region, None)]))
    }
}

impl Allocation {
    /// The row of the table whose `region` is `name` (the last, if several
    /// are), and the names of every row.
    fn row<'t>(
        &self,
        tables: &'t Tables,
        name: &str,
    ) -> Result<(Option<&'t Row>, Vec<String>), Stop> {
        let rows = tables
            .rows(&self.table)
            .ok_or_else(|| Stop::said(Msg::new("engine.no-table").arg("name", &self.table)))?;
        let mut found = None;
        let mut names = Vec::new();
        for row in rows {
            let region = row.get("region");
            if region.and_then(|r| r.text()) == Some(name) {
                found = Some(row);
            }
            names.push(region.map_or(String::new(), |r| r.to_string()));
        }
        Ok((found, names))
    }
}

impl Native for Allocation {
    fn judge(&self, r: &RecordView, cx: &Cx) -> Result<Verdict, Stop> {
        let written = r.get("name")?;
        let written = written.text().ok_or_else(|| {
            let t = written.type_name();
            Stop::said(Msg::new("template.allocation.name-not-text").arg("type", t))
        })?;
        // 黑龙江省佳木斯市郊区 is 郊区; 佳木斯市 alone is the whole city.
        let mut name = normalize_name(&written);
        for prefix in &self.prefixes {
            if let Some(rest) = name.strip_prefix(prefix.as_str()) {
                name = rest.to_string();
            }
        }
        if name.is_empty() {
            name = self.whole_city.clone();
        }
        let (row, rows) = self.row(cx.tables, &name)?;
        let Some(row) = row else {
            let column = &self.column;
            return Ok(Verdict::Unchecked(
                "region.name".into(),
                Some(both(
                    &Msg::new("template.allocation.no-row")
                        .arg("written", &written)
                        .arg("column", column)
                        .both("rows", listed(&rows, Lang::Zh), listed(&rows, Lang::En)),
                )),
            ));
        };
        let year = r.get("year")?.to_string();
        let Some(target) = row.get(year.as_str()) else {
            return Ok(Verdict::NotApplicable);
        };
        let have = num_field(r, &self.field)?;
        let figure = target.num().ok_or_else(|| {
            Stop::said(
                Msg::new("template.allocation.not-a-number")
                    .arg("year", &year)
                    .arg("table", &self.table),
            )
        })?;
        if at_least(have, figure)? {
            return Ok(Verdict::Holds);
        }
        let (target, column, name) = (target.to_string(), &self.column, &self.name);
        Ok(Verdict::Violated(Box::new(Violation {
            message: both(
                &Msg::new("template.allocation.short")
                    .arg("written", &written)
                    .arg("have", have)
                    .text("name", name)
                    .arg("year", &year)
                    .arg("target", &target)
                    .arg("column", column),
            ),
            at: vec![self.field.clone()],
            inputs: vec!["name".into(), "year".into()],
            label: Some(both(
                &Msg::new("template.allocation.target").arg("target", &target),
            )),
            required: Some(super::same(format!(">= {target}"))),
            provided: Some(super::same(have.to_string())),
        })))
    }
}
