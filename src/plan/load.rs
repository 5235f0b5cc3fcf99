//! Loading packs: from the binary (the shipped packs) or from a directory
//! (`--rules DIR`). Both go through `load_files`, so a bureau's own pack is
//! checked exactly like a shipped one.

use super::manifest::{DateAt, Manifest, RawManifest};
use super::{Catalog, Pack, Rule, Section, Severity, Table, Text};
use crate::input::{Date, Span};
use rhai::{Dynamic, Map};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
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
    fn new(
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
    fn help(mut self, help: impl Into<String>) -> Self {
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

/// Is this file, with this text, one of the packs' files built into the
/// binary? (A `--rules` file never takes a built-in's path: see `main`.)
pub fn is_builtin(path: &str, text: &str) -> bool {
    embedded::EMBEDDED
        .iter()
        .any(|&(p, t)| p == path && t == text)
}

/// The packs built into the binary.
pub fn load_embedded() -> Result<Catalog, Vec<PlanError>> {
    load_files(&embedded_files())
}

/// Largest `pack.yaml` read, in bytes.
pub const MAX_MANIFEST_BYTES: u64 = 64 * 1024;
/// Largest rule script read, in bytes (the compile budget's first bound).
pub const MAX_SCRIPT_BYTES: u64 = 256 * 1024;
/// Largest seed (the plan's text) read, in bytes.
pub const MAX_SEED_BYTES: u64 = 4 * 1024 * 1024;
/// Largest data table (CSV) read, in bytes.
pub const MAX_TABLE_BYTES: u64 = 4 * 1024 * 1024;
/// Largest fixture file read, in bytes.
pub const MAX_FIXTURE_BYTES: u64 = 1024 * 1024;
/// Most bytes read from one `--rules` directory in all.
pub const MAX_RULES_DIR_BYTES: u64 = 64 * 1024 * 1024;

/// The size limit of a pack file, by its name.
fn limit_of(path: &Path) -> u64 {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match path.extension().and_then(|e| e.to_str()) {
        _ if name == "pack.yaml" => MAX_MANIFEST_BYTES,
        Some("rhai") => MAX_SCRIPT_BYTES,
        Some("txt") => MAX_SEED_BYTES,
        Some("csv") => MAX_TABLE_BYTES,
        _ => MAX_FIXTURE_BYTES,
    }
}

/// Every pack under `dir` (a pack directory, or a directory of packs).
///
/// Packs are confined: every file read is a regular file (never a FIFO or
/// a device, which are not even opened), inside `dir` once links are
/// resolved, under the size limit of its kind, read with a bounded reader;
/// a pack's seed, tables, scripts and fixtures are inside its own directory
/// (the one holding its pack.yaml), links resolved. Anything else is a
/// located error naming the pack and the file or key.
pub fn load_dir(dir: &Path) -> Result<Files, Vec<PlanError>> {
    let mut files = Files::new();
    // Where each file really is, links resolved.
    let mut real: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut errors = Vec::new();
    let none: Arc<str> = Arc::from("");
    let problem = |file: &str, code: &'static str, msg: String| {
        PlanError::new(file, &Arc::from(""), code, Span::default(), msg)
    };
    let root = match std::fs::canonicalize(dir) {
        Ok(r) => r,
        Err(e) => {
            return Err(vec![problem(
                &crate::check::display_path(dir),
                "unreadable",
                e.to_string(),
            )])
        }
    };
    let mut total: u64 = 0;
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(PlanError::new(
                    &crate::check::display_path(dir),
                    &none,
                    "unreadable",
                    Span::default(),
                    e.to_string(),
                ));
                continue;
            }
        };
        let path = entry.path();
        let name = crate::check::display_path(path);
        if entry.file_type().is_dir() {
            continue;
        }
        if !matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "rhai" | "txt" | "csv")
        ) {
            if entry.path_is_symlink() && path.is_dir() {
                errors.push(problem(
                    &name,
                    "outside-pack",
                    "a link to a directory is not followed: put the pack's files in its directory"
                        .into(),
                ));
            }
            continue;
        }
        let resolved = match std::fs::canonicalize(path) {
            Ok(r) => r,
            Err(e) => {
                errors.push(problem(&name, "unreadable", e.to_string()));
                continue;
            }
        };
        if !resolved.starts_with(&root) {
            errors.push(problem(
                &name,
                "outside-pack",
                format!(
                    "links to {}, outside {}: a pack reads only its own files",
                    crate::check::display_path(&resolved),
                    crate::check::display_path(dir)
                ),
            ));
            continue;
        }
        // Look before opening: opening a FIFO would block.
        let meta = match std::fs::metadata(&resolved) {
            Ok(m) => m,
            Err(e) => {
                errors.push(problem(&name, "unreadable", e.to_string()));
                continue;
            }
        };
        if !meta.is_file() {
            errors.push(problem(
                &name,
                "not-a-file",
                "not a regular file (a FIFO, a device, a socket …): not read".into(),
            ));
            continue;
        }
        let limit = limit_of(path);
        match read_bounded(&resolved, limit) {
            Err((code, why)) => errors.push(problem(&name, code, why)),
            Ok(text) => {
                total += text.len() as u64;
                if total > MAX_RULES_DIR_BYTES {
                    errors.push(problem(
                        &name,
                        "too-large",
                        format!(
                            "the rule directory holds more than {MAX_RULES_DIR_BYTES} bytes of pack files"
                        ),
                    ));
                    break;
                }
                real.insert(name.clone(), resolved);
                files.insert(name, Arc::from(text));
            }
        }
    }
    // Each pack's files, and what its manifest names, stay in its directory.
    let manifests: Vec<(String, Arc<str>)> = files
        .iter()
        .filter(|(p, _)| p.ends_with("/pack.yaml") || p.as_str() == "pack.yaml")
        .map(|(p, t)| (p.clone(), t.clone()))
        .collect();
    for (path, text) in manifests {
        let pack_dir = parent(&path);
        let Some(home) = real.get(&path).and_then(|p| p.parent()) else {
            continue;
        };
        let prefix = if pack_dir.is_empty() {
            String::new()
        } else {
            format!("{pack_dir}/")
        };
        for (file, at) in real.range(prefix.clone()..) {
            if !file.starts_with(&prefix) {
                break;
            }
            if !at.starts_with(home) && is_read_by_pack(&file[prefix.len()..]) {
                errors.push(PlanError::new(
                    file,
                    &none,
                    "outside-pack",
                    Span::default(),
                    format!(
                        "links to {}, outside the pack's directory {pack_dir}: a pack reads only its own files",
                        crate::check::display_path(at)
                    ),
                ));
            }
        }
        if let Ok(raw) = serde_saphyr::from_str::<RawManifest>(&text) {
            let named =
                std::iter::once(("seed", &raw.seed)).chain(raw.data.values().map(|d| ("data", d)));
            for (key, value) in named {
                let joined = join(pack_dir, &value.value);
                if let Some(at) = real.get(&joined) {
                    if !at.starts_with(home) {
                        errors.push(
                            PlanError::new(
                                &path,
                                &text,
                                "outside-pack",
                                spanned_span(&value.referenced),
                                format!(
                                    "{key} `{}` of pack {pack_dir} resolves to {}, outside the pack's directory",
                                    value.value,
                                    crate::check::display_path(at)
                                ),
                            )
                            .help("a pack reads only regular files inside its own directory"),
                        );
                    }
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

/// Is a file of a pack (path relative to its directory) one the pack reads
/// without naming it: a rule script or a fixture?
fn is_read_by_pack(rel: &str) -> bool {
    rel == "pack.yaml"
        || (rel.ends_with(".rhai") && !rel.contains('/'))
        || rel.starts_with("tests/")
}

/// A file's text, read through a reader bounded at `limit` bytes.
fn read_bounded(path: &Path, limit: u64) -> Result<String, (&'static str, String)> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| ("unreadable", e.to_string());
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > limit {
        return Err((
            "too-large",
            format!("larger than the limit of {limit} bytes for this kind of pack file"),
        ));
    }
    String::from_utf8(bytes).map_err(|e| ("not-utf8", format!("not UTF-8 text: {e}")))
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

/// Byte offset of a rhai position (1-based line, 1-based column in chars).
pub(crate) fn offset_of(text: &str, pos: rhai::Position) -> usize {
    let (Some(line), col) = (pos.line(), pos.position().unwrap_or(1)) else {
        return 0;
    };
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let line_text = &text[start.min(text.len())..];
    start
        + line_text
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(0, |(i, _)| i)
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

/// Load every pack among `files` (each directory with a `pack.yaml`).
pub fn load_files(files: &Files) -> Result<Catalog, Vec<PlanError>> {
    let engine = crate::engine::sandboxed_engine();
    let mut catalog = Catalog {
        packs: Vec::new(),
        rules: Vec::new(),
        engine,
    };
    let mut errors = Vec::new();
    // Built-in packs first, so that a clash points at the pack that came after.
    let mut manifests: Vec<(&String, &Arc<str>)> = files
        .iter()
        .filter(|(p, _)| p.ends_with("pack.yaml"))
        .collect();
    manifests.sort_by_key(|&(p, t)| !is_builtin(p, t));
    // Built-in packs that another pack says it replaces, and by whom.
    let mut replaced: BTreeMap<String, String> = BTreeMap::new();
    for &(path, text) in &manifests {
        let Ok(raw) = serde_saphyr::from_str::<RawManifest>(text) else {
            continue;
        };
        let Some(target) = raw.replaces else { continue };
        let span = spanned_span(&target.referenced);
        let builtin = manifests.iter().any(|&(p, t)| {
            is_builtin(p, t)
                && serde_saphyr::from_str::<RawManifest>(t)
                    .is_ok_and(|m| m.id.value == target.value)
        });
        if !builtin {
            errors.push(
                PlanError::new(
                    path,
                    text,
                    "bad-replaces",
                    span,
                    format!("replaces `{}`, which is not a built-in pack", target.value),
                )
                .help("`replaces:` names the id of a built-in pack (see `peitao plans`)"),
            );
        } else if let Some(other) = replaced.get(&target.value) {
            errors.push(PlanError::new(
                path,
                text,
                "duplicate-pack",
                span,
                format!("pack `{}` is also replaced by {other}", target.value),
            ));
        } else {
            replaced.insert(target.value, path.clone());
        }
    }
    for (path, text) in manifests {
        if is_builtin(path, text) {
            let id = serde_saphyr::from_str::<RawManifest>(text).map(|m| m.id.value);
            if id.is_ok_and(|id| replaced.contains_key(&id)) {
                continue;
            }
        }
        if let Some(pack) = load_pack(&mut catalog, files, path, text, &mut errors) {
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
                "fields: id, title, document_number, issuer, dated, published, in_force_from, in_force_until, seed, aliases, data, notes, replaces",
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
    // Before its rules, whose ids would clash too. No pack may answer to a
    // name another answers to: it would take over that plan's submissions.
    let names = |m: &Manifest| -> Vec<String> {
        std::iter::once(m.id.clone())
            .chain(m.aliases.iter().map(|a| a.trim().to_string()))
            .collect()
    };
    let mine: Vec<String> = std::iter::once(id.clone())
        .chain(raw.aliases.iter().map(|a| a.trim().to_string()))
        .collect();
    for other in &catalog.packs {
        let theirs = names(&other.manifest);
        if let Some(name) = mine.iter().find(|n| theirs.contains(n)) {
            let (what, span) = if *name == id {
                ("pack id", spanned_span(&raw.id.referenced))
            } else {
                ("alias", find_key(text, "aliases"))
            };
            errors.push(
                PlanError::new(
                    path,
                    text,
                    "duplicate-pack",
                    span,
                    format!(
                        "{what} `{name}` of pack `{id}` ({path}) is also a name of pack `{}` ({}/pack.yaml)",
                        other.manifest.id, other.dir
                    ),
                )
                .help("give the pack its own id and aliases; to stand in for a built-in pack, say `replaces: <its id>` in pack.yaml"),
            );
            return None;
        }
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
    let inside = |p: &str| {
        if dir.is_empty() {
            !p.starts_with("../") && !p.starts_with('/') && p != ".."
        } else {
            p.starts_with(&format!("{dir}/"))
        }
    };
    let outside = |key: &str, value: &serde_saphyr::Spanned<String>| {
        PlanError::new(
            path,
            text,
            "outside-pack",
            spanned_span(&value.referenced),
            format!(
                "{key} `{}` of pack `{id}` is outside the pack's directory {dir}",
                value.value
            ),
        )
        .help("a pack reads only regular files inside its own directory: copy the file there")
    };
    let seed_path = join(&dir, &raw.seed.value);
    if !inside(&seed_path) {
        errors.push(outside("seed", &raw.seed));
        return None;
    }
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
        if !inside(&table_path) {
            errors.push(outside("data", file));
            continue;
        }
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
        if let Some(rule) = load_rule(catalog, rule_path, script, &id, &seed, pack_index, errors) {
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
    if rule_indices.is_empty() && errors.len() == before {
        errors.push(PlanError::new(
            path,
            text,
            "empty-pack",
            Span::default(),
            format!("pack `{id}` has no rules (*.rhai beside pack.yaml)"),
        ));
    }
    let tests = format!("{dir}/tests/");
    let fixtures: Vec<(String, Arc<str>)> = files
        .range(tests.clone()..)
        .take_while(|(p, _)| p.starts_with(&tests))
        .filter(|(p, _)| p.ends_with(".yaml") || p.ends_with(".yml"))
        .map(|(p, t)| (p.clone(), t.clone()))
        .collect();
    for (fixture, text) in &fixtures {
        if let Err(why) = fixture_budget(text) {
            errors.push(PlanError::new(
                fixture,
                text,
                "too-large",
                Span::default(),
                why,
            ));
        }
    }
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
        tables_view: crate::engine::tables_view(&tables),
        tables,
    })
}

/// Most cases (`---`-separated) in one fixture file.
pub const MAX_FIXTURE_CASES: usize = 1_000;
/// Most lines the cases of one fixture file are shifted by in all (each
/// case keeps its line numbers by starting with the lines before it).
pub const MAX_FIXTURE_SHIFT: u64 = 4_000_000;

fn fixture_budget(text: &str) -> Result<(), String> {
    let (mut cases, mut shift) = (1usize, 0u64);
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            cases += 1;
            shift += i as u64 + 1;
        }
    }
    if cases > MAX_FIXTURE_CASES {
        return Err(format!(
            "{cases} cases, over the limit of {MAX_FIXTURE_CASES} per fixture file: split the file"
        ));
    }
    if shift > MAX_FIXTURE_SHIFT {
        return Err(format!(
            "cases that start {shift} lines down in all, over the limit of {MAX_FIXTURE_SHIFT}: split the file"
        ));
    }
    Ok(())
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
fn find_key(script: &str, key: &str) -> Span {
    let needle = format!("{key}:");
    script
        .find(&needle)
        .map_or(Span::default(), |o| Span::new(o, key.len()))
}

const META_KEYS: &[&str] = &[
    "id",
    "severity",
    "title",
    "clause",
    "applies_to",
    "in_force_from",
    "in_force_until",
];

fn load_rule(
    catalog: &Catalog,
    path: &str,
    script: &Arc<str>,
    pack_id: &str,
    seed: &str,
    pack: usize,
    errors: &mut Vec<PlanError>,
) -> Option<Rule> {
    let err = |code, span, msg: String| PlanError::new(path, script, code, span, msg);
    // The compile budget: size (also bounded when read from disk) and shape.
    if script.len() as u64 > MAX_SCRIPT_BYTES {
        errors.push(err(
            "too-large",
            Span::default(),
            format!(
                "the script is {} bytes, over the limit of {MAX_SCRIPT_BYTES}",
                script.len()
            ),
        ));
        return None;
    }
    if let Err(why) = crate::engine::sandbox::compile_budget(script) {
        errors.push(err("too-complex", Span::default(), why));
        return None;
    }
    let ast = match catalog.engine.compile(script.as_ref()) {
        Ok(ast) => ast,
        Err(e) => {
            errors.push(err(
                "script-syntax",
                Span::new(offset_of(script, e.1), 0),
                e.0.to_string(),
            ));
            return None;
        }
    };
    let budget = crate::engine::sandbox::load_time();
    let evaluated =
        crate::engine::sandbox::with_budget(budget, || catalog.engine.eval_ast::<Dynamic>(&ast));
    let meta: Map = match evaluated {
        Ok(v) if v.is_map() => v.cast::<Map>(),
        Ok(_) => {
            errors.push(err("bad-metadata", Span::default(), "a rule script must end its top level with the metadata map `#{ id: …, severity: …, title: …, clause: …, applies_to: […] }`".into()));
            return None;
        }
        Err(e) => {
            let message = match *e {
                rhai::EvalAltResult::ErrorTerminated(..) => format!(
                    "loading the script took longer than the budget of {} ms",
                    budget.as_millis()
                ),
                _ => e.to_string(),
            };
            errors.push(err(
                "script-error",
                Span::new(offset_of(script, e.position()), 0),
                message,
            ));
            return None;
        }
    };
    let before = errors.len();
    let text_of = |key: &str| meta.get(key).and_then(|v| v.clone().into_string().ok());
    for key in meta.keys() {
        if !META_KEYS.contains(&key.as_str()) {
            errors.push(
                err(
                    "bad-metadata",
                    find_key(script, key),
                    format!("unknown metadata key `{key}`"),
                )
                .help(format!("known keys: {}", META_KEYS.join(", "))),
            );
        }
    }
    let id = text_of("id").unwrap_or_default();
    if !id.starts_with(&format!("{pack_id}.")) || id.len() <= pack_id.len() + 1 {
        errors.push(err(
            "bad-metadata",
            find_key(script, "id"),
            format!("rule id `{id}` must start with `{pack_id}.`"),
        ));
    }
    let severity = match text_of("severity").as_deref() {
        Some("error") => Severity::Error,
        Some("warning") => Severity::Warning,
        other => {
            errors.push(err(
                "bad-metadata",
                find_key(script, "severity"),
                format!("severity must be \"error\" or \"warning\", not {other:?}"),
            ));
            Severity::Error
        }
    };
    let title = meta
        .get("title")
        .and_then(|t| t.clone().try_cast::<Map>())
        .and_then(|m| {
            Some(Text {
                zh: m.get("zh")?.clone().into_string().ok()?,
                en: m.get("en")?.clone().into_string().ok()?,
            })
        });
    let title = title.unwrap_or_else(|| {
        errors.push(err(
            "bad-metadata",
            find_key(script, "title"),
            "title must be #{ zh: \"…\", en: \"…\" }".into(),
        ));
        Text::default()
    });
    let clause = text_of("clause").unwrap_or_default();
    if clause.is_empty() {
        errors.push(err(
            "bad-metadata",
            find_key(script, "clause"),
            "clause (the plan's words, verbatim) is missing".into(),
        ));
    } else if !seed.contains(&clause) {
        let span = script
            .find(&clause)
            .map_or(find_key(script, "clause"), |o| Span::new(o, clause.len()));
        errors.push(
            err(
                "clause-not-in-seed",
                span,
                "clause not found verbatim in the plan's text".into(),
            )
            .help("copy the words exactly as the seed has them, punctuation included"),
        );
    }
    let mut applies_to = Vec::new();
    match meta
        .get("applies_to")
        .and_then(|v| v.clone().try_cast::<rhai::Array>())
    {
        Some(list) if !list.is_empty() => {
            for item in list {
                let name = item.into_string().unwrap_or_default();
                match Section::ALL.iter().find(|(n, _)| *n == name) {
                    Some(&(_, s)) => applies_to.push(s),
                    None => errors.push(
                        err(
                            "bad-metadata",
                            find_key(script, "applies_to"),
                            format!("unknown section `{name}` in applies_to"),
                        )
                        .help("sections: estate, facilities, institutions, venues, region"),
                    ),
                }
            }
        }
        _ => errors.push(err(
            "bad-metadata",
            find_key(script, "applies_to"),
            "applies_to must list the sections the rule reads, e.g. [\"estate\"]".into(),
        )),
    }
    let mut date = |key: &str| {
        let s = text_of(key)?;
        Date::parse(&s, true)
            .map_err(|why| {
                errors.push(err(
                    "bad-metadata",
                    find_key(script, key),
                    format!("invalid {key} date `{s}`: {why}"),
                ))
            })
            .ok()
    };
    let from = date("in_force_from");
    let until = date("in_force_until");
    let has_check = ast
        .iter_functions()
        .any(|f| f.name == "check" && f.params.len() == 1);
    if !has_check {
        errors.push(err(
            "bad-metadata",
            Span::default(),
            "a rule script must define `fn check(s)`".into(),
        ));
    }
    (errors.len() == before).then(|| Rule {
        id,
        severity,
        title,
        clause,
        applies_to,
        from,
        until,
        path: path.to_string(),
        script: script.clone(),
        ast,
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

    #[test]
    fn rhai_positions_become_byte_offsets() {
        let text = "// 注释\nlet x = 1;\n  bad";
        let pos = rhai::Position::new(3, 3);
        assert_eq!(&text[offset_of(text, pos)..], "bad");
    }
}
