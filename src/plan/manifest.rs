//! `pack.yaml`: what a pack says about its plan. Facts the plan's text does
//! not give are left out (shown as unknown), never invented.

use crate::input::Date;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawManifest {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub document_number: Option<String>,
    #[serde(default)]
    pub issuer: Option<String>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub dated: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub published: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub in_force_from: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub in_force_until: Option<Spanned<String>>,
    #[schemars(with = "String")]
    pub seed: Spanned<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Data tables: name → CSV file beside the manifest.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    pub data: BTreeMap<String, Spanned<String>>,
    /// Anything a reader should know about the pack's sources.
    #[serde(default)]
    pub notes: Option<String>,
    /// The id of a built-in pack this one takes the place of; without it, a
    /// pack may not reuse another loaded pack's id or aliases.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub replaces: Option<Spanned<String>>,
    /// Rules stated by their parameters over a shared template: name (the
    /// part of the id after the pack's) → the rule.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawRule>")]
    pub rules: BTreeMap<String, Spanned<RawRule>>,
    /// Templates of this pack, written in rhai: name → the script that
    /// implements it and its typed parameters. A rule uses one with
    /// `template: NAME` (or `template: ./shape.rhai`) and `params:`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawTemplate>")]
    pub templates: BTreeMap<String, Spanned<RawTemplate>>,
}

/// A template of the pack, written in rhai: its script (beside pack.yaml,
/// e.g. `./shape.rhai`, or under a folder of the pack) defines the section
/// functions a rule script defines (`fn facility(f)`, …) and reads its
/// rule's parameters as the constant map `params` (`params.figure`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTemplate {
    /// The rhai file, relative to pack.yaml.
    #[schemars(with = "String")]
    pub script: Spanned<String>,
    /// What the template checks.
    #[serde(default)]
    pub doc: Option<String>,
    /// Its parameters: name → type, default and meaning.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawTemplateParam>")]
    pub params: BTreeMap<String, Spanned<RawTemplateParam>>,
}

/// A parameter of a rhai template.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTemplateParam {
    #[serde(rename = "type")]
    pub ty: ParamType,
    /// For `type: field`: the section whose field it names (`facilities`,
    /// `estate`, `institutions`, `hospitals`, `venues`, `region`).
    #[serde(default)]
    pub section: Option<String>,
    /// Its value when a rule leaves it out; without one, every rule must
    /// give it.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub default: Option<Spanned<serde_json::Value>>,
    /// What it means.
    #[serde(default)]
    pub doc: Option<String>,
}

/// The type of a rhai template's parameter.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ParamType {
    /// Text.
    Text,
    /// An exact decimal number (`10`, `"0.35"`).
    Number,
    /// A whole number.
    Integer,
    /// `true` or `false`.
    Bool,
    /// Words in both languages: `{ zh: …, en: … }`.
    Words,
    /// The name of a field of the submission format, in the parameter's
    /// `section`.
    Field,
    /// A list of text.
    List,
}

impl ParamType {
    /// As pack.yaml writes it (`type: number`).
    pub fn as_str(self) -> &'static str {
        match self {
            ParamType::Text => "text",
            ParamType::Number => "number",
            ParamType::Integer => "integer",
            ParamType::Bool => "bool",
            ParamType::Words => "words",
            ParamType::Field => "field",
            ParamType::List => "list",
        }
    }
}

/// What a run reads of every pack before it loads any: its id and the
/// built-in pack it replaces. Every other key, `rules:`
/// (most of a pack) above all, is skipped unread.
#[derive(Debug, Deserialize)]
pub struct RawHead {
    pub id: Spanned<String>,
    #[serde(default)]
    pub replaces: Option<Spanned<String>>,
}

/// A rule of `pack.yaml`: a clause, and the template and figures that
/// check it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    #[schemars(with = "String")]
    pub severity: Spanned<String>,
    pub title: RawText,
    /// Where the clause is in the plan (`三、1.加强设施规划布局`).
    pub section: String,
    /// The plan's words, verbatim from the seed.
    #[schemars(with = "String")]
    pub clause: Spanned<String>,
    /// Other clauses stating the same obligation (a figure the plan
    /// restates): the rule is the one check of them all, and a finding
    /// cites each.
    #[serde(default)]
    pub also: Vec<RawCitation>,
    /// What the rule checks, in the format's field names, and why its
    /// severity and scope (with the readings it follows).
    pub checks: String,
    #[schemars(with = "String")]
    pub template: Spanned<String>,
    /// The template's parameters, each with where its value is written
    /// (a parameter that is refused is pointed at).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub params: BTreeMap<String, Spanned<serde_json::Value>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub in_force_from: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub in_force_until: Option<Spanned<String>>,
}

/// A further clause a rule cites: where it is, and its words.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCitation {
    pub section: String,
    /// The plan's words, verbatim from the seed.
    #[schemars(with = "String")]
    pub clause: Spanned<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawText {
    pub zh: String,
    pub en: String,
}

/// A date of the manifest, with where it was written.
#[derive(Clone, Debug)]
pub struct DateAt {
    pub value: Date,
    pub offset: usize,
}

#[derive(Debug)]
pub struct Manifest {
    pub id: String,
    pub title: String,
    pub document_number: Option<String>,
    pub issuer: Option<String>,
    pub dated: Option<DateAt>,
    pub published: Option<DateAt>,
    pub in_force_from: Option<DateAt>,
    pub in_force_until: Option<DateAt>,
    pub aliases: Vec<String>,
    pub notes: Option<String>,
    /// The built-in plan this pack stands in for in this run (a pack that
    /// names one that is not built in is refused at load).
    pub replaces: Option<String>,
}

impl Manifest {
    /// "2023-01-07 – (no end date)", or unknown: then no date restricts it.
    pub fn in_force_text(&self, lang: super::Lang) -> String {
        let zh = lang == super::Lang::Zh;
        match (&self.in_force_from, &self.in_force_until) {
            (None, None) if zh => "未知 (原文未载明), 任何日期均适用".into(),
            (None, None) => "unknown (the plan's text does not say); applied at any date".into(),
            (from, until) => format!(
                "{} – {}",
                from.as_ref().map_or("?".into(), |d| d.value.to_string()),
                until.as_ref().map_or_else(
                    || if zh {
                        "(未定终止日期)".into()
                    } else {
                        "(no end date)".into()
                    },
                    |d| d.value.to_string()
                )
            ),
        }
    }
}
