//! `peitao.toml`: an office's settings for `check` (what its command line
//! can say) and its waivers. Found in the current directory or a parent,
//! or named with `--config`; the command line overrides it. Errors are
//! [`InputError`]s located in the file, rendered like a submission's.

use crate::base::code::ConfigCode;
use crate::input::{did_you_mean, Date, InputError, Msg, Span};
use crate::review::Waiver;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml_span::value::{Table, ValueInner};
use toml_span::Value;

/// The file name looked for.
pub const FILE_NAME: &str = "peitao.toml";

/// Report formats a config may name (those of `--format`).
pub const FORMATS: &[&str] = &["human", "json", "sarif", "junit", "html", "csv", "github"];

/// Settings for `check`; `None` or empty: not set, the command line or the
/// default decides.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file as found, and its text (for diagnostics).
    pub path: PathBuf,
    pub source: Arc<str>,
    pub plans: Vec<String>,
    /// Rule pack directories, relative to the config file's directory.
    pub rules: Vec<PathBuf>,
    pub builtin_rules: Option<bool>,
    pub lang: Option<String>,
    pub format: Option<String>,
    /// `[reports]`: format = path, written besides the terminal output.
    pub reports: Vec<ReportPath>,
    pub fail_on: Option<String>,
    pub as_of: Option<Date>,
    pub color: Option<String>,
    pub width: Option<usize>,
    pub max_file_size: Option<usize>,
    pub max_depth: Option<usize>,
    pub max_nodes: Option<usize>,
    pub max_aliases: Option<usize>,
    pub max_records: Option<usize>,
    pub baseline: Option<PathBuf>,
    pub new_only: Option<bool>,
    pub quiet: Option<bool>,
    pub summary: Option<bool>,
    /// `ledger_keys = true`: the CSV and xlsx ledgers' headers are the
    /// stable English keys (`submission_id`) whatever the language.
    pub ledger_keys: Option<bool>,
    /// `[office]`: who makes the report (its header and signature block).
    pub office: Option<Office>,
    pub waivers: Vec<Arc<Waiver>>,
    /// `allow_replace`: built-in plans a pack may replace (`replaces:`).
    pub allow_replace: Vec<String>,
    /// Every top-level key as written, and where: what a config found in a
    /// checked tree is told it may not set.
    pub keys: Vec<(String, Span)>,
}

/// `[office]`: the office that files the report and the reviewer who
/// signs it, shown in the HTML and terminal reports' headers and the HTML
/// signature block. Each is text a person reads: invisible characters are
/// removed, and one with no visible text is refused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Office {
    /// The office (`十堰市民政局养老服务科`).
    pub name: Option<String>,
    /// The reviewer who signs (`王科长`).
    pub reviewer: Option<String>,
    /// A telephone number or other contact, printed under the signature.
    pub contact: Option<String>,
}

const OFFICE_KEYS: &[&str] = &["name", "reviewer", "contact"];

/// A report of `[reports]`: its format, its path (relative to the config
/// file's directory), and where the path is written in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportPath {
    pub format: String,
    pub path: PathBuf,
    pub span: Span,
}

/// The settings that change only how a report looks, never what is read,
/// written or concluded: all a `peitao.toml` inside a checked directory may
/// set (docs/bureau.md).
pub const PRESENTATION_KEYS: &[&str] = &["lang", "format", "color", "width"];

/// The config files a run may read, found from the directory it runs in.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Discovered {
    /// The nearest `peitao.toml` outside every checked directory: the
    /// office's.
    pub office: Option<PathBuf>,
    /// The nearest one inside a checked directory (nearer than the
    /// office's), and that directory: an applicant's, which may set only
    /// [`PRESENTATION_KEYS`].
    pub planted: Option<(PathBuf, PathBuf)>,
}

/// `peitao.toml` in `start` or the nearest parent that has one, told apart
/// by whether it lies inside (or below) one of `trees`, the directories a
/// run checks (canonical paths). Above the nearest one outside them the
/// search stops. Paths are relative to `start` when `start` is relative.
pub fn discover_outside(start: &Path, trees: &[PathBuf]) -> Discovered {
    let mut found = Discovered::default();
    let Ok(absolute) = std::path::absolute(start) else {
        return found;
    };
    let mut up = PathBuf::new();
    for dir in absolute.ancestors() {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            let shown = if start == Path::new(".") {
                up.join(FILE_NAME)
            } else if start.is_relative() {
                start.join(&up).join(FILE_NAME)
            } else {
                candidate.clone()
            };
            // Where the file lies, not where a link named peitao.toml
            // points: the directory it is found in is what decides.
            let real_dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
            match trees.iter().find(|t| real_dir.starts_with(t)) {
                Some(tree) => {
                    if found.planted.is_none() {
                        found.planted = Some((shown, tree.clone()));
                    }
                }
                None => {
                    found.office = Some(shown);
                    return found;
                }
            }
        }
        up.push("..");
    }
    found
}

/// Why a config could not be used.
#[derive(Debug)]
pub enum ConfigError {
    /// It could not be read (a `--config` path that does not exist …).
    Unreadable { path: PathBuf, why: Msg },
    /// Read, with these problems in it.
    Invalid {
        path: PathBuf,
        source: Arc<str>,
        errors: Vec<InputError>,
    },
}

/// Every code of a config error (`config::…`); what each means is the
/// catalogue's `code.config::…` (docs/codes.md).
pub const CONFIG_CODES: &[&str] = crate::base::code::ConfigCode::IDS;

const TOP_KEYS: &[&str] = &[
    "plans",
    "allow_replace",
    "rules",
    "builtin_rules",
    "lang",
    "format",
    "reports",
    "fail_on",
    "as_of",
    "color",
    "width",
    "max_file_size",
    "max_depth",
    "max_nodes",
    "max_aliases",
    "max_records",
    "baseline",
    "new_only",
    "quiet",
    "summary",
    "ledger_keys",
    "office",
    "waiver",
];

const WAIVER_KEYS: &[&str] = &[
    "rule",
    "digest",
    "path",
    "submission",
    "subject",
    "reason",
    "approved_by",
    "expires",
];

impl Config {
    /// The settings of a config found inside a checked directory: its
    /// presentation only ([`PRESENTATION_KEYS`]).
    pub fn presentation_only(&self) -> Config {
        Config {
            path: self.path.clone(),
            source: self.source.clone(),
            lang: self.lang.clone(),
            format: self.format.clone(),
            color: self.color.clone(),
            width: self.width,
            keys: self.keys.clone(),
            ..Config::default()
        }
    }

    /// Presentation this config leaves unset, taken from `other` (a config
    /// found inside a checked directory, under the office's).
    pub fn fill_presentation_from(&mut self, other: &Config) {
        self.lang = self.lang.take().or_else(|| other.lang.clone());
        self.format = self.format.take().or_else(|| other.format.clone());
        self.color = self.color.take().or_else(|| other.color.clone());
        self.width = self.width.or(other.width);
    }

    /// The keys this config sets that are not presentation, in the
    /// file's order, each once.
    pub fn ignored_keys(&self) -> Vec<&str> {
        let mut keys: Vec<&(String, Span)> = self
            .keys
            .iter()
            .filter(|(k, _)| !PRESENTATION_KEYS.contains(&k.as_str()))
            .collect();
        keys.sort_by_key(|(_, at)| at.offset);
        let mut names: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
        names.dedup();
        names
    }

    /// What a config inside the checked directory `tree` tried to set that
    /// is not presentation: one warning at the first such key, the others
    /// marked; `None` when it sets presentation only.
    pub fn ignored_inside(&self, tree: &Path) -> Option<InputError> {
        let mut ignored: Vec<&(String, Span)> = self
            .keys
            .iter()
            .filter(|(k, _)| !PRESENTATION_KEYS.contains(&k.as_str()))
            .collect();
        ignored.sort_by_key(|(_, at)| at.offset);
        let (_, first) = ignored.first()?;
        let names = self.ignored_keys();
        let mut e = InputError::new(
            crate::base::code::ConfigCode::InsideCheckedTree,
            *first,
            Msg::new("config.inside-checked-tree")
                .arg("tree", crate::base::shown::display_path(tree))
                .names("keys", &names)
                .names("kept", PRESENTATION_KEYS),
            "config.ignored-here",
        )
        .with_help(Msg::new("config.inside-checked-tree.help"));
        for (_, at) in ignored.iter().skip(1) {
            e = e.with_related(*at, "config.ignored-here");
        }
        Some(e)
    }

    /// `[reports]` paths that would write where the office did not mean:
    /// outside this file's directory, or into (or through a link into) a
    /// directory being checked (`trees`: each canonical, and as the command
    /// line named it). Each is located at its path in the file.
    pub fn report_path_errors(&self, trees: &[(PathBuf, PathBuf)]) -> Vec<InputError> {
        let dir = self.path.parent().unwrap_or(Path::new(""));
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let Ok(home) = std::fs::canonicalize(dir) else {
            return Vec::new();
        };
        let mut errors = Vec::new();
        for r in &self.reports {
            let Some(dest) = real_destination(&r.path) else {
                continue;
            };
            let why = if let Some((_, tree)) = trees.iter().find(|(t, _)| dest.starts_with(t)) {
                Msg::new("config.report-in-tree")
                    .arg("tree", crate::base::shown::display_path(tree))
            } else if !dest.starts_with(&home) {
                Msg::new("config.report-outside")
                    .arg("dir", crate::base::shown::display_path(&home))
            } else {
                continue;
            };
            errors.push(
                InputError::new(
                    crate::base::code::ConfigCode::ReportPath,
                    r.span,
                    Msg::new("config.report-path")
                        .arg("format", &r.format)
                        .arg("path", crate::base::shown::display_path(&dest))
                        .phrase("why", why),
                    "config.report-path.label",
                )
                .with_help(Msg::new("config.report-path.help")),
            );
        }
        errors
    }
}

/// Where writing `path` lands once `..` and every link on the way are
/// resolved: the nearest existing ancestor's real path and the rest of the
/// path after it (the file itself resolved too when it exists, as a link
/// there would be written through).
fn real_destination(path: &Path) -> Option<PathBuf> {
    use std::path::Component;
    let absolute = std::path::absolute(path).ok()?;
    let mut lexical = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            c => lexical.push(c),
        }
    }
    let mut rest = Vec::new();
    let mut existing = lexical.as_path();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            let mut out = real;
            out.extend(rest.iter().rev());
            return Some(out);
        }
        rest.push(existing.file_name()?.to_os_string());
        existing = existing.parent()?;
    }
}

/// `peitao.toml` in `start` or the nearest parent that has one, as a path
/// relative to `start` when `start` is relative.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(start).ok()?;
    let mut up = PathBuf::new();
    for dir in absolute.ancestors() {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some(if start == Path::new(".") {
                up.join(FILE_NAME)
            } else if start.is_relative() {
                start.join(&up).join(FILE_NAME)
            } else {
                candidate
            });
        }
        up.push("..");
    }
    None
}

/// Read and validate a config file.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    // Only a regular file, and never more than the limit: a FIFO named
    // peitao.toml is not opened, a 3 GB sparse file is not read.
    let text = crate::input::bounded::read_regular(path, crate::input::bounded::MAX_CONFIG_BYTES)
        .map_err(|why| ConfigError::Unreadable {
        path: path.to_path_buf(),
        why: why.msg(),
    })?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text).to_string();
    parse(path, Arc::from(text))
}

/// Validate a config's text; `path` names it and anchors relative paths.
pub fn parse(path: &Path, source: Arc<str>) -> Result<Config, ConfigError> {
    let mut reader = Reader::default();
    let mut config = Config {
        path: path.to_path_buf(),
        source: source.clone(),
        ..Config::default()
    };
    let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
    match toml_span::parse(&source) {
        Err(e) => reader.errors.push(syntax_error(&source, &e)),
        Ok(root) => {
            if let Some(table) = root.as_table() {
                reader.top(table, &base, &mut config);
            }
        }
    }
    if reader.errors.is_empty() {
        Ok(config)
    } else {
        reader.errors.sort_by_key(|e| e.span.offset);
        Err(ConfigError::Invalid {
            path: path.to_path_buf(),
            source,
            errors: reader.errors,
        })
    }
}

fn span(s: toml_span::Span) -> Span {
    Span::new(s.start, s.end.saturating_sub(s.start))
}

fn syntax_error(source: &str, e: &toml_span::Error) -> InputError {
    let at = span(e.span);
    let mut err = InputError::new(
        crate::base::code::ConfigCode::TomlSyntax,
        at,
        Msg::new("config.toml-syntax").quote("parser", e),
        "here",
    );
    // toml-span reads no TOML dates: say how to write one.
    let rest = source.get(at.offset..).unwrap_or("");
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    let line_start = source[..at.offset.min(source.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = &source[line_start..];
    if Date::parse(&word, false).is_ok()
        || line.trim_start().starts_with("expires")
        || line.trim_start().starts_with("as_of")
    {
        err = err.with_help(Msg::new("config.date-quoted.help"));
    }
    err
}

pub use crate::base::shown::visible;

#[derive(Default)]
struct Reader {
    errors: Vec<InputError>,
}

impl Reader {
    fn error(&mut self, code: ConfigCode, at: toml_span::Span, message: Msg, label: Msg) {
        self.errors
            .push(InputError::new(code, span(at), message, label));
    }

    fn unknown_key(&mut self, key: &toml_span::value::Key, known: &[&str], place: &str) {
        let mut e = InputError::new(
            crate::base::code::ConfigCode::UnknownKey,
            span(key.span),
            Msg::new("config.unknown-key")
                .arg("key", &key.name)
                .arg("place", place),
            "config.not-a-setting",
        );
        e = match did_you_mean(&key.name, known.iter().copied()) {
            Some(s) => e.with_help(Msg::new("did-you-mean").arg("best", s)),
            None => e.with_help(Msg::new("config.known-keys").names("keys", known)),
        };
        self.errors.push(e);
    }

    /// `expected` is a phrase of the catalogue (`config.a-string` …).
    fn wrong_type(&mut self, v: &Value, key: &str, expected: &'static str) {
        let found = match v.as_ref() {
            ValueInner::String(_) => "config.type.string",
            ValueInner::Integer(_) => "config.type.integer",
            ValueInner::Float(_) => "config.type.float",
            ValueInner::Boolean(_) => "config.type.boolean",
            ValueInner::Array(_) => "config.type.array",
            ValueInner::Table(_) => "config.type.table",
        };
        self.error(
            ConfigCode::WrongType,
            v.span,
            Msg::new("config.wrong-type")
                .arg("key", key)
                .phrase("expected", Msg::new(expected))
                .phrase("found", Msg::new(found)),
            Msg::new("expected").phrase("expected", Msg::new(expected)),
        );
    }

    fn string(&mut self, v: &Value, key: &str) -> Option<String> {
        match v.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.wrong_type(v, key, "kind-str");
                None
            }
        }
    }

    fn strings(&mut self, v: &Value, key: &str) -> Vec<String> {
        match v.as_ref() {
            ValueInner::String(s) => vec![s.to_string()],
            ValueInner::Array(items) => items.iter().filter_map(|i| self.string(i, key)).collect(),
            _ => {
                self.wrong_type(v, key, "config.strings");
                Vec::new()
            }
        }
    }

    fn boolean(&mut self, v: &Value, key: &str) -> Option<bool> {
        let b = v.as_bool();
        if b.is_none() {
            self.wrong_type(v, key, "true-or-false");
        }
        b
    }

    fn count(&mut self, v: &Value, key: &str) -> Option<usize> {
        match v.as_integer() {
            Some(i) if i > 0 => usize::try_from(i).ok(),
            Some(_) => {
                self.error(
                    ConfigCode::Negative,
                    v.span,
                    Msg::new("config.positive").arg("key", key),
                    Msg::new("config.not-positive"),
                );
                None
            }
            None => {
                self.wrong_type(v, key, "a-whole-number");
                None
            }
        }
    }

    fn choice(&mut self, v: &Value, key: &str, allowed: &[&str]) -> Option<String> {
        let s = self.string(v, key)?;
        if allowed.contains(&s.as_str()) {
            return Some(s);
        }
        let mut e = InputError::new(
            crate::base::code::ConfigCode::UnknownValue,
            span(v.span),
            Msg::new("config.not-allowed")
                .arg("key", key)
                .arg("value", &s)
                .names("allowed", allowed),
            "config.not-allowed.label",
        );
        if let Some(m) = did_you_mean(&s, allowed.iter().copied()) {
            e = e.with_help(Msg::new("config.did-you-mean-value").arg("best", m));
        }
        self.errors.push(e);
        None
    }

    fn date(&mut self, v: &Value, key: &str) -> Option<Date> {
        let s = self.string(v, key)?;
        match Date::parse_checked(&s, false) {
            Ok(d) => Some(d),
            Err(why) => {
                self.error(
                    ConfigCode::BadDate,
                    v.span,
                    Msg::new("config.bad-date")
                        .arg("key", key)
                        .phrase("why", why.msg()),
                    Msg::new("config.not-a-date"),
                );
                None
            }
        }
    }

    /// A waiver's `digest`: `sha256:` and 64 hex digits (any case), as
    /// reports write it; lowercased.
    fn digest(&mut self, written: &str, at: toml_span::Span) -> Option<String> {
        let hex = written.trim().strip_prefix("sha256:").unwrap_or("");
        if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Some(format!("sha256:{}", hex.to_ascii_lowercase()));
        }
        if !written.trim().is_empty() {
            self.error(
                ConfigCode::BadDigest,
                at,
                Msg::new("config.bad-digest").arg("value", written),
                Msg::new("config.bad-digest.label"),
            );
        }
        None
    }

    fn top(&mut self, table: &Table, base: &Path, c: &mut Config) {
        for (key, v) in table {
            let k = key.name.as_ref();
            c.keys.push((k.to_string(), span(key.span)));
            match k {
                "plans" => c.plans = self.strings(v, k),
                "allow_replace" => c.allow_replace = self.strings(v, k),
                "rules" => {
                    c.rules = self
                        .strings(v, k)
                        .into_iter()
                        .map(|d| base.join(d))
                        .collect()
                }
                "builtin_rules" => c.builtin_rules = self.boolean(v, k),
                "lang" => c.lang = self.choice(v, k, &["zh", "en"]),
                "format" => c.format = self.choice(v, k, FORMATS),
                "fail_on" => c.fail_on = self.choice(v, k, &["error", "warning", "never"]),
                "as_of" => c.as_of = self.date(v, k),
                "color" => c.color = self.choice(v, k, &["auto", "always", "never"]),
                "width" => c.width = self.count(v, k),
                "max_file_size" => c.max_file_size = self.count(v, k),
                "max_depth" => c.max_depth = self.count(v, k),
                "max_nodes" => c.max_nodes = self.count(v, k),
                "max_aliases" => c.max_aliases = self.count(v, k),
                "max_records" => c.max_records = self.count(v, k),
                "baseline" => c.baseline = self.string(v, k).map(|p| base.join(p)),
                "new_only" => c.new_only = self.boolean(v, k),
                "quiet" => c.quiet = self.boolean(v, k),
                "summary" => c.summary = self.boolean(v, k),
                "ledger_keys" => c.ledger_keys = self.boolean(v, k),
                "office" => c.office = self.office(v),
                "reports" => match v.as_table() {
                    Some(t) => {
                        for (format, path) in t {
                            if !FORMATS.contains(&format.name.as_ref()) {
                                self.unknown_key(format, FORMATS, "[reports]");
                            } else if let Some(p) = self.string(path, &format.name) {
                                c.reports.push(ReportPath {
                                    format: format.name.to_string(),
                                    path: base.join(p),
                                    span: span(path.span),
                                });
                            }
                        }
                    }
                    None => self.wrong_type(v, k, "config.reports-table"),
                },
                "waiver" => match v.as_ref() {
                    ValueInner::Array(items) => {
                        for (i, item) in items.iter().enumerate() {
                            // Its place in the file, whether or not those
                            // before it were valid.
                            let number = i + 1;
                            if let Some(mut w) = self.waiver(item, number) {
                                w.file = c.path.to_string_lossy().replace('\\', "/");
                                // The table's span may begin before its
                                // `[[waiver]]` line: point at that line.
                                let first_key = item
                                    .as_table()
                                    .and_then(|t| t.keys().map(|k| k.span.start).min())
                                    .unwrap_or(w.span.offset);
                                if let Some(at) = c.source[..first_key].rfind("[[") {
                                    w.span = Span::new(
                                        at,
                                        (w.span.offset + w.span.len).saturating_sub(at),
                                    );
                                }
                                w.line = c.source[..w.span.offset.min(c.source.len())]
                                    .matches('\n')
                                    .count()
                                    + 1;
                                c.waivers.push(Arc::new(w));
                            }
                        }
                    }
                    _ => self.wrong_type(v, k, "config.waiver-list"),
                },
                _ => self.unknown_key(key, TOP_KEYS, FILE_NAME),
            }
        }
    }

    fn office(&mut self, v: &Value) -> Option<Office> {
        let Some(table) = v.as_table() else {
            self.wrong_type(v, "office", "config.a-table");
            return None;
        };
        let mut office = Office::default();
        for (key, v) in table {
            let name = key.name.as_ref();
            if !OFFICE_KEYS.contains(&name) {
                self.unknown_key(key, OFFICE_KEYS, "[office]");
                continue;
            }
            let Some(text) = self.string(v, &format!("office.{name}")) else {
                continue;
            };
            let shown = visible(&text);
            if shown.trim().is_empty() {
                let (message, label) = if text.trim().is_empty() {
                    ("config.office-empty", "config.empty.label")
                } else {
                    ("config.office-invisible", "config.invisible.label")
                };
                self.error(
                    ConfigCode::Empty,
                    v.span,
                    Msg::new(message).arg("name", name),
                    Msg::new(label),
                );
                continue;
            }
            let shown = shown.trim().to_string();
            match name {
                "name" => office.name = Some(shown),
                "reviewer" => office.reviewer = Some(shown),
                _ => office.contact = Some(shown),
            }
        }
        Some(office)
    }

    fn waiver(&mut self, v: &Value, number: usize) -> Option<Waiver> {
        let Some(table) = v.as_table() else {
            self.wrong_type(v, "waiver", "config.a-table");
            return None;
        };
        let before = self.errors.len();
        let field = |r: &mut Reader, name: &str| -> Option<(String, toml_span::Span)> {
            let (_, v) = table.iter().find(|(k, _)| k.name == name)?;
            let mut s = r.string(v, &format!("waiver.{name}"))?;
            let shown = visible(&s);
            if s.trim().is_empty() {
                r.error(
                    ConfigCode::Empty,
                    v.span,
                    Msg::new("config.empty").arg("name", name),
                    Msg::new("config.empty.label"),
                );
            } else if shown.is_empty() {
                r.error(
                    ConfigCode::Empty,
                    v.span,
                    Msg::new("config.invisible").arg("name", name),
                    Msg::new("config.invisible.label"),
                );
            }
            // Who approved and why is read by people: what they see is what
            // counts, and a direction mark cannot reorder it in a report.
            if matches!(name, "reason" | "approved_by") {
                s = shown;
            }
            Some((s, v.span))
        };
        let rule = field(self, "rule");
        let digest = field(self, "digest").and_then(|(d, at)| self.digest(&d, at));
        let path = field(self, "path");
        let submission = field(self, "submission");
        let subject = field(self, "subject");
        let reason = field(self, "reason");
        let approved_by = field(self, "approved_by");
        let expires = table
            .iter()
            .find(|(k, _)| k.name == "expires")
            .and_then(|(_, v)| self.date(v, "waiver.expires"));
        for key in table.keys() {
            if !WAIVER_KEYS.contains(&key.name.as_ref()) {
                self.unknown_key(key, WAIVER_KEYS, "[[waiver]]");
            }
        }
        // Present but wrong has its own error already.
        let missing: Vec<&str> = ["rule", "reason", "approved_by", "expires"]
            .into_iter()
            .filter(|name| !table.iter().any(|(k, _)| k.name == *name))
            .collect();
        if !missing.is_empty() {
            let list = missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            self.errors.push(
                InputError::new(
                    crate::base::code::ConfigCode::MissingField,
                    span(v.span),
                    Msg::new("config.waiver-lacks")
                        .arg("number", number)
                        .arg("list", list),
                    "config.this-waiver",
                )
                .with_help(Msg::new("config.waiver.help")),
            );
        }
        // Bound to what the office recorded, never to the applicant's word
        // alone (docs/bureau.md, "What a waiver is bound to").
        let has = |name: &str| table.iter().any(|(k, _)| k.name == name);
        if !has("digest") && !has("path") {
            let (at, help) = match table.iter().find(|(k, _)| k.name == "submission") {
                Some((_, v)) => {
                    let written = v.as_str().unwrap_or_default();
                    let looks_like_a_path = written.contains('/')
                        || written.ends_with(".yaml")
                        || written.ends_with(".yml");
                    (
                        v.span,
                        if looks_like_a_path {
                            Msg::new("config.unbound-waiver.move-to-path").arg("value", written)
                        } else {
                            Msg::new("config.unbound-waiver.help")
                        },
                    )
                }
                None => (v.span, Msg::new("config.unbound-waiver.help")),
            };
            self.errors.push(
                InputError::new(
                    crate::base::code::ConfigCode::UnboundWaiver,
                    span(at),
                    Msg::new("config.unbound-waiver").arg("number", number),
                    "config.unbound-waiver.label",
                )
                .with_help(help),
            );
        }
        if self.errors.len() > before {
            return None;
        }
        Some(Waiver {
            number,
            rule: rule?.0,
            digest,
            path: path.map(|p| p.0),
            submission: submission.map(|s| s.0),
            subject: subject.map(|s| s.0),
            reason: reason?.0,
            approved_by: approved_by?.0,
            expires: expires?,
            file: String::new(),
            line: 0,
            span: span(v.span),
        })
    }
}

/// What `peitao init` writes: every setting, commented, with its default.
pub const STARTER: &str = r#"# peitao.toml: this office's settings for `peitao check`, found in the
# directory peitao runs in or a parent (or given with --config FILE). One
# inside a directory being checked is the applicant's: only its lang,
# format, color and width are used. A flag on the command line overrides
# the setting here. Paths are relative to this file. Uncomment what you need.

# Plans to check against (id or alias) instead of each file's jurisdiction.
# plans = ["shiyan"]

# Extra rule pack directories, and whether to keep the built-in packs.
# rules = ["rules-local"]
# builtin_rules = true

# Built-in plans a pack may replace (its pack.yaml says `replaces: <id>`).
# allow_replace = ["shiyan"]

# Language of titles and messages: "zh" or "en" (default: from LANG).
# lang = "zh"

# Terminal report: human, json, sarif, junit, html, csv or github.
# format = "human"

# Lowest severity that fails the run (exit 1): "error", "warning", "never".
fail_on = "error"

# Judge as of this date instead of each file's filing date.
# as_of = "2026-06-30"

# Limits on a submission file (see docs/limits.md).
# max_file_size = 8388608
# max_records = 10000

# Tables come last: every key after a [table] line belongs to that table.

# Reports written on every run besides the terminal output (format = path):
# in this file's directory or below, never in a directory being checked.
# [reports]
# html = "review.html"
# csv = "ledger.csv"

# Who makes the report: the HTML and terminal reports name the office, the
# reviewer and the day, and the HTML report ends its summary with a
# signature block to print and sign.
# [office]
# name = "十堰市民政局养老服务科"
# reviewer = "王科长"
# contact = "0719-0000000"

# A waiver: a finding the office has accepted. It is still shown, marked
# waived, but does not fail the run until it expires. A waiver that matches
# nothing is reported, so stale ones are noticed. Dates are quoted.
# It is bound to the file the office received: its digest (each file's
# `digest` in the JSON report) or the path it was taken in at, or both;
# a submission.id, which the applicant writes, only narrows it.
#
# [[waiver]]
# rule = "shiyan.social-workers"       # a rule id, or a glob: "shiyan.*"
# digest = "sha256:9f2c4e0b5d7a1c3e8f6b2d4a0c9e7f5b3d1a8c6e4f2b0d9c7a5e3f1b8d6c4a2e"
# path = "intake/2025/SY-2025-0042.yaml" # a path glob, as reports show it
# submission = "SY-2025-0042"          # optional: the file's submission.id
# subject = "I1"                       # optional: a record id or institutions[0]
# reason = "second social worker hired; contract signed 2025-03-20"
# approved_by = "王科长, 审批科"
# expires = "2027-06-30"
"#;

/// [`STARTER`] with its comments in Chinese (`peitao init --lang zh`):
/// the same settings, line for line.
pub const STARTER_ZH: &str = r#"# peitao.toml: 本单位运行 `peitao check` 时的设置。peitao 在运行目录或其上级
# 目录中查找此文件 (也可用 --config FILE 指定)。位于被检查目录中的此文件属于
# 申报方: 只采用其中的 `lang`、`format`、`color` 和 `width`。命令行参数优先于此处的
# 设置。路径相对于本文件所在目录。需要哪项, 去掉行首的 # 即可。

# 按这些规划检查 (编号或别名), 而不按各文件的 jurisdiction。
# plans = ["shiyan"]

# 另加的规则包目录, 以及是否保留内置规则包。
# rules = ["rules-local"]
# builtin_rules = true

# 允许规则包替换的内置规划 (规则包的 pack.yaml 写有 `replaces: <编号>`)。
# allow_replace = ["shiyan"]

# 标题和提示的语言: "zh" 或 "en" (默认按 LANG 环境变量)。
lang = "zh"

# 终端报告的格式: `human`、`json`、`sarif`、`junit`、`html`、`csv` 或 `github`。
# format = "human"

# 导致运行失败 (退出码 1) 的最低严重程度: `"error"`、`"warning"`、`"never"`。
fail_on = "error"

# 按此日期审查, 而不按各文件的申报日期。
# as_of = "2026-06-30"

# 申报文件的上限 (见 docs/limits.md)。
# max_file_size = 8388608
# max_records = 10000

# 表放在最后: [表名] 一行之后的键都属于该表。

# 每次运行在终端输出之外另写的报告 (格式 = 路径): 须在本文件所在目录或其下,
# 不得在被检查的目录中。
# [reports]
# html = "review.html"
# csv = "ledger.csv"

# 出具报告的单位: HTML 和终端报告写明审查单位、审查人和日期, HTML 报告在
# 汇总之后附签署栏, 供打印签字。
# [office]
# name = "十堰市民政局养老服务科"
# reviewer = "王科长"
# contact = "0719-0000000"

# 豁免: 本单位已接受的问题。它仍会显示并标明已豁免, 但在到期之前不会导致
# 运行失败。没有匹配到任何问题的豁免也会报告, 以便发现过时的豁免。日期要加
# 引号。豁免绑定到本单位收到的文件: 其摘要 (JSON 报告中各文件的 `digest`)
# 或收件时的路径, 或两者; 申报方自填的 submission.id 只能进一步收窄范围。
#
# [[waiver]]
# rule = "shiyan.social-workers"       # 规则编号, 或通配: "shiyan.*"
# digest = "sha256:9f2c4e0b5d7a1c3e8f6b2d4a0c9e7f5b3d1a8c6e4f2b0d9c7a5e3f1b8d6c4a2e"
# path = "intake/2025/SY-2025-0042.yaml" # 路径通配, 与报告所示一致
# submission = "SY-2025-0042"          # 可选: 文件的 submission.id
# subject = "I1"                       # 可选: 记录编号或 institutions[0]
# reason = "已聘用第二名社工, 合同于 2025-03-20 签订"
# approved_by = "王科长, 审批科"
# expires = "2027-06-30"
"#;

/// The starter file in the language of the run.
pub fn starter(lang: crate::plan::Lang) -> &'static str {
    match lang {
        crate::plan::Lang::Zh => STARTER_ZH,
        crate::plan::Lang::En => STARTER,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<InputError> {
        match parse(Path::new("peitao.toml"), Arc::from(text)) {
            Ok(_) => Vec::new(),
            Err(ConfigError::Invalid { errors, .. }) => errors,
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn the_starter_files_are_valid_and_the_same_settings() {
        let settings = |text: &str| -> Vec<String> {
            text.lines()
                .map(|l| l.strip_prefix("# ").unwrap_or(l))
                .filter(|l| {
                    l.starts_with('[')
                        || l.split_once(" = ").is_some_and(|(k, _)| {
                            k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                        })
                })
                .map(|l| {
                    l.split(" #")
                        .next()
                        .unwrap()
                        .split(" = ")
                        .next()
                        .unwrap()
                        .to_string()
                })
                .collect()
        };
        assert_eq!(settings(STARTER), settings(STARTER_ZH));
        let c = parse(Path::new("peitao.toml"), Arc::from(STARTER_ZH)).unwrap();
        assert_eq!(c.lang.as_deref(), Some("zh"));
        for starter in [STARTER, STARTER_ZH] {
            the_starter_file_is_valid(starter);
        }
    }

    fn the_starter_file_is_valid(starter: &str) {
        let c = parse(Path::new("peitao.toml"), Arc::from(starter)).unwrap();
        assert_eq!(c.fail_on.as_deref(), Some("error"));
        let uncommented: String = starter
            .lines()
            .map(|l| {
                let setting = |r: &&str| {
                    r.starts_with('[')
                        || r.split_once(" = ").is_some_and(|(k, _)| {
                            k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                        })
                };
                l.strip_prefix("# ").filter(setting).unwrap_or(l)
            })
            .collect::<Vec<_>>()
            .join("\n");
        let c = parse(Path::new("peitao.toml"), Arc::from(uncommented)).unwrap();
        assert_eq!(c.waivers.len(), 1);
        assert_eq!(c.reports.len(), 2);
        assert_eq!(c.plans, ["shiyan"]);
        assert_eq!(c.office.unwrap().reviewer.as_deref(), Some("王科长"));
    }

    #[test]
    fn settings_and_paths_relative_to_the_file() {
        let text = "plans = \"shiyan\"\nrules = [\"local\"]\nfail_on = \"warning\"\nas_of = \"2026-01-02\"\nmax_records = 5\n[reports]\nsarif = \"out/x.sarif\"\n";
        let c = parse(Path::new("office/peitao.toml"), Arc::from(text)).unwrap();
        assert_eq!(c.plans, ["shiyan"]);
        assert_eq!(c.rules, [PathBuf::from("office/local")]);
        assert_eq!(c.reports.len(), 1);
        assert_eq!(
            (c.reports[0].format.as_str(), c.reports[0].path.as_path()),
            ("sarif", Path::new("office/out/x.sarif"))
        );
        assert_eq!(
            &text[c.reports[0].span.offset..][..c.reports[0].span.len],
            "out/x.sarif"
        );
        assert_eq!(c.as_of.unwrap().to_string(), "2026-01-02");
        assert_eq!(c.max_records, Some(5));
    }

    /// A message as an English reader sees it.
    fn en(m: &crate::input::Msg) -> String {
        crate::base::text::say(m, crate::base::Lang::En)
    }

    #[test]
    fn a_misspelt_key_is_located_with_a_suggestion() {
        let text = "lang = \"zh\"\nfial_on = \"error\"\n";
        let e = errors(text);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].code, "unknown-key");
        assert_eq!(
            &text[e[0].span.offset..e[0].span.offset + e[0].span.len],
            "fial_on"
        );
        assert_eq!(
            e[0].help.as_ref().map(en).as_deref(),
            Some("did you mean `fail_on`?")
        );
    }

    #[test]
    fn waivers_need_their_fields_and_a_real_date() {
        let text = "[[waiver]]\nrule = \"a.b\"\nsubmission = \"X\"\nreason = \"r\"\nexpires = \"2027-02-30\"\napproved-by = \"me\"\n";
        let e = errors(text);
        let codes: Vec<&str> = e.iter().map(|e| e.code.as_str()).collect();
        assert!(codes.contains(&"bad-date"), "{e:?}");
        assert!(codes.contains(&"unknown-key"), "{e:?}");
        let missing = e
            .iter()
            .find(|e| e.code == "missing-field")
            .expect("missing field");
        assert!(
            en(&missing.message).contains("`approved_by`"),
            "{}",
            en(&missing.message)
        );
        let unknown = e.iter().find(|e| e.code == "unknown-key").unwrap();
        assert_eq!(
            unknown.help.as_ref().map(en).as_deref(),
            Some("did you mean `approved_by`?")
        );
    }

    #[test]
    fn invisible_characters_are_not_a_reason_or_an_approver() {
        assert_eq!(visible("\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}"), "");
        assert_eq!(
            visible("\u{202E}\u{2066}\u{200E}\u{3000}\u{00A0}\u{3164}\u{2800}"),
            ""
        );
        assert_eq!(visible("\u{E0041}\u{FE0F}\u{00AD}\u{034F}\u{115F}"), "");
        assert_eq!(visible("王\u{200B}科长, 审批科 "), "王科长, 审批科");
        assert_eq!(visible("\u{202E}kcehc"), "kcehc");
        for (field, value) in [
            ("reason", "\u{200B}\u{200D}"),
            ("approved_by", "\u{3000}\u{FEFF}\u{202E}"),
        ] {
            let mut text =
                String::from("[[waiver]]\nrule = \"a.b\"\nsubmission = \"X\"\npath = \"*\"\n");
            for (key, v) in [("reason", "r"), ("approved_by", "me")] {
                let v = if key == field { value } else { v };
                text.push_str(&format!("{key} = \"{v}\"\n"));
            }
            text.push_str("expires = \"2027-01-01\"\n");
            let e = errors(&text);
            assert_eq!(e.len(), 1, "{e:#?}");
            assert_eq!(e[0].code, "empty");
            assert!(
                en(&e[0].message).contains(&format!("`{field}`")),
                "{:?}",
                e[0].message
            );
            assert_eq!(en(&e[0].label), "empty after removing invisible characters");
            let at = &text[e[0].span.offset..e[0].span.offset + e[0].span.len];
            assert_eq!(at, value);
        }
    }

    #[test]
    fn the_office_is_read_and_checked_where_it_is_written() {
        let c = parse(
            Path::new("peitao.toml"),
            Arc::from("[office]\nname = \"十堰市民政局\"\nreviewer = \"王\u{200B}科长 \"\n"),
        )
        .unwrap();
        let office = c.office.unwrap();
        assert_eq!(office.name.as_deref(), Some("十堰市民政局"));
        assert_eq!(office.reviewer.as_deref(), Some("王科长"));
        assert_eq!(office.contact, None);

        let text = "[office]\nname = 7\nreviewr = \"王\"\ncontact = \"\u{200B}\"\n";
        let e = errors(text);
        let codes: Vec<&str> = e.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["wrong-type", "unknown-key", "empty"], "{e:#?}");
        let at = |e: &InputError| &text[e.span.offset..e.span.offset + e.span.len];
        assert_eq!(at(&e[0]), "7");
        assert_eq!(at(&e[1]), "reviewr");
        assert_eq!(at(&e[2]), "\u{200B}");
        assert_eq!(
            e[1].help.as_ref().map(en).as_deref(),
            Some("did you mean `reviewer`?")
        );
        let zh = |m: &Msg| crate::base::text::say(m, crate::base::Lang::Zh);
        assert!(en(&e[1].message).contains("[office]"), "{:?}", e[1].message);
        assert_eq!(
            zh(&e[2].message),
            "[office] 的 `contact` 没有可见文字: 只有零宽空格、方向控制符等不可见字符"
        );
        assert!(en(&e[2].message).starts_with("`contact` of [office] has no visible text"));
        assert_eq!(errors("office = \"x\"\n")[0].code, "wrong-type");
    }

    #[test]
    fn wrong_types_and_values_are_named() {
        let e = errors("width = \"wide\"\nformat = \"jsn\"\n");
        assert_eq!(e[0].code, "wrong-type");
        assert_eq!(e[1].code, "unknown-value");
        assert_eq!(
            e[1].help.as_ref().map(en).as_deref(),
            Some("did you mean \"json\"?")
        );
    }

    #[test]
    fn only_presentation_is_kept_from_a_config_inside_a_checked_tree() {
        let text = "lang = \"zh\"\nfail_on = \"never\"\nwidth = 80\n[reports]\ncsv = \"../x\"\n[[waiver]]\nrule = \"*\"\npath = \"*\"\nreason = \"r\"\napproved_by = \"me\"\nexpires = \"2099-01-01\"\n";
        let c = parse(Path::new("peitao.toml"), Arc::from(text)).unwrap();
        assert_eq!(c.ignored_keys(), ["fail_on", "reports", "waiver"]);
        let kept = c.presentation_only();
        assert_eq!(
            (
                kept.lang.as_deref(),
                kept.width,
                kept.fail_on,
                kept.waivers.len()
            ),
            (Some("zh"), Some(80), None, 0)
        );
        assert!(kept.reports.is_empty());
        let w = c.ignored_inside(Path::new("incoming")).unwrap();
        assert_eq!(&text[w.span.offset..][..w.span.len], "fail_on");
        assert_eq!(w.related.len(), 2);
        let said = en(&w.message);
        assert!(
            said.contains("`incoming`") && said.contains("fail_on, reports, waiver"),
            "{said}"
        );
        // Presentation alone draws no warning.
        let plain = parse(Path::new("peitao.toml"), Arc::from("lang = \"en\"\n")).unwrap();
        assert!(plain.ignored_inside(Path::new("incoming")).is_none());
    }

    #[test]
    fn discovery_passes_over_a_config_inside_a_checked_tree() {
        let root = std::env::temp_dir().join(format!("peitao-discover-{}", std::process::id()));
        let inside = root.join("incoming/sub");
        std::fs::create_dir_all(&inside).unwrap();
        std::fs::write(root.join(FILE_NAME), "").unwrap();
        std::fs::write(root.join("incoming").join(FILE_NAME), "").unwrap();
        let tree = std::fs::canonicalize(root.join("incoming")).unwrap();
        let found = discover_outside(&inside, std::slice::from_ref(&tree));
        assert_eq!(found.office, Some(root.join(FILE_NAME)));
        assert_eq!(
            found.planted,
            Some((root.join("incoming").join(FILE_NAME), tree.clone()))
        );
        // Checking nothing there: the nearest is the office's.
        let found = discover_outside(&inside, &[]);
        assert_eq!(found.office, Some(root.join("incoming").join(FILE_NAME)));
        assert_eq!(found.planted, None);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_bare_toml_date_gets_a_hint() {
        let e = errors("[[waiver]]\nexpires = 2027-06-30\n");
        assert_eq!(e[0].code, "toml-syntax");
        assert!(
            e[0].help
                .as_ref()
                .map(en)
                .as_deref()
                .unwrap_or("")
                .contains("quoted"),
            "{e:?}"
        );
    }
}
