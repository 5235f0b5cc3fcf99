//! One file's result as LSP diagnostics: the same codes, severities,
//! messages and clause quotes as `peitao check` (built by the human
//! report's own functions), the inputs of a verdict as related
//! information, and a link to the clause in the plan's text.

use super::position::Lines;
use super::uri;
use crate::check::{FileResult, Outcome};
use crate::engine::Catalog;
use crate::plan::{Lang, PlanError};
use crate::report::human;
use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, PublishDiagnosticsParams, Range, Uri,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where each pack's plan text is as a file an editor can open, so that a
/// diagnostic's code links to its clause (`file:///…/seeds/shiyan.txt#L57`).
/// A pack loaded from disk links to its seed file; a built-in pack to the
/// seed in the workspace when the workspace has it unchanged (peitao's own
/// tree), else to a copy written once under the user's cache directory.
pub struct ClauseLinks {
    root: Option<PathBuf>,
    cache_dir: Option<PathBuf>,
    seeds: HashMap<String, Option<String>>,
    /// Each clause's link once found, by its pack's digest, seed path and
    /// clause: finding the clause's line searches the whole plan text, which
    /// per finding was a fifth of the server's work on each change.
    hrefs: HashMap<String, Option<Uri>>,
    /// The key being looked up, reused so that a hit allocates nothing.
    key: String,
}

impl ClauseLinks {
    pub fn new(root: Option<PathBuf>) -> ClauseLinks {
        let cache_dir = std::env::var_os("XDG_CACHE_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .map(|c| c.join("peitao").join("seeds"));
        ClauseLinks {
            root,
            cache_dir,
            seeds: HashMap::new(),
            hrefs: HashMap::new(),
            key: String::new(),
        }
    }

    /// The link to a rule's clause: its seed file at the clause's line.
    pub fn href(&mut self, catalog: &Catalog, rule: usize) -> Option<Uri> {
        let rule = &catalog.rules[rule];
        let pack = &catalog.packs[rule.pack];
        self.key.clear();
        for part in [&pack.digest, &pack.seed_path, &rule.clause] {
            self.key.push_str(part);
            self.key.push('\0');
        }
        if let Some(href) = self.hrefs.get(self.key.as_str()) {
            return href.clone();
        }
        let href = self.find_href(pack, &rule.clause);
        self.hrefs.insert(self.key.clone(), href.clone());
        href
    }

    fn find_href(&mut self, pack: &crate::engine::Pack, clause: &str) -> Option<Uri> {
        let digest = pack.digest.chars().take(16).collect::<String>();
        let key = format!("{}/{}", digest, pack.seed_path);
        let (root, cache_dir) = (&self.root, &self.cache_dir);
        let file = self
            .seeds
            .entry(key)
            .or_insert_with(|| {
                seed_file(
                    root.as_deref(),
                    cache_dir.as_deref(),
                    &pack.seed_path,
                    &pack.seed,
                    &digest,
                )
                .map(|p| uri::from_path(&p))
            })
            .clone()?;
        let line = pack
            .seed
            .find(clause)
            .map_or(1, |at| pack.seed[..at].matches('\n').count() + 1);
        format!("{file}#L{line}").parse().ok()
    }
}

/// The seed as a file on disk: the pack's own, the workspace's copy when it
/// is the same text, else one written under the cache directory.
fn seed_file(
    root: Option<&Path>,
    cache_dir: Option<&Path>,
    seed_path: &str,
    seed: &str,
    digest: &str,
) -> Option<PathBuf> {
    let same = |p: &Path| std::fs::read_to_string(p).is_ok_and(|t| t == seed);
    let given = Path::new(seed_path);
    let candidates = [
        given.is_absolute().then(|| given.to_path_buf()),
        root.map(|r| r.join(given)),
        std::env::current_dir().ok().map(|d| d.join(given)),
    ];
    if let Some(p) = candidates.into_iter().flatten().find(|p| same(p)) {
        return Some(std::fs::canonicalize(&p).unwrap_or(p));
    }
    let copy = cache_dir?.join(digest).join(given.file_name()?);
    if !same(&copy) {
        std::fs::create_dir_all(copy.parent()?).ok()?;
        std::fs::write(&copy, seed).ok()?;
    }
    Some(copy)
}

fn severity(s: miette::Severity) -> DiagnosticSeverity {
    match s {
        miette::Severity::Error => DiagnosticSeverity::ERROR,
        miette::Severity::Warning => DiagnosticSeverity::WARNING,
        miette::Severity::Advice => DiagnosticSeverity::INFORMATION,
    }
}

/// A diagnostic of the human report, placed in the file: its first
/// (primary) label is the range, the other labels related places.
fn from_parts(d: human::Parts, text: &str, lines: &Lines, uri: &Uri) -> Diagnostic {
    let range = d
        .labels
        .first()
        .map_or(Range::default(), |l| lines.range(text, l.span));
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .into_iter()
        .skip(1)
        .map(|l| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), lines.range(text, l.span)),
            message: l.text.unwrap_or_default(),
        })
        .collect();
    let message = match d.help {
        Some(help) => format!("{}\n{help}", d.message),
        None => d.message,
    };
    Diagnostic {
        range,
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code)),
        code_description: None,
        source: Some("peitao".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// Every diagnostic of a checked (or invalid) submission, top to bottom.
pub fn of_file(
    catalog: &Catalog,
    file: &FileResult,
    lines: &Lines,
    uri: &Uri,
    lang: Lang,
    links: &mut ClauseLinks,
) -> Vec<Diagnostic> {
    let text = &file.source;
    let idx = crate::report::position::LineIndex::new(text);
    let mut out: Vec<Diagnostic> = match &file.outcome {
        Outcome::Unreadable(_) => Vec::new(),
        Outcome::Invalid(errors) => errors
            .iter()
            .map(|e| {
                from_parts(
                    human::input_error_parts(file, &idx, e, lang),
                    text,
                    lines,
                    uri,
                )
            })
            .collect(),
        Outcome::Checked(checked) => checked
            .findings()
            .map(|f| {
                let mut d = from_parts(
                    human::finding_parts(catalog, file, &idx, f, lang),
                    text,
                    lines,
                    uri,
                );
                d.code_description = links
                    .href(catalog, f.rule)
                    .map(|href| CodeDescription { href });
                d
            })
            .collect(),
    };
    out.sort_by_key(|d| (d.range.start.line, d.range.start.character));
    out
}

/// The `textDocument/publishDiagnostics` notification of `params` as
/// JSON-RPC text (UTF-8): byte for byte what lsp-server writes of the notification
/// made through a `serde_json::Value` (whose objects keep their keys in
/// sorted order), written straight from the diagnostics. Building the
/// value, writing it and dropping it was a sixth of the server's work on
/// each change of a 500-line file.
pub fn publish_text(params: &PublishDiagnosticsParams) -> Vec<u8> {
    let mut o: Vec<u8> = Vec::with_capacity(256 + 800 * params.diagnostics.len());
    o.extend_from_slice(
        br#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"diagnostics":["#,
    );
    for (i, d) in params.diagnostics.iter().enumerate() {
        if i > 0 {
            o.push(b',');
        }
        diagnostic(&mut o, d);
    }
    o.extend_from_slice(br#"],"uri":"#);
    json(&mut o, &params.uri);
    if let Some(version) = params.version {
        o.extend_from_slice(br#","version":"#);
        json(&mut o, &version);
    }
    o.extend_from_slice(b"}}");
    o
}

/// A value (a string, a number, a `Value`) as serde_json writes it.
fn json(o: &mut Vec<u8>, v: &impl serde::Serialize) {
    // Writing to a Vec fails only if the value cannot be serialised, which
    // strings, numbers and values always can.
    let _ = serde_json::to_writer(&mut *o, v);
}

/// One diagnostic, its keys (and those of its parts) in sorted order.
fn diagnostic(o: &mut Vec<u8>, d: &Diagnostic) {
    let mut first = true;
    let mut key = |o: &mut Vec<u8>, name: &str| {
        o.extend_from_slice(if first { b"{\"" } else { b",\"" });
        first = false;
        o.extend_from_slice(name.as_bytes());
        o.extend_from_slice(b"\":");
    };
    if let Some(code) = &d.code {
        key(o, "code");
        json(o, code);
    }
    if let Some(description) = &d.code_description {
        key(o, "codeDescription");
        o.extend_from_slice(br#"{"href":"#);
        json(o, &description.href);
        o.push(b'}');
    }
    if let Some(data) = &d.data {
        key(o, "data");
        json(o, data);
    }
    key(o, "message");
    json(o, &d.message);
    key(o, "range");
    range(o, &d.range);
    if let Some(related) = &d.related_information {
        key(o, "relatedInformation");
        o.push(b'[');
        for (i, r) in related.iter().enumerate() {
            if i > 0 {
                o.push(b',');
            }
            o.extend_from_slice(br#"{"location":{"range":"#);
            range(o, &r.location.range);
            o.extend_from_slice(br#","uri":"#);
            json(o, &r.location.uri);
            o.extend_from_slice(br#"},"message":"#);
            json(o, &r.message);
            o.push(b'}');
        }
        o.push(b']');
    }
    if let Some(severity) = &d.severity {
        key(o, "severity");
        json(o, severity);
    }
    if let Some(source) = &d.source {
        key(o, "source");
        json(o, source);
    }
    if let Some(tags) = &d.tags {
        key(o, "tags");
        json(o, tags);
    }
    o.push(b'}');
}

fn range(o: &mut Vec<u8>, r: &Range) {
    for (name, p) in [("{\"end\":", r.end), (",\"start\":", r.start)] {
        o.extend_from_slice(name.as_bytes());
        o.extend_from_slice(br#"{"character":"#);
        json(o, &p.character);
        o.extend_from_slice(br#","line":"#);
        json(o, &p.line);
        o.push(b'}');
    }
    o.push(b'}');
}

/// A rule pack's loading errors, grouped by the file each points into.
pub fn of_plan_errors(errors: &[PlanError], lang: Lang) -> Vec<(PathBuf, Vec<Diagnostic>)> {
    use crate::report::messages::say;
    let mut by_file: Vec<(PathBuf, Vec<Diagnostic>)> = Vec::new();
    for e in errors {
        let lines = Lines::new(&e.source);
        let message = match &e.help {
            Some(help) => format!("{}\n{}", say(&e.message, lang), say(help, lang)),
            None => say(&e.message, lang),
        };
        let d = Diagnostic {
            range: lines.range(&e.source, e.span),
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String(format!("plan::{}", e.code))),
            source: Some("peitao".into()),
            message,
            ..Diagnostic::default()
        };
        let path = PathBuf::from(&e.file);
        match by_file.iter_mut().find(|(p, _)| *p == path) {
            Some((_, ds)) => ds.push(d),
            None => by_file.push((path, vec![d])),
        }
    }
    by_file
}
