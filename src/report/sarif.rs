//! `--format sarif`: SARIF 2.1.0 for code-scanning tools. One reporting
//! descriptor per rule (and per input error code), results with regions in
//! UTF-16 code units (SARIF's default column kind), related locations for
//! the inputs a verdict used, and fingerprints that survive edits elsewhere
//! in the file. A test validates the output against the official schema.

use super::{LineIndex, Summary};
use crate::check::{FileResult, Outcome};
use crate::engine::{Finding, Located, Status};
use crate::input::{Span, INPUT_CODES};
use crate::plan::{Catalog, Lang, Severity};
use serde_json::{json, Value};

/// A path as a URI reference: unreserved characters kept, the rest
/// percent-encoded (paths may hold Chinese names).
pub fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn fnv(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for &b in p.as_bytes().iter().chain(&[0u8]) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

fn region(idx: &LineIndex, span: Span) -> Value {
    let p = idx.position(span);
    json!({
        "startLine": p.line,
        "startColumn": p.utf16_column,
        "endLine": p.end_line,
        "endColumn": p.utf16_end_column,
        "snippet": { "text": idx.text(span) },
    })
}

fn location(path: &str, idx: &LineIndex, span: Span) -> Value {
    json!({ "physicalLocation": { "artifactLocation": { "uri": uri(path) }, "region": region(idx, span) } })
}

fn level(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn descriptors(catalog: &Catalog, lang: Lang) -> Vec<Value> {
    let mut rules: Vec<Value> = catalog
        .rules
        .iter()
        .map(|r| {
            let pack = &catalog.packs[r.pack];
            let cite = pack.citation();
            json!({
                "id": r.id,
                "name": r.id.rsplit('.').next().unwrap_or(&r.id),
                "shortDescription": { "text": r.title.get(lang) },
                "fullDescription": { "text": format!("{} — {cite}: “{}”", r.title.get(lang), r.clause) },
                "help": {
                    "text": format!("{cite}: “{}”", r.clause),
                    "markdown": format!("**{cite}**\n\n> {}", r.clause),
                },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": {
                    "plan": pack.manifest.id,
                    "documentNumber": pack.manifest.document_number,
                    "clause": r.clause,
                    "tags": [pack.manifest.id.clone(), r.severity.as_str().to_string()],
                },
            })
        })
        .collect();
    rules.extend(INPUT_CODES.iter().map(|(code, what)| {
        json!({
            "id": format!("input/{code}"),
            "name": code,
            "shortDescription": { "text": what },
            "fullDescription": { "text": format!("Input error: {what}") },
            "help": { "text": "See docs/submission-format.md for the submission format." },
            "defaultConfiguration": { "level": "error" },
        })
    }));
    rules
}

fn finding(
    catalog: &Catalog,
    file: &FileResult,
    idx: &LineIndex,
    f: &Finding,
    lang: Lang,
) -> Value {
    let rule = &catalog.rules[f.rule];
    let level = if f.status == Status::RuleError {
        "error"
    } else {
        level(f.severity)
    };
    let primary: Vec<&Located> = f.at.iter().collect();
    let locations: Vec<Value> = primary
        .iter()
        .map(|l| location(&file.path, idx, l.span))
        .collect();
    let related: Vec<Value> = f
        .inputs
        .iter()
        .chain(primary.iter().skip(1).copied())
        .enumerate()
        .map(|(i, l)| {
            let mut v = location(&file.path, idx, l.span);
            v["id"] = json!(i + 1);
            v["message"] = json!({ "text": format!("{}: {}", l.path, idx.text(l.span)) });
            v
        })
        .collect();
    let paths: Vec<&str> = f.at.iter().map(|l| l.path.as_str()).collect();
    let mut result = json!({
        "ruleId": rule.id,
        "ruleIndex": f.rule,
        "level": level,
        "message": { "text": format!("{}: {}", rule.title.get(lang), f.message.get(lang)) },
        "locations": locations.into_iter().take(1).collect::<Vec<_>>(),
        "partialFingerprints": { "peitaoFinding/v1": fnv(&[&rule.id, &file.path, &f.subject, &paths.join(",")]) },
        "properties": { "status": super::json::status_word(f.status), "subject": f.subject },
    });
    if !related.is_empty() {
        result["relatedLocations"] = json!(related);
    }
    if f.status == Status::RuleError {
        // A rule error has no place in the submission: name the file.
        result["locations"] =
            json!([{ "physicalLocation": { "artifactLocation": { "uri": uri(&file.path) } } }]);
    }
    result
}

pub fn render(catalog: &Catalog, files: &[FileResult], _summary: &Summary, lang: Lang) -> String {
    let input_base = catalog.rules.len();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for file in files {
        let idx = LineIndex::new(&file.source);
        match &file.outcome {
            Outcome::Unreadable(why) => notifications.push(json!({
                "level": "error",
                "message": { "text": format!("{}: unreadable: {why}", file.path) },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(&file.path) } } }],
            })),
            Outcome::Invalid(errors) => {
                for e in errors {
                    let index = INPUT_CODES.iter().position(|(c, _)| *c == e.code).map_or(0, |i| input_base + i);
                    results.push(json!({
                        "ruleId": format!("input/{}", e.code),
                        "ruleIndex": index,
                        "level": "error",
                        "message": { "text": match &e.help { Some(h) => format!("{} ({h})", e.message), None => e.message.clone() } },
                        "locations": [location(&file.path, &idx, e.span)],
                        "partialFingerprints": { "peitaoFinding/v1": fnv(&[e.code, &file.path, &e.message]) },
                    }));
                }
            }
            Outcome::Checked(c) => {
                results.extend(c.findings().map(|f| finding(catalog, file, &idx, f, lang)));
            }
        }
    }
    let doc = json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "peitao",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": descriptors(catalog, lang),
            }},
            "invocations": [{ "executionSuccessful": true, "toolExecutionNotifications": notifications }],
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("SARIF serialises");
    s.push('\n');
    s
}
