//! A rule pack's `pack.yaml` in the editor: the pack loader's errors as it
//! is typed, completion of template names, of a template's parameters and
//! of the format's fields a parameter names, and hover with a template's
//! or a parameter's doc (what `peitao explain TEMPLATE` prints).
//!
//! The manifest is the editor's text, not the file on disk; the pack's
//! other files (its seed, data tables, scripts) are read from disk exactly
//! as `--rules DIR` reads them ([`plan::load_dir`]: inside the pack's
//! directory, links resolved, regular files under their size limits), so a
//! manifest naming a file outside its directory gets the loader's error at
//! that key, and nothing outside is read.

use super::context::{self, Typing};
use crate::base::code::PlanCode;
use crate::engine::{self, NativeTemplate, NATIVE};
use crate::input::{Msg, Span};
use crate::plan::{self, Lang, PlanError};
use crate::report::messages::say;
use lsp_types::{CompletionItem, CompletionItemKind, Documentation, MarkupContent, MarkupKind};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Is `text` a pack manifest rather than a submission: a top-level `id:`
/// and `seed:`, and rules or templates? (A submission has none of these
/// keys: its top level is `version`, `submission` and its sections.)
pub fn looks_like_manifest(text: &str) -> bool {
    let top = |key: &str| {
        text.lines()
            .any(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')))
    };
    top("id") && top("seed") && (top("rules") || top("templates"))
}

/// Where the loader's errors about the open manifest are: the name its
/// text is loaded under.
pub fn manifest_key(pack_dir: &Path) -> String {
    crate::base::shown::display_path(&pack_dir.join("pack.yaml"))
}

/// How the packs around an open manifest are loaded: as the server loads
/// its rule directories.
pub struct Setting<'a> {
    pub builtin: bool,
    /// The configured rule directories, links resolved.
    pub configured: &'a [PathBuf],
    pub allow_replace: &'a [String],
}

/// The loader's errors for the pack in `pack_dir` (links resolved) whose
/// manifest reads `text`: the built-in packs (unless left out) and the
/// configured rule directories holding it (else its own directory) read
/// from disk, the manifest's text put in place of its file, and only this
/// pack's rules compiled. A built-in pack whose source this is (peitao's
/// own `rules/shiyan/pack.yaml`) is left out for it, as `peitao test DIR`
/// would check it.
pub fn errors(text: &Arc<str>, pack_dir: &Path, setting: &Setting<'_>) -> Vec<PlanError> {
    let key = manifest_key(pack_dir);
    if text.len() as u64 > plan::load::MAX_MANIFEST_BYTES {
        return vec![PlanError::new(
            &key,
            text,
            PlanCode::TooLarge,
            Span::default(),
            Msg::new("plan.file-too-large").arg("limit", plan::load::MAX_MANIFEST_BYTES),
        )];
    }
    let mut files = if setting.builtin {
        plan::embedded_files()
    } else {
        plan::Files::new()
    };
    let shipped: Vec<String> = files
        .keys()
        .filter(|p| p.ends_with("/pack.yaml") && key.ends_with(&format!("/{p}")))
        .map(|p| p.trim_end_matches("pack.yaml").to_string())
        .collect();
    files.retain(|p, _| !shipped.iter().any(|dir| p.starts_with(dir)));
    let holding: Vec<&PathBuf> = setting
        .configured
        .iter()
        .filter(|d| pack_dir.starts_with(d))
        .collect();
    let dirs: Vec<&Path> = if holding.is_empty() {
        vec![pack_dir]
    } else {
        setting.configured.iter().map(PathBuf::as_path).collect()
    };
    let mut errors = Vec::new();
    for dir in dirs {
        match plan::load_dir(dir) {
            Ok(read) => files.extend(read),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return errors;
    }
    files.insert(key, text.clone());
    let refused = plan::refuse_replacements(&files, setting.allow_replace);
    if !refused.is_empty() {
        return refused;
    }
    // This pack's rules only; the others by their manifests (their names
    // still clash with its own).
    let mine = serde_saphyr::from_str::<Value>(text)
        .ok()
        .and_then(|v| v.get("id")?.as_str().map(str::to_string));
    let wanted = |id: &str, _: &[String]| mine.as_deref() == Some(id);
    let wanted: Option<plan::Wanted<'_>> = match mine {
        Some(_) => Some(&wanted),
        None => None,
    };
    plan::load_files_for(&files, &engine::Compiler::default(), wanted)
        .err()
        .unwrap_or_default()
}

/// The manifest as a value, as far as it reads: the whole text, else the
/// text without the line being typed (which is often what breaks it).
fn parsed(text: &str, offset: usize) -> Option<Value> {
    if let Ok(v) = serde_saphyr::from_str::<Value>(text) {
        return Some(v);
    }
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let blanked = format!("{}{}", &text[..start], &text[end..]);
    serde_saphyr::from_str::<Value>(&blanked).ok()
}

/// A parameter of a template, built in or the pack's.
struct Param {
    name: String,
    doc: String,
    /// How its value is written (`text`, `{ zh, en }`, `number` …).
    form: String,
    /// None: required; Some(Null): may be left out; else its default.
    default: Option<Value>,
    /// The section whose field it names (`section`: the rule's `section`
    /// parameter says which).
    field_of: Option<String>,
}

/// A template a rule may name.
struct Template {
    name: String,
    native: Option<&'static NativeTemplate>,
    /// A pack template's script and doc.
    script: String,
    doc: String,
    params: Vec<Param>,
}

fn templates(doc: Option<&Value>) -> Vec<Template> {
    let natives = NATIVE.iter().map(|t| Template {
        name: t.name.to_string(),
        native: Some(t),
        script: t.source.to_string(),
        doc: t.summary(),
        params: t
            .params()
            .into_iter()
            .map(|p| Param {
                name: p.name,
                doc: p.doc,
                form: p.form,
                default: p.default,
                field_of: p.field_of,
            })
            .collect(),
    });
    let own = doc
        .and_then(|d| d.get("templates")?.as_object())
        .into_iter()
        .flatten()
        .map(|(name, t)| Template {
            name: name.clone(),
            native: None,
            script: text_of(t.get("script")),
            doc: text_of(t.get("doc")),
            params: t
                .get("params")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(name, p)| {
                    let ty = text_of(p.get("type"));
                    Param {
                        name: name.clone(),
                        doc: text_of(p.get("doc")),
                        field_of: (ty == "field").then(|| text_of(p.get("section"))),
                        form: ty,
                        default: p.get("default").cloned(),
                    }
                })
                .collect(),
        });
    natives.chain(own).collect()
}

fn text_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    }
}

/// The template rule `rule` names, and the section its `section`
/// parameter names (for a parameter whose field is of that section).
fn rule_template<'t>(
    doc: Option<&Value>,
    all: &'t [Template],
    rule: &str,
) -> Option<(&'t Template, Option<String>)> {
    let rule = doc?.get("rules")?.get(rule)?;
    let name = rule.get("template")?.as_str()?;
    let section = rule
        .get("params")
        .and_then(|p| p.get("section"))
        .and_then(Value::as_str)
        .map(str::to_string);
    // By name, or a pack template by its script (`template: ./shape.rhai`).
    let script = name.trim_start_matches("./");
    all.iter()
        .find(|t| {
            t.name == name || (t.native.is_none() && t.script.trim_start_matches("./") == script)
        })
        .map(|t| (t, section))
}

/// The section a parameter names a field of, if it names one.
fn field_section(p: &Param, rule_section: Option<&str>) -> Option<String> {
    match p.field_of.as_deref()? {
        "section" => rule_section.map(str::to_string),
        s => Some(s.to_string()),
    }
}

fn markdown(value: String) -> Documentation {
    Documentation::MarkupContent(MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    })
}

/// What a parameter is written as and whether it may be left out.
fn param_line(p: &Param, lang: Lang) -> String {
    let left_out = match &p.default {
        None => say(&Msg::new("lsp.param-required"), lang),
        Some(Value::Null) => say(&Msg::new("lsp.param-may-be-left-out"), lang),
        Some(v) => say(&Msg::new("lsp.param-default").arg("value", v), lang),
    };
    if p.form.is_empty() {
        left_out
    } else {
        format!("{}; {left_out}", p.form)
    }
}

/// The completions at `offset` of a manifest.
pub fn complete(text: &str, offset: usize, lang: Lang) -> Vec<CompletionItem> {
    let Some(typing) = context::typing(text, offset) else {
        return Vec::new();
    };
    // Only these places complete: the manifest is read for them alone.
    let in_params = |p: &[String]| p.len() == 3 && p[0] == "rules" && p[2] == "params";
    let wanted = match &typing {
        Typing::Key { parents } => in_params(parents),
        Typing::Value { parents, key } => {
            in_params(parents) || (parents.len() == 2 && parents[0] == "rules" && key == "template")
        }
    };
    if !wanted {
        return Vec::new();
    }
    let doc = parsed(text, offset);
    let all = templates(doc.as_ref());
    let item =
        |label: &str, kind, detail: String, doc: String, insert: Option<String>| CompletionItem {
            label: label.to_string(),
            kind: Some(kind),
            detail: Some(detail),
            documentation: (!doc.is_empty()).then(|| markdown(doc)),
            insert_text: insert,
            ..CompletionItem::default()
        };
    match typing {
        Typing::Value { parents, key }
            if parents.len() == 2 && parents[0] == "rules" && key == "template" =>
        {
            all.iter()
                .map(|t| {
                    let whose = match t.native {
                        Some(_) => Msg::new("lsp.template-native").arg("source", &t.script),
                        None => Msg::new("lsp.template-pack").arg("script", &t.script),
                    };
                    item(
                        &t.name,
                        CompletionItemKind::CLASS,
                        say(&whose, lang),
                        t.doc.clone(),
                        None,
                    )
                })
                .collect()
        }
        Typing::Key { parents }
            if parents.len() == 3 && parents[0] == "rules" && parents[2] == "params" =>
        {
            let Some((t, _)) = rule_template(doc.as_ref(), &all, &parents[1]) else {
                return Vec::new();
            };
            let written = context::written_keys(text, offset);
            t.params
                .iter()
                .filter(|p| !written.contains(&p.name))
                .map(|p| {
                    item(
                        &p.name,
                        CompletionItemKind::PROPERTY,
                        param_line(p, lang),
                        p.doc.clone(),
                        Some(format!("{}: ", p.name)),
                    )
                })
                .collect()
        }
        Typing::Value { parents, key }
            if parents.len() == 3 && parents[0] == "rules" && parents[2] == "params" =>
        {
            let Some((t, section)) = rule_template(doc.as_ref(), &all, &parents[1]) else {
                return Vec::new();
            };
            let Some(section) = t
                .params
                .iter()
                .find(|p| p.name == key)
                .and_then(|p| field_section(p, section.as_deref()))
            else {
                return Vec::new();
            };
            context::fields_of(&[section.as_str()])
                .unwrap_or_default()
                .iter()
                .map(|f| {
                    item(
                        f.name,
                        CompletionItemKind::FIELD,
                        say(&Msg::new("lsp.names").arg("zh", f.zh).arg("en", f.en), lang),
                        String::new(),
                        None,
                    )
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The hover (Markdown) at `offset` of a manifest: on a rule's
/// `template:`, the template; on one of its parameters, that parameter;
/// likewise in the pack's `templates:`.
pub fn hover(text: &str, offset: usize, lang: Lang) -> Option<String> {
    let (parents, key) = context::key_at(text, offset)?;
    let parents: Vec<&str> = parents.iter().map(String::as_str).collect();
    let wanted = match parents.as_slice() {
        ["rules", _] => key == "template",
        ["rules", _, "params"] | ["templates"] | ["templates", _, "params"] => true,
        _ => false,
    };
    if !wanted {
        return None;
    }
    let doc = parsed(text, offset);
    let all = templates(doc.as_ref());
    match parents.as_slice() {
        ["rules", rule] if key == "template" => {
            let (t, _) = rule_template(doc.as_ref(), &all, rule)?;
            Some(template_text(t, lang))
        }
        ["rules", rule, "params"] => {
            let (t, section) = rule_template(doc.as_ref(), &all, rule)?;
            let p = t.params.iter().find(|p| p.name == key)?;
            Some(param_text(t, p, section.as_deref(), lang))
        }
        ["templates"] => all
            .iter()
            .find(|t| t.native.is_none() && t.name == key)
            .map(|t| template_text(t, lang)),
        ["templates", name, "params"] => {
            let t = all.iter().find(|t| t.native.is_none() && t.name == *name)?;
            let p = t.params.iter().find(|p| p.name == key)?;
            Some(param_text(t, p, None, lang))
        }
        _ => None,
    }
}

fn template_text(t: &Template, lang: Lang) -> String {
    if let Some(native) = t.native {
        let explained = crate::report::catalog::explain_template(native, lang);
        return format!("```text\n{}```", explained);
    }
    let mut out = format!(
        "**{}** · {}",
        t.name,
        say(
            &Msg::new("lsp.template-pack").arg("script", &t.script),
            lang
        )
    );
    if !t.doc.is_empty() {
        out.push_str(&format!("\n\n{}", t.doc));
    }
    for p in &t.params {
        out.push_str(&format!("\n- `{}`: {}", p.name, param_line(p, lang)));
        if !p.doc.is_empty() {
            out.push_str(&format!(" — {}", p.doc));
        }
    }
    out
}

fn param_text(t: &Template, p: &Param, rule_section: Option<&str>, lang: Lang) -> String {
    let mut out = format!(
        "**{}** · {}\n\n{}",
        p.name,
        say(&Msg::new("lsp.param-of").arg("template", &t.name), lang),
        param_line(p, lang)
    );
    if let Some(section) = field_section(p, rule_section) {
        out.push_str(&format!(
            "\n\n{}",
            say(&Msg::new("lsp.param-field").arg("section", section), lang)
        ));
    }
    if !p.doc.is_empty() {
        out.push_str(&format!("\n\n{}", p.doc));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pack with a template of its own (tests/pack_templates.rs's).
    const NANHU: &str = "id: nanhu
title: 南湖市“一老一小”工作方案
seed: seed.txt
templates:
  at-least:
    script: ./at-least.rhai
    doc: A number field of an institution of some kinds is at least a figure.
    params:
      kinds: { type: list, doc: the institution kinds it applies to }
      field: { type: field, section: institutions, doc: the number field }
      figure: { type: number, doc: the least value }
      strict: { type: bool, default: false, doc: the figure itself fails }
rules:
  elderly-home-beds:
    severity: error
    template: at-least
    params:
      kinds: [elderly_care]
      field: beds
      
  childcare-slots:
    template: ./at-least.rhai
    params: { kinds: [childcare], field: slots }
";

    fn labels(items: &[CompletionItem]) -> Vec<&str> {
        items.iter().map(|i| i.label.as_str()).collect()
    }

    fn after(needle: &str) -> usize {
        NANHU.find(needle).unwrap() + needle.len()
    }

    #[test]
    fn a_packs_own_template_is_completed_and_explained() {
        let names = complete(NANHU, after("    template: "), Lang::En);
        assert!(labels(&names).contains(&"at-least"), "{:?}", labels(&names));
        assert!(labels(&names).contains(&"share"));
        let blank = after("      field: beds\n      ");
        assert_eq!(
            labels(&complete(NANHU, blank, Lang::En)),
            ["figure", "strict"]
        );
        let fields = complete(NANHU, after("field: beds\n") - "beds\n".len(), Lang::En);
        assert!(
            labels(&fields).contains(&"nursing_beds"),
            "{:?}",
            labels(&fields)
        );
        // A rule naming the template by its script, in a one-line mapping.
        let flow = complete(NANHU, after("field: slots") - "slots".len(), Lang::Zh);
        assert!(labels(&flow).contains(&"beds"), "{:?}", labels(&flow));
        let on_template = hover(NANHU, after("  at-le"), Lang::En).unwrap();
        assert!(
            on_template.contains("./at-least.rhai")
                && on_template.contains("`strict`: bool; false when left out"),
            "{on_template}"
        );
        let on_param = hover(NANHU, after("      stri"), Lang::Zh).unwrap();
        assert!(
            on_param.contains("省略时为 false") && on_param.contains("the figure itself fails"),
            "{on_param}"
        );
        let in_flow = hover(NANHU, after("params: { kinds: [childcare], fie"), Lang::En).unwrap();
        assert!(
            in_flow.contains("the number field") && in_flow.contains("`institutions`"),
            "{in_flow}"
        );
    }

    /// Beside the built-in packs: peitao's own rules/kunming/pack.yaml,
    /// as it is, loads (the built-in kunming left out for it); a copy
    /// elsewhere answering to kunming's name is refused for the clash.
    #[test]
    fn the_built_in_packs_are_loaded_beside_it() {
        let setting = Setting {
            builtin: true,
            configured: &[],
            allow_replace: &[],
        };
        let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/kunming");
        let text: Arc<str> = Arc::from(std::fs::read_to_string(own.join("pack.yaml")).unwrap());
        let found = errors(&text, &own, &setting);
        assert!(found.is_empty(), "{found:?}");
        let copy = std::env::temp_dir().join(format!("peitao-lsp-pack-{}", std::process::id()));
        std::fs::create_dir_all(&copy).unwrap();
        std::fs::copy(own.join("seed.txt"), copy.join("seed.txt")).unwrap();
        let found = errors(&text, &copy, &setting);
        std::fs::remove_dir_all(&copy).unwrap();
        let codes: Vec<PlanCode> = found.iter().map(|e| e.code).collect();
        assert_eq!(codes, [PlanCode::DuplicatePack], "{found:?}");
    }

    /// Completion and hover at positions all over every shipped pack.yaml
    /// answer without panicking, and a rule's `template:` line always has
    /// its template's reference.
    #[test]
    fn every_position_of_every_shipped_manifest_is_answered() {
        let rules = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");
        let mut templates = 0;
        for entry in std::fs::read_dir(rules).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path().join("pack.yaml")).unwrap();
            assert!(looks_like_manifest(&text));
            for offset in text.char_indices().map(|(i, _)| i).step_by(101) {
                hover(&text, offset, Lang::Zh);
                complete(&text, offset, Lang::En);
            }
            for (at, _) in text.match_indices("\n    template: ") {
                let explained = hover(&text, at + 6, Lang::En).expect("a template's reference");
                assert!(explained.contains("params:"), "{explained}");
                templates += 1;
            }
        }
        assert!(templates > 100, "{templates} rules of templates");
        let example = include_str!("../../examples/shiyan-violating.yaml");
        assert!(!looks_like_manifest(example));
    }
}
