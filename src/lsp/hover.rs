//! Hover: on a finding, its arithmetic and clause; on a field, its meaning
//! and unit from the format table and the rules of the file's plan that
//! read it.

use super::context::{self, FieldAt};
use crate::check::{FileResult, Outcome};
use crate::engine::{self, Catalog, Checked, Finding, Status};
use crate::input::format::{self, Ty};
use crate::input::{self, units, Limits, Msg, Record, Submission, Value};
use crate::plan::Lang;
use crate::report::messages::say;

/// A message of the catalogue's `lsp.*` block, in `lang`.
fn words(m: Msg, lang: Lang) -> String {
    say(&m, lang)
}

/// The hover text (Markdown) at `offset`, if there is anything to say.
pub fn at(
    catalog: &Catalog,
    file: &FileResult,
    limits: &Limits,
    lang: Lang,
    offset: usize,
) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    if let Outcome::Checked(checked) = &file.outcome {
        parts.extend(
            checked
                .findings()
                .filter(|f| {
                    f.at.iter()
                        .any(|a| a.span.offset <= offset && offset <= a.span.offset + a.span.len)
                })
                .map(|f| finding(catalog, file, f, lang)),
        );
    }
    if let Some(field) = context::field_at(&file.source, limits, offset) {
        parts.push(field_text(catalog, file, limits, &field, lang));
    }
    (!parts.is_empty()).then(|| parts.join("\n\n---\n\n"))
}

fn finding(catalog: &Catalog, file: &FileResult, f: &Finding, lang: Lang) -> String {
    let rule = &catalog.rules[f.rule];
    let pack = &catalog.packs[rule.pack];
    let status = words(
        match f.status {
            Status::Violated => Msg::new("lsp.status.violated"),
            Status::Unchecked => Msg::new("lsp.status.unchecked"),
            Status::RuleError => Msg::new("lsp.status.rule-error"),
            Status::Holds => Msg::new("lsp.status.holds"),
        },
        lang,
    );
    let mut out = format!(
        "**{}** · {} · {status}\n\n{}: {}",
        rule.id,
        f.severity.as_str(),
        rule.title.get(lang),
        f.message.get(lang)
    );
    if f.required().is_some() || f.provided().is_some() {
        let figures = Msg::new("lsp.required-provided")
            .arg("required", f.required().map_or("—", |t| t.get(lang)))
            .arg("provided", f.provided().map_or("—", |t| t.get(lang)));
        out.push_str(&format!("\n\n{}", words(figures, lang)));
    }
    if !f.inputs().is_empty() {
        let inputs: Vec<String> = f
            .inputs()
            .iter()
            .map(|i| {
                let value = file
                    .source
                    .get(i.span.offset..i.span.offset + i.span.len)
                    .unwrap_or("");
                format!("`{}` = {value}", i.path)
            })
            .collect();
        let from = Msg::new("lsp.inputs").arg("inputs", inputs.join(", "));
        out.push_str(&format!("\n\n{}", words(from, lang)));
    }
    out.push_str(&format!("\n\n> {}\n\n— {}", rule.clause, pack.citation()));
    out
}

fn names(words: impl Iterator<Item = String>) -> String {
    words
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a value of this type looks like, units included.
fn type_text(ty: Ty, lang: Lang) -> String {
    let m = match ty {
        Ty::Text => Msg::new("lsp.ty.text"),
        Ty::Count => Msg::new("lsp.ty.count"),
        Ty::Area => Msg::new("lsp.ty.area").arg("units", units::AREA_UNIT_NAMES),
        Ty::Distance => Msg::new("lsp.ty.distance").arg("units", units::DISTANCE_UNIT_NAMES),
        Ty::Bool => Msg::new("lsp.ty.bool"),
        Ty::Date => Msg::new("lsp.ty.date"),
        Ty::Month => Msg::new("lsp.ty.month"),
        Ty::Year => Msg::new("lsp.ty.year"),
        Ty::Enum(list) => {
            let aliases = format::aliases(list);
            let list = names(list.iter().map(|w| w.to_string()));
            if aliases.is_empty() {
                Msg::new("lsp.ty.enum").arg("words", list)
            } else {
                Msg::new("lsp.ty.enum-aliases").arg("words", list).arg(
                    "aliases",
                    names(aliases.iter().map(|(a, w)| format!("{a} = {w}"))),
                )
            }
        }
        Ty::Percent => Msg::new("lsp.ty.percent"),
        Ty::Level(max) => Msg::new("lsp.ty.level").arg("max", max),
        Ty::Nested(fields) => {
            Msg::new("lsp.ty.nested").arg("names", names(fields.iter().map(|f| f.name.to_string())))
        }
    };
    words(m, lang)
}

fn field_text(
    catalog: &Catalog,
    file: &FileResult,
    limits: &Limits,
    at: &FieldAt,
    lang: Lang,
) -> String {
    let f = at.field;
    let both = words(Msg::new("lsp.names").arg("zh", f.zh).arg("en", f.en), lang);
    let kind = if at.section {
        words(Msg::new("lsp.section"), lang)
    } else {
        type_text(f.ty, lang)
    };
    let mut out = format!("**{}** · {both}\n\n{kind}", f.name);
    let Outcome::Checked(checked) = &file.outcome else {
        out.push_str(&format!(
            "\n\n{}",
            words(Msg::new("lsp.readers-when-valid"), lang)
        ));
        return out;
    };
    if at.section {
        return out;
    }
    let plans: Vec<String> = checked
        .packs
        .iter()
        .map(|&p| catalog.packs[p].citation())
        .collect();
    let plans = plans.join(", ");
    let path = &at.path;
    let said = match path.as_str() {
        "submission.jurisdiction" => Some(Msg::new("lsp.chooses-plan").arg("plans", &plans)),
        "submission.filed" => Some(Msg::new("lsp.in-force-on").arg("day", checked.day)),
        _ => None,
    };
    if let Some(said) = said {
        out.push_str(&format!("\n\n{}", words(said, lang)));
        return out;
    }
    let readers = readers(catalog, file, limits, checked, path);
    // Each key written out, for the catalogue's scan (tests/catalogue.rs).
    let heading = if readers.is_empty() {
        Msg::new("lsp.no-readers")
    } else {
        Msg::new("lsp.readers")
    };
    let heading = heading.arg("plans", &plans).arg("path", path);
    out.push_str(&format!("\n\n{}", words(heading, lang)));
    for r in readers {
        let rule = &catalog.rules[r];
        let severity = match rule.severity {
            crate::plan::Severity::Error => crate::report::messages::Label::Error,
            crate::plan::Severity::Warning => crate::report::messages::Label::Warning,
        };
        out.push_str(&format!(
            "\n- `{}` ({}) {}: “{}”",
            rule.id,
            crate::report::messages::label(severity, lang),
            rule.title.get(lang),
            rule.clause
        ));
    }
    out
}

/// What an outcome says, to compare two runs of a rule.
#[derive(PartialEq)]
struct Said<'a> {
    status: Status,
    subject: &'a str,
    message: &'a str,
    at: Vec<&'a str>,
    inputs: Vec<&'a str>,
    required: Option<&'a str>,
    provided: Option<&'a str>,
}

fn said(f: &Finding) -> Said<'_> {
    Said {
        status: f.status,
        subject: &f.subject,
        message: &f.message.en,
        at: f.at.iter().map(|l| l.path.as_str()).collect(),
        inputs: f.inputs().iter().map(|l| l.path.as_str()).collect(),
        required: f.required().map(|t| t.en.as_str()),
        provided: f.provided().map(|t| t.en.as_str()),
    }
}

/// The rules (catalog indices, in order) whose verdict on this file reads
/// the value at `path`: those that name it among their inputs or offending
/// values, and those whose outcome changes when the value is taken away.
/// Asked of the engine by running it, not by reading the scripts.
fn readers(
    catalog: &Catalog,
    file: &FileResult,
    limits: &Limits,
    checked: &Checked,
    path: &str,
) -> Vec<usize> {
    let mut rules: Vec<usize> = checked
        .outcomes
        .iter()
        .filter(|f| f.at.iter().chain(f.inputs()).any(|l| l.path == path))
        .map(|f| f.rule)
        .collect();
    let without = input::parse_submission(&file.source, limits)
        .ok()
        .and_then(|sub| without(&sub, path));
    if let Some(sub) = without {
        let after = engine::check(catalog, &checked.packs, sub, &checked.day);
        for &p in &checked.packs {
            for &r in &catalog.packs[p].rules {
                let before: Vec<_> = checked
                    .outcomes
                    .iter()
                    .filter(|f| f.rule == r)
                    .map(said)
                    .collect();
                let now: Vec<_> = after
                    .outcomes
                    .iter()
                    .filter(|f| f.rule == r)
                    .map(said)
                    .collect();
                if before != now {
                    rules.push(r);
                }
            }
        }
    }
    rules.sort_unstable();
    rules.dedup();
    rules
}

/// The submission with the value at `path` left out.
fn without(sub: &Submission, path: &str) -> Option<Submission> {
    let mut sub = sub.clone();
    let mut segments: Vec<&str> = path.split('.').collect();
    let last = segments.pop()?;
    let head = segments.first()?;
    let (section, index) = match head.split_once('[') {
        Some((name, rest)) => (name, Some(rest.strip_suffix(']')?.parse::<usize>().ok()?)),
        None => (*head, None),
    };
    let mut record: &mut Record = match (section, index) {
        ("submission", None) => &mut sub.filing,
        ("estate", None) => sub.estate.as_mut()?,
        ("region", None) => sub.region.as_mut()?,
        ("facilities", Some(i)) => sub.facilities.get_mut(i)?,
        ("institutions", Some(i)) => sub.institutions.get_mut(i)?,
        ("hospitals", Some(i)) => sub.hospitals.get_mut(i)?,
        ("venues", Some(i)) => sub.venues.get_mut(i)?,
        _ => return None,
    };
    for name in &segments[1..] {
        let entry = record.entries.iter_mut().find(|e| e.name == *name)?;
        let Value::Record(inner) = &mut entry.value else {
            return None;
        };
        record = &mut **inner;
    }
    let before = record.entries.len();
    record.entries.retain(|e| e.name != last);
    (record.entries.len() < before).then_some(sub)
}
