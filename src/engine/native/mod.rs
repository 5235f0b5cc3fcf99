//! Templates: the shapes of clause a pack states by the dozen (a region
//! plan's figure against the plan's target, an estate's floor-area
//! standard, a share, a rate per 1,000 …), written once in Rust and
//! instantiated by a rule of a pack's `pack.yaml` with its own figures:
//!
//! ```yaml
//! rules:
//!   nursing-bed-ratio:
//!     template: share
//!     params: { region_part: nursing_beds, region_whole: elderly_beds, percent: 60, … }
//! ```
//!
//! A template lists its parameters; a rule that leaves one out or names one
//! it does not have fails to load. Each template reads the submission
//! typed, through `engine::read` (a [`RecordView`] of the record it judges,
//! a [`SubmissionView`] of the whole file, the pack's [`Tables`]), not
//! through rhai: a field the file leaves out reads as missing, naming its
//! path, so the engine's "cannot be checked" and its trying of each value
//! of a closed set apply as they do to scripts. The helpers below are the
//! host's (`of_kinds`, `sum`, `due_by` …) over typed values, and a template
//! gives the same typed verdicts as a script. One file per template, named
//! after it.

mod allocation;
mod estate_standard;
mod has_facility;
mod keep_pace;
mod one_per;
mod per_county;
mod rate;
mod record_target;
mod share;
mod target;

use super::host;
use super::num::{self, Num};
use super::outcome::{Stop, Verdict};
use super::read::{field, Got, Read, RecordView, SubmissionView, Value};
use super::tables::Tables;
use crate::base::lang::Lang;
use crate::base::text::{both, say, word};
use crate::input::format::{self, ClosedSet, Ty};
use crate::input::{Date, Msg};
use crate::plan::{Entry, Section, Text};
use schemars::{JsonSchema, Schema};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;
use std::sync::OnceLock;

/// What a template sees besides the record it judges: the section the
/// record is of, the whole submission (a script's `s`) and the pack's data
/// tables.
pub struct Cx<'a> {
    pub section: Section,
    pub sub: SubmissionView<'a>,
    pub tables: &'a Tables,
    /// False while the engine tries the values of a missing field of a
    /// closed set (`engine::judge`): it compares a violation's places and
    /// figures (`at`, `required`, `provided`) and sets the rest aside, so a
    /// template may leave its message and label empty then. The engine
    /// asks again, worded, for the violation it keeps.
    pub worded: bool,
}

/// A template built with a rule's params: its verdict on one record.
pub trait Native: Send + Sync {
    fn judge(&self, record: &RecordView, cx: &Cx) -> Result<Verdict, Stop>;
}

/// A rule and the entries (sections, record kinds) it judges.
pub type Built = (Box<dyn Native>, Vec<Entry>);

/// Words in both languages: `{ zh, en }`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Words {
    /// The words in Chinese.
    pub zh: String,
    /// The words in English.
    pub en: String,
}

/// A template's parameters: one struct, read from a rule's `params` by
/// serde (a parameter it does not have, or of the wrong type, is refused)
/// and described by its JSON Schema (its doc comments and defaults make the
/// template reference, `peitao explain` and docs/pack.schema.json). `build`
/// checks what a type cannot say (the fields named are the format's, a
/// figure is in range) and makes the rule.
pub trait Params: DeserializeOwned + JsonSchema {
    fn build(self, pack: &Pack) -> Result<Built, Msg>;
}

/// What a rule's parameters are checked against besides the format: the
/// pack the rule is of.
pub struct Pack<'a> {
    /// The names of the pack's data tables (`data:` in pack.yaml).
    pub tables: &'a [&'a str],
}

impl Pack<'_> {
    /// `name` is a data table of the pack, or why not (with did-you-mean).
    fn table(&self, key: &str, name: String) -> Result<String, Msg> {
        if self.tables.contains(&name.as_str()) {
            return Ok(name);
        }
        Err(hint(
            Msg::new("plan.param-table")
                .arg("key", key)
                .arg("table", &name)
                .names("tables", self.tables),
            &name,
            self.tables,
        ))
    }
}

/// A template: its name, the file it is written in, its parameters' JSON
/// Schema (whose description says what it checks) and how a rule is built
/// from a rule's params.
pub struct NativeTemplate {
    pub name: &'static str,
    pub source: &'static str,
    pub schema: fn() -> Schema,
    /// The rule, and the sections (with the record kinds) it judges, from
    /// a rule's params and the template's own description (its schema and
    /// parameters, made once: [`NativeTemplate::described`]).
    pub build: Build,
}

/// How a template builds a rule from a rule's params, with its own
/// description.
pub type Build =
    fn(&serde_json::Map<String, serde_json::Value>, &Pack, &Described) -> Result<Built, Msg>;

/// A template's parameter schema and the parameters it lists: the same for
/// every rule of the template, so made once per process, not per rule (a
/// pack of 40 rules made them 40 times: a fifth of a cold check's loading).
pub struct Described {
    pub schema: Schema,
    pub params: Vec<Param>,
}

impl NativeTemplate {
    /// A template whose parameters are `P`.
    const fn of<P: Params>(name: &'static str, source: &'static str) -> NativeTemplate {
        NativeTemplate {
            name,
            source,
            schema: schema_of::<P>,
            build: build_from::<P>,
        }
    }

    /// Its schema and parameters, made on first need.
    pub fn described(&'static self) -> &'static Described {
        static DESCRIBED: [OnceLock<Described>; NATIVE.len()] =
            [const { OnceLock::new() }; NATIVE.len()];
        // By name (unique among them): a `const` has no one address.
        let at = NATIVE
            .iter()
            .position(|t| t.name == self.name)
            .expect("a template of NATIVE");
        DESCRIBED[at].get_or_init(|| {
            let schema = (self.schema)();
            let params = params_of(&schema);
            Described { schema, params }
        })
    }

    /// What the template checks: its parameter struct's doc comment.
    pub fn summary(&'static self) -> String {
        one_line(
            self.described()
                .schema
                .get("description")
                .and_then(|d| d.as_str())
                .unwrap_or(""),
        )
    }

    /// Its parameters in alphabetical order.
    pub fn params(&'static self) -> Vec<Param> {
        self.described().params.clone()
    }
}

/// A parameter of a template, as its schema describes it.
#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    /// What it means (its doc comment).
    pub doc: String,
    /// What it is written as (`text`, `a list of text`, `{ zh, en }` …).
    pub form: String,
    /// Its value when left out (as JSON), or none: then it is required.
    pub default: Option<serde_json::Value>,
    /// The records whose field it names (`region`, `facilities` …;
    /// `section`: those of the rule's `section`), where it names one.
    pub field_of: Option<String>,
}

/// The schema of `P`, its definitions (`Words`) under `$defs`.
fn schema_of<P: JsonSchema>() -> Schema {
    schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<P>()
}

/// Text on one line: a doc comment's lines joined.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The parameters a parameter schema lists, in alphabetical order.
fn params_of(schema: &Schema) -> Vec<Param> {
    let root = schema.as_value();
    let required: Vec<&str> = root
        .get("required")
        .and_then(|r| r.as_array())
        .map(|r| r.iter().filter_map(|k| k.as_str()).collect())
        .unwrap_or_default();
    let mut params: Vec<Param> = root
        .get("properties")
        .and_then(|p| p.as_object())
        .map(|props| {
            props
                .iter()
                .map(|(name, prop)| Param {
                    name: name.clone(),
                    doc: one_line(
                        prop.get("description")
                            .and_then(|d| d.as_str())
                            .unwrap_or(""),
                    ),
                    form: form(root, prop),
                    field_of: prop
                        .get("x-field")
                        .and_then(|f| f.as_str())
                        .map(String::from),
                    default: (!required.contains(&name.as_str())).then(|| {
                        prop.get("default")
                            .cloned()
                            .unwrap_or(serde_json::Value::Null)
                    }),
                })
                .collect()
        })
        .unwrap_or_default();
    params.sort_by(|a, b| a.name.cmp(&b.name));
    params
}

/// How a value of `schema` is written, in a few words.
fn form(root: &serde_json::Value, schema: &serde_json::Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(|r| r.as_str()) {
        let name = r.rsplit('/').next().unwrap_or("");
        return match root.pointer(&format!("/$defs/{name}")) {
            Some(_) if name == "Words" => "{ zh, en }".into(),
            Some(def) => form(root, def),
            None => name.into(),
        };
    }
    if let Some(any) = schema.get("anyOf").and_then(|a| a.as_array()) {
        let forms: Vec<String> = any
            .iter()
            .filter(|s| s.get("type").and_then(|t| t.as_str()) != Some("null"))
            .map(|s| form(root, s))
            .collect();
        return forms.join(" or ");
    }
    let ty = match schema.get("type") {
        Some(serde_json::Value::String(t)) => t.as_str(),
        Some(serde_json::Value::Array(ts)) => ts
            .iter()
            .filter_map(|t| t.as_str())
            .find(|t| *t != "null")
            .unwrap_or(""),
        _ => "",
    };
    match ty {
        "string" => "text".into(),
        "number" => "number".into(),
        "integer" => "integer".into(),
        "boolean" => "true or false".into(),
        "array" => {
            if let Some(items) = schema.get("prefixItems").and_then(|p| p.as_array()) {
                let parts: Vec<String> = items.iter().map(|i| form(root, i)).collect();
                format!("list of [{}]", parts.join(", "))
            } else if let Some(items) = schema.get("items") {
                format!("list of {}", form(root, items))
            } else {
                "list".into()
            }
        }
        "object" => match schema.get("properties").and_then(|p| p.as_object()) {
            Some(props) => {
                // Words first, as packs write them: { zh, en, field }.
                let mut names: Vec<&str> = props.keys().map(String::as_str).collect();
                names.sort_by_key(|n| (!matches!(*n, "zh"), !matches!(*n, "en"), *n));
                format!("{{ {} }}", names.join(", "))
            }
            None => "any value".into(),
        },
        _ => "any value".into(),
    }
}

/// The rule `P` states with `params`: unknown and missing parameters are
/// refused first (with the names it has), then a value of the wrong type
/// (naming its parameter, where pack.yaml points), then what `build`
/// checks.
fn build_from<P: Params>(
    params: &serde_json::Map<String, serde_json::Value>,
    pack: &Pack,
    described: &Described,
) -> Result<Built, Msg> {
    let schema = &described.schema;
    check_params(&described.params, params)?;
    let value = serde_json::Value::Object(params.clone());
    let typed: P = serde_path_to_error::deserialize(value).map_err(|e| {
        let key = match e.path().iter().next() {
            Some(serde_path_to_error::Segment::Map { key }) => key.clone(),
            _ => String::new(),
        };
        let in_list = e.path().iter().nth(1).is_some();
        type_error(schema, &key, in_list, e.inner())
    })?;
    typed.build(pack)
}

/// A parameter's value is not of its type: the message of what it must be.
fn type_error(schema: &Schema, key: &str, in_list: bool, e: &serde_json::Error) -> Msg {
    let root = schema.as_value();
    let prop = root
        .pointer(&format!("/properties/{key}"))
        .cloned()
        .unwrap_or_default();
    let form = form(root, &prop);
    let plain = |code| Msg::new(code).arg("key", key);
    match form.as_str() {
        "text" => plain("plan.param-text"),
        "number" => plain("plan.param-number"),
        "integer" => plain("plan.param-year"),
        "{ zh, en }" | "{ zh, en } or text" => {
            plain("plan.param-localized").arg("form", "{ zh, en }")
        }
        "list of text" if in_list => plain("plan.param-list-text"),
        "list of text" => plain("plan.param-list"),
        f if f.starts_with("list of [text, text,") && in_list => plain("plan.param-condition"),
        f if f.starts_with("list of [text, text,") => plain("plan.param-conditions"),
        f if f.starts_with("list of [text, number") => plain("plan.param-bases"),
        _ => plain("plan.param-type")
            .arg("form", form)
            .quote("error", e.to_string()),
    }
}

/// Every template, by name.
pub const NATIVE: &[NativeTemplate] = &[
    NativeTemplate::of::<allocation::AllocationParams>(
        "allocation",
        "src/engine/native/allocation.rs",
    ),
    NativeTemplate::of::<estate_standard::EstateStandardParams>(
        "estate-standard",
        "src/engine/native/estate_standard.rs",
    ),
    NativeTemplate::of::<has_facility::HasFacilityParams>(
        "has-facility",
        "src/engine/native/has_facility.rs",
    ),
    NativeTemplate::of::<keep_pace::KeepPaceParams>("keep-pace", "src/engine/native/keep_pace.rs"),
    NativeTemplate::of::<one_per::OnePerParams>("one-per", "src/engine/native/one_per.rs"),
    NativeTemplate::of::<per_county::PerCountyParams>(
        "per-county",
        "src/engine/native/per_county.rs",
    ),
    NativeTemplate::of::<rate::RateParams>("rate", "src/engine/native/rate.rs"),
    NativeTemplate::of::<record_target::RecordTargetParams>(
        "record-target",
        "src/engine/native/record_target.rs",
    ),
    NativeTemplate::of::<share::ShareParams>("share", "src/engine/native/share.rs"),
    NativeTemplate::of::<target::TargetParams>("target", "src/engine/native/target.rs"),
];

pub fn find(name: &str) -> Option<&'static NativeTemplate> {
    NATIVE.iter().find(|t| t.name == name)
}

/// "; did you mean `x`?" after a name that is not known, or nothing.
fn hint(msg: Msg, name: &str, known: &[&str]) -> Msg {
    match crate::input::did_you_mean(name, known.iter().copied()) {
        Some(best) => msg.phrase("hint", Msg::new("plan.hint").arg("best", best)),
        None => msg.arg("hint", ""),
    }
}

/// The template `name`, or why there is none.
pub fn template(name: &str) -> Result<&'static NativeTemplate, Msg> {
    find(name).ok_or_else(|| {
        let names: Vec<&str> = NATIVE.iter().map(|t| t.name).collect();
        hint(
            Msg::new("plan.unknown-template")
                .arg("name", name)
                .names("names", &names),
            name,
            &names,
        )
    })
}

/// `with` names parameters of the template only, and every one it
/// requires (`name` is the template's, filled in by the caller).
fn check_params(
    params: &[Param],
    with: &serde_json::Map<String, serde_json::Value>,
) -> Result<(), Msg> {
    let known: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
    for key in with.keys() {
        if !known.contains(&key.as_str()) {
            return Err(hint(
                Msg::new("plan.no-param")
                    .arg("key", key)
                    .names("params", &known),
                key,
                &known,
            ));
        }
    }
    let missing: Vec<&Param> = params
        .iter()
        .filter(|p| p.default.is_none() && !with.contains_key(&p.name))
        .collect();
    if !missing.is_empty() {
        // Their names (in Chinese), or their names and what each means (in
        // English, where the docs are).
        let names: Vec<String> = missing.iter().map(|p| format!("`{}`", p.name)).collect();
        let with_docs: Vec<String> = missing
            .iter()
            .map(|p| format!("`{}` ({})", p.name, p.doc))
            .collect();
        return Err(Msg::new("plan.needs-params").both(
            "missing",
            names.join(", "),
            with_docs.join(", "),
        ));
    }
    Ok(())
}

/// The rule template `name` states with `params`: the sections it judges
/// and the rule, or why not (a message about a parameter names it as `key`,
/// for pack.yaml to point at).
pub fn build(
    name: &str,
    params: &serde_json::Map<String, serde_json::Value>,
    pack: &Pack,
) -> Result<Built, Msg> {
    let t = template(name)?;
    (t.build)(params, pack, t.described()).map_err(|why| {
        if matches!(why.key, "plan.no-param" | "plan.needs-params") {
            // Already about the template's parameters.
            why.arg("name", name)
        } else {
            Msg::new("plan.template-build")
                .arg("name", name)
                .phrase("why", why)
        }
    })
}

/// The JSON Schema of pack.yaml (docs/pack.schema.json): the manifest's
/// own structs, with each rule's `params` those of its `template`.
pub fn pack_schema() -> serde_json::Value {
    let mut root = schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<crate::plan::manifest::RawManifest>()
        .to_value();
    root["$id"] = "https://peitao.invalid/pack.schema.json".into();
    root["title"] = "peitao rule pack (pack.yaml)".into();
    let names: Vec<&str> = NATIVE.iter().map(|t| t.name).collect();
    let mut cases = Vec::new();
    for t in NATIVE {
        let mut params = (t.schema)().to_value();
        // The templates' shared definitions (`Words`) go to the root.
        if let Some(serde_json::Value::Object(defs)) =
            params.as_object_mut().and_then(|p| p.remove("$defs"))
        {
            for (name, def) in defs {
                root["$defs"][name] = def;
            }
        }
        if let Some(p) = params.as_object_mut() {
            p.remove("$schema");
            p.remove("title");
        }
        cases.push(serde_json::json!({
            "if": { "properties": { "template": { "const": t.name } }, "required": ["template"] },
            "then": { "properties": { "params": params } }
        }));
    }
    let rule = &mut root["$defs"]["RawRule"];
    // A built-in template, or one of the pack's own in rhai (by its name
    // under `templates:`, or its script `./shape.rhai`).
    let template = &mut rule["properties"]["template"];
    template["anyOf"] = serde_json::json!([
        { "enum": names },
        { "pattern": "^[a-z0-9][a-z0-9-]*$" },
        { "pattern": "\\.rhai$" },
    ]);
    template["examples"] = names.clone().into();
    rule["allOf"] = cases.into();
    // A pack without templates of its own names built-in ones only (a
    // misspelt one is refused by an editor too).
    root["allOf"] = serde_json::json!([{
        "if": { "not": { "required": ["templates"] } },
        "then": { "properties": { "rules": { "additionalProperties": {
            "properties": { "template": { "enum": names } }
        } } } }
    }]);
    // The pack's own templates take names of their own.
    root["properties"]["templates"]["propertyNames"] = serde_json::json!({
        "pattern": "^[a-z0-9][a-z0-9-]*$",
        "not": { "enum": names },
    });
    root
}

/// 0: a figure that is none when left out.
fn zero() -> serde_json::Number {
    0.into()
}

/// A parameter left out, as the reference shows it: its default, or
/// "required".
fn default_shown(p: &Param) -> String {
    match &p.default {
        None => "required".into(),
        Some(serde_json::Value::Null) => "none".into(),
        Some(v) => format!("`{v}`"),
    }
}

/// The table of templates and their parameters as docs/writing-rules.md
/// shows it: from each template's parameter struct.
pub fn templates_table() -> String {
    let mut out = String::new();
    for t in NATIVE {
        out.push_str(&format!(
            "### `{}`\n\n{}\n\n| parameter | written as | if left out | meaning |\n|---|---|---|---|\n",
            t.name,
            t.summary()
        ));
        for p in t.params() {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                p.name,
                p.form,
                default_shown(&p),
                p.doc.replace('|', "\\|")
            ));
        }
        out.push('\n');
    }
    out.trim_end().to_string() + "\n"
}

// Checking a rule's params beyond their types.

/// A text of the params no longer than [`MAX_TEXT`]: what a message
/// repeats for every record stays small.
fn short(key: &str, text: String) -> Result<String, Msg> {
    if text.len() > MAX_TEXT {
        return Err(Msg::new("plan.param-text-long")
            .arg("key", key)
            .arg("bytes", text.len())
            .arg("max", MAX_TEXT));
    }
    Ok(text)
}

/// Words of the params, each no longer than [`MAX_TEXT`].
fn localized(key: &str, words: Words) -> Result<Text, Msg> {
    Ok(Text {
        zh: short(key, words.zh)?,
        en: short(key, words.en)?,
    })
}

/// Words of the params that may be left out.
fn localized_or_none(key: &str, words: Option<Words>) -> Result<Option<Text>, Msg> {
    words.map(|w| localized(key, w)).transpose()
}

/// Words of the params that may be left out (empty words).
fn localized_or_empty(key: &str, words: Option<Words>) -> Result<Text, Msg> {
    Ok(localized_or_none(key, words)?.unwrap_or_default())
}

/// The years a `due` may name: the plans run from 2021 to 2035.
pub const YEARS: std::ops::RangeInclusive<i64> = 2000..=2100;

/// A year of the params (`due`), 0 for none: `due: -5` or `due: 25` would
/// make every plan year late (or none), so it is refused.
fn year(key: &str, year: i64) -> Result<i64, Msg> {
    if year != 0 && !YEARS.contains(&year) {
        return Err(Msg::new("plan.param-year-range")
            .arg("key", key)
            .arg("value", year)
            .arg("from", YEARS.start())
            .arg("to", YEARS.end()));
    }
    Ok(year)
}

/// `msg`, about the parameter `key` (where pack.yaml points), if it does
/// not name one already.
fn about(key: &str, msg: Msg) -> Msg {
    if msg.args.iter().any(|(name, _)| *name == "key") {
        msg
    } else {
        msg.arg("key", key)
    }
}

/// Most entries of a list parameter whose entries are not words of a
/// closed set (`prefixes`, `where`, `otherwise`).
pub const MAX_LIST: usize = 16;
/// Most bases of a `one-per` rule (`[[field, per], …]`).
pub const MAX_BASES: usize = 8;
/// Longest text parameter (a name, a unit, a note), in bytes.
pub const MAX_TEXT: usize = 4096;

/// A list parameter of at most `max` entries.
fn bounded<T>(key: &str, list: Vec<T>, max: usize) -> Result<Vec<T>, Msg> {
    if list.len() > max {
        return Err(Msg::new("plan.param-too-long")
            .arg("key", key)
            .arg("count", list.len())
            .arg("max", max));
    }
    Ok(list)
}

/// A list of at most `max` texts (`prefixes: [黑龙江省, 佳木斯市]`).
fn texts(key: &str, list: Vec<String>, max: usize) -> Result<Vec<String>, Msg> {
    bounded(key, list, max)?
        .into_iter()
        .map(|s| short(key, s))
        .collect()
}

/// A list of words of a closed set, each at most once (`milestones:
/// [planned, acceptance]`): so never longer than the set.
fn words(key: &str, list: Vec<String>, choices: &[&str]) -> Result<Vec<String>, Msg> {
    let list = texts(key, list, choices.len())?;
    for (i, word) in list.iter().enumerate() {
        if !choices.contains(&word.as_str()) {
            return Err(hint(
                Msg::new("plan.param-list-choice")
                    .arg("key", key)
                    .arg("value", word)
                    .names("choices", choices),
                word,
                choices,
            ));
        }
        if list[..i].contains(word) {
            return Err(Msg::new("plan.param-repeated")
                .arg("key", key)
                .arg("value", word));
        }
    }
    Ok(list)
}

/// The record kinds of `section` (`kinds: [childcare]`): words of the
/// format's closed set for the section's `kind`.
fn kinds(key: &str, list: Vec<String>, section: Section) -> Result<Vec<String>, Msg> {
    let choices = match format::closed_set(&format!("{}.kind", section_name(section))) {
        Some(ClosedSet::Words(words)) => words,
        _ => &[],
    };
    words(key, list, choices)
}

/// A section as the format names it (`institutions`).
fn section_name(section: Section) -> &'static str {
    Section::ALL
        .iter()
        .find(|(_, s)| *s == section)
        .map_or("", |(name, _)| name)
}

/// The fields of a section's records, as the format lists them.
fn fields_of(section: Section) -> &'static [format::Field] {
    match section {
        Section::Estate => format::ESTATE,
        Section::Facilities => format::FACILITY,
        Section::Institutions => format::INSTITUTION,
        Section::Hospitals => format::HOSPITAL,
        Section::Venues => format::VENUE,
        Section::Region => format::REGION,
    }
}

/// `name` (a field, or a path into nested records: `indicators.x`) is a
/// field of the records of `section`, and a number when `numeric`.
fn known_field(key: &str, section: Section, name: &str, numeric: bool) -> Result<(), Msg> {
    field_of(key, section, name, numeric).map(|_| ())
}

/// The field `name` of `section`'s records (a number when `numeric`), or
/// why there is none, with did-you-mean.
fn field_of(
    key: &str,
    section: Section,
    name: &str,
    numeric: bool,
) -> Result<&'static format::Field, Msg> {
    let found = format::field_at(&format!("{}.{name}", section_name(section)));
    let is_number = |f: &format::Field| {
        matches!(
            f.ty,
            Ty::Count | Ty::Area | Ty::Distance | Ty::Percent | Ty::Level(_)
        )
    };
    match found {
        Some(f) if !numeric || is_number(f) => Ok(f),
        _ => {
            // Every field a template can read, nested ones by their path
            // (`indicators.x`), for the did-you-mean.
            let mut names: Vec<String> = Vec::new();
            for f in fields_of(section) {
                match f.ty {
                    Ty::Nested(inner) => names.extend(
                        inner
                            .iter()
                            .filter(|g| !numeric || is_number(g))
                            .map(|g| format!("{}.{}", f.name, g.name)),
                    ),
                    _ if !numeric || is_number(f) => names.push(f.name.to_string()),
                    _ => {}
                }
            }
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let what = if numeric {
                "plan.param-number-field"
            } else {
                "plan.param-field"
            };
            Err(hint(
                Msg::new(what)
                    .arg("key", key)
                    .arg("field", name)
                    .arg("section", section_name(section)),
                name,
                &names,
            ))
        }
    }
}
/// Is a field's value a number (what `>=` orders)?
fn is_number_type(ty: Ty) -> bool {
    matches!(
        ty,
        Ty::Count | Ty::Area | Ty::Distance | Ty::Percent | Ty::Level(_) | Ty::Year
    )
}

/// A value of the params a template compares a field with (`where`,
/// `otherwise`, `figure` of `record-target`), typed.
#[derive(Clone, Debug)]
enum Scalar {
    Num(Figure),
    Bool(bool),
    Text(String),
    /// Anything else pack.yaml may write (a list, a map, null): never of
    /// a field's type, kept as a script would print it.
    Other(String),
}

impl Scalar {
    /// A value of the params, read as a script reads it (`4.5` is exactly
    /// 4.5), or why it cannot be read.
    fn of(key: &str, value: &serde_json::Value) -> Result<Scalar, Msg> {
        let read = num::param(value)
            .map_err(|e| Msg::new("plan.params").quote("error", e).arg("key", key))?;
        Ok(match (value, read.num) {
            (serde_json::Value::Bool(b), _) => Scalar::Bool(*b),
            (serde_json::Value::String(s), _) => Scalar::Text(s.clone()),
            (serde_json::Value::Number(_), Some(n)) => Scalar::Num(Figure {
                value: n,
                shown: read.shown,
            }),
            _ => Scalar::Other(read.shown),
        })
    }

    fn text(&self) -> Option<&str> {
        match self {
            Scalar::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// A value of the params as a message prints it.
impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Num(n) => write!(f, "{n}"),
            Scalar::Bool(b) => write!(f, "{b}"),
            Scalar::Text(t) => f.write_str(t),
            Scalar::Other(shown) => f.write_str(shown),
        }
    }
}

/// A value as pack.yaml writes it: text in quotes (`"10"`), else as is.
fn written(v: &Scalar) -> String {
    match v.text() {
        Some(s) => format!("\"{s}\""),
        None => v.to_string(),
    }
}

/// A value a template compares the field `field` (of type `ty`) with is of
/// the field's type: a number for a number field (`"10"` for `staff` would
/// never equal 10), `true` or `false` for a yes/no field, one of the words
/// of a closed set (a misspelt word would never match), text for text.
fn value_fits(key: &str, field: &str, ty: Ty, value: &Scalar) -> Result<(), Msg> {
    let base = |what: &'static str| {
        Msg::new(what)
            .arg("key", key)
            .arg("field", field)
            .arg("value", written(value))
    };
    match ty {
        _ if is_number_type(ty) => {
            if let Scalar::Num(_) = value {
                return Ok(());
            }
            let quoted = value
                .text()
                .is_some_and(|s| s.trim().parse::<f64>().is_ok());
            Err(if quoted {
                base("plan.param-value-number").phrase("hint", Msg::new("plan.param-unquote.hint"))
            } else {
                base("plan.param-value-number").arg("hint", "")
            })
        }
        Ty::Bool if matches!(value, Scalar::Bool(_)) => Ok(()),
        Ty::Bool => Err(base("plan.param-value-bool")),
        Ty::Enum(words) => match value.text() {
            Some(w) if words.contains(&w) => Ok(()),
            Some(w) => Err(hint(
                base("plan.param-value-word").names("choices", words),
                w,
                words,
            )),
            None => Err(hint(
                base("plan.param-value-word").names("choices", words),
                "",
                &[],
            )),
        },
        Ty::Text | Ty::Date | Ty::Month if value.text().is_some() => Ok(()),
        Ty::Text | Ty::Date | Ty::Month => Err(base("plan.param-value-text")),
        _ => Err(Msg::new("plan.param-value-nested")
            .arg("key", key)
            .arg("field", field)),
    }
}

/// `op` may compare a field of type `ty`: ordering needs numbers.
fn op_fits(key: &str, field: &str, ty: Ty, ordering: bool, op: &str) -> Result<(), Msg> {
    if ordering && !is_number_type(ty) {
        return Err(Msg::new("plan.param-order-op")
            .arg("key", key)
            .arg("field", field)
            .arg("op", op));
    }
    Ok(())
}

/// A parameter naming a field of `section`'s records (a number when
/// `numeric`), refused at load when the format has no such field: a
/// misspelt field would leave the rule "cannot be checked" on every file.
/// `""` stands for none where `optional`.
fn field_param(key: &str, name: String, section: Section, numeric: bool) -> Result<String, Msg> {
    let name = short(key, name)?;
    known_field(key, section, &name, numeric)?;
    Ok(name)
}

/// A parameter naming a field that may be left out: `""` for none.
fn field_param_or_none(
    key: &str,
    name: Option<String>,
    section: Section,
    numeric: bool,
) -> Result<String, Msg> {
    name.map_or(Ok(String::new()), |n| field_param(key, n, section, numeric))
}

/// `op` is none of the comparisons a template takes (`ops`).
fn unknown_op(op: &str, ops: &[&str]) -> Msg {
    let (zh, en) = or_words(ops);
    Msg::new("plan.unknown-op")
        .arg("op", op)
        .both("ops", zh, en)
}

/// `a`, `b` or `c`, in both languages (in Chinese each between backticks).
fn or_words(words: &[&str]) -> (String, String) {
    let (zh, en): (Vec<String>, Vec<String>) = words
        .iter()
        .map(|w| (format!("`{w}`"), w.to_string()))
        .unzip();
    let join = |all: &[String], lang: Lang| match all {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => say(
            &Msg::new("template.or")
                .arg("init", init.join(word("template.comma", lang)))
                .arg("last", last),
            lang,
        ),
    };
    (join(&zh, Lang::Zh), join(&en, Lang::En))
}

/// A list of values in `lang` (`a、b` or `a, b`).
fn listed(items: &[String], lang: Lang) -> String {
    items.join(word("template.comma", lang))
}

/// A parameter is none of the words it may be (`choices`).
fn not_one_of(key: &str, value: &str, choices: &[&str]) -> Msg {
    let (zh, en) = or_words(choices);
    hint(
        Msg::new("plan.param-choice")
            .arg("key", key)
            .arg("value", value)
            .both("choices", zh, en),
        value,
        choices,
    )
}

/// A text parameter that is one of `choices` (`status: new`).
fn one_of(key: &str, value: String, choices: &[&str]) -> Result<String, Msg> {
    if !choices.contains(&value.as_str()) {
        return Err(not_one_of(key, &value, choices));
    }
    Ok(value)
}

/// A figure of the params: its exact value, and the way the plan's
/// messages print it (as written in pack.yaml: `35`, `4.5`).
#[derive(Clone, Debug)]
struct Figure {
    value: Num,
    shown: String,
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

/// A number of the params as a figure: read as scripts read numbers (so
/// `4.5` is exactly 4.5) and printed as written.
fn figure(key: &str, n: &serde_json::Number) -> Result<Figure, Msg> {
    num::param(&serde_json::Value::Number(n.clone()))
        .ok()
        .and_then(|read| {
            Some(Figure {
                value: read.num?,
                shown: read.shown,
            })
        })
        .ok_or_else(|| Msg::new("plan.param-number").arg("key", key))
}

/// A figure of 0 or more: a count, an area or a share the plan sets. A
/// negative one would hold for every file (“at least -5 m²”).
fn non_negative(key: &str, n: &serde_json::Number) -> Result<Figure, Msg> {
    let figure = figure(key, n)?;
    if figure.value.compare(Num::ZERO).is_some_and(|o| o.is_lt()) {
        return Err(Msg::new("plan.param-negative")
            .arg("key", key)
            .arg("value", &figure));
    }
    Ok(figure)
}

/// A percentage from 0 to 100, as the plans write shares (95 for 95%).
fn percent(key: &str, n: &serde_json::Number) -> Result<Figure, Msg> {
    let figure = non_negative(key, n)?;
    if figure
        .value
        .compare(Num::int(100))
        .is_some_and(|o| o.is_gt())
    {
        return Err(Msg::new("plan.param-percent")
            .arg("key", key)
            .arg("value", &figure));
    }
    Ok(figure)
}

/// A figure more than 0: what a template divides by, or counts per.
fn positive(key: &str, n: &serde_json::Number) -> Result<Figure, Msg> {
    let figure = figure(key, n)?;
    if !is_positive(figure.value) {
        return Err(Msg::new("plan.param-positive")
            .arg("key", key)
            .arg("value", &figure));
    }
    Ok(figure)
}

fn is_positive(n: Num) -> bool {
    n.compare(Num::ZERO).is_some_and(|o| o.is_gt())
}

/// A figure, the same in both languages (`required`, `provided`).
fn same(figure: String) -> Text {
    Text {
        zh: figure.clone(),
        en: figure,
    }
}

/// The entry of a section, for the records of `kinds` (`None`: every
/// record). A record of another kind is not applicable without a call; a
/// record without `kind` is judged (it cannot be placed).
fn entry(section: Section, kinds: Option<Vec<String>>) -> Entry {
    Entry {
        section,
        arity: 2,
        kinds,
    }
}

/// The entry of the records of `kinds`; none for no kinds.
fn entry_of_kinds(section: Section, kinds: &[String]) -> Option<Entry> {
    (!kinds.is_empty()).then(|| entry(section, Some(kinds.to_vec())))
}

// Reading the submission, as a script reads it: through `engine::read`,
// typed; a missing value stops the rule where a script's use of it would.

/// A known number: a missing value stops the rule.
fn known_num(v: Got, what: &str) -> Read<Num> {
    v?.num()
        .ok_or_else(|| Stop::said(Msg::new("template.not-a-number").arg("what", what)))
}

/// `r[name]` as a number.
fn num_field(record: &RecordView, name: &str) -> Read<Num> {
    known_num(record.get(name), name)
}

/// Is `v` the text `word`? A missing value stops the rule.
fn is_text(v: Got, word: &str) -> Read<bool> {
    Ok(v?.text().is_some_and(|s| s == word))
}

/// `r.kind in kinds`: the record's kind (read, so a missing one stops the
/// rule), when it is one of `kinds`.
fn kind_in(record: &RecordView, kinds: &[String]) -> Read<Option<String>> {
    Ok(match record.get("kind")? {
        Value::Text(k) if kinds.iter().any(|w| w == k) => Some(k.to_string()),
        _ => None,
    })
}

/// A field of a record, following nested records (`indicators.x`); the
/// first missing record or field stops the rule.
fn read_path<'a>(record: &RecordView<'a>, path: &str) -> Read<Value<'a>> {
    record.at(path)
}

fn read_num(record: &RecordView, path: &str) -> Read<Num> {
    read_path(record, path)?
        .num()
        .ok_or_else(|| Stop::said(Msg::new("template.not-a-number").arg("what", path)))
}

/// `of_kinds(records, kinds)`: the records whose `kind` is one of `kinds`.
/// Every record's kind is read, so one without a kind stops the rule even
/// when another is of the kinds.
fn of_kinds<'a>(list: &[RecordView<'a>], kinds: &[String]) -> Read<Vec<RecordView<'a>>> {
    let mut out = Vec::new();
    for item in list {
        let k = item.get("kind")?.to_string();
        if kinds.contains(&k) {
            out.push(item.clone());
        }
    }
    Ok(out)
}

/// `sum(records, field)`: exact, and stops on a missing value.
fn sum(list: &[RecordView], name: &str) -> Read<Num> {
    let mut total = Num::ZERO;
    for item in list {
        let n = item
            .get(name)?
            .num()
            .ok_or_else(|| Stop::said(Msg::new("engine.sum-not-a-number").arg("name", name)))?;
        total = total
            .add(n)
            .ok_or_else(|| Stop::said(Msg::new("engine.sum-overflow")))?;
    }
    Ok(total)
}

/// `paths(records, field)`: `facilities[0].floor_area`, … for each.
fn paths(list: &[RecordView], name: &str) -> Vec<String> {
    list.iter()
        .map(|item| format!("{}.{name}", item.path()))
        .collect()
}

/// Is the region's plan year before `due`, the year its target is due
/// (docs/readings.md R3)? Never when `due` is 0 or less. The year is read
/// only then.
fn early(region: &RecordView, due: i64) -> Read<bool> {
    if due <= 0 {
        return Ok(false);
    }
    let year = region
        .get("year")?
        .num()
        .ok_or_else(|| Stop::said(Msg::new("engine.due-by-year")))?;
    Ok(year.compare(Num::int(due)).is_some_and(|o| o.is_lt()))
}

/// `due_by(|| judge(), region, due)`: see `host::due_by`.
fn due_by(
    region: &RecordView,
    due: i64,
    judge: impl FnOnce() -> Result<Verdict, Stop>,
) -> Result<Verdict, Stop> {
    host::due_by(
        judge(),
        |stop| matches!(stop, Stop::Missing(_)),
        || early(region, due),
    )
}

/// `not_later(a, b)`: is date `a` on or before date `b`? A month counts as
/// its last day; a missing one stops the rule.
fn not_later(a: &Got, b: &Got) -> Read<bool> {
    let date = |v: &Got| -> Read<Date> {
        match v.clone()? {
            Value::Date(d) => Ok(d),
            Value::Text(t) => host::parse_date(t),
            other => Err(Stop::said(
                Msg::new("engine.not-later-not-a-date").arg("found", other.type_name()),
            )),
        }
    };
    let (a, b) = (date(a)?, date(b)?);
    Ok(a.not_later_than(&b))
}

/// `late_milestones(f, e, milestones)`: the milestones at which the
/// facility's `schedule` is later than the estate's (see `host::late_of`),
/// with both dates.
fn late_milestones<'a>(
    facility: &RecordView<'a>,
    estate: &RecordView<'a>,
    milestones: &[String],
) -> Read<Vec<host::Late<Value<'a>>>> {
    host::late_of(milestones, |m| {
        let mine = field(&facility.get("schedule"), m)?;
        let theirs = field(&estate.get("schedule"), m)?;
        let in_time = not_later(&mine, &theirs)?;
        Ok((in_time, mine?, theirs?))
    })
}

// Exact arithmetic, as scripts do it: an overflow is a rule error.

fn calc(op: &str, a: Num, b: Num) -> Result<Num, Stop> {
    num::checked(op, a, b)
}

fn order(a: Num, b: Num) -> Result<Ordering, Stop> {
    num::order(a, b)
}

/// `a >= b`.
fn at_least(a: Num, b: Num) -> Result<bool, Stop> {
    Ok(order(a, b)?.is_ge())
}

/// A count against its base, scaled (a share in %, a rate per 1,000):
/// `count × scale / base` must reach `least`. A base of 0 has nothing to
/// measure (not applicable); reaching `least` holds; else the figures of
/// the shortfall.
fn short_of(
    record: &RecordView,
    count: &str,
    base: &str,
    scale: Num,
    least: Num,
) -> Result<Result<Shortfall, Verdict>, Stop> {
    let base = num_field(record, base)?;
    if base.is_zero() {
        return Ok(Err(Verdict::NotApplicable));
    }
    let count = num_field(record, count)?;
    let ratio = calc("/", calc("*", count, scale)?, base)?;
    if at_least(ratio, least)? {
        return Ok(Err(Verdict::Holds));
    }
    Ok(Ok(Shortfall {
        count,
        base,
        shown: num::written_apart(ratio, least),
    }))
}

/// What [`short_of`] found short: the count, its base, and the ratio as
/// written beside the figure it misses.
struct Shortfall {
    count: Num,
    base: Num,
    shown: String,
}

/// `max(a, b)`.
fn max(a: Num, b: Num) -> Result<Num, Stop> {
    Ok(if at_least(a, b)? { a } else { b })
}

/// How a value compares with a figure: >=, >, <= or <.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    AtLeast,
    MoreThan,
    AtMost,
    LessThan,
}

impl Op {
    fn parse(s: &str) -> Result<Op, Msg> {
        Ok(match s {
            ">=" => Op::AtLeast,
            ">" => Op::MoreThan,
            "<=" => Op::AtMost,
            "<" => Op::LessThan,
            other => return Err(unknown_op(other, &[">=", ">", "<=", "<"])),
        })
    }
    fn holds(self, o: Ordering) -> bool {
        match self {
            Op::AtLeast => o.is_ge(),
            Op::MoreThan => o.is_gt(),
            Op::AtMost => o.is_le(),
            Op::LessThan => o.is_lt(),
        }
    }
    fn symbol(self) -> &'static str {
        match self {
            Op::AtLeast => ">=",
            Op::MoreThan => ">",
            Op::AtMost => "<=",
            Op::LessThan => "<",
        }
    }
    /// What a target wants, in words: "at least".
    fn wanted(self) -> Text {
        both(&Msg::new(match self {
            Op::AtLeast => "template.op.at-least",
            Op::MoreThan => "template.op.more-than",
            Op::AtMost => "template.op.at-most",
            Op::LessThan => "template.op.less-than",
        }))
    }
}

#[cfg(test)]
mod tests;
