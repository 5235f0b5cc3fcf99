//! Hover: on a finding, its arithmetic and clause; on a field, its meaning
//! and unit from the format table and the rules of the file's plan that
//! read it.

use super::context::{self, FieldAt};
use crate::check::{FileResult, Outcome};
use crate::engine::{self, Catalog, Checked, Finding, Status};
use crate::input::format::{self, Ty};
use crate::input::{self, units, Limits, Record, Submission, Value};
use crate::plan::Lang;

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
    let zh = lang == Lang::Zh;
    let status = match (f.status, zh) {
        (Status::Violated, false) => "violated",
        (Status::Violated, true) => "不符合",
        (Status::Unchecked, false) => "cannot be checked",
        (Status::Unchecked, true) => "无法检查",
        (Status::RuleError, false) => "rule error",
        (Status::RuleError, true) => "规则错误",
        (Status::Holds, false) => "holds",
        (Status::Holds, true) => "符合",
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
            "\n\n{} {} · {} {}",
            if zh { "要求:" } else { "required:" },
            f.required.as_ref().map_or("—", |t| t.get(lang)),
            if zh { "申报:" } else { "provided:" },
            f.provided.as_ref().map_or("—", |t| t.get(lang))
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
        let from = if zh { "依据" } else { "from" };
        out.push_str(&format!("\n\n{from}: {}", inputs.join(", ")));
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
    let zh = lang == Lang::Zh;
    let pick = |en: &str, cn: &str| if zh { cn.to_string() } else { en.to_string() };
    match ty {
        Ty::Text => pick("text", "文字"),
        Ty::Count => pick("a whole number, 0 or more", "非负整数"),
        Ty::Area => {
            pick(
                "an area in m²: a bare number, or with a unit",
                "面积, 单位 m²: 不带单位的数, 或带单位",
            ) + format!(" ({})", units::AREA_UNIT_NAMES).as_str()
        }
        Ty::Distance => {
            pick(
                "a distance in m: a bare number, or with a unit",
                "距离, 单位 m: 不带单位的数, 或带单位",
            ) + format!(" ({})", units::DISTANCE_UNIT_NAMES).as_str()
        }
        Ty::Bool => pick("true or false", "是 (true) 或 否 (false)"),
        Ty::Date => pick("a date, YYYY-MM-DD", "日期, YYYY-MM-DD"),
        Ty::Month => pick(
            "a month YYYY-MM (counted as its last day) or a date YYYY-MM-DD",
            "月份 YYYY-MM (按当月最后一天计) 或日期 YYYY-MM-DD",
        ),
        Ty::Year => pick("a calendar year, e.g. 2025", "年份, 如 2025"),
        Ty::Enum(words) => {
            let aliases = format::aliases(words);
            let also = if aliases.is_empty() {
                String::new()
            } else {
                pick("; also ", "; 也可写 ")
                    + names(aliases.iter().map(|(a, w)| format!("{a} = {w}"))).as_str()
            };
            pick("one of ", "取值之一: ")
                + names(words.iter().map(|w| w.to_string())).as_str()
                + also.as_str()
        }
        Ty::Percent => pick(
            "a share: `55%`, `55 %` or a fraction `0.55`",
            "比例: `55%`、`55 %` 或小数 `0.55`",
        ),
        Ty::Level(max) => {
            pick("a grade from 1 to ", "等级, 1 至 ")
                + format!("{max}: `3`, `三级`, `3级`").as_str()
        }
        Ty::Nested(fields) => {
            pick("a mapping of ", "包含以下字段的映射: ")
                + names(fields.iter().map(|f| f.name.to_string())).as_str()
        }
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
    let zh = lang == Lang::Zh;
    let kind = match (at.section, zh) {
        (true, false) => "a section of the submission".to_string(),
        (true, true) => "申报文件的一节".to_string(),
        (false, _) => type_text(f.ty, lang),
    };
    let mut out = format!("**{}** · {first} · {second}\n\n{kind}", f.name);
    let Outcome::Checked(checked) = &file.outcome else {
        out.push_str(if zh {
            "\n\n文件成为有效的申报材料后, 才列出读取此字段的规则。"
        } else {
            "\n\nThe rules that read it are listed once the file is a valid submission."
        });
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
    let said = match (path.as_str(), zh) {
        ("submission.jurisdiction", false) => Some(format!("Chooses the plan: {plans}.")),
        ("submission.jurisdiction", true) => Some(format!("据此选择规划: {plans}。")),
        ("submission.filed", false) => {
            Some(format!("The rules in force on {} apply.", checked.day))
        }
        ("submission.filed", true) => Some(format!("适用 {} 有效的规则。", checked.day)),
        _ => None,
    };
    if let Some(said) = said {
        out.push_str(&format!("\n\n{said}"));
        return out;
    }
    let readers = readers(catalog, file, limits, checked, path);
    out.push_str(&match (readers.is_empty(), zh) {
        (true, false) => format!("\n\nNo rule of {plans} reads `{path}` in this file."),
        (true, true) => format!("\n\n本文件中, {plans} 没有规则读取 `{path}`。"),
        (false, false) => format!("\n\nRules of {plans} that read `{path}`:"),
        (false, true) => format!("\n\n{plans} 中读取 `{path}` 的规则:"),
    });
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
        inputs: f.inputs.iter().map(|l| l.path.as_str()).collect(),
        required: f.required.as_ref().map(|t| t.en.as_str()),
        provided: f.provided.as_ref().map(|t| t.en.as_str()),
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
