//! `peitao lsp`: a language server over stdio for YAML submissions and
//! rule packs' `pack.yaml`. A consumer of the check pipeline, like
//! `report`: it runs [`check::check_text`] on every change of a submission
//! (and the pack loader on every change of a manifest) and turns the typed
//! results into diagnostics, hovers, completions and code actions.
//!
//! Synchronous (lsp-server): one loop reads messages; a change marks its
//! document dirty, and dirty documents are checked once the queue of
//! incoming messages is empty and their debounce time has passed, so a burst
//! of changes costs one check. A request on a dirty document checks it first.

mod actions;
mod complete;
mod context;
mod diagnostics;
mod hover;
mod pack;
pub mod position;
pub mod transport;
pub use crate::base::uri;

use crate::check::{self, FileResult, Options};
use crate::engine::Catalog;
use crate::input::Limits;
use crate::plan::{self, Lang, PlanError};
use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::{CodeActionParams, CompletionParams, HoverParams, PublishDiagnosticsParams, Uri};
use position::Lines;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How the server is set up: from `peitao lsp`'s arguments, then the
/// client's `initializationOptions` (`rules`, `noBuiltinRules`, `lang`,
/// `debounceMs`). A workspace configuration file (`peitao.toml`, issue 13)
/// plugs in at [`Settings::merge_json`]'s level: it yields the same fields.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Rule pack directories besides (or instead of) the built-in packs.
    pub rules: Vec<PathBuf>,
    pub no_builtin_rules: bool,
    pub lang: Lang,
    /// The language was given on the command line: a config's does not
    /// replace it (the editor's options still may, as they come last).
    pub lang_given: bool,
    /// Quiet time after a change before the document is checked; 0 checks
    /// as soon as the incoming queue is empty.
    pub debounce: Duration,
    pub limits: Limits,
    /// `--config FILE`: the office's config, used whole; otherwise the
    /// nearest peitao.toml above the workspace is, and one in it gives
    /// only its presentation (docs/editors.md).
    pub config: Option<PathBuf>,
    /// `--no-config`: read no peitao.toml.
    pub no_config: bool,
    /// Built-in plans a pack may replace (`--allow-replace`, the office's
    /// `allow_replace`, the client's `allowReplace`).
    pub allow_replace: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            rules: Vec::new(),
            no_builtin_rules: false,
            lang: Lang::from_env(),
            lang_given: false,
            debounce: Duration::ZERO,
            limits: Limits::default(),
            config: None,
            no_config: false,
            allow_replace: Vec::new(),
        }
    }
}

impl Settings {
    /// Apply the workspace's peitao.toml as `peitao check` run there reads
    /// it: its rule directories (before the server's own), whether the
    /// built-in packs load, its language and its input limits.
    pub fn merge_config(&mut self, config: &crate::config::Config) {
        let mut rules = config.rules.clone();
        rules.append(&mut self.rules);
        self.rules = rules;
        if config.builtin_rules == Some(false) {
            self.no_builtin_rules = true;
        }
        match config.lang.as_deref().filter(|_| !self.lang_given) {
            Some("zh") => self.lang = Lang::Zh,
            Some("en") => self.lang = Lang::En,
            _ => {}
        }
        self.allow_replace
            .extend(config.allow_replace.iter().cloned());
        let l = &mut self.limits;
        l.max_file_bytes = config.max_file_size.unwrap_or(l.max_file_bytes);
        l.max_depth = config.max_depth.unwrap_or(l.max_depth);
        l.max_nodes = config.max_nodes.unwrap_or(l.max_nodes);
        l.max_aliases = config.max_aliases.unwrap_or(l.max_aliases);
        l.max_records = config.max_records.unwrap_or(l.max_records);
    }

    /// Apply the client's options; relative rule directories are taken
    /// from the workspace root.
    pub fn merge_json(&mut self, options: &Value, root: Option<&Path>) {
        if let Some(dirs) = options.get("rules").and_then(Value::as_array) {
            for d in dirs.iter().filter_map(Value::as_str) {
                let d = Path::new(d);
                self.rules.push(match root {
                    Some(r) if d.is_relative() => r.join(d),
                    _ => d.to_path_buf(),
                });
            }
        }
        if let Some(b) = options.get("noBuiltinRules").and_then(Value::as_bool) {
            self.no_builtin_rules = b;
        }
        match options.get("lang").and_then(Value::as_str) {
            Some("zh") => self.lang = Lang::Zh,
            Some("en") => self.lang = Lang::En,
            _ => {}
        }
        if let Some(ids) = options.get("allowReplace").and_then(Value::as_array) {
            let ids = ids.iter().filter_map(Value::as_str).map(str::to_string);
            self.allow_replace.extend(ids);
        }
        if let Some(ms) = options.get("debounceMs").and_then(Value::as_u64) {
            self.debounce = Duration::from_millis(ms);
        }
    }
}

/// The built-in packs (unless left out) and those of `dirs`; a pack that
/// replaces a built-in plan only when `allowed` names it.
fn load_catalog(
    builtin: bool,
    dirs: &[PathBuf],
    allowed: &[String],
) -> Result<Catalog, Vec<PlanError>> {
    let mut files = if builtin {
        plan::embedded_files()
    } else {
        plan::Files::new()
    };
    for dir in dirs {
        files.extend(plan::load_dir(dir)?);
    }
    let refused = plan::refuse_replacements(&files, allowed);
    if !refused.is_empty() {
        return Err(refused);
    }
    crate::engine::load_files(&files)
}

/// The workspace's settings files: the office's (`--config`, else the
/// nearest peitao.toml above the workspace), whole; and one inside the
/// workspace, which an editor is checking, for its presentation only. What
/// the server should tell the user about them comes back as messages.
fn read_configs(settings: &mut Settings, root: Option<&Path>) -> Vec<crate::input::Msg> {
    use crate::input::Msg;
    let mut notes = Vec::new();
    if settings.no_config {
        return notes;
    }
    let tree = root.and_then(|r| std::fs::canonicalize(r).ok());
    let (office, planted) = match (&settings.config, root) {
        (Some(p), _) => (Some(p.clone()), None),
        (None, Some(root)) => {
            let found = crate::config::discover_outside(root, tree.as_slice());
            (found.office, found.planted.map(|(p, _)| p))
        }
        (None, None) => (None, None),
    };
    let mut merged = None;
    if let Some(path) = office {
        match crate::config::load(&path) {
            Ok(config) => merged = Some(config),
            Err(_) => notes.push(Msg::new("lsp.config-unreadable").arg("path", path.display())),
        }
    }
    if let Some(path) = planted {
        match crate::config::load(&path) {
            Ok(applicant) => {
                let ignored = applicant.ignored_keys();
                if !ignored.is_empty() {
                    notes.push(
                        Msg::new("lsp.config-inside")
                            .arg("path", path.display())
                            .names("keys", &ignored)
                            .names("kept", crate::config::PRESENTATION_KEYS),
                    );
                }
                merged = Some(match merged {
                    Some(mut office) => {
                        office.fill_presentation_from(&applicant);
                        office
                    }
                    None => applicant.presentation_only(),
                });
            }
            Err(_) => notes.push(Msg::new("lsp.config-unreadable").arg("path", path.display())),
        }
    }
    if let Some(config) = merged {
        settings.merge_config(&config);
    }
    notes
}

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Serve on standard input and output until the client says exit.
pub fn run_stdio(settings: Settings) -> Result<(), Error> {
    // Not lsp-server's stdio: its reader allocates any Content-Length.
    let (connection, text, io) = transport::stdio(settings.lang);
    serve(&connection, Some(text), settings)?;
    drop(connection);
    io.join()?;
    Ok(())
}

/// One open submission.
struct Doc {
    version: i32,
    lines: Lines,
    result: FileResult,
    /// Checked result is out of date since this moment (plus the debounce).
    dirty_since: Option<Instant>,
}

/// An open pack manifest: the editor's text, loaded with the pack's other
/// files from disk.
struct ManifestDoc {
    lines: Lines,
    text: Arc<str>,
    dirty_since: Option<Instant>,
}

/// The open manifest whose pack's errors are being published: errors in
/// its directory only, the manifest's own at the editor's document.
struct OpenPack<'a> {
    dir: &'a Path,
    key: &'a str,
    uri: &'a str,
}

struct Server<'c> {
    conn: &'c Connection,
    /// Where messages made into JSON-RPC text go, when the connection's
    /// writer takes them (`transport::stdio`): diagnostics are published
    /// without building a `serde_json::Value` of them first.
    text: Option<crossbeam_channel::Sender<Vec<u8>>>,
    settings: Settings,
    root: Option<PathBuf>,
    catalog: Arc<Catalog>,
    options: Options,
    docs: HashMap<String, Doc>,
    manifests: HashMap<String, ManifestDoc>,
    links: diagnostics::ClauseLinks,
    /// Pack files that have loading errors published.
    pack_errors: BTreeSet<String>,
}

/// Initialize, then answer requests until shutdown; `text` takes messages
/// already made into JSON-RPC text, if the connection's writer has such a
/// channel.
pub fn serve(
    conn: &Connection,
    text: Option<crossbeam_channel::Sender<Vec<u8>>>,
    mut settings: Settings,
) -> Result<(), Error> {
    let (id, params) = conn.initialize_start()?;
    let root = params
        .get("rootUri")
        .and_then(Value::as_str)
        .and_then(uri::to_path)
        .or_else(|| {
            params
                .get("rootPath")
                .and_then(Value::as_str)
                .map(PathBuf::from)
        });
    // The workspace's peitao.toml first; the client's options win over it.
    let config_notes = read_configs(&mut settings, root.as_deref());
    if let Some(options) = params.get("initializationOptions") {
        settings.merge_json(options, root.as_deref());
    }
    let capabilities = json!({
        "positionEncoding": "utf-16",
        "textDocumentSync": { "openClose": true, "change": 1, "save": { "includeText": false } },
        "hoverProvider": true,
        "completionProvider": { "triggerCharacters": [] },
        "codeActionProvider": { "codeActionKinds": ["quickfix", "refactor.rewrite"] },
    });
    conn.initialize_finish(
        id,
        json!({
            "capabilities": capabilities,
            "serverInfo": { "name": "peitao", "version": env!("CARGO_PKG_VERSION") },
        }),
    )?;
    let (catalog, load_errors) = match load_catalog(
        !settings.no_builtin_rules,
        &settings.rules,
        &settings.allow_replace,
    ) {
        Ok(c) => (c, Vec::new()),
        // Broken configured packs: say so where they are, and keep serving
        // with the built-in packs.
        Err(errors) => (
            load_catalog(true, &[], &[]).map_err(|_| "the built-in rule packs do not load")?,
            errors,
        ),
    };
    let mut server = Server {
        conn,
        text,
        options: Options {
            limits: settings.limits.clone(),
            ..Options::default()
        },
        links: diagnostics::ClauseLinks::new(root.clone()),
        settings,
        root,
        catalog: Arc::new(catalog),
        docs: HashMap::new(),
        manifests: HashMap::new(),
        pack_errors: BTreeSet::new(),
    };
    let lang = server.settings.lang;
    for note in &config_notes {
        server.show_message(&format!(
            "peitao: {}",
            crate::report::messages::say(note, lang)
        ));
    }
    if !load_errors.is_empty() {
        server.show_message(&format!(
            "peitao: {}",
            crate::report::messages::say(
                &crate::input::Msg::new("lsp.packs-unloaded").arg("count", load_errors.len()),
                lang
            )
        ));
        server.publish_plan_errors(&load_errors, None)?;
    }
    server.run()
}

impl Server<'_> {
    fn run(&mut self) -> Result<(), Error> {
        loop {
            let due = self.next_due();
            let message = match due {
                Some(at) => match self.conn.receiver.recv_deadline(at) {
                    Ok(m) => Some(m),
                    Err(crossbeam_timeout) if crossbeam_timeout.is_timeout() => None,
                    Err(_) => return Ok(()),
                },
                None => match self.conn.receiver.recv() {
                    Ok(m) => Some(m),
                    Err(_) => return Ok(()),
                },
            };
            match message {
                Some(Message::Request(req)) => {
                    if self.conn.handle_shutdown(&req)? {
                        return Ok(());
                    }
                    self.request(req)?;
                }
                Some(Message::Notification(n)) => {
                    if n.method == "exit" {
                        return Ok(());
                    }
                    self.notification(n)?;
                }
                Some(Message::Response(_)) => {}
                None => {}
            }
            if self.conn.receiver.is_empty() {
                self.check_due()?;
            }
        }
    }

    fn next_due(&self) -> Option<Instant> {
        self.docs
            .values()
            .filter_map(|d| d.dirty_since)
            .chain(self.manifests.values().filter_map(|m| m.dirty_since))
            .min()
            .map(|t| t + self.settings.debounce)
    }

    fn check_due(&mut self) -> Result<(), Error> {
        let now = Instant::now();
        let due: Vec<String> = self
            .docs
            .iter()
            .filter(|(_, d)| {
                d.dirty_since
                    .is_some_and(|t| t + self.settings.debounce <= now)
            })
            .map(|(u, _)| u.clone())
            .collect();
        for uri in due {
            self.check_now(&uri)?;
        }
        let due: Vec<String> = self
            .manifests
            .iter()
            .filter(|(_, m)| {
                m.dirty_since
                    .is_some_and(|t| t + self.settings.debounce <= now)
            })
            .map(|(u, _)| u.clone())
            .collect();
        for uri in due {
            self.check_manifest(&uri)?;
        }
        Ok(())
    }

    fn send(&self, m: impl Into<Message>) -> Result<(), Error> {
        self.conn
            .sender
            .send(m.into())
            .map_err(|e| e.to_string().into())
    }

    fn show_message(&self, text: &str) {
        let _ = self.send(Notification::new(
            "window/showMessage".into(),
            json!({ "type": 2, "message": text }),
        ));
    }

    fn shown_path(&self, uri: &str) -> String {
        match uri::to_path(uri) {
            Some(p) => {
                let p = self
                    .root
                    .as_ref()
                    .and_then(|r| p.strip_prefix(r).ok())
                    .map_or(p.clone(), Path::to_path_buf);
                p.to_string_lossy().replace('\\', "/")
            }
            None => uri.to_string(),
        }
    }

    fn open(&mut self, uri: &str, version: i32, text: String) {
        let text: Arc<str> = Arc::from(text);
        let doc = Doc {
            version,
            lines: Lines::new(&text),
            result: FileResult {
                path: self.shown_path(uri),
                source: text,
                outcome: check::Outcome::Unreadable("not checked yet".into()),
                review: Default::default(),
                transcoded_from: None,
                cells: None,
            },
            dirty_since: Some(Instant::now()),
        };
        self.docs.insert(uri.to_string(), doc);
    }

    /// Check a document whose result is out of date, and publish.
    fn check_now(&mut self, uri: &str) -> Result<(), Error> {
        let Some(doc) = self.docs.get_mut(uri) else {
            return Ok(());
        };
        if doc.dirty_since.take().is_none() {
            return Ok(());
        }
        doc.result = check::check_text(
            &self.catalog,
            &doc.result.path,
            doc.result.source.clone(),
            &self.options,
        );
        // What the client sent is not a URI we can answer to: nothing to publish.
        let Ok(parsed) = uri.parse::<Uri>() else {
            return Ok(());
        };
        let diagnostics = diagnostics::of_file(
            &self.catalog,
            &doc.result,
            &doc.lines,
            &parsed,
            self.settings.lang,
            &mut self.links,
        );
        let params = PublishDiagnosticsParams::new(parsed, diagnostics, Some(doc.version));
        match &self.text {
            Some(text) => text
                .send(diagnostics::publish_text(&params))
                .map_err(|e| e.to_string().into()),
            None => self.send(Notification::new(
                "textDocument/publishDiagnostics".into(),
                params,
            )),
        }
    }

    fn notification(&mut self, n: Notification) -> Result<(), Error> {
        let params = &n.params;
        let uri = params["textDocument"]["uri"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let text = params["textDocument"]["text"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                let version = params["textDocument"]["version"].as_i64().unwrap_or(0) as i32;
                if is_manifest(&uri, &text) {
                    self.open_manifest(&uri, text);
                } else if is_pack_file(&uri) {
                    self.pack_saved(&uri)?;
                } else if is_submission(&uri, params["textDocument"]["languageId"].as_str()) {
                    self.open(&uri, version, text);
                }
            }
            "textDocument/didChange" => {
                let version = params["textDocument"]["version"].as_i64().unwrap_or(0) as i32;
                // Full sync: the last change holds the whole text.
                let text = params["contentChanges"]
                    .as_array()
                    .and_then(|c| c.last())
                    .and_then(|c| c["text"].as_str());
                if let (Some(text), true) = (text, self.docs.contains_key(&uri)) {
                    self.open(&uri, version, text.to_string());
                } else if let (Some(text), true) = (text, self.manifests.contains_key(&uri)) {
                    self.open_manifest(&uri, text.to_string());
                }
            }
            "textDocument/didClose" => {
                let manifest = self.manifests.remove(&uri).is_some();
                let submission = self.docs.remove(&uri).is_some();
                if !manifest && !submission {
                    return Ok(());
                }
                self.pack_errors.remove(&uri);
                // What the client sent is not a URI we can answer to: nothing to publish.
                let Ok(parsed) = uri.parse::<Uri>() else {
                    return Ok(());
                };
                self.send(Notification::new(
                    "textDocument/publishDiagnostics".into(),
                    PublishDiagnosticsParams::new(parsed, Vec::new(), None),
                ))?;
            }
            "textDocument/didSave" if self.manifests.contains_key(&uri) || is_pack_file(&uri) => {
                self.pack_saved(&uri)?
            }
            _ => {}
        }
        Ok(())
    }

    fn request(&mut self, req: Request) -> Result<(), Error> {
        const ANSWERED: [&str; 3] = [
            "textDocument/hover",
            "textDocument/completion",
            "textDocument/codeAction",
        ];
        if !ANSWERED.contains(&req.method.as_str()) {
            let error = lsp_server::ErrorCode::MethodNotFound as i32;
            let why = format!("peitao lsp does not answer {}", req.method);
            return self.send(Response::new_err(req.id, error, why));
        }
        let uri = req.params["textDocument"]["uri"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if let Some(m) = self.manifests.get(&uri) {
            let result = self.answer_manifest(&req, m);
            return self.send(match result {
                Ok(result) => Response::new_ok(req.id, result),
                Err(e) => Response::new_err(
                    req.id,
                    lsp_server::ErrorCode::InvalidParams as i32,
                    e.to_string(),
                ),
            });
        }
        // Answer from an up-to-date result.
        self.check_now(&uri)?;
        let response = match self.docs.get(&uri) {
            None => Response::new_ok(req.id, Value::Null),
            Some(doc) => match self.answer(&req, doc) {
                Ok(result) => Response::new_ok(req.id, result),
                // Bad parameters get an error answer; the server goes on.
                Err(e) => Response::new_err(
                    req.id,
                    lsp_server::ErrorCode::InvalidParams as i32,
                    e.to_string(),
                ),
            },
        };
        self.send(response)
    }

    fn answer(&self, req: &Request, doc: &Doc) -> Result<Value, Error> {
        let text = &doc.result.source;
        Ok(match req.method.as_str() {
            "textDocument/hover" => {
                let p: HoverParams = serde_json::from_value(req.params.clone())?;
                let offset = doc
                    .lines
                    .offset(text, p.text_document_position_params.position);
                match hover::at(
                    &self.catalog,
                    &doc.result,
                    &self.options.limits,
                    self.settings.lang,
                    offset,
                ) {
                    Some(markdown) => {
                        json!({ "contents": { "kind": "markdown", "value": markdown } })
                    }
                    None => Value::Null,
                }
            }
            "textDocument/completion" => {
                let p: CompletionParams = serde_json::from_value(req.params.clone())?;
                let offset = doc.lines.offset(text, p.text_document_position.position);
                serde_json::to_value(complete::at(
                    &self.catalog,
                    text,
                    offset,
                    self.settings.lang,
                ))?
            }
            "textDocument/codeAction" => {
                let p: CodeActionParams = serde_json::from_value(req.params.clone())?;
                let from = doc.lines.offset(text, p.range.start);
                let to = doc.lines.offset(text, p.range.end);
                serde_json::to_value(actions::at(
                    &doc.result,
                    &doc.lines,
                    &self.options.limits,
                    &p.text_document.uri,
                    from,
                    to,
                    &p.context.diagnostics,
                    self.settings.lang,
                ))?
            }
            _ => Value::Null,
        })
    }

    /// Hover and completion in an open manifest (no code actions there).
    fn answer_manifest(&self, req: &Request, m: &ManifestDoc) -> Result<Value, Error> {
        let text = &m.text;
        let lang = self.settings.lang;
        Ok(match req.method.as_str() {
            "textDocument/hover" => {
                let p: HoverParams = serde_json::from_value(req.params.clone())?;
                let offset = m
                    .lines
                    .offset(text, p.text_document_position_params.position);
                match pack::hover(text, offset, lang) {
                    Some(markdown) => {
                        json!({ "contents": { "kind": "markdown", "value": markdown } })
                    }
                    None => Value::Null,
                }
            }
            "textDocument/completion" => {
                let p: CompletionParams = serde_json::from_value(req.params.clone())?;
                let offset = m.lines.offset(text, p.text_document_position.position);
                serde_json::to_value(pack::complete(text, offset, lang))?
            }
            _ => json!([]),
        })
    }

    /// A manifest opened or changed: its pack is loaded once the changes
    /// stop (like a submission's check).
    fn open_manifest(&mut self, uri: &str, text: String) {
        let text: Arc<str> = Arc::from(text);
        let m = ManifestDoc {
            lines: Lines::new(&text),
            text,
            dirty_since: Some(Instant::now()),
        };
        self.manifests.insert(uri.to_string(), m);
    }

    /// The configured rule directories, links resolved.
    fn configured(&self) -> Vec<PathBuf> {
        self.settings.rules.iter().map(|d| canonical(d)).collect()
    }

    /// Load the pack of an open manifest with the editor's text and publish
    /// the loader's errors in its files.
    fn check_manifest(&mut self, uri: &str) -> Result<(), Error> {
        let Some(m) = self.manifests.get_mut(uri) else {
            return Ok(());
        };
        if m.dirty_since.take().is_none() {
            return Ok(());
        }
        let text = m.text.clone();
        let Some(dir) = uri::to_path(uri).and_then(|p| p.parent().map(canonical)) else {
            return Ok(());
        };
        let configured = self.configured();
        let setting = pack::Setting {
            builtin: !self.settings.no_builtin_rules,
            configured: &configured,
            allow_replace: &self.settings.allow_replace,
        };
        let errors = pack::errors(&text, &dir, &setting);
        let key = pack::manifest_key(&dir);
        self.publish_plan_errors(
            &errors,
            Some(&OpenPack {
                dir: &dir,
                key: &key,
                uri,
            }),
        )
    }

    /// A rule pack's file was saved (or opened): load its pack and show the
    /// loader's errors in the files they point into. A pack among the
    /// configured rule directories is reloaded with them all and, when it
    /// loads, replaces the catalog the open submissions are checked with.
    /// A pack whose manifest is open is diagnosed from the editor's text
    /// (`check_manifest`) instead.
    fn pack_saved(&mut self, uri: &str) -> Result<(), Error> {
        let Some(path) = uri::to_path(uri) else {
            return Ok(());
        };
        let open_manifest = self
            .manifests
            .keys()
            .filter_map(|u| Some((u.clone(), uri::to_path(u)?.parent()?.to_path_buf())))
            .find(|(_, dir)| path.starts_with(dir));
        let Some(pack_dir) = path
            .ancestors()
            .skip(1)
            .take(3)
            .find(|d| d.join("pack.yaml").is_file())
            .map(Path::to_path_buf)
            .or_else(|| open_manifest.as_ref().map(|(_, dir)| dir.clone()))
        else {
            return Ok(());
        };
        if let Some((manifest, _)) = &open_manifest {
            if let Some(m) = self.manifests.get_mut(manifest) {
                m.dirty_since = Some(Instant::now());
            }
            let pack_dir = canonical(&pack_dir);
            let configured = self.configured();
            if configured.iter().any(|d| pack_dir.starts_with(d)) {
                if let Ok(catalog) = load_catalog(
                    !self.settings.no_builtin_rules,
                    &configured,
                    &self.settings.allow_replace,
                ) {
                    self.catalog = Arc::new(catalog);
                    let now = Instant::now();
                    self.docs
                        .values_mut()
                        .for_each(|d| d.dirty_since = Some(now));
                }
            }
            return Ok(());
        }
        let configured = self.configured();
        let pack_dir = canonical(&pack_dir);
        let in_config = configured.iter().any(|d| pack_dir.starts_with(d));
        let result = if in_config {
            load_catalog(
                !self.settings.no_builtin_rules,
                &configured,
                &self.settings.allow_replace,
            )
        } else {
            load_catalog(false, &[pack_dir], &self.settings.allow_replace)
        };
        match result {
            Ok(catalog) => {
                self.publish_plan_errors(&[], None)?;
                if in_config {
                    self.catalog = Arc::new(catalog);
                    let now = Instant::now();
                    self.docs
                        .values_mut()
                        .for_each(|d| d.dirty_since = Some(now));
                }
            }
            Err(errors) => self.publish_plan_errors(&errors, None)?,
        }
        Ok(())
    }

    /// Publish pack errors per file, clearing files that no longer have any:
    /// every pack file's, or for an open manifest those in its directory
    /// (and always the manifest's own, errors or none).
    fn publish_plan_errors(
        &mut self,
        errors: &[PlanError],
        open: Option<&OpenPack<'_>>,
    ) -> Result<(), Error> {
        let mut now: BTreeMap<String, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
        if let Some(o) = open {
            now.insert(o.uri.to_string(), Vec::new());
        }
        for (path, ds) in diagnostics::of_plan_errors(errors, self.settings.lang) {
            let abs = if path.is_absolute() {
                path
            } else {
                std::env::current_dir()
                    .map(|d| d.join(&path))
                    .unwrap_or(path)
            };
            let u = match open {
                Some(o) if abs.to_str() == Some(o.key) => o.uri.to_string(),
                Some(o) if !abs.starts_with(o.dir) => continue,
                _ => uri::from_path(&abs),
            };
            now.entry(u).or_default().extend(ds);
        }
        let in_scope = |u: &String| match open {
            None => true,
            Some(o) => u == o.uri || uri::to_path(u).is_some_and(|p| p.starts_with(o.dir)),
        };
        let stale: Vec<String> = self
            .pack_errors
            .iter()
            .filter(|u| in_scope(u) && !now.contains_key(*u))
            .cloned()
            .collect();
        for u in stale.iter().chain(now.keys()) {
            let parsed: Uri = u.parse().map_err(|_| format!("not a URI: {u}"))?;
            let ds = now.get(u).cloned().unwrap_or_default();
            self.send(Notification::new(
                "textDocument/publishDiagnostics".into(),
                PublishDiagnosticsParams::new(parsed, ds, None),
            ))?;
        }
        match open {
            None => {
                self.pack_errors = now.into_keys().collect();
                // An open manifest's pack is shown from the editor's text.
                let at = Instant::now();
                self.manifests
                    .values_mut()
                    .for_each(|m| m.dirty_since = Some(at));
            }
            Some(_) => {
                self.pack_errors.retain(|u| !in_scope(u));
                self.pack_errors.extend(
                    now.into_iter()
                        .filter(|(_, ds)| !ds.is_empty())
                        .map(|(u, _)| u),
                );
            }
        }
        Ok(())
    }
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// A pack's manifest: `pack.yaml`, or a YAML file that reads as one.
fn is_manifest(uri: &str, text: &str) -> bool {
    uri.ends_with("/pack.yaml")
        || ((uri.ends_with(".yaml") || uri.ends_with(".yml")) && pack::looks_like_manifest(text))
}

fn is_pack_file(uri: &str) -> bool {
    uri.ends_with(".rhai") || uri.ends_with("/pack.yaml") || uri.ends_with(".csv")
}

fn is_submission(uri: &str, language: Option<&str>) -> bool {
    language == Some("yaml") || uri.ends_with(".yaml") || uri.ends_with(".yml")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hover, completion and code actions at positions all over every
    /// example (valid, violating and broken by a typo) answer without
    /// panicking: a panic would end the editor's session.
    #[test]
    fn every_position_of_every_example_is_answered() {
        let catalog = load_catalog(true, &[], &[]).expect("the built-in packs load");
        let limits = Limits::default();
        let uri: Uri = "file:///x.yaml".parse().unwrap();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
        let mut answered = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let broken = text.replacen("kind:", "kidn:", 1).replacen(": ", ":{", 1);
            for text in [text, broken] {
                let file = check::check_text(
                    &catalog,
                    "x.yaml",
                    Arc::from(text.as_str()),
                    &Options::default(),
                );
                let lines = Lines::new(&text);
                let offsets = text.char_indices().map(|(i, _)| i).step_by(13);
                for offset in offsets.chain([text.len()]) {
                    if hover::at(&catalog, &file, &limits, Lang::En, offset).is_some() {
                        answered += 1;
                    }
                    complete::at(&catalog, &text, offset, Lang::Zh);
                    actions::at(&file, &lines, &limits, &uri, offset, offset, &[], Lang::Zh);
                }
            }
        }
        assert!(
            answered > 500,
            "hovers over fields and findings: {answered}"
        );
    }

    /// The diagnostics published as text are byte for byte what lsp-server
    /// writes of the same notification made through a `serde_json::Value`:
    /// every example, valid, violating and broken by a typo, in both
    /// languages, with a clause link, related places, a code given as a
    /// number, tags, data and no version, and with none at all.
    #[test]
    fn diagnostics_as_text_are_the_notification_lsp_server_writes() {
        let catalog = load_catalog(true, &[], &[]).expect("the built-in packs load");
        let mut links = diagnostics::ClauseLinks::new(None);
        let uri: Uri = "file:///x%20y/%E5%8D%81.yaml".parse().unwrap();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
        let framed = |params: &PublishDiagnosticsParams| {
            let text = String::from_utf8(diagnostics::publish_text(params)).unwrap();
            format!("Content-Length: {}\r\n\r\n{text}", text.len())
        };
        let written = |params: PublishDiagnosticsParams| {
            let mut out = Vec::new();
            Message::from(Notification::new(
                "textDocument/publishDiagnostics".into(),
                params,
            ))
            .write(&mut out)
            .unwrap();
            String::from_utf8(out).unwrap()
        };
        let (mut compared, mut related) = (0, 0);
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let broken = text.replacen("kind:", "kidn:", 1);
            for (text, lang) in [(text, Lang::En), (broken, Lang::Zh)] {
                let file = check::check_text(
                    &catalog,
                    "x.yaml",
                    Arc::from(text.as_str()),
                    &Options::default(),
                );
                let lines = Lines::new(&text);
                let mut found =
                    diagnostics::of_file(&catalog, &file, &lines, &uri, lang, &mut links);
                related += found
                    .iter()
                    .filter(|d| d.related_information.is_some())
                    .count();
                if let Some(d) = found.first_mut() {
                    d.code = Some(lsp_types::NumberOrString::Number(-7));
                    d.tags = Some(vec![lsp_types::DiagnosticTag::UNNECESSARY]);
                    d.data = Some(json!({ "z": [1, "\u{1b}\"\\"], "a": null }));
                    d.message.push_str(" \u{7f}\t\r\n𝄞 </script>");
                }
                compared += found.len();
                for version in [Some(3), None] {
                    let params = PublishDiagnosticsParams::new(uri.clone(), found.clone(), version);
                    assert_eq!(framed(&params), written(params));
                }
            }
        }
        assert!(
            compared > 100 && related > 10,
            "{compared} diagnostics, {related} with related places"
        );
        let empty = PublishDiagnosticsParams::new(uri.clone(), Vec::new(), Some(1));
        assert_eq!(framed(&empty), written(empty));
    }
}
