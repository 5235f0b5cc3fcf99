//! The pipeline for one file and for a batch: read → validate → select the
//! plans → run the rules. Nothing here prints; `report` renders results.

use crate::engine::{self, Checked};
use crate::input::{self, InputError, Limits};
use crate::plan::{self, Catalog, Selection};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How one file ended.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Could not be read at all (permissions, a directory loop, not UTF-8 …).
    Unreadable(String),
    /// Read, but not a valid submission.
    Invalid(Vec<InputError>),
    /// Checked: the rules' outcomes.
    Checked(Checked),
}

/// One file's result, with its text for rendering.
#[derive(Clone, Debug)]
pub struct FileResult {
    /// The path as given or found (relative when the user gave a relative one).
    pub path: String,
    pub source: Arc<str>,
    pub outcome: Outcome,
}

/// Options that apply to every file of a run.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub selection: Selection,
    pub limits: Limits,
}

/// Check one submission's text.
pub fn check_text(catalog: &Catalog, path: &str, text: Arc<str>, options: &Options) -> FileResult {
    let outcome = match input::parse_submission(&text, &options.limits) {
        Err(errors) => Outcome::Invalid(errors),
        Ok(sub) => match plan::select(catalog, &sub, &options.selection) {
            Err(errors) => Outcome::Invalid(errors),
            Ok((packs, day)) => Outcome::Checked(engine::check(catalog, &packs, &sub, &day)),
        },
    };
    FileResult {
        path: path.to_string(),
        source: text,
        outcome,
    }
}

/// Read and check one file.
pub fn check_file(catalog: &Catalog, path: &Path, options: &Options) -> FileResult {
    let shown = display_path(path);
    let unreadable = |why: String| FileResult {
        path: shown.clone(),
        source: Arc::from(""),
        outcome: Outcome::Unreadable(why),
    };
    let too_large = |size: u64| {
        let e = InputError::new(
            "too-large",
            input::Span::default(),
            format!(
                "file is {size} bytes, over the limit of {} bytes",
                options.limits.max_file_bytes
            ),
            "file starts here",
        )
        .with_help("raise it with --max-file-size if the file is genuine");
        FileResult {
            path: shown.clone(),
            source: Arc::from(""),
            outcome: Outcome::Invalid(vec![e]),
        }
    };
    // Opening a FIFO for reading would block: look before opening.
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => return unreadable("not a regular file".into()),
        Err(e) => return unreadable(e.to_string()),
        Ok(_) => {}
    }
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return unreadable(e.to_string()),
    };
    match file.metadata() {
        Ok(m) if m.len() > options.limits.max_file_bytes as u64 => return too_large(m.len()),
        Err(e) => return unreadable(e.to_string()),
        Ok(_) => {}
    }
    // Bounded even if the file grows while it is read.
    let mut bytes = Vec::new();
    let limit = options.limits.max_file_bytes as u64;
    if let Err(e) =
        std::io::Read::read_to_end(&mut std::io::Read::take(file, limit + 1), &mut bytes)
    {
        return unreadable(e.to_string());
    }
    if bytes.len() as u64 > limit {
        return too_large(bytes.len() as u64);
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
            let err = InputError::new(
                "not-utf8",
                input::Span::new(at, 0),
                format!("not UTF-8 text: invalid byte at offset {at}"),
                "invalid UTF-8 starts here",
            )
            .with_help("save the file as UTF-8");
            return FileResult {
                path: shown,
                source: Arc::from(valid),
                outcome: Outcome::Invalid(vec![err]),
            };
        }
    };
    // A UTF-8 BOM is allowed and ignored, as editors on Windows write one.
    let text = text
        .strip_prefix('\u{FEFF}')
        .map(str::to_owned)
        .unwrap_or(text);
    check_text(catalog, &shown, Arc::from(text), options)
}

/// A path that could not be walked (a loop, a permission error).
#[derive(Clone, Debug)]
pub struct WalkError {
    pub path: String,
    pub why: String,
}

/// `*.yaml` or `*.yml`, in any case (`A.YAML`, `b.Yml`).
pub fn is_submission_name(path: &Path) -> bool {
    path.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| x.eq_ignore_ascii_case("yaml") || x.eq_ignore_ascii_case("yml"))
}

/// A path as reports show it: faithful and distinct for every name. On
/// Unix, bytes that are not UTF-8 are written `\xNN` and a backslash `\\`,
/// so two names that differ only in invalid bytes never look the same;
/// elsewhere, separators are written `/`.
pub fn display_path(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::fmt::Write as _;
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        let mut out = String::with_capacity(bytes.len());
        for chunk in bytes.utf8_chunks() {
            for c in chunk.valid().chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    c => out.push(c),
                }
            }
            for b in chunk.invalid() {
                let _ = write!(out, "\\x{b:02X}");
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().replace('\\', "/")
    }
}

fn walk_error_matters(e: &walkdir::Error) -> bool {
    let Some(path) = e.path() else { return true };
    e.loop_ancestor().is_some()
        || is_submission_name(path)
        || std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// The submission files named by `paths`: files as given, directories
/// walked for `*.yaml` / `*.yml`. Sorted, each once.
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<WalkError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if !p.is_dir() {
            files.push(p.clone());
            continue;
        }
        let (found, failed) = (files.len(), errors.len());
        for entry in walkdir::WalkDir::new(p).follow_links(true) {
            match entry {
                // Not only regular files: a FIFO or socket named *.yaml is
                // reported as unreadable rather than silently skipped.
                Ok(e) if !e.file_type().is_dir() => {
                    if is_submission_name(e.path()) {
                        files.push(e.into_path());
                    }
                }
                Ok(_) => {}
                // A loop or an unreadable directory may hide submissions, and a
                // broken submission-named link is a submission we cannot read:
                // report those; a dangling `notes.txt` link is none of our business.
                Err(e) if walk_error_matters(&e) => errors.push(WalkError {
                    path: display_path(e.path().unwrap_or(p)),
                    why: e.to_string(),
                }),
                Err(_) => {}
            }
        }
        // A directory given to be checked that holds no submission is a
        // mistake worth stopping for (a wrong path, files named *.txt).
        if files.len() == found && errors.len() == failed {
            errors.push(WalkError {
                path: display_path(p),
                why: "no submissions (*.yaml, *.yml) in this directory".into(),
            });
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

/// Files checked per parallel step: enough to keep every thread busy, few
/// enough that a batch of any size holds only this many results at once.
const CHUNK: usize = 256;
/// Bytes of files checked per parallel step (a step always takes at least
/// one file): what a batch holds is bounded by bytes, not only by count,
/// so 100 large files do not sit in memory together.
const CHUNK_BYTES: u64 = 64 * 1024 * 1024;

/// Check `files` (and account for `walk_errors`) in path order, in parallel
/// chunks, handing each result to `each` as soon as its turn comes; results
/// are dropped once handed on, so memory stays flat in the number of files.
pub fn check_stream(
    catalog: &Catalog,
    files: Vec<PathBuf>,
    walk_errors: Vec<WalkError>,
    options: &Options,
    done: &(dyn Fn() + Sync),
    each: &mut dyn FnMut(&FileResult) -> std::io::Result<()>,
) -> std::io::Result<crate::report::Summary> {
    enum Entry {
        File(String, PathBuf),
        Walk(WalkError),
    }
    let mut entries: Vec<Entry> = files
        .into_iter()
        .map(|p| Entry::File(display_path(&p), p))
        .chain(walk_errors.into_iter().map(Entry::Walk))
        .collect();
    let key = |e: &Entry| match e {
        Entry::File(shown, _) => shown.clone(),
        Entry::Walk(w) => w.path.clone(),
    };
    entries.sort_by_cached_key(key);
    let mut summary = crate::report::Summary::default();
    // Steps of at most CHUNK files and CHUNK_BYTES bytes (sizes as the
    // file system gives them; a file that cannot be measured counts as 0,
    // and is refused or read under the size limit anyway).
    let size = |e: &Entry| match e {
        Entry::File(_, p) => std::fs::metadata(p)
            .map_or(0, |m| m.len())
            .min(options.limits.max_file_bytes as u64),
        Entry::Walk(_) => 0,
    };
    let mut steps: Vec<&[Entry]> = Vec::new();
    let (mut from, mut bytes) = (0, 0u64);
    for (i, e) in entries.iter().enumerate() {
        let n = size(e);
        if i > from && (i - from >= CHUNK || bytes + n > CHUNK_BYTES) {
            steps.push(&entries[from..i]);
            from = i;
            bytes = 0;
        }
        bytes += n;
    }
    if from < entries.len() {
        steps.push(&entries[from..]);
    }
    for chunk in steps {
        let results: Vec<FileResult> = chunk
            .par_iter()
            .map(|e| {
                let r = match e {
                    Entry::File(_, p) => check_file(catalog, p, options),
                    Entry::Walk(w) => FileResult {
                        path: w.path.clone(),
                        source: Arc::from(""),
                        outcome: Outcome::Unreadable(w.why.clone()),
                    },
                };
                done();
                r
            })
            .collect();
        for r in &results {
            summary.add(r);
            each(r)?;
        }
    }
    Ok(summary)
}
