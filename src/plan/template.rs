//! A pack's templates written in rhai: each rule's `params` checked against
//! the types its template declares in pack.yaml (unknown, missing and
//! mistyped parameters refused, field names checked against the submission
//! format), before the engine runs the template with them.

use super::manifest::{ParamType, RawTemplate};
use super::{ParamValue, Text};
use crate::base::num::Num;
use crate::input::Msg;
use serde_json::Value;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

/// Most entries in a list parameter, and bytes in a text one.
const MAX_LIST: usize = 1_000;
const MAX_TEXT: usize = 10_000;

/// A problem of a rule's parameters: the parameter it is about (none: the
/// rule's `template:` line), and what is wrong.
pub type Problem = (Option<String>, Msg);

/// A rule's parameters, each checked against its declaration, defaults
/// filled in; or every problem, each with the parameter it is about (none:
/// the rule's `template:` line).
pub fn check_params(
    name: &str,
    template: &RawTemplate,
    given: &BTreeMap<String, Spanned<Value>>,
) -> Result<Vec<(String, ParamValue)>, Vec<Problem>> {
    let known: Vec<&str> = template.params.keys().map(String::as_str).collect();
    let mut problems = Vec::new();
    for key in given.keys() {
        if !template.params.contains_key(key) {
            problems.push((
                Some(key.clone()),
                hint(
                    Msg::new("plan.no-param")
                        .arg("name", name)
                        .arg("key", key)
                        .names("params", &known),
                    key,
                    &known,
                ),
            ));
        }
    }
    let mut missing = Vec::new();
    let mut values = Vec::new();
    for (key, decl) in &template.params {
        let decl = &decl.value;
        let value = match (given.get(key), &decl.default) {
            (Some(v), _) => &v.value,
            (None, Some(d)) => &d.value,
            (None, None) => {
                missing.push(key.as_str());
                continue;
            }
        };
        match typed(key, decl.ty, decl.section.as_deref(), value) {
            Ok(v) => values.push((key.clone(), v)),
            Err(why) => problems.push((given.contains_key(key).then(|| key.clone()), why)),
        }
    }
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
        let with_docs: Vec<String> = missing
            .iter()
            .map(|k| match &template.params[*k].value.doc {
                Some(doc) => format!("`{k}` ({})", doc.trim()),
                None => format!("`{k}`"),
            })
            .collect();
        problems.push((
            None,
            Msg::new("plan.needs-params").arg("name", name).both(
                "missing",
                names.join(", "),
                with_docs.join(", "),
            ),
        ));
    }
    if problems.is_empty() {
        Ok(values)
    } else {
        Err(problems)
    }
}

/// A declaration that cannot be met: a `field` parameter without a known
/// `section`. Pointed at the parameter's declaration.
pub fn check_declaration(key: &str, ty: ParamType, section: Option<&str>) -> Result<(), Msg> {
    match (ty, section) {
        (ParamType::Field, Some(s)) if !SECTIONS.contains(&s) => {
            Err(Msg::new("plan.param-section")
                .arg("key", key)
                .arg("section", s)
                .names("sections", SECTIONS))
        }
        (ParamType::Field, None) => Err(Msg::new("plan.param-section")
            .arg("key", key)
            .arg("section", "")
            .names("sections", SECTIONS)),
        _ => Ok(()),
    }
}

/// The sections a `field` parameter can name a field of.
const SECTIONS: &[&str] = &[
    "estate",
    "facilities",
    "institutions",
    "hospitals",
    "venues",
    "region",
];

/// The fields of a section, for a did-you-mean.
fn fields_of(section: &str) -> &'static [crate::input::format::Field] {
    use crate::input::format::*;
    match section {
        "estate" => ESTATE,
        "facilities" => FACILITY,
        "institutions" => INSTITUTION,
        "hospitals" => HOSPITAL,
        "venues" => VENUE,
        "region" => REGION,
        _ => &[],
    }
}

fn hint(msg: Msg, name: &str, known: &[&str]) -> Msg {
    match crate::input::did_you_mean(name, known.iter().copied()) {
        Some(best) => msg.phrase("hint", Msg::new("plan.hint").arg("best", best)),
        None => msg.arg("hint", ""),
    }
}

/// `value` as a parameter of type `ty`, or why not.
fn typed(
    key: &str,
    ty: ParamType,
    section: Option<&str>,
    value: &Value,
) -> Result<ParamValue, Msg> {
    let plain = |code| Msg::new(code).arg("key", key);
    let text = |v: &Value| -> Result<String, Msg> {
        match v.as_str() {
            Some(t) if t.len() > MAX_TEXT => Err(Msg::new("plan.param-text-long")
                .arg("key", key)
                .arg("bytes", t.len())
                .arg("max", MAX_TEXT)),
            Some(t) => Ok(t.to_string()),
            None => Err(plain("plan.param-text")),
        }
    };
    Ok(match ty {
        ParamType::Text => ParamValue::Text(text(value)?),
        ParamType::Number => {
            // Exact: from the number as written, or from text (`"0.35"`).
            let written = match value {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.trim().to_string(),
                _ => return Err(plain("plan.param-number")),
            };
            ParamValue::Number(
                Num::parse_decimal(&written).map_err(|_| plain("plan.param-number"))?,
            )
        }
        ParamType::Integer => {
            ParamValue::Integer(value.as_i64().ok_or_else(|| plain("plan.param-integer"))?)
        }
        ParamType::Bool => {
            ParamValue::Bool(value.as_bool().ok_or_else(|| plain("plan.param-bool"))?)
        }
        ParamType::Words => {
            let words = value.as_object().and_then(|m| {
                (m.len() == 2).then_some(())?;
                Some(Text {
                    zh: m.get("zh")?.as_str()?.to_string(),
                    en: m.get("en")?.as_str()?.to_string(),
                })
            });
            ParamValue::Words(
                words.ok_or_else(|| plain("plan.param-localized").arg("form", "{ zh, en }"))?,
            )
        }
        ParamType::Field => {
            let field = text(value)?;
            let section = section.unwrap_or_default();
            if crate::input::format::field_at(&format!("{section}.{field}")).is_none() {
                let names: Vec<&str> = fields_of(section).iter().map(|f| f.name).collect();
                return Err(hint(
                    Msg::new("plan.param-field")
                        .arg("key", key)
                        .arg("field", &field)
                        .arg("section", section),
                    &field,
                    &names,
                ));
            }
            ParamValue::Text(field)
        }
        ParamType::List => {
            let Some(items) = value.as_array() else {
                return Err(plain("plan.param-list"));
            };
            if items.len() > MAX_LIST {
                return Err(Msg::new("plan.param-too-long")
                    .arg("key", key)
                    .arg("count", items.len())
                    .arg("max", MAX_LIST));
            }
            let items: Option<Vec<String>> = items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect();
            ParamValue::List(items.ok_or_else(|| plain("plan.param-list-text"))?)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Each type takes its own form and refuses every other form.
    #[test]
    fn each_type_takes_its_form_only() {
        let forms = [
            json!("text"),
            json!(12),
            json!(true),
            json!({ "zh": "床位", "en": "beds" }),
            json!(["a", "b"]),
            json!(1.5),
        ];
        let takes = |ty: ParamType, v: &Value| typed("k", ty, Some("institutions"), v).is_ok();
        // Which of the forms above each type takes.
        let expected = [
            (ParamType::Text, [true, false, false, false, false, false]),
            (ParamType::Number, [false, true, false, false, false, true]),
            (
                ParamType::Integer,
                [false, true, false, false, false, false],
            ),
            (ParamType::Bool, [false, false, true, false, false, false]),
            (ParamType::Words, [false, false, false, true, false, false]),
            (ParamType::Field, [false, false, false, false, false, false]),
            (ParamType::List, [false, false, false, false, true, false]),
        ];
        for (ty, takes_each) in expected {
            for (form, expected) in forms.iter().zip(takes_each) {
                assert_eq!(takes(ty, form), expected, "{ty:?} of {form}");
            }
        }
        assert!(takes(ParamType::Field, &json!("beds")));
        assert!(!takes(ParamType::Field, &json!("bedz")));
    }

    /// A number is exact, as written or as text: never through a double.
    #[test]
    fn a_number_is_exact() {
        let n = |v: Value| match typed("k", ParamType::Number, None, &v) {
            Ok(ParamValue::Number(n)) => n,
            other => panic!("{other:?}"),
        };
        assert_eq!(n(json!("0.35")), Num::parse_decimal("0.35").unwrap());
        assert_eq!(n(json!(0.35)), n(json!("0.35")));
        assert!(typed("k", ParamType::Number, None, &json!("many")).is_err());
    }

    /// A misspelt field name gets a did-you-mean.
    #[test]
    fn a_misspelt_field_is_hinted() {
        let why = typed("k", ParamType::Field, Some("institutions"), &json!("bedz")).unwrap_err();
        assert!(format!("{why:?}").contains("beds"), "{why:?}");
    }
}
