//! The JSON Schema of the submission format, generated from the format
//! table (so it cannot drift from what peitao accepts), with descriptions in
//! Chinese and English, for editors: the YAML language server completes and
//! validates fields with it (`# yaml-language-server: $schema=…`).
//!
//! The schema checks shapes; what it cannot say (a unit's spelling in every
//! case, parts within wholes, unique ids, dates that exist) peitao's own
//! validation still reports.

use super::format::{self, Field, Ty};
use serde_json::{json, Map, Value};

fn describe(f: &Field) -> String {
    format!("{} / {}", f.zh, f.en)
}

fn of_type(ty: Ty) -> Value {
    match ty {
        Ty::Text => json!({ "type": ["string", "number"] }),
        Ty::Count => json!({ "type": "integer", "minimum": 0 }),
        Ty::Year => json!({ "type": "integer", "minimum": 1900, "maximum": 2100 }),
        Ty::Bool => json!({ "type": "boolean" }),
        Ty::Date => json!({ "type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$" }),
        Ty::Month => json!({ "type": "string", "pattern": "^\\d{4}-\\d{2}(-\\d{2})?$" }),
        Ty::Area => json!({
            "anyOf": [
                { "type": "number", "minimum": 0 },
                { "type": "string", "pattern": "^\\s*\\d+(\\.\\d+)?\\s*(万\\s*)?([mM]²|㎡|[mM]2|[sS][qQ][mM]|平方米)?\\s*$" }
            ]
        }),
        Ty::Distance => json!({
            "anyOf": [
                { "type": "number", "minimum": 0 },
                { "type": "string", "pattern": "^\\s*\\d+(\\.\\d+)?\\s*([mM]|米|[kK][mM]|公里)?\\s*$" }
            ]
        }),
        Ty::Percent => json!({
            "anyOf": [
                { "type": "number", "minimum": 0, "maximum": 1 },
                { "type": "string", "pattern": "^\\s*(\\d+(\\.\\d+)?\\s*[%％]|0(\\.\\d+)?|1(\\.0+)?)\\s*$" }
            ]
        }),
        Ty::Level(max) => json!({
            "anyOf": [
                { "type": "integer", "minimum": 1, "maximum": max },
                { "type": "string", "pattern": format!("^\\s*[1-{max}{}]级?(甲等|乙等|丙等|甲|乙|丙)?\\s*$", &"一二三四五"[..3 * usize::from(max)]) }
            ]
        }),
        Ty::Enum(values) => {
            // The Chinese aliases (县级市 for county_city) are valid too.
            let mut all: Vec<&str> = values.to_vec();
            all.extend(format::aliases(values).into_iter().map(|(alias, _)| alias));
            json!({ "enum": all })
        }
        Ty::Nested(fields) => object(fields),
    }
}

fn object(fields: &[Field]) -> Value {
    let mut props = Map::new();
    for f in fields {
        let mut v = of_type(f.ty);
        v["description"] = json!(describe(f));
        props.insert(f.name.to_string(), v);
    }
    json!({ "type": "object", "additionalProperties": false, "properties": props })
}

fn list(fields: &[Field]) -> Value {
    json!({ "type": "array", "items": object(fields) })
}

/// The schema, as pretty-printed JSON.
pub fn submission_schema() -> String {
    let describe_top = |name: &str| {
        format::TOP
            .iter()
            .find(|f| f.name == name)
            .map(describe)
            .unwrap_or_default()
    };
    let mut sections = Map::new();
    sections.insert(
        "version".into(),
        json!({ "const": 1, "description": describe_top("version") }),
    );
    for (name, value) in [
        ("submission", object(format::SUBMISSION)),
        ("estate", object(format::ESTATE)),
        ("facilities", list(format::FACILITY)),
        ("institutions", list(format::INSTITUTION)),
        ("hospitals", list(format::HOSPITAL)),
        ("venues", list(format::VENUE)),
        ("region", object(format::REGION)),
    ] {
        let mut v = value;
        v["description"] = json!(describe_top(name));
        sections.insert(name.into(), v);
    }
    let schema = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "peitao submission, format version 1 / peitao 申报文件格式 (第1版)",
        "description": "A planning submission checked against 一老一小 plans. See docs/submission-format.md.",
        "type": "object",
        "required": ["version"],
        "additionalProperties": false,
        "properties": sections,
    });
    let mut s = serde_json::to_string_pretty(&schema).expect("schema serialises");
    s.push('\n');
    s
}
