//! `peitao plans`, `peitao rules` and `peitao explain`: the catalogue as text.

use super::human::{sanitize, sanitize_line as line};
use super::messages::{say, word};
use crate::check::Usage;
use crate::engine::{Catalog, Pack, Rule};
use crate::input::Msg;
use crate::plan::Lang;
use std::fmt::Write as _;

/// `text` padded with spaces to `width` terminal columns: a Chinese
/// character takes two, so padding by characters would misalign tables.
pub fn pad(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

fn unknown(lang: Lang) -> &'static str {
    word("plans.unknown", lang)
}

fn pack_block(pack: &Pack, lang: Lang, out: &mut String) {
    let m = &pack.manifest;
    let or_unknown = |v: &Option<String>| v.clone().unwrap_or_else(|| unknown(lang).to_string());
    let date = |d: &Option<crate::plan::manifest::DateAt>| {
        d.as_ref()
            .map_or_else(|| unknown(lang).to_string(), |d| d.value.to_string())
    };
    let labels = [
        "plans.title",
        "plans.number",
        "plans.issuer",
        "plans.dated",
        "plans.published",
        "plans.in-force",
        "plans.aliases",
        "plans.rules",
    ]
    .map(|k| word(k, lang));
    let _ = writeln!(out, "{}", line(&m.id));
    let rows = [
        m.title.clone(),
        or_unknown(&m.document_number),
        or_unknown(&m.issuer),
        date(&m.dated),
        date(&m.published),
        m.in_force_text(lang),
        m.aliases.join(", "),
        pack.rules.len().to_string(),
    ];
    for (label, value) in labels.iter().zip(rows) {
        let _ = writeln!(out, "  {} {}", pad(label, 10), line(&value));
    }
    if let Some(notes) = &m.notes {
        let label = word("plans.notes", lang);
        let _ = writeln!(out, "  {} {}", pad(label, 10), line(notes));
    }
}

pub fn plans(catalog: &Catalog, lang: Lang) -> String {
    let mut out = String::new();
    for pack in &catalog.packs {
        pack_block(pack, lang, &mut out);
        out.push('\n');
    }
    let (plans, rules) = (catalog.packs.len(), catalog.rules.len());
    let total = Msg::new("plans.total")
        .arg("plans", plans)
        .arg("rules", rules);
    let _ = writeln!(out, "{}", say(&total, lang));
    out
}

pub fn rules(catalog: &Catalog, plan: Option<&str>, lang: Lang) -> Result<String, Usage> {
    let packs: Vec<&Pack> = match plan {
        None => catalog.packs.iter().collect(),
        Some(name) => match catalog.resolve(name) {
            Some(p) => vec![&catalog.packs[p]],
            None => return Err(crate::check::unknown_plan(catalog, name)),
        },
    };
    let mut out = String::new();
    let mut n = 0;
    for pack in packs {
        for &r in &pack.rules {
            let rule = &catalog.rules[r];
            n += 1;
            let _ = writeln!(
                out,
                "{:<40} {:<8} {}",
                line(&rule.id),
                rule.severity.as_str(),
                line(rule.title.get(lang))
            );
            let _ = writeln!(out, "{:<40} {:<8} “{}”", "", "", line(&rule.quoted()));
        }
    }
    let _ = writeln!(out, "{}", say(&Msg::new("rules.total").arg("n", n), lang));
    Ok(out)
}

/// The sentence around `clause` in the seed, with one sentence either side.
pub fn context(seed: &str, clause: &str) -> Option<String> {
    let at = seed.find(clause)?;
    let is_end = |c: char| matches!(c, '。' | ';' | '；' | '\n');
    let before = &seed[..at];
    let mut start = at;
    let mut ends_seen = 0;
    for (i, c) in before.char_indices().rev() {
        if is_end(c) {
            ends_seen += 1;
            if ends_seen == 2 {
                break;
            }
        }
        start = i;
    }
    let after_start = at + clause.len();
    let mut end = seed.len();
    let mut ends_seen = 0;
    for (i, c) in seed[after_start..].char_indices() {
        if is_end(c) {
            ends_seen += 1;
            if ends_seen == 2 {
                end = after_start + i + c.len_utf8();
                break;
            }
        }
    }
    let text = format!(
        "{}【{}】{}",
        &seed[start..at],
        clause,
        &seed[after_start..end]
    );
    Some(text.trim().to_string())
}

pub fn explain(catalog: &Catalog, id: &str, lang: Lang) -> Result<String, Usage> {
    if catalog.rule(id).is_none() {
        if let Some(t) = crate::engine::NATIVE.iter().find(|t| t.name == id) {
            return Ok(explain_template(t, lang));
        }
        // A template of a pack of this run (of each pack that has one so
        // named, or of the pack `PACK.NAME` names).
        let own: Vec<String> = catalog
            .packs
            .iter()
            .flat_map(|p| p.templates.iter().map(move |t| (p, t)))
            .filter(|(p, t)| t.name == id || format!("{}.{}", p.manifest.id, t.name) == id)
            .map(|(p, t)| explain_pack_template(&p.manifest.id, t, lang))
            .collect();
        if !own.is_empty() {
            return Ok(own.join("\n"));
        }
    }
    let Some(rule) = catalog.rule(id) else {
        return Err(Usage::UnknownRule {
            id: id.to_string(),
            near: crate::check::near_rules(catalog, id),
        });
    };
    Ok(explain_rule(catalog, rule, lang))
}

/// A template: what it checks and its parameters, from its parameter
/// struct (the template reference of docs/writing-rules.md, for one).
pub fn explain_template(t: &'static crate::engine::NativeTemplate, lang: Lang) -> String {
    let mut out = String::new();
    let heading = Msg::new("explain.template")
        .arg("name", t.name)
        .arg("source", t.source);
    let _ = writeln!(out, "{}", say(&heading, lang));
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", line(&t.summary()));
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", word("explain.params", lang));
    for p in t.params() {
        let left_out = match &p.default {
            None => Msg::new("explain.param-required"),
            Some(serde_json::Value::Null) => Msg::new("explain.param-optional"),
            Some(v) => Msg::new("explain.param-default").arg("value", v),
        };
        let left_out = say(&left_out, lang);
        let _ = writeln!(out, "  {}: {}; {left_out}", p.name, p.form);
        let _ = writeln!(out, "      {}", line(&p.doc));
    }
    out
}

/// A pack's template in rhai: what it checks, its parameters as pack.yaml
/// declares them, and its script.
fn explain_pack_template(pack: &str, t: &crate::plan::PackTemplate, lang: Lang) -> String {
    let mut out = String::new();
    let heading = Msg::new("explain.pack-template")
        .arg("name", &t.name)
        .arg("pack", pack)
        .arg("path", &t.path);
    let _ = writeln!(out, "{}", line(&say(&heading, lang)));
    if let Some(doc) = &t.doc {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", line(doc));
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", word("explain.params", lang));
    for p in &t.params {
        let left_out = match &p.default {
            None => Msg::new("explain.param-required"),
            Some(v) => Msg::new("explain.param-default").arg("value", v),
        };
        let ty = match &p.section {
            Some(section) => format!("{} ({section})", p.ty.as_str()),
            None => p.ty.as_str().to_string(),
        };
        let _ = writeln!(
            out,
            "  {}: {}; {}",
            line(&p.name),
            line(&ty),
            say(&left_out, lang)
        );
        if let Some(doc) = &p.doc {
            let _ = writeln!(out, "      {}", line(doc));
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "--- {} ---", line(&t.path));
    out.push_str(&sanitize(&t.script));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn explain_rule(catalog: &Catalog, rule: &Rule, lang: Lang) -> String {
    let pack = &catalog.packs[rule.pack];
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", line(&rule.id), line(rule.title.get(lang)));
    let _ = writeln!(out);
    let plan = Msg::new("explain.plan").arg("cite", line(&pack.citation()));
    let _ = writeln!(out, "{}", say(&plan, lang));
    if let Some(ctx) = context(&pack.seed, &rule.clause) {
        let _ = writeln!(out, "{}", word("explain.in-words", lang));
        let _ = writeln!(out, "  {}", line(&ctx));
    }
    let _ = writeln!(out);
    let severity = match rule.severity {
        crate::plan::Severity::Error => "explain.severity.error",
        crate::plan::Severity::Warning => "explain.severity.warning",
    };
    let _ = writeln!(out, "{}", word(severity, lang));
    let _ = writeln!(out);
    // The header and the script keep their lines; nothing else of them
    // reaches the terminal.
    let _ = writeln!(out, "{}", sanitize(&rule.header()));
    let _ = writeln!(out);
    // A rule of pack.yaml is its template with the figures above.
    let template = rule
        .template
        .as_deref()
        .and_then(|t| crate::engine::template_summary(t).map(|s| (t, s)));
    let (heading, body) = match template {
        Some((name, (summary, source))) => (
            say(
                &Msg::new("explain.rule-template")
                    .arg("name", name)
                    .arg("source", source)
                    .arg("path", &rule.path),
                lang,
            ),
            summary,
        ),
        // A template of the pack's own: its script, the figures being the
        // header's.
        None => match rule.template.as_deref().and_then(|t| pack.template(t)) {
            Some(t) => (
                say(
                    &Msg::new("explain.rule-pack-template")
                        .arg("name", &t.name)
                        .arg("path", &t.path)
                        .arg("rule", &rule.path),
                    lang,
                ),
                sanitize(&t.script),
            ),
            None => (rule.path.clone(), rule.script.to_string()),
        },
    };
    let _ = writeln!(out, "--- {heading} ---");
    out.push_str(&body);
    if !body.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_takes_a_sentence_either_side() {
        let seed = "甲。乙句子。条款在此。丙句子。丁。";
        assert_eq!(
            context(seed, "条款在此").unwrap(),
            "乙句子。【条款在此】。丙句子。"
        );
    }
}
