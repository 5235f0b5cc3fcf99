//! Hover: on a finding, its arithmetic and clause; on a field, its meaning
//! and unit from the format table and the rules of the file's plan that
//! read it.

use super::context::{self, FieldAt};
use crate::check::{FileResult, Outcome};
use crate::engine::{self, Checked, Finding, Status};
use crate::input::format::Ty;
use crate::input::{self, units, Limits, Record, Submission, Value};
use crate::plan::{Catalog, Lang};

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
    let status = match f.status {
        Status::Violated => "violated",
        Status::Unchecked => "cannot be checked",
        Status::RuleError => "rule error",
        Status::Holds => "holds",
    };
    let mut out = format!(
        "**{}** · {} · {status}\n\n{}: {}",
        rule.id,
        f.severity.as_str(),
        rule.title.get(lang),
        f.message.get(lang)
    );
    if f.required.is_some() || f.provided.is_some() {
        out.push_str(&format!(
            "\n\nrequired: {} · provided: {}",
            f.required.as_deref().unwrap_or("—"),
            f.provided.as_deref().unwrap_or("—")
        ));
    }
    if !f.inputs.is_empty() {
        let inputs: Vec<String> = f
            .inputs
            .iter()
            .map(|i| {
                let value = file
                    .source
                    .get(i.span.offset..i.span.offset + i.span.len)
                    .unwrap_or("");
                format!("`{}` = {value}", i.path)
            })
            .collect();
        out.push_str(&format!("\n\nfrom: {}", inputs.join(", ")));
    }
    out.push_str(&format!("\n\n> {}\n\n— {}", rule.clause, pack.citation()));
    out
}

/// What a value of this type looks like, units included.
fn type_text(ty: Ty) -> String {
    match ty {
        Ty::Text => "text".into(),
        Ty::Count => "a whole number, 0 or more".into(),
        Ty::Area => format!(
            "an area in m²: a bare number, or with a unit ({})",
            units::AREA_UNIT_NAMES
        ),
        Ty::Distance => format!(
            "a distance in m: a bare number, or with a unit ({})",
            units::DISTANCE_UNIT_NAMES
        ),
        Ty::Bool => "true or false".into(),
        Ty::Date => "a date, YYYY-MM-DD".into(),
        Ty::Month => "a month YYYY-MM (counted as its last day) or a date YYYY-MM-DD".into(),
        Ty::Year => "a calendar year, e.g. 2025".into(),
        Ty::Enum(words) => format!(
            "one of {}",
            words
                .iter()
                .map(|w| format!("`{w}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Ty::Percent => "a share: `55%`, `55 %` or a fraction `0.55`".into(),
        Ty::Level(max) => format!("a grade from 1 to {max}: `3`, `三级`, `3级`"),
        Ty::Nested(fields) => format!(
            "a mapping of {}",
            fields
                .iter()
                .map(|f| format!("`{}`", f.name))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn field_text(
    catalog: &Catalog,
    file: &FileResult,
    limits: &Limits,
    at: &FieldAt,
    lang: Lang,
) -> String {
    let f = at.field;
    let (first, second) = match lang {
        Lang::Zh => (f.zh, f.en),
        Lang::En => (f.en, f.zh),
    };
    let kind = if at.section {
        "a section of the submission".to_string()
    } else {
        type_text(f.ty)
    };
    let mut out = format!("**{}** · {first} · {second}\n\n{kind}", f.name);
    let Outcome::Checked(checked) = &file.outcome else {
        out.push_str("\n\nThe rules that read it are listed once the file is a valid submission.");
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
    match at.path.as_str() {
        "submission.jurisdiction" => {
            out.push_str(&format!("\n\nChooses the plan: {}.", plans.join(", ")));
            return out;
        }
        "submission.filed" => {
            out.push_str(&format!("\n\nThe rules in force on {} apply.", checked.day));
            return out;
        }
        _ => {}
    }
    let readers = readers(catalog, file, limits, checked, &at.path);
    if readers.is_empty() {
        out.push_str(&format!(
            "\n\nNo rule of {} reads `{}` in this file.",
            plans.join(", "),
            at.path
        ));
        return out;
    }
    out.push_str(&format!(
        "\n\nRules of {} that read `{}`:",
        plans.join(", "),
        at.path
    ));
    for r in readers {
        let rule = &catalog.rules[r];
        out.push_str(&format!(
            "\n- `{}` ({}) {}: “{}”",
            rule.id,
            rule.severity.as_str(),
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
        inputs: f.inputs.iter().map(|l| l.path.as_str()).collect(),
        required: f.required.as_deref(),
        provided: f.provided.as_deref(),
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
        .filter(|f| f.at.iter().chain(&f.inputs).any(|l| l.path == path))
        .map(|f| f.rule)
        .collect();
    let without = input::parse_submission(&file.source, limits)
        .ok()
        .and_then(|sub| without(&sub, path));
    if let Some(sub) = without {
        let after = engine::check(catalog, &checked.packs, &sub, &checked.day);
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
        record = inner;
    }
    let before = record.entries.len();
    record.entries.retain(|e| e.name != last);
    (record.entries.len() < before).then_some(sub)
}
