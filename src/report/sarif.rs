//! `--format sarif`: SARIF 2.1.0 for code-scanning tools. One reporting
//! descriptor per rule (and per input error code), results with regions in
//! UTF-16 code units (SARIF's default column kind), related locations for
//! the inputs a verdict used, and fingerprints that survive edits elsewhere
//! in the file. A test validates the output against the official schema.

use super::{LineIndex, Summary};
use crate::base::code::InputCode;
use crate::check::{FileResult, Outcome};
use crate::engine::{Catalog, Finding, Located, Status};
use crate::input::Span;
use crate::plan::{Lang, Severity};
use serde_json::{json, Value};

/// A path as a URI: an absolute path as a `file://` URI
/// (`file:///home/…`), a relative one as a relative reference resolved
/// against `%SRCROOT%` (see [`artifact`]); unreserved characters kept, the
/// rest percent-encoded (paths may hold Chinese names). `path` is a path
/// as reports show it ([`crate::check::display_path`]): a byte of a name
/// that is not UTF-8, shown `\xFF`, is encoded as the byte itself, `%FF`.
pub fn uri(path: &str) -> String {
    uri_of_bytes(&crate::base::shown::path_bytes(path))
}

pub use crate::base::uri::uri_of_bytes;

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

/// Where a file is: its URI, relative ones against `SRCROOT`, the
/// directory peitao ran in (declared in the run's `originalUriBaseIds`).
fn artifact(path: &str) -> Value {
    let u = uri(path);
    if u.starts_with("file:") {
        json!({ "uri": u })
    } else {
        json!({ "uri": u, "uriBaseId": "SRCROOT" })
    }
}

/// A span's location. A workbook's span is in its canonical text, not in
/// the xlsx file: its location is the file and the cell (`居住区!C7`), as a
/// logical location and the property `cell`, without a text region.
fn location(file: &FileResult, idx: &LineIndex, span: Span) -> Value {
    match super::cell_at(file, idx, span) {
        Some(cell) => json!({
            "physicalLocation": { "artifactLocation": artifact(&file.path) },
            "logicalLocations": [{
                "name": cell.rsplit('!').next().unwrap_or(&cell),
                "fullyQualifiedName": cell,
                "kind": "element",
            }],
            "properties": { "cell": cell },
        }),
        None => json!({
            "physicalLocation": { "artifactLocation": artifact(&file.path), "region": region(idx, span) }
        }),
    }
}

/// A message about a span, led by its cell for a workbook.
fn at_cell(file: &FileResult, idx: &LineIndex, span: Option<Span>, text: String) -> String {
    match span.and_then(|s| super::cell_at(file, idx, s)) {
        Some(cell) => format!("{cell}: {text}"),
        None => text,
    }
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
                "fullDescription": { "text": format!("{} — {cite}: “{}”", r.title.get(lang), r.quoted()) },
                "help": {
                    "text": format!("{cite}: “{}”", r.quoted()),
                    "markdown": format!("**{cite}**\n\n> {}", r.clauses().collect::<Vec<_>>().join("\n>\n> ")),
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
    let say = |key: &'static str| super::messages::say(&crate::input::Msg::new(key), lang);
    // Every input code has its own descriptor, at `input_base` + its place
    // in `InputCode::ALL` (results point at it by `ruleIndex`).
    rules.extend(InputCode::ALL.iter().map(|&code| {
        let what = super::messages::code_meaning(code.qualified(), lang);
        json!({
            "id": code.qualified(),
            "name": code.as_str(),
            "shortDescription": { "text": what },
            "fullDescription": {
                "text": super::messages::say(
                    &crate::input::Msg::new("sarif.input-error").arg("what", &what),
                    lang,
                ),
            },
            "help": { "text": say("sarif.input-help") },
            "defaultConfiguration": { "level": code.level().as_str() },
        })
    }));
    rules
}

fn finding(
    catalog: &Catalog,
    file: &FileResult,
    idx: &LineIndex,
    f: &Finding,
    review: Option<&crate::review::FindingReview>,
    lang: Lang,
) -> Value {
    let rule = &catalog.rules[f.rule];
    let level = level(f.severity);
    let primary: Vec<&Located> = f.at.iter().collect();
    let locations: Vec<Value> = primary
        .iter()
        .map(|l| location(file, idx, l.span))
        .collect();
    let related: Vec<Value> = f
        .inputs()
        .iter()
        .chain(primary.iter().skip(1).copied())
        .enumerate()
        .map(|(i, l)| {
            let mut v = location(file, idx, l.span);
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
        "message": { "text": at_cell(file, idx, f.at.first().map(|a| a.span), format!("{}: {}", rule.title.get(lang), f.message.get(lang))) },
        "locations": locations.into_iter().take(1).collect::<Vec<_>>(),
        "partialFingerprints": { "peitaoFinding/v1": fnv(&[&rule.id, &file.path, &f.subject, &paths.join(",")]) },
        "properties": { "status": super::json::status_word(f.status), "subject": f.subject },
    });
    if !related.is_empty() {
        result["relatedLocations"] = json!(related);
    }
    if let Some(r) = review {
        result["properties"]["fingerprint"] = json!(r.fingerprint);
        if let Some(b) = r.baseline {
            result["baselineState"] = json!(b.as_str());
        }
        if let Some(m) = &r.waiver {
            let w = &m.waiver;
            if m.expired {
                result["properties"]["waiver"] = json!(super::review::waiver_note(m, lang));
            } else {
                result["suppressions"] = json!([{
                    "kind": "external",
                    "status": "accepted",
                    "justification": format!("{} (approved by {}, until {})", w.reason, w.approved_by, w.expires),
                    "properties": {
                        "approvedBy": w.approved_by,
                        "expires": w.expires.to_string(),
                        "waiver": format!("{}:{} #{}", w.file, w.line, w.number),
                    },
                }]);
            }
        }
    }
    result
}

/// A rule error is the tool failing, not a result about the submission: a
/// notification naming the rule and the file (and the run not successful).
fn rule_error(catalog: &Catalog, file: &FileResult, f: &Finding, lang: Lang) -> Value {
    let rule = &catalog.rules[f.rule];
    json!({
        "level": "error",
        "message": { "text": f.message.get(lang) },
        "associatedRule": { "id": rule.id, "index": f.rule },
        "locations": [{ "physicalLocation": { "artifactLocation": artifact(&file.path) } }],
    })
}

/// Streams SARIF: the tool and its rules first, each file's results as the
/// file is checked, and the notifications about unreadable files last.
pub struct SarifSink<'a> {
    pub catalog: &'a Catalog,
    pub lang: Lang,
    results: usize,
    notifications: Vec<Value>,
}

impl<'a> SarifSink<'a> {
    pub fn new(catalog: &'a Catalog, lang: Lang) -> Self {
        SarifSink {
            catalog,
            lang,
            results: 0,
            notifications: Vec::new(),
        }
    }

    /// A file's part: each result after a comma (the first of the report
    /// loses it), and the notifications it adds.
    pub fn renderer(&self) -> super::Renderer<'a> {
        let (catalog, lang) = (self.catalog, self.lang);
        Box::new(move |file| {
            let mut notes = Vec::new();
            let mut text = super::Written::default();
            for result in results_of(catalog, lang, file, &mut notes) {
                std::io::Write::write_all(&mut text, b",\n        ").expect("writing to memory");
                super::json::nested_into(&mut text, &result, 8);
            }
            super::Piece { text, notes }
        })
    }
}

/// The results of one file; what is not a result (an unreadable file, a
/// rule's error) goes to `notifications`.
fn results_of(
    catalog: &Catalog,
    lang: Lang,
    file: &FileResult,
    notifications: &mut Vec<Value>,
) -> Vec<Value> {
    {
        let idx = LineIndex::new(&file.source);
        let input_base = catalog.rules.len();
        match &file.outcome {
            Outcome::Unreadable(why) => {
                notifications.push(json!({
                    "level": "error",
                    "message": { "text": format!("{}: unreadable: {why}", file.path) },
                    "locations": [{ "physicalLocation": { "artifactLocation": artifact(&file.path) } }],
                }));
                Vec::new()
            }
            Outcome::Invalid(errors) => errors
                .iter()
                .map(|e| {
                    let text = super::messages::input_error(e, lang);
                    // An input error's code is an input code (config codes never
                    // reach a file's result); none other has a descriptor.
                    let index = InputCode::ALL
                        .iter()
                        .position(|&c| e.code == crate::base::code::Code::Input(c))
                        .map(|i| input_base + i);
                    let mut r = json!({
                        "ruleId": e.code.qualified(),
                        "level": e.code.level().as_str(),
                        "message": { "text": at_cell(file, &idx, Some(e.span), match &text.help { Some(h) => format!("{} ({h})", text.message), None => text.message.clone() }) },
                        "locations": [location(file, &idx, e.span)],
                        "partialFingerprints": { "peitaoFinding/v1": fnv(&[e.code.as_str(), &file.path, &super::messages::say(&e.message, Lang::En)]) },
                    });
                    if let Some(i) = index {
                        r["ruleIndex"] = json!(i);
                    }
                    r
                })
                .collect(),
            Outcome::Checked(_) => {
                let mut results = Vec::new();
                for (f, review) in file.reviewed_findings() {
                    if f.status == Status::RuleError {
                        notifications.push(rule_error(catalog, file, f, lang));
                    } else {
                        results.push(finding(catalog, file, &idx, f, review, lang));
                    }
                }
                // Baseline findings gone from the file: SARIF's "absent" results.
                for gone in file.review.fixed.iter().flatten() {
                    let mut r = json!({
                        "ruleId": gone.rule,
                        "level": "none",
                        "baselineState": "absent",
                        "message": { "text": format!("fixed since the baseline: {}", gone.message) },
                        "locations": [{ "physicalLocation": { "artifactLocation": artifact(&file.path) } }],
                        "properties": { "subject": gone.subject, "fingerprint": gone.fingerprint },
                    });
                    if let Some(i) = catalog.rules.iter().position(|x| x.id == gone.rule) {
                        r["ruleIndex"] = json!(i);
                    }
                    results.push(r);
                }
                results
            }
        }
    }
}

impl super::Sink for SarifSink<'_> {
    fn begin(&mut self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut driver = json!({
            "name": "peitao",
            "version": env!("CARGO_PKG_VERSION"),
            "rules": descriptors(self.catalog, self.lang),
        });
        // Where the tool is documented: the package's homepage, once it has one.
        if !env!("CARGO_PKG_HOMEPAGE").is_empty() {
            driver["informationUri"] = json!(env!("CARGO_PKG_HOMEPAGE"));
        }
        let mut tool = json!({ "driver": driver });
        // A pack standing in for a built-in plan is a component of the
        // tool this run: named, with the plan it replaces and its directory.
        let extensions: Vec<serde_json::Value> = self
            .catalog
            .packs
            .iter()
            .filter_map(|p| {
                let target = p.manifest.replaces.as_ref()?;
                Some(json!({
                    "name": p.manifest.id,
                    "fullName": p.manifest.title,
                    "version": p.digest,
                    "properties": { "replaces": target.as_str(), "directory": p.dir },
                }))
            })
            .collect();
        if !extensions.is_empty() {
            tool["extensions"] = json!(extensions);
        }
        write!(
            out,
            "{{\n  \"$schema\": \"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": {},\n      \"columnKind\": \"utf16CodeUnits\",\n      \"results\": [",
            super::json::nested(&tool, 6)
        )
    }

    fn file(&mut self, file: &FileResult, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let piece = self.renderer()(file);
        self.file_rendered(file, piece, out)
    }

    fn file_rendered(
        &mut self,
        _file: &FileResult,
        mut piece: super::Piece,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        self.notifications.append(&mut piece.notes);
        if piece.text.is_empty() {
            return Ok(());
        }
        // The report's first result has no comma before it.
        let skip = usize::from(self.results == 0);
        self.results += 1;
        piece.text.write_to(out, skip)
    }

    fn finish(&mut self, summary: &Summary, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        for u in &summary.waivers {
            if let Some(note) = super::review::waiver_use_note(u, self.lang) {
                self.notifications.push(json!({
                    "level": "warning",
                    "message": { "text": note },
                    "locations": [{ "physicalLocation": {
                        "artifactLocation": artifact(&u.waiver.file),
                        "region": { "startLine": u.waiver.line },
                    } }],
                }));
            }
        }
        let close = if self.results == 0 { "]" } else { "\n      ]" };
        // Not successful when a file could not be read or a rule failed:
        // the run did not check everything it was asked to.
        let successful = summary.unreadable == 0 && summary.rule_errors == 0;
        let invocations = json!([{ "executionSuccessful": successful, "toolExecutionNotifications": self.notifications }]);
        // Relative paths are relative to the directory peitao ran in.
        let root = std::env::current_dir()
            .ok()
            .map(|d| format!("{}/", crate::base::uri::from_path(&d)));
        let bases = match root {
            Some(root) if root.starts_with("file:") => json!({ "SRCROOT": { "uri": root } }),
            _ => json!({ "SRCROOT": { "description": { "text": "the directory peitao ran in" } } }),
        };
        writeln!(
            out,
            "{close},\n      \"originalUriBaseIds\": {},\n      \"invocations\": {}\n    }}\n  ]\n}}",
            super::json::nested(&bases, 6),
            super::json::nested(&invocations, 6)
        )
    }
}

pub fn render(catalog: &Catalog, files: &[FileResult], lang: Lang) -> String {
    super::render_all(&mut SarifSink::new(catalog, lang), files)
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uris_encode_the_bytes_of_the_name() {
        assert_eq!(uri("申报/a b.yaml"), "%E7%94%B3%E6%8A%A5/a%20b.yaml");
        assert_eq!(uri("/srv/x.yaml"), "file:///srv/x.yaml");
        // display_path shows a byte that is not UTF-8 as \xB2 and a
        // backslash as \\ (Unix): the URI holds the bytes themselves.
        if cfg!(unix) {
            assert_eq!(uri("/srv/\\xB2\\xE2.yaml"), "file:///srv/%B2%E2.yaml");
            assert_eq!(uri("a\\\\xB2.yaml"), "a%5CxB2.yaml");
            assert_eq!(uri("a\\\\\\xB2"), "a%5C%B2");
            // Not an escape display_path writes: kept as written.
            assert_eq!(uri("a\\xZ1\\"), "a%5CxZ1%5C");
        }
    }
}
