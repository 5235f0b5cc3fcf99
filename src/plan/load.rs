//! Loading packs: from the binary (the shipped packs) or from a directory
//! (`--rules DIR`). Both go through `load_files`, so a bureau's own pack is
//! checked exactly like a shipped one.

use super::manifest::{DateAt, Manifest, RawHead, RawManifest, RawRule};
use super::{Catalog, Pack, Rule, RuleCompiler, Severity, Table, Text};
use crate::base::code::PlanCode;
use crate::input::{Date, Msg, Span};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// A problem with a pack, pointing into the file that has it: its code
/// (`plan::…`, one of [`super::PLAN_CODES`]) and what happened as messages
/// of the catalogue, which `report` puts in the reader's language.
#[derive(Clone, Debug)]
pub struct PlanError {
    pub file: String,
    pub source: Arc<str>,
    pub code: PlanCode,
    pub message: Msg,
    pub span: Span,
    pub label: Msg,
    pub help: Option<Msg>,
}

impl PlanError {
    pub fn new(file: &str, source: &Arc<str>, code: PlanCode, span: Span, message: Msg) -> Self {
        PlanError {
            file: file.to_string(),
            source: source.clone(),
            code,
            message,
            span,
            label: Msg::new("here"),
            help: None,
        }
    }
    pub fn help(mut self, help: Msg) -> Self {
        self.help = Some(help);
        self
    }
}

/// An error of the system (a file that cannot be opened …), quoted.
fn os(e: impl std::fmt::Display) -> Msg {
    Msg::new("plan.unreadable").quote("os", e)
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

/// Largest `pack.yaml` read, in bytes.
pub const MAX_MANIFEST_BYTES: u64 = 1024 * 1024;
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
/// Most cells (rows × columns, the header's columns) of one data table.
/// A cell costs about 150 bytes once a rule can read it (a rhai map entry
/// and its value), so a table of the limit takes about 15 MB, where a
/// 4 MiB file of two million one-character rows took 1.5 GB.
pub const MAX_TABLE_CELLS: usize = 100_000;
/// Most cells of every data table of every pack loaded, together.
pub const MAX_ALL_TABLE_CELLS: usize = 400_000;

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
    let problem = |file: &str, code: PlanCode, msg: Msg| {
        PlanError::new(file, &Arc::from(""), code, Span::default(), msg)
    };
    let root = match std::fs::canonicalize(dir) {
        Ok(r) => r,
        Err(e) => {
            return Err(vec![problem(
                &crate::base::shown::display_path(dir),
                PlanCode::Unreadable,
                os(e),
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
                    &crate::base::shown::display_path(dir),
                    &none,
                    PlanCode::Unreadable,
                    Span::default(),
                    os(e),
                ));
                continue;
            }
        };
        let path = entry.path();
        let name = crate::base::shown::display_path(path);
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
                    PlanCode::OutsidePack,
                    Msg::new("plan.link-to-dir"),
                ));
            }
            continue;
        }
        let resolved = match std::fs::canonicalize(path) {
            Ok(r) => r,
            Err(e) => {
                errors.push(problem(&name, PlanCode::Unreadable, os(e)));
                continue;
            }
        };
        if !resolved.starts_with(&root) {
            errors.push(problem(
                &name,
                PlanCode::OutsidePack,
                Msg::new("plan.links-outside")
                    .arg("target", crate::base::shown::display_path(&resolved))
                    .arg("dir", crate::base::shown::display_path(dir)),
            ));
            continue;
        }
        // Look before opening: opening a FIFO would block.
        let meta = match std::fs::metadata(&resolved) {
            Ok(m) => m,
            Err(e) => {
                errors.push(problem(&name, PlanCode::Unreadable, os(e)));
                continue;
            }
        };
        if !meta.is_file() {
            errors.push(problem(
                &name,
                PlanCode::NotAFile,
                Msg::new("plan.not-a-file"),
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
                        PlanCode::TooLarge,
                        Msg::new("plan.dir-too-large").arg("limit", MAX_RULES_DIR_BYTES),
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
                    PlanCode::OutsidePack,
                    Span::default(),
                    Msg::new("plan.links-outside-pack")
                        .arg("target", crate::base::shown::display_path(at))
                        .arg("dir", pack_dir),
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
                                PlanCode::OutsidePack,
                                spanned_span(&value.referenced),
                                Msg::new("plan.resolves-outside")
                                    .arg("key", key)
                                    .arg("value", &value.value)
                                    .arg("dir", pack_dir)
                                    .arg("target", crate::base::shown::display_path(at)),
                            )
                            .help(Msg::new("plan.own-files.help")),
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
fn read_bounded(path: &Path, limit: u64) -> Result<String, (PlanCode, Msg)> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| (PlanCode::Unreadable, os(e));
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > limit {
        return Err((
            PlanCode::TooLarge,
            Msg::new("plan.file-too-large").arg("limit", limit),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        (
            PlanCode::NotUtf8,
            Msg::new("plan.not-utf8").quote("detail", e),
        )
    })
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

/// Packs among `files` that say `replaces: <id>` of a built-in pack that
/// is among them too, when `allowed` does not name that id: replacing a
/// plan takes the office's word (`--allow-replace`, `allow_replace`), as a
/// replaced plan's submissions are judged by the replacing pack alone.
pub fn refuse_replacements(files: &Files, allowed: &[String]) -> Vec<PlanError> {
    let manifests: Vec<(&String, &Arc<str>)> = files
        .iter()
        .filter(|(p, _)| p.ends_with("pack.yaml"))
        .collect();
    let heads: Vec<Option<RawHead>> = manifests
        .iter()
        .map(|&(path, text)| serde_saphyr::from_str::<RawHead>(head_part(path, text)).ok())
        .collect();
    let builtin_ids: Vec<&str> = manifests
        .iter()
        .zip(&heads)
        .filter(|(&(p, t), _)| is_builtin(p, t))
        .filter_map(|(_, h)| h.as_ref().map(|h| h.id.value.as_str()))
        .collect();
    let mut errors = Vec::new();
    for (&(path, text), head) in manifests.iter().zip(&heads) {
        let Some(head) = head else { continue };
        let Some(target) = &head.replaces else {
            continue;
        };
        if !builtin_ids.contains(&target.value.as_str()) || allowed.contains(&target.value) {
            continue;
        }
        let mut e = PlanError::new(
            path,
            text,
            PlanCode::ReplaceNotAllowed,
            spanned_span(&target.referenced),
            Msg::new("plan.replace-not-allowed")
                .arg("id", &head.id.value)
                .arg("target", &target.value),
        )
        .help(Msg::new("plan.replace-not-allowed.help").arg("target", &target.value));
        e.label = Msg::new("plan.replace-not-allowed.label");
        errors.push(e);
    }
    errors
}

/// Load every pack among `files` (each directory with a `pack.yaml`),
/// its rules compiled by `compiler` (the engine's).
pub fn load_files<C: RuleCompiler>(
    files: &Files,
    compiler: &C,
) -> Result<Catalog<C>, Vec<PlanError>> {
    load_files_for(files, compiler, None)
}

/// Which packs a run needs, by id and aliases; the others are read only as
/// far as their manifest (their rules are neither parsed nor compiled), so
/// checking one file pays for its own plan's rules only.
pub type Wanted<'a> = &'a dyn Fn(&str, &[String]) -> bool;

/// [`load_files`], with only the `wanted` packs' rules loaded (the others
/// are marked incomplete: the engine refuses to run them).
pub fn load_files_for<C: RuleCompiler>(
    files: &Files,
    compiler: &C,
    wanted: Option<Wanted<'_>>,
) -> Result<Catalog<C>, Vec<PlanError>> {
    let mut catalog = Catalog {
        packs: Vec::new(),
        rules: Vec::new(),
        runtime: compiler.runtime(),
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
    // Each manifest's head, read once.
    let heads: Vec<Option<RawHead>> = manifests
        .iter()
        .map(|&(path, text)| serde_saphyr::from_str::<RawHead>(head_part(path, text)).ok())
        .collect();
    let builtin_ids: Vec<&str> = manifests
        .iter()
        .zip(&heads)
        .filter(|(&(p, t), _)| is_builtin(p, t))
        .filter_map(|(_, h)| h.as_ref().map(|h| h.id.value.as_str()))
        .collect();
    for (&(path, text), head) in manifests.iter().zip(&heads) {
        let Some(target) = head.as_ref().and_then(|h| h.replaces.as_ref()) else {
            continue;
        };
        let span = spanned_span(&target.referenced);
        let builtin = builtin_ids.contains(&target.value.as_str());
        if !builtin {
            errors.push(
                PlanError::new(
                    path,
                    text,
                    PlanCode::BadReplaces,
                    span,
                    Msg::new("plan.not-builtin").arg("target", &target.value),
                )
                .help(Msg::new("plan.not-builtin.help")),
            );
        } else if let Some(other) = replaced.get(&target.value) {
            errors.push(PlanError::new(
                path,
                text,
                PlanCode::DuplicatePack,
                span,
                Msg::new("plan.replaced-twice")
                    .arg("target", &target.value)
                    .arg("other", other),
            ));
        } else {
            replaced.insert(target.value.clone(), path.clone());
        }
    }
    for (&(path, text), head) in manifests.iter().zip(&heads) {
        if is_builtin(path, text)
            && head
                .as_ref()
                .is_some_and(|h| replaced.contains_key(&h.id.value))
        {
            continue;
        }
        if let Some(pack) = load_pack(
            &mut catalog,
            compiler,
            files,
            path,
            text,
            wanted,
            &mut errors,
        ) {
            catalog.packs.push(pack);
        }
    }
    if catalog.packs.is_empty() && errors.is_empty() {
        let none: Arc<str> = Arc::from("");
        errors.push(PlanError::new(
            "(rules)",
            &none,
            PlanCode::NoPacks,
            Span::default(),
            Msg::new("plan.no-packs"),
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
    match Date::parse_checked(&s.value, true) {
        Ok(value) => Some(DateAt {
            value,
            offset: span.offset,
        }),
        Err(why) => {
            errors.push(PlanError::new(
                path,
                text,
                PlanCode::BadDate,
                span,
                Msg::new("bad-date")
                    .arg("date", &s.value)
                    .phrase("why", why.msg()),
            ));
            None
        }
    }
}

/// The part of a pack.yaml that holds everything but its rules: for a
/// built-in pack, whose `rules:` is its last key (a test says so), the
/// text before it; for any other pack, all of it (its keys may come in
/// any order).
fn head_part<'t>(path: &str, text: &'t str) -> &'t str {
    if is_builtin(path, text) {
        manifest_part(text)
    } else {
        text
    }
}

/// The manifest part of a pack.yaml: everything before a top-level
/// `rules:` key (the bulk of a pack), or all of it.
fn manifest_part(text: &str) -> &str {
    if text.starts_with("rules:") {
        return "";
    }
    text.find("\nrules:").map_or(text, |i| &text[..i + 1])
}

/// No pack may answer to a name another answers to: it would take over
/// that plan's submissions.
fn name_clash<C: RuleCompiler>(
    catalog: &Catalog<C>,
    path: &str,
    text: &Arc<str>,
    raw: &RawManifest,
) -> Option<PlanError> {
    let id = &raw.id.value;
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
            let (what, span) = if name == id {
                ("plan.pack-id", spanned_span(&raw.id.referenced))
            } else {
                ("plan.alias", find_key(text, "aliases"))
            };
            return Some(
                PlanError::new(
                    path,
                    text,
                    PlanCode::DuplicatePack,
                    span,
                    Msg::new("plan.name-clash")
                        .phrase("what", Msg::new(what))
                        .arg("name", name)
                        .arg("id", id)
                        .arg("path", path)
                        .arg("other", &other.manifest.id)
                        .arg("other_path", format!("{}/pack.yaml", other.dir)),
                )
                .help(Msg::new("plan.name-clash.help")),
            );
        }
    }
    None
}

fn load_pack<C: RuleCompiler>(
    catalog: &mut Catalog<C>,
    compiler: &C,
    files: &Files,
    path: &str,
    text: &Arc<str>,
    wanted: Option<Wanted<'_>>,
    errors: &mut Vec<PlanError>,
) -> Option<Pack<C>> {
    // A pack the run does not need: its manifest only, if that reads.
    if let Some(wanted) = wanted {
        if let Ok(head) = serde_saphyr::from_str::<RawManifest>(head_part(path, text)) {
            if !wanted(&head.id.value, &head.aliases) {
                // Unneeded, but still never answering to another's name.
                if let Some(e) = name_clash(catalog, path, text, &head) {
                    errors.push(e);
                    return None;
                }
                return Some(unloaded_pack(compiler, path, text, head));
            }
        }
    }
    let raw: RawManifest = match serde_saphyr::from_str(text) {
        Ok(m) => m,
        Err(e) => {
            // The parser's first line, less its location (the span has it):
            // `unknown field `x`, expected one of …`.
            let msg = e.to_string();
            let msg = msg.lines().next().unwrap_or_default();
            let msg = msg.strip_prefix("error: ").unwrap_or(msg);
            let msg = match msg.split_once(": ") {
                Some((at, rest)) if at.starts_with("line ") => rest,
                _ => msg,
            };
            let msg = msg.split(" at line ").next().unwrap_or(msg).to_string();
            errors.push(
                PlanError::new(
                    path,
                    text,
                    PlanCode::BadManifest,
                    saphyr_span(text, &e),
                    Msg::new("plan.bad-manifest").quote("parser", msg),
                )
                .help(Msg::new("plan.manifest-fields.help").names(
                    "fields",
                    &[
                        "id",
                        "title",
                        "document_number",
                        "issuer",
                        "dated",
                        "published",
                        "in_force_from",
                        "in_force_until",
                        "seed",
                        "aliases",
                        "data",
                        "notes",
                        "replaces",
                        "rules",
                        "templates",
                    ],
                )),
            );
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
            PlanCode::BadManifest,
            spanned_span(&raw.id.referenced),
            Msg::new("plan.bad-pack-id").arg("id", &id),
        ));
    }
    // Before its rules, whose ids would clash too.
    if let Some(e) = name_clash(catalog, path, text, &raw) {
        errors.push(e);
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
        replaces: raw.replaces.as_ref().map(|r| r.value.clone()),
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
            PlanCode::OutsidePack,
            spanned_span(&value.referenced),
            Msg::new("plan.outside-dir")
                .arg("key", key)
                .arg("value", &value.value)
                .arg("id", &id)
                .arg("dir", &dir),
        )
        .help(Msg::new("plan.copy-inside.help"))
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
            PlanCode::MissingSeed,
            spanned_span(&raw.seed.referenced),
            Msg::new("plan.missing-seed").arg("path", &seed_path),
        ));
        return None;
    };
    let mut tables = Vec::new();
    // Cells every pack loaded before this one holds already.
    let mut cells: usize = catalog
        .packs
        .iter()
        .flat_map(|p| &p.tables)
        .map(|(_, t)| t.cells())
        .sum();
    for (name, file) in &raw.data {
        let table_path = join(&dir, &file.value);
        if !inside(&table_path) {
            errors.push(outside("data", file));
            continue;
        }
        match files.get(&table_path) {
            Some(csv) => match parse_csv(&table_path, csv, MAX_ALL_TABLE_CELLS - cells) {
                Ok(t) => {
                    cells += t.cells();
                    tables.push((name.clone(), t))
                }
                Err(e) => errors.push(*e),
            },
            None => errors.push(PlanError::new(
                path,
                text,
                PlanCode::MissingData,
                spanned_span(&file.referenced),
                Msg::new("plan.missing-data").arg("path", &table_path),
            )),
        }
    }
    let pack_index = catalog.packs.len();
    // The pack's templates in rhai, each compiled once.
    let mut templates: Vec<PackTemplate<'_, C::Template>> = Vec::new();
    for (name, decl) in &raw.templates {
        if compiler.is_builtin_template(name) {
            errors.push(PlanError::new(
                path,
                text,
                PlanCode::BadTemplate,
                param_span(text, name, spanned_span(&decl.referenced)),
                Msg::new("plan.template-builtin").arg("name", name),
            ));
        }
        let script_path = join(&dir, &decl.value.script.value);
        if !inside(&script_path) {
            errors.push(outside("script", &decl.value.script));
            continue;
        }
        let Some(script) = files.get(&script_path) else {
            errors.push(PlanError::new(
                path,
                text,
                PlanCode::BadTemplate,
                spanned_span(&decl.value.script.referenced),
                Msg::new("plan.template-script")
                    .arg("name", name)
                    .arg("path", &script_path),
            ));
            continue;
        };
        let mut declared = true;
        for (key, param) in &decl.value.params {
            let p = &param.value;
            if let Err(why) = super::template::check_declaration(key, p.ty, p.section.as_deref()) {
                errors.push(PlanError::new(
                    path,
                    text,
                    PlanCode::BadTemplate,
                    param_span(text, key, spanned_span(&param.referenced)),
                    why,
                ));
                declared = false;
            }
        }
        let compiled = compiler.compile_script_template(&script_path, script, errors);
        templates.push(PackTemplate {
            name,
            script_path: script_path.clone(),
            raw: &decl.value,
            compiled: compiled.filter(|_| declared),
        });
    }
    let mut rule_indices = Vec::new();
    let prefix = format!("{dir}/");
    for (rule_path, script) in files
        .range(prefix.clone()..)
        .take_while(|(p, _)| p.starts_with(&prefix))
    {
        let is_direct = !rule_path[prefix.len()..].contains('/');
        if !is_direct
            || !rule_path.ends_with(".rhai")
            || templates.iter().any(|t| &t.script_path == rule_path)
        {
            continue;
        }
        if let Some(rule) = compiler.compile_rule(rule_path, script, &id, &seed, pack_index, errors)
        {
            if let Some(other) = catalog.rules.iter().find(|r| r.id == rule.id) {
                errors.push(PlanError::new(
                    rule_path,
                    script,
                    PlanCode::DuplicateRule,
                    find_key(script, "id"),
                    Msg::new("plan.duplicate-rule")
                        .arg("id", &rule.id)
                        .arg("other", &other.path),
                ));
                continue;
            }
            rule_indices.push(catalog.rules.len());
            catalog.rules.push(rule);
        }
    }
    let table_names: Vec<String> = raw.data.keys().cloned().collect();
    for (name, raw_rule) in &raw.rules {
        let Some(rule) = template_rule(
            compiler,
            path,
            text,
            &manifest,
            &seed,
            pack_index,
            name,
            raw_rule,
            &table_names,
            &templates,
            errors,
        ) else {
            continue;
        };
        if let Some(other) = catalog.rules.iter().find(|r| r.id == rule.id) {
            errors.push(PlanError::new(
                path,
                text,
                PlanCode::DuplicateRule,
                spanned_span(&raw_rule.referenced),
                Msg::new("plan.duplicate-rule")
                    .arg("id", &rule.id)
                    .arg("other", &other.path),
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
            PlanCode::EmptyPack,
            Span::default(),
            Msg::new("plan.empty-pack").arg("id", &id),
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
                PlanCode::TooLarge,
                Span::default(),
                why,
            ));
        }
    }
    // The pack's version: a digest of everything that decides its verdicts.
    let mut digest = Fnv::default();
    digest.add(text);
    digest.add(&seed);
    for t in &templates {
        digest.add(&files[&t.script_path]);
    }
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
        complete: true,
        templates: templates
            .iter()
            .map(|t| super::PackTemplate {
                name: t.name.to_string(),
                path: t.script_path.clone(),
                script: files[&t.script_path].clone(),
                doc: t.raw.doc.clone(),
                params: t
                    .raw
                    .params
                    .iter()
                    .map(|(name, p)| super::PackTemplateParam {
                        name: name.clone(),
                        ty: p.value.ty,
                        section: p.value.section.clone(),
                        default: p.value.default.as_ref().map(|d| d.value.clone()),
                        doc: p.value.doc.clone(),
                    })
                    .collect(),
            })
            .collect(),
    })
}

/// Most cases (`---`-separated) in one fixture file.
pub const MAX_FIXTURE_CASES: usize = 1_000;
/// Most lines the cases of one fixture file are shifted by in all (each
/// case keeps its line numbers by starting with the lines before it).
pub const MAX_FIXTURE_SHIFT: u64 = 4_000_000;

fn fixture_budget(text: &str) -> Result<(), Msg> {
    let (mut cases, mut shift) = (1usize, 0u64);
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            cases += 1;
            shift += i as u64 + 1;
        }
    }
    if cases > MAX_FIXTURE_CASES {
        return Err(Msg::new("plan.too-many-cases")
            .arg("cases", cases)
            .arg("limit", MAX_FIXTURE_CASES));
    }
    if shift > MAX_FIXTURE_SHIFT {
        return Err(Msg::new("plan.cases-too-far")
            .arg("shift", shift)
            .arg("limit", MAX_FIXTURE_SHIFT));
    }
    Ok(())
}

/// A pack's data table, of at most [`MAX_TABLE_CELLS`] cells and `room`
/// (what is left of [`MAX_ALL_TABLE_CELLS`]): refused at the first row past
/// either, before the rest is split.
fn parse_csv(path: &str, text: &Arc<str>, room: usize) -> Result<Table, Box<PlanError>> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    let Some((_, header)) = lines.next() else {
        return Err(Box::new(PlanError::new(
            path,
            text,
            PlanCode::BadData,
            Span::default(),
            Msg::new("plan.empty-table"),
        )));
    };
    let header: Vec<String> = header.split(',').map(|c| c.trim().to_string()).collect();
    let mut rows = Vec::new();
    let mut cells = 0usize;
    for (n, line) in lines {
        cells += header.len();
        if cells > MAX_TABLE_CELLS.min(room) {
            let start: usize = text.split_inclusive('\n').take(n).map(str::len).sum();
            let msg = if cells > MAX_TABLE_CELLS {
                Msg::new("plan.table-cells")
                    .arg("columns", header.len())
                    .arg("limit", MAX_TABLE_CELLS)
            } else {
                Msg::new("plan.all-table-cells").arg("limit", MAX_ALL_TABLE_CELLS)
            };
            return Err(Box::new(PlanError::new(
                path,
                text,
                PlanCode::TooLarge,
                Span::new(start, line.len()),
                msg,
            )));
        }
        let cells: Vec<String> = line.split(',').map(|c| c.trim().to_string()).collect();
        if cells.len() != header.len() {
            let start: usize = text.split_inclusive('\n').take(n).map(str::len).sum();
            return Err(Box::new(PlanError::new(
                path,
                text,
                PlanCode::BadData,
                Span::new(start, line.len()),
                Msg::new("plan.cells")
                    .arg("cells", cells.len())
                    .arg("header", header.len()),
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

/// The parameter a template's message is about: its `key` argument, in it
/// or in the phrase it wraps (every message of a parameter names it so).
fn param_named(msg: &Msg) -> Option<&str> {
    msg.args.iter().find_map(|(name, arg)| match (name, arg) {
        (&"key", crate::input::Arg::Value(key)) => Some(key.as_str()),
        (_, crate::input::Arg::Phrase(inner)) => param_named(inner),
        _ => None,
    })
}

/// Where a parameter is written in pack.yaml: from its name (`figure:`,
/// found just before its value) to the end of its value when that is on
/// the same line, else its name alone.
fn param_span(text: &str, key: &str, value: Span) -> Span {
    let before = &text[..value.offset.min(text.len())];
    // `key:` with nothing but blanks before the value (a quoted key, or
    // one written otherwise, is pointed at by its value).
    let Some(start) = before
        .rfind(&format!("{key}:"))
        .filter(|&o| before[o + key.len() + 1..].trim().is_empty())
    else {
        return value;
    };
    let line = text[start..].lines().next().unwrap_or("").trim_end();
    if value.offset < start + line.len() {
        // `figure: "10"`, `where: [["level", ">=", "2"]]`: the whole line.
        Span::new(start, line.len())
    } else {
        Span::new(start, key.len())
    }
}

/// Where `key:` is written in a script's metadata, for pointing at it.
pub(crate) fn find_key(script: &str, key: &str) -> Span {
    let needle = format!("{key}:");
    script
        .find(&needle)
        .map_or(Span::default(), |o| Span::new(o, key.len()))
}

/// A pack known by its manifest, whose rules were not loaded for this run.
fn unloaded_pack<C: RuleCompiler>(
    compiler: &C,
    path: &str,
    text: &Arc<str>,
    raw: RawManifest,
) -> Pack<C> {
    let mut digest = Fnv::default();
    digest.add(text);
    let dir = parent(path).to_string();
    let seed_path = join(&dir, &raw.seed.value);
    let mut ignored = Vec::new();
    let manifest = Manifest {
        id: raw.id.value.clone(),
        title: raw.title.clone(),
        document_number: raw.document_number.clone(),
        issuer: raw.issuer.clone(),
        dated: date_at(path, text, &raw.dated, &mut ignored),
        published: date_at(path, text, &raw.published, &mut ignored),
        in_force_from: date_at(path, text, &raw.in_force_from, &mut ignored),
        in_force_until: date_at(path, text, &raw.in_force_until, &mut ignored),
        aliases: raw.aliases.clone(),
        notes: raw.notes.clone(),
        replaces: raw.replaces.as_ref().map(|r| r.value.clone()),
    };
    Pack {
        manifest,
        digest: format!("{:016x}", digest.0),
        dir,
        seed_path,
        seed: Arc::from(""),
        rules: Vec::new(),
        fixtures: Vec::new(),
        tables_view: compiler.tables(&[]),
        tables: Vec::new(),
        complete: false,
        templates: Vec::new(),
    }
}

/// A template of the pack, written in rhai.
struct PackTemplate<'r, T> {
    name: &'r str,
    script_path: String,
    raw: &'r super::manifest::RawTemplate,
    /// Its syntax tree, if it compiled.
    compiled: Option<T>,
}

/// A rule of pack.yaml: its clause checked against the seed, its template
/// compiled with its parameters by the engine.
#[allow(clippy::too_many_arguments)]
fn template_rule<C: RuleCompiler>(
    compiler: &C,
    path: &str,
    text: &Arc<str>,
    manifest: &Manifest,
    seed: &str,
    pack: usize,
    name: &str,
    raw: &serde_saphyr::Spanned<RawRule>,
    tables: &[String],
    templates: &[PackTemplate<'_, C::Template>],
    errors: &mut Vec<PlanError>,
) -> Option<Rule<C>> {
    let before = errors.len();
    let err = |code, span, msg: Msg| PlanError::new(path, text, code, span, msg);
    let at = spanned_span(&raw.referenced);
    let rule = &raw.value;
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        errors.push(err(
            PlanCode::BadRule,
            at,
            Msg::new("plan.bad-rule-name").arg("name", name),
        ));
    }
    let severity = match rule.severity.value.as_str() {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        other => {
            errors.push(err(
                PlanCode::BadRule,
                spanned_span(&rule.severity.referenced),
                Msg::new("plan.bad-severity").arg("value", other),
            ));
            Severity::Error
        }
    };
    let clause = rule.clause.value.clone();
    if !super::in_seed(seed, &clause) {
        errors.push(
            err(
                PlanCode::ClauseNotInSeed,
                spanned_span(&rule.clause.referenced),
                Msg::new("plan.clause-not-in-seed"),
            )
            .help(Msg::new("plan.clause-not-in-seed.help")),
        );
    }
    let mut also = Vec::new();
    for cited in &rule.also {
        if !seed.contains(&cited.clause.value) {
            errors.push(
                err(
                    PlanCode::ClauseNotInSeed,
                    spanned_span(&cited.clause.referenced),
                    Msg::new("plan.clause-not-in-seed"),
                )
                .help(Msg::new("plan.clause-not-in-seed.help")),
            );
        }
        also.push(cited.clause.value.clone());
    }
    let from = date_at(path, text, &rule.in_force_from, errors).map(|d| d.value);
    let until = date_at(path, text, &rule.in_force_until, errors).map(|d| d.value);
    let params: serde_json::Map<String, serde_json::Value> = rule
        .params
        .iter()
        .map(|(k, v)| (k.clone(), v.value.clone()))
        .collect();
    let tables: Vec<&str> = tables.iter().map(String::as_str).collect();
    // A template of the pack, by its name or its script (`./shape.rhai`).
    let wanted = &rule.template.value;
    let own = templates.iter().find(|t| {
        t.name == wanted
            || (wanted.ends_with(".rhai") && join(parent(path), wanted) == t.script_path)
    });
    let compiled = match own {
        Some(t) => {
            let checked = super::template::check_params(t.name, t.raw, &rule.params);
            let values = match checked {
                Ok(values) => values,
                Err(problems) => {
                    for (key, why) in problems {
                        let span = key
                            .and_then(|key| {
                                let value = rule.params.get(&key)?;
                                Some(param_span(text, &key, spanned_span(&value.referenced)))
                            })
                            .unwrap_or(spanned_span(&rule.template.referenced));
                        errors.push(err(PlanCode::BadTemplate, span, why));
                    }
                    return None;
                }
            };
            // A template that did not compile was reported at its script.
            let template = t.compiled.as_ref()?;
            compiler.instantiate(template, &values).ok_or_else(|| {
                Msg::new("plan.template-script")
                    .arg("name", t.name)
                    .arg("path", &t.script_path)
            })
        }
        None => compiler.compile_template(&rule.template.value, &params, &tables),
    };
    let (entries, compiled) = match compiled {
        Ok(c) => c,
        Err(why) => {
            // At the parameter the message is about, else at `template:`.
            let span = param_named(&why)
                .and_then(|key| Some((key, rule.params.get(key)?)))
                .map_or(spanned_span(&rule.template.referenced), |(key, value)| {
                    param_span(text, key, spanned_span(&value.referenced))
                });
            errors.push(err(PlanCode::BadTemplate, span, why));
            return None;
        }
    };
    let id = format!("{}.{name}", manifest.id);
    // The rule's documentation, in the shape of a script's header.
    let citation = manifest
        .document_number
        .clone()
        .unwrap_or_else(|| manifest.title.clone());
    let restated: String = rule
        .also
        .iter()
        .map(|c| {
            format!(
                "\n\nAlso ({citation}, {}):\n  {}",
                c.section, c.clause.value
            )
        })
        .collect();
    let mut doc = format!(
        "{id}: {}\n\nClause ({citation}, {}):\n  {clause}{restated}\n\nChecks: {}\n\nTemplate: {}",
        rule.title.en,
        rule.section,
        rule.checks.trim(),
        rule.template.value
    );
    let params = serde_json::to_string(&params).unwrap_or_default();
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
        also,
        entries,
        // A template of the pack by its name, however the rule wrote it
        // (`at-least` or `./at-least.rhai`).
        template: Some(own.map_or_else(|| rule.template.value.clone(), |t| t.name.to_string())),
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

    /// A refused parameter is pointed at from its name to the end of its
    /// line; a quoted name, by its value; a value on the next lines, by
    /// its name alone.
    #[test]
    fn a_parameter_is_pointed_at_by_its_line() {
        let text = "params:\n  where: [[\"level\", \">=\", \"2\"]]   \n  figure: 10\n";
        let value = text.find("[[").unwrap();
        let at = param_span(text, "where", Span::new(value, 1));
        assert_eq!(
            &text[at.offset..at.offset + at.len],
            "where: [[\"level\", \">=\", \"2\"]]"
        );
        // `figure:` appears later, not before the value: the value itself.
        let quoted = "params:\n  \"due\": -5\n";
        let value = quoted.find("-5").unwrap();
        assert_eq!(
            param_span(quoted, "due", Span::new(value, 2)),
            Span::new(value, 2)
        );
        // An earlier `due:` of another rule is not taken for this one.
        let two = "a:\n  due: 0\nb:\n  \"due\": -5\n";
        let value = two.find("-5").unwrap();
        assert_eq!(
            param_span(two, "due", Span::new(value, 2)),
            Span::new(value, 2)
        );
        let block = "params:\n  where:\n    - [level, \">=\", \"2\"]\n";
        let value = block.find("- [").unwrap();
        let at = param_span(block, "where", Span::new(value, 1));
        assert_eq!(&block[at.offset..at.offset + at.len], "where");
    }

    /// The parameter a message is about, found in the phrase a template's
    /// error wraps.
    #[test]
    fn a_message_names_its_parameter() {
        let inner = Msg::new("plan.param-year").arg("key", "due");
        let outer = Msg::new("plan.template-build")
            .arg("name", "target")
            .phrase("why", inner);
        assert_eq!(param_named(&outer), Some("due"));
        assert_eq!(
            param_named(&Msg::new("plan.needs-params").arg("name", "x")),
            None
        );
    }

    /// A run reads only the head of a built-in pack it does not need: that
    /// head must say all the whole manifest says but its rules.
    #[test]
    fn a_builtin_manifest_ends_with_its_rules() {
        let files = embedded_files();
        let manifests: Vec<_> = files
            .iter()
            .filter(|(p, _)| p.ends_with("pack.yaml"))
            .collect();
        // Every pack under rules/ (a new city is one more), none left out.
        let on_disk = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"))
            .unwrap()
            .flatten()
            .filter(|e| e.path().join("pack.yaml").is_file())
            .count();
        assert!(on_disk >= 1);
        assert_eq!(manifests.len(), on_disk);
        for (path, text) in manifests {
            let whole: RawManifest = serde_saphyr::from_str(text).unwrap();
            let head: RawManifest = serde_saphyr::from_str(head_part(path, text)).unwrap();
            assert!(head_part(path, text).len() < text.len() / 4, "{path}");
            assert!(head.rules.is_empty() && !whole.rules.is_empty(), "{path}");
            let said = |m: &RawManifest| {
                format!(
                    "{:?}",
                    (
                        (
                            &m.id,
                            &m.title,
                            &m.document_number,
                            &m.issuer,
                            &m.dated,
                            &m.published
                        ),
                        (
                            &m.in_force_from,
                            &m.in_force_until,
                            &m.seed,
                            &m.aliases,
                            &m.data
                        ),
                        (&m.notes, &m.replaces),
                    )
                )
            };
            assert_eq!(said(&head), said(&whole), "{path}");
        }
    }

    /// Any other pack's keys may come in any order: all of it is read.
    #[test]
    fn another_pack_is_read_whole() {
        let text = "id: x\nrules: {}\naliases: [十堰]\n";
        assert_eq!(head_part("/tmp/p/pack.yaml", text), text);
        let head: RawHead = serde_saphyr::from_str(head_part("/tmp/p/pack.yaml", text)).unwrap();
        assert_eq!(head.id.value, "x");
    }

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
