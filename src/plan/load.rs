//! Loading packs: from the binary (the shipped packs) or from a directory
//! (`--rules DIR`). Both go through `load_files`, so a bureau's own pack is
//! checked exactly like a shipped one.

use super::manifest::{DateAt, Manifest, RawManifest, RawRule};
use super::{Catalog, Pack, Rule, RuleCompiler, Severity, Table, Text};
use crate::input::{Date, Span};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// A problem with a pack, pointing into the file that has it.
#[derive(Clone, Debug)]
pub struct PlanError {
    pub file: String,
    pub source: Arc<str>,
    pub code: &'static str,
    pub message: String,
    pub span: Span,
    pub label: String,
    pub help: Option<String>,
}

impl PlanError {
    pub(crate) fn new(
        file: &str,
        source: &Arc<str>,
        code: &'static str,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        PlanError {
            file: file.to_string(),
            source: source.clone(),
            code,
            message: message.into(),
            span,
            label: "here".into(),
            help: None,
        }
    }
    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The files of a set of packs: path → contents.
pub type Files = BTreeMap<String, Arc<str>>;

/// The files of the packs built into the binary, under their paths in the
/// source tree (`rules/shiyan/pack.yaml`, `seeds/shiyan.txt`).
pub fn embedded_files() -> Files {
    embedded::EMBEDDED
        .iter()
        .map(|&(p, t)| (p.to_string(), Arc::from(t)))
        .collect()
}

/// Every pack under `dir` (a pack directory, or a directory of packs). Seeds
/// a manifest names outside `dir` are read from disk too.
pub fn load_dir(dir: &Path) -> Result<Files, Vec<PlanError>> {
    let mut files = Files::new();
    let mut errors = Vec::new();
    let none: Arc<str> = Arc::from("");
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(PlanError::new(
                    &dir.display().to_string(),
                    &none,
                    "unreadable",
                    Span::default(),
                    e.to_string(),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        if !matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "rhai" | "txt" | "csv")
        ) {
            continue;
        }
        let name = path.to_string_lossy().replace('\\', "/");
        match std::fs::read_to_string(path) {
            Ok(text) => {
                files.insert(name, Arc::from(text));
            }
            Err(e) => errors.push(PlanError::new(
                &name,
                &none,
                "unreadable",
                Span::default(),
                e.to_string(),
            )),
        }
    }
    // Seeds may live outside the directory (a shared seeds/ folder).
    let manifests: Vec<(String, Arc<str>)> = files
        .iter()
        .filter(|(p, _)| p.ends_with("/pack.yaml") || p.as_str() == "pack.yaml")
        .map(|(p, t)| (p.clone(), t.clone()))
        .collect();
    for (path, text) in manifests {
        if let Ok(raw) = serde_saphyr::from_str::<RawManifest>(&text) {
            let seed = join(parent(&path), &raw.seed.value);
            if let std::collections::btree_map::Entry::Vacant(slot) = files.entry(seed) {
                if let Ok(t) = std::fs::read_to_string(slot.key()) {
                    slot.insert(Arc::from(t));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// `dir` joined with a relative `path`, with `.` and `..` resolved.
fn join(dir: &str, path: &str) -> String {
    let mut parts: Vec<&str> = if path.starts_with('/') {
        vec![""]
    } else {
        dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    if dir.starts_with('/') && !path.starts_with('/') {
        parts.insert(0, "");
    }
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| !p.is_empty() && *p != "..") => {
                parts.pop();
            }
            _ => parts.push(seg),
        }
    }
    parts.join("/")
}

fn saphyr_span(text: &str, e: &serde_saphyr::Error) -> Span {
    e.location()
        .and_then(|l| l.span().byte_offset())
        .map(|o| Span::new((o as usize).min(text.len()), 0))
        .unwrap_or_default()
}

fn spanned_span(s: &serde_saphyr::Location) -> Span {
    let sp = s.span();
    Span::new(
        sp.byte_offset().unwrap_or(0) as usize,
        sp.byte_len().unwrap_or(0) as usize,
    )
}

/// Load every pack among `files` (each directory with a `pack.yaml`),
/// its rules compiled by `compiler` (the engine's).
pub fn load_files(files: &Files, compiler: &dyn RuleCompiler) -> Result<Catalog, Vec<PlanError>> {
    let mut catalog = Catalog {
        packs: Vec::new(),
        rules: Vec::new(),
        runtime: compiler.runtime(),
    };
    let mut errors = Vec::new();
    for (path, text) in files.iter().filter(|(p, _)| p.ends_with("pack.yaml")) {
        if let Some(pack) = load_pack(&mut catalog, compiler, files, path, text, &mut errors) {
            catalog.packs.push(pack);
        }
    }
    if catalog.packs.is_empty() && errors.is_empty() {
        let none: Arc<str> = Arc::from("");
        errors.push(PlanError::new(
            "(rules)",
            &none,
            "no-packs",
            Span::default(),
            "no rule pack found (a pack is a directory with a pack.yaml)",
        ));
    }
    if errors.is_empty() {
        Ok(catalog)
    } else {
        Err(errors)
    }
}

fn date_at(
    path: &str,
    text: &Arc<str>,
    field: &Option<serde_saphyr::Spanned<String>>,
    errors: &mut Vec<PlanError>,
) -> Option<DateAt> {
    let s = field.as_ref()?;
    let span = spanned_span(&s.referenced);
    match Date::parse(&s.value, true) {
        Ok(value) => Some(DateAt {
            value,
            offset: span.offset,
        }),
        Err(why) => {
            errors.push(PlanError::new(
                path,
                text,
                "bad-date",
                span,
                format!("invalid date `{}`: {why}", s.value),
            ));
            None
        }
    }
}

fn load_pack(
    catalog: &mut Catalog,
    compiler: &dyn RuleCompiler,
    files: &Files,
    path: &str,
    text: &Arc<str>,
    errors: &mut Vec<PlanError>,
) -> Option<Pack> {
    let raw: RawManifest = match serde_saphyr::from_str(text) {
        Ok(m) => m,
        Err(e) => {
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            errors.push(PlanError::new(path, text, "bad-manifest", saphyr_span(text, &e), msg).help(
                "fields: id, title, document_number, issuer, dated, published, in_force_from, in_force_until, seed, aliases, data, notes",
            ));
            return None;
        }
    };
    let before = errors.len();
    let dir = parent(path).to_string();
    let id = raw.id.value.clone();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        errors.push(PlanError::new(
            path,
            text,
            "bad-manifest",
            spanned_span(&raw.id.referenced),
            format!("pack id `{id}` must be lowercase ASCII (a-z, 0-9, -, _)"),
        ));
    }
    // Before its rules, whose ids would clash too.
    if let Some(other) = catalog.packs.iter().find(|p| p.manifest.id == id) {
        errors.push(
            PlanError::new(
                path,
                text,
                "duplicate-pack",
                spanned_span(&raw.id.referenced),
                format!("pack `{id}` is also defined in {}", other.dir),
            )
            .help("give the pack its own id, or load only yours with --no-builtin-rules"),
        );
        return None;
    }
    let manifest = Manifest {
        id: id.clone(),
        title: raw.title.clone(),
        document_number: raw.document_number.clone(),
        issuer: raw.issuer.clone(),
        dated: date_at(path, text, &raw.dated, errors),
        published: date_at(path, text, &raw.published, errors),
        in_force_from: date_at(path, text, &raw.in_force_from, errors),
        in_force_until: date_at(path, text, &raw.in_force_until, errors),
        aliases: raw.aliases.clone(),
        notes: raw.notes.clone(),
    };
    let seed_path = join(&dir, &raw.seed.value);
    let Some(seed) = files.get(&seed_path).cloned() else {
        errors.push(PlanError::new(
            path,
            text,
            "missing-seed",
            spanned_span(&raw.seed.referenced),
            format!("seed file `{seed_path}` not found"),
        ));
        return None;
    };
    let mut tables = Vec::new();
    for (name, file) in &raw.data {
        let table_path = join(&dir, &file.value);
        match files.get(&table_path) {
            Some(csv) => match parse_csv(&table_path, csv) {
                Ok(t) => tables.push((name.clone(), t)),
                Err(e) => errors.push(*e),
            },
            None => errors.push(PlanError::new(
                path,
                text,
                "missing-data",
                spanned_span(&file.referenced),
                format!("data file `{table_path}` not found"),
            )),
        }
    }
    let pack_index = catalog.packs.len();
    let mut rule_indices = Vec::new();
    let prefix = format!("{dir}/");
    for (rule_path, script) in files
        .range(prefix.clone()..)
        .take_while(|(p, _)| p.starts_with(&prefix))
    {
        let is_direct = !rule_path[prefix.len()..].contains('/');
        if !is_direct || !rule_path.ends_with(".rhai") {
            continue;
        }
        if let Some(rule) = compiler.compile_rule(rule_path, script, &id, &seed, pack_index, errors)
        {
            if let Some(other) = catalog.rules.iter().find(|r| r.id == rule.id) {
                errors.push(PlanError::new(
                    rule_path,
                    script,
                    "duplicate-rule",
                    find_key(script, "id"),
                    format!("rule id `{}` is also used by {}", rule.id, other.path),
                ));
                continue;
            }
            rule_indices.push(catalog.rules.len());
            catalog.rules.push(rule);
        }
    }
    for (name, raw_rule) in &raw.rules {
        let Some(rule) = template_rule(
            compiler, path, text, &manifest, &seed, pack_index, name, raw_rule, errors,
        ) else {
            continue;
        };
        if let Some(other) = catalog.rules.iter().find(|r| r.id == rule.id) {
            errors.push(PlanError::new(
                path,
                text,
                "duplicate-rule",
                spanned_span(&raw_rule.referenced),
                format!("rule id `{}` is also used by {}", rule.id, other.path),
            ));
            continue;
        }
        rule_indices.push(catalog.rules.len());
        catalog.rules.push(rule);
    }
    // Scripts and rules of pack.yaml, in the order of their ids.
    let first = catalog.rules.len() - rule_indices.len();
    catalog.rules[first..].sort_by(|a, b| a.id.cmp(&b.id));
    if rule_indices.is_empty() && errors.len() == before {
        errors.push(PlanError::new(
            path,
            text,
            "empty-pack",
            Span::default(),
            format!("pack `{id}` has no rules (*.rhai beside pack.yaml, or `rules:` in it)"),
        ));
    }
    let tests = format!("{dir}/tests/");
    let fixtures = files
        .range(tests.clone()..)
        .take_while(|(p, _)| p.starts_with(&tests))
        .filter(|(p, _)| p.ends_with(".yaml") || p.ends_with(".yml"))
        .map(|(p, t)| (p.clone(), t.clone()))
        .collect();
    // The pack's version: a digest of everything that decides its verdicts.
    let mut digest = Fnv::default();
    digest.add(text);
    digest.add(&seed);
    for &r in &rule_indices {
        digest.add(&catalog.rules[r].script);
    }
    for (_, t) in &tables {
        digest.add(&files[&t.path]);
    }
    (errors.len() == before).then_some(Pack {
        manifest,
        digest: format!("{:016x}", digest.0),
        dir,
        seed_path,
        seed,
        rules: rule_indices,
        fixtures,
        tables_view: compiler.tables(&tables),
        tables,
    })
}

fn parse_csv(path: &str, text: &Arc<str>) -> Result<Table, Box<PlanError>> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    let Some((_, header)) = lines.next() else {
        return Err(Box::new(PlanError::new(
            path,
            text,
            "bad-data",
            Span::default(),
            "empty table",
        )));
    };
    let header: Vec<String> = header.split(',').map(|c| c.trim().to_string()).collect();
    let mut rows = Vec::new();
    for (n, line) in lines {
        let cells: Vec<String> = line.split(',').map(|c| c.trim().to_string()).collect();
        if cells.len() != header.len() {
            let start: usize = text.split_inclusive('\n').take(n).map(str::len).sum();
            return Err(Box::new(PlanError::new(
                path,
                text,
                "bad-data",
                Span::new(start, line.len()),
                format!("{} cells, the header has {}", cells.len(), header.len()),
            )));
        }
        rows.push(cells);
    }
    Ok(Table {
        path: path.to_string(),
        header,
        rows,
    })
}

/// Where `key:` is written in a script's metadata, for pointing at it.
pub(crate) fn find_key(script: &str, key: &str) -> Span {
    let needle = format!("{key}:");
    script
        .find(&needle)
        .map_or(Span::default(), |o| Span::new(o, key.len()))
}

/// A rule of pack.yaml: its clause checked against the seed, its template
/// compiled with its parameters by the engine.
#[allow(clippy::too_many_arguments)]
fn template_rule(
    compiler: &dyn RuleCompiler,
    path: &str,
    text: &Arc<str>,
    manifest: &Manifest,
    seed: &str,
    pack: usize,
    name: &str,
    raw: &serde_saphyr::Spanned<RawRule>,
    errors: &mut Vec<PlanError>,
) -> Option<Rule> {
    let before = errors.len();
    let err = |code, span, msg: String| PlanError::new(path, text, code, span, msg);
    let at = spanned_span(&raw.referenced);
    let rule = &raw.value;
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        errors.push(err(
            "bad-rule",
            at,
            format!("rule name `{name}` must be lowercase ASCII (a-z, 0-9, -)"),
        ));
    }
    let severity = match rule.severity.value.as_str() {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        other => {
            errors.push(err(
                "bad-rule",
                spanned_span(&rule.severity.referenced),
                format!("severity must be error or warning, not `{other}`"),
            ));
            Severity::Error
        }
    };
    let clause = rule.clause.value.clone();
    if !seed.contains(&clause) {
        errors.push(
            err(
                "clause-not-in-seed",
                spanned_span(&rule.clause.referenced),
                "clause not found verbatim in the plan's text".into(),
            )
            .help("copy the words exactly as the seed has them, punctuation included"),
        );
    }
    let from = date_at(path, text, &rule.in_force_from, errors).map(|d| d.value);
    let until = date_at(path, text, &rule.in_force_until, errors).map(|d| d.value);
    let compiled = compiler.compile_template(&rule.template.value, &rule.params);
    let (entries, compiled) = match compiled {
        Ok(c) => c,
        Err(why) => {
            errors.push(err(
                "bad-template",
                spanned_span(&rule.template.referenced),
                why,
            ));
            return None;
        }
    };
    let id = format!("{}.{name}", manifest.id);
    // The rule's documentation, in the shape of a script's header.
    let citation = manifest
        .document_number
        .clone()
        .unwrap_or_else(|| manifest.title.clone());
    let mut doc = format!(
        "{id}: {}\n\nClause ({citation}, {}):\n  {clause}\n\nChecks: {}\n\nTemplate: {}",
        rule.title.en,
        rule.section,
        rule.checks.trim(),
        rule.template.value
    );
    let params = serde_json::to_string(&rule.params).unwrap_or_default();
    doc.push_str(&format!(", params {params}"));
    let script: String = doc
        .lines()
        .map(|l| format!("// {l}\n").replace("// \n", "//\n"))
        .collect();
    (errors.len() == before).then(|| Rule {
        id,
        severity,
        title: Text {
            zh: rule.title.zh.clone(),
            en: rule.title.en.clone(),
        },
        clause,
        entries,
        template: Some(rule.template.value.clone()),
        from,
        until,
        path: path.to_string(),
        script: Arc::from(script),
        compiled,
        pack,
    })
}

/// FNV-1a, 64 bits: a stable digest with no dependency.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn add(&mut self, text: &str) {
        for &b in text.as_bytes().iter().chain(&[0xff]) {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_resolves_relative_paths() {
        assert_eq!(
            join("rules/shiyan", "../../seeds/shiyan.txt"),
            "seeds/shiyan.txt"
        );
        assert_eq!(
            join("/tmp/x/rules/a", "../../seeds/a.txt"),
            "/tmp/x/seeds/a.txt"
        );
        assert_eq!(join("rules/a", "./data.csv"), "rules/a/data.csv");
    }
}
