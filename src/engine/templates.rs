//! Shared rules: one tested implementation of a shape of clause that
//! recurs across plans (a share, a rate per 1,000, an estate's floor-area
//! standard …), instantiated by a rule of a pack's `pack.yaml` with its own
//! figures:
//!
//! ```yaml
//! rules:
//!   nursing-bed-ratio:
//!     template: share
//!     params: { region_part: nursing_beds, region_whole: elderly_beds, percent: 60, … }
//! ```
//!
//! A template is a rhai script like any rule, whose functions take the
//! parameters as their third argument. Its metadata lists the parameters;
//! a rule that leaves one out or names one it does not have fails to load.

use crate::input::Msg;
use crate::plan::Entry;
use rhai::{Dynamic, Engine, Map, AST};

/// Every template: name and source.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("allocation", include_str!("templates/allocation.rhai")),
    (
        "estate-standard",
        include_str!("templates/estate-standard.rhai"),
    ),
    ("has-facility", include_str!("templates/has-facility.rhai")),
    ("keep-pace", include_str!("templates/keep-pace.rhai")),
    ("one-per", include_str!("templates/one-per.rhai")),
    ("per-county", include_str!("templates/per-county.rhai")),
    ("rate", include_str!("templates/rate.rhai")),
    ("share", include_str!("templates/share.rhai")),
];

/// Every template's name, scripts and native ones.
pub fn template_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = TEMPLATES
        .iter()
        .map(|(n, _)| *n)
        .chain(super::native::NATIVE.iter().map(|t| t.name))
        .collect();
    names.sort_unstable();
    names
}

/// "; did you mean `x`?" after a name that is not known, or nothing.
fn hint(msg: Msg, name: &str, known: &[&str]) -> Msg {
    match crate::input::did_you_mean(name, known.iter().copied()) {
        Some(best) => msg.phrase("hint", Msg::new("plan.hint").arg("best", best)),
        None => msg.arg("hint", ""),
    }
}

/// `params` names a parameter the template does not have.
fn no_param(template: &str, key: &str, known: &[&str]) -> Msg {
    hint(
        Msg::new("plan.no-param")
            .arg("name", template)
            .arg("key", key)
            .names("params", known),
        key,
        known,
    )
}

/// `params` leaves parameters out: their names (in Chinese) or their
/// names and what each means (in English, where the docs are).
fn needs_params(template: &str, missing: &[(&str, String)]) -> Msg {
    let names: Vec<String> = missing.iter().map(|(k, _)| format!("`{k}`")).collect();
    let with_docs: Vec<String> = missing
        .iter()
        .map(|(k, doc)| format!("`{k}` ({doc})"))
        .collect();
    Msg::new("plan.needs-params").arg("name", template).both(
        "missing",
        names.join(", "),
        with_docs.join(", "),
    )
}

/// Check a rule's params against a native template's, as for scripts.
pub fn check_native(t: &super::native::NativeTemplate, with: &Map) -> Result<(), Msg> {
    let known: Vec<&str> = t.params.iter().map(|(k, _)| *k).collect();
    for key in with.keys() {
        if !known.contains(&key.as_str()) {
            return Err(no_param(t.name, key, &known));
        }
    }
    let missing: Vec<(&str, String)> = t
        .params
        .iter()
        .filter(|(k, _)| !with.contains_key(*k))
        .map(|(k, doc)| (*k, doc.to_string()))
        .collect();
    if !missing.is_empty() {
        return Err(needs_params(t.name, &missing));
    }
    Ok(())
}

/// A compiled template: its syntax tree, its parameters (name → doc) and
/// which records each of its functions can apply to.
pub struct Template {
    pub name: String,
    pub ast: AST,
    pub params: Map,
    /// `only: #{ institution: #{ kinds: "kinds" } }`: per function, the
    /// parameter listing the record kinds it judges (an empty list: none),
    /// or `#{ kinds_or_all: "kinds" }` (an empty list: every kind), or
    /// `#{ when: "section", equals: "institutions" }` (the function applies only
    /// when that parameter has that value), or `#{ unless_empty: "x" }`.
    only: Map,
}

impl Template {
    pub fn compile(engine: &Engine, name: &str) -> Result<Template, Msg> {
        let Some((_, source)) = TEMPLATES.iter().find(|(n, _)| *n == name) else {
            let names = template_names();
            return Err(hint(
                Msg::new("plan.unknown-template")
                    .arg("name", name)
                    .names("names", &names),
                name,
                &names,
            ));
        };
        let ast = engine.compile(source).map_err(|e| {
            Msg::new("plan.template-compile")
                .arg("name", name)
                .quote("rhai", e)
        })?;
        let meta = metadata(engine, &ast)?;
        let params = meta
            .get("params")
            .and_then(|p| p.clone().try_cast::<Map>())
            .ok_or_else(|| Msg::new("plan.template-params"))?;
        let only = meta
            .get("only")
            .and_then(|p| p.clone().try_cast::<Map>())
            .unwrap_or_default();
        Ok(Template {
            name: name.to_string(),
            ast,
            params,
            only,
        })
    }

    /// `with` names every parameter, and no other.
    pub fn check(&self, with: &Map) -> Result<(), Msg> {
        let known: Vec<&str> = self.params.keys().map(|k| k.as_str()).collect();
        for key in with.keys() {
            if !self.params.contains_key(key.as_str()) {
                return Err(no_param(&self.name, key, &known));
            }
        }
        let missing: Vec<(&str, String)> = known
            .iter()
            .copied()
            .filter(|k| !with.contains_key(*k))
            .map(|k| (k, self.params[k].to_string()))
            .collect();
        if !missing.is_empty() {
            return Err(needs_params(&self.name, &missing));
        }
        Ok(())
    }

    /// The functions worth calling with these parameters, each with the
    /// record kinds it can apply to.
    pub fn entries(&self, entries: Vec<Entry>, with: &Map) -> Result<Vec<Entry>, Msg> {
        let text = |v: Option<&Dynamic>| v.map(|v| v.to_string()).unwrap_or_default();
        let list = |key: &str| -> Vec<String> {
            with.get(key)
                .and_then(|v| v.clone().try_cast::<rhai::Array>())
                .map(|a| a.iter().map(|k| k.to_string()).collect())
                .unwrap_or_default()
        };
        let mut out = Vec::new();
        for mut entry in entries {
            let Some(rule) = self
                .only
                .get(entry.section.function())
                .and_then(|r| r.clone().try_cast::<Map>())
            else {
                out.push(entry);
                continue;
            };
            if let Some(param) = rule.get("when") {
                if text(with.get(param.to_string().as_str())) != text(rule.get("equals")) {
                    continue;
                }
            }
            if let Some(param) = rule.get("unless_empty") {
                let v = with.get(param.to_string().as_str());
                let empty = v.is_none_or(|v| {
                    v.to_string().is_empty()
                        || v.clone()
                            .try_cast::<rhai::Array>()
                            .is_some_and(|a| a.is_empty())
                });
                if empty {
                    continue;
                }
            }
            if let Some(param) = rule.get("kinds") {
                let kinds = list(&param.to_string());
                if kinds.is_empty() {
                    continue;
                }
                entry.kinds = Some(kinds);
            }
            if let Some(param) = rule.get("kinds_or_all") {
                let kinds = list(&param.to_string());
                if !kinds.is_empty() {
                    entry.kinds = Some(kinds);
                }
            }
            out.push(entry);
        }
        Ok(out)
    }
}

fn metadata(engine: &Engine, ast: &AST) -> Result<Map, Msg> {
    engine
        .eval_ast::<Dynamic>(ast)
        .map_err(|e| Msg::new("plan.script-error").quote("rhai", e))?
        .try_cast::<Map>()
        .ok_or_else(|| Msg::new("plan.template-meta"))
}

/// The parameters a template takes, with their docs.
fn params(engine: &Engine, ast: &AST) -> Result<Map, Msg> {
    metadata(engine, ast)?
        .get("params")
        .and_then(|p| p.clone().try_cast::<Map>())
        .ok_or_else(|| Msg::new("plan.template-params"))
}

/// The compiled template `name`, once `with` is checked against its
/// parameters.
pub fn template(engine: &Engine, name: &str, with: &Map) -> Result<AST, Msg> {
    let t = Template::compile(engine, name)?;
    t.check(with)?;
    Ok(t.ast)
}

/// The table of templates and their parameters as docs/writing-rules.md
/// shows it: each template's opening comment, then its parameters.
pub fn templates_table(engine: &Engine) -> String {
    let mut sections: Vec<(&str, String)> = Vec::new();
    for (name, source) in TEMPLATES {
        let summary: Vec<&str> = source
            .lines()
            .take_while(|l| l.starts_with("//"))
            .map(|l| l.trim_start_matches('/').trim())
            .collect();
        let summary = summary.join(" ");
        let summary = summary
            .strip_prefix(&format!("{name}: "))
            .unwrap_or(&summary)
            .to_string();
        let ast = engine.compile(source).expect("templates compile (tested)");
        let params: Vec<(String, String)> = params(engine, &ast)
            .expect("templates list params (tested)")
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        sections.push((name, section_text(name, &summary, &params)));
    }
    for t in super::native::NATIVE {
        let params: Vec<(String, String)> = t
            .params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        sections.push((t.name, section_text(t.name, t.summary, &params)));
    }
    sections.sort_by(|a, b| a.0.cmp(b.0));
    let out: String = sections.into_iter().map(|(_, s)| s).collect();
    out.trim_end().to_string() + "\n"
}

fn section_text(name: &str, summary: &str, params: &[(String, String)]) -> String {
    let mut out = format!("### `{name}`\n\n{summary}\n\n| parameter | meaning |\n|---|---|\n");
    for (key, doc) in params {
        out.push_str(&format!("| `{key}` | {doc} |\n"));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles_and_lists_its_params() {
        let e = super::super::sandboxed_engine();
        for (name, source) in TEMPLATES {
            let ast = e
                .compile(source)
                .unwrap_or_else(|err| panic!("{name}: {err}"));
            let p = params(&e, &ast).unwrap_or_else(|_| panic!("{name}: no params"));
            assert!(!p.is_empty(), "{name}");
            assert!(source.contains(&format!("template: \"{name}\"")), "{name}");
        }
    }

    #[test]
    fn parameters_are_checked() {
        let e = super::super::sandboxed_engine();
        let en = |m: Msg| crate::report::messages::say(&m, crate::plan::Lang::En);
        let err = en(template(&e, "shrae", &Map::new()).unwrap_err());
        assert!(err.contains("did you mean `share`?"), "{err}");
        let mut with = Map::new();
        with.insert("precent".into(), 5.into());
        let err = en(template(&e, "rate", &with).unwrap_err());
        assert!(err.contains("no parameter `precent`"), "{err}");
        let err = en(template(&e, "rate", &Map::new()).unwrap_err());
        assert!(err.contains("needs `base`"), "{err}");
    }
}
