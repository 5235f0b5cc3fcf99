//! The pipeline for one file and for a batch: read → validate → select the
//! plans → run the rules. Nothing here prints; `report` renders results.

mod summary;

pub use crate::base::shown::{display_path, path_bytes};
use crate::engine::{self, Catalog, Checked};
use crate::input::{self, InputError, Limits};
use crate::plan::{self, Selection};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
pub use summary::{BaselineCounts, Counts, FailOn, Summary};

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
    /// The encoding the file was transcoded from (`GB18030`), when it was
    /// not UTF-8: spans then refer to the transcoded text in `source`.
    pub transcoded_from: Option<&'static str>,
    /// Its identity and, once reviewed, the waivers and baseline marks.
    pub review: crate::review::FileReview,
    /// For a workbook: the cell each line of `source` (its canonical
    /// text) came from, which reports name instead of a line.
    pub cells: Option<Arc<input::workbook::Cells>>,
}

impl FileResult {
    /// A file that could not be read, and why.
    pub fn unreadable(path: String, why: String) -> FileResult {
        FileResult {
            path,
            source: Arc::from(""),
            outcome: Outcome::Unreadable(why),
            review: Default::default(),
            transcoded_from: None,
            cells: None,
        }
    }

    /// The findings of a checked file, each with its review marks (none
    /// when the run had no review).
    pub fn reviewed_findings(
        &self,
    ) -> Vec<(
        &crate::engine::Finding,
        Option<&crate::review::FindingReview>,
    )> {
        match &self.outcome {
            Outcome::Checked(c) => c
                .findings()
                .enumerate()
                .map(|(i, f)| (f, self.review.of(i)))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Options that apply to every file of a run.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub selection: Selection,
    pub limits: Limits,
    /// The name standard input (the path `-`) has in reports; default `<stdin>`.
    pub stdin_name: Option<String>,
    /// The language of what the run itself says about a file (why a path
    /// was not walked).
    pub lang: plan::Lang,
}

impl Options {
    /// How a path is shown: as [`display_path`] writes it; `-` by its
    /// stdin name.
    pub fn shown(&self, path: &Path) -> String {
        if path == Path::new("-") {
            return self.stdin_name.clone().unwrap_or_else(|| "<stdin>".into());
        }
        display_path(path)
    }
}

/// Check one submission's text.
pub fn check_text(catalog: &Catalog, path: &str, text: Arc<str>, options: &Options) -> FileResult {
    let mut review = crate::review::FileReview::default();
    let outcome = match input::parse_submission(&text, &options.limits) {
        Err(mut errors) => {
            // A jurisdiction no plan answers to is said with the other
            // errors, not only once they are fixed.
            if options.selection.plans.is_empty() {
                if let Some(e) = unknown_jurisdiction(catalog, &text, options) {
                    if !errors.iter().any(|x| x.span == e.span) {
                        errors.push(e);
                        errors.sort_by_key(|e| e.span.offset);
                    }
                }
            }
            Outcome::Invalid(errors)
        }
        Ok(sub) => {
            review.identity = crate::review::Identity::of(&sub);
            match plan::select(catalog, &sub, &options.selection) {
                Err(errors) => Outcome::Invalid(errors),
                // Never a silent pass: a plan whose rules this run did not load
                // (see engine::load_files_naming) is refused, loudly.
                Ok((packs, _)) if packs.iter().any(|&p| !catalog.packs[p].complete) => {
                    Outcome::Invalid(vec![InputError::new(
                        crate::base::code::InputCode::PlanNotLoaded,
                        input::Span::default(),
                        "plan-not-loaded",
                        "plan-not-loaded.label",
                    )])
                }
                Ok((packs, day)) => Outcome::Checked(engine::check(catalog, &packs, sub, &day)),
            }
        }
    };
    FileResult {
        path: path.to_string(),
        source: text,
        outcome,
        review,
        transcoded_from: None,
        cells: None,
    }
}

/// The error of `submission.jurisdiction` when no plan answers to it, read
/// from the YAML tree of a file that is not (yet) a valid submission.
fn unknown_jurisdiction(catalog: &Catalog, text: &str, options: &Options) -> Option<InputError> {
    use input::yaml::NodeKind;
    let root = input::yaml::parse(text, options.limits.yaml_options()).ok()?;
    fn get<'n, 't>(
        node: &'n input::yaml::Node<'t>,
        key: &str,
    ) -> Option<&'n input::yaml::Node<'t>> {
        let NodeKind::Map(entries) = &node.kind else {
            return None;
        };
        entries
            .iter()
            .find(|(k, _)| matches!(&k.kind, NodeKind::Str(s) if s == key))
            .map(|(_, v)| v)
    }
    let submission = get(&root, "submission")?;
    let jurisdiction = get(submission, "jurisdiction")?;
    let NodeKind::Str(name) = &jurisdiction.kind else {
        return None;
    };
    if name.trim().is_empty() || catalog.resolve(name).is_some() {
        return None;
    }
    Some(plan::unknown_jurisdiction(catalog, name, jurisdiction.span))
}

fn too_large(shown: &str, size: u64, options: &Options) -> FileResult {
    let e = InputError::new(
        crate::base::code::InputCode::TooLarge,
        input::Span::default(),
        input::Msg::new("too-large")
            .arg("size", size)
            .arg("limit", options.limits.max_file_bytes),
        "file-starts-here",
    )
    .with_help("too-large.help");
    FileResult {
        path: shown.to_string(),
        source: Arc::from(""),
        outcome: Outcome::Invalid(vec![e]),
        review: Default::default(),
        transcoded_from: None,
        cells: None,
    }
}

/// Read and check one file (`-`: standard input).
pub fn check_file(catalog: &Catalog, path: &Path, options: &Options) -> FileResult {
    if path == Path::new("-") {
        return check_stdin(catalog, options);
    }
    let shown = options.shown(path);
    let unreadable = |why: String| FileResult::unreadable(shown.clone(), why);
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
        Ok(m) if m.len() > options.limits.max_file_bytes as u64 => {
            return too_large(&shown, m.len(), options)
        }
        Err(e) => return unreadable(e.to_string()),
        Ok(_) => {}
    }
    if input::workbook::is_workbook_name(path) {
        return check_workbook(catalog, shown, file, options);
    }
    check_reader(catalog, shown, file, options)
}

/// Check bytes received some other way (an upload to the review desk) as
/// [`check_file`] checks a file of that kind: a workbook when `workbook`,
/// else YAML text (UTF-8, or GB18030 as a file would be read).
pub fn check_bytes(
    catalog: &Catalog,
    shown: &str,
    bytes: &[u8],
    workbook: bool,
    options: &Options,
) -> FileResult {
    if workbook {
        check_workbook(catalog, shown.to_string(), bytes, options)
    } else {
        check_reader(catalog, shown.to_string(), bytes, options)
    }
}

/// Read a workbook (bounded by the size limit), turn it into its canonical
/// text and check that; the result keeps the cell of each line.
fn check_workbook(
    catalog: &Catalog,
    shown: String,
    reader: impl std::io::Read,
    options: &Options,
) -> FileResult {
    let mut bytes = Vec::new();
    let limit = options.limits.max_file_bytes as u64;
    if let Err(e) =
        std::io::Read::read_to_end(&mut std::io::Read::take(reader, limit + 1), &mut bytes)
    {
        return FileResult::unreadable(shown, e.to_string());
    }
    if bytes.len() as u64 > limit {
        return too_large(&shown, bytes.len() as u64, options);
    }
    match input::workbook::read(&bytes, &options.limits) {
        Err(errors) => FileResult {
            path: shown,
            source: Arc::from(""),
            outcome: Outcome::Invalid(errors),
            review: Default::default(),
            transcoded_from: None,
            cells: None,
        },
        Ok(read) => FileResult {
            cells: Some(Arc::new(read.cells)),
            ..check_text(catalog, &shown, Arc::from(read.text), options)
        },
    }
}

/// Read standard input (to its end, up to the size limit) and check it.
pub fn check_stdin(catalog: &Catalog, options: &Options) -> FileResult {
    check_reader(
        catalog,
        options.shown(Path::new("-")),
        std::io::stdin().lock(),
        options,
    )
}

/// Read a submission from `reader`, bounded by the size limit, and check it.
fn check_reader(
    catalog: &Catalog,
    shown: String,
    reader: impl std::io::Read,
    options: &Options,
) -> FileResult {
    let unreadable = |why: String| FileResult::unreadable(shown.clone(), why);
    // Bounded even if the file grows while it is read.
    let mut bytes = Vec::new();
    let limit = options.limits.max_file_bytes as u64;
    if let Err(e) =
        std::io::Read::read_to_end(&mut std::io::Read::take(reader, limit + 1), &mut bytes)
    {
        return unreadable(e.to_string());
    }
    if bytes.len() as u64 > limit {
        return too_large(&shown, bytes.len() as u64, options);
    }
    // What the office received, byte for byte: the identity waivers and
    // baselines bind to (the applicant cannot write it into the file).
    let digest = Some(crate::review::digest(&bytes));
    let mut transcoded_from = None;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        // GBK, the default of Chinese Windows, and its superset GB18030:
        // read when the whole file decodes, and said so in the report.
        Err(e) => match gb18030(e.as_bytes()) {
            Some(t) => {
                transcoded_from = Some("GB18030");
                t
            }
            None => {
                let at = e.utf8_error().valid_up_to();
                let valid = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
                let err = InputError::new(
                    crate::base::code::InputCode::NotUtf8,
                    input::Span::new(at, 0),
                    input::Msg::new("not-utf8").arg("at", at),
                    "not-utf8.label",
                )
                .with_help("not-utf8.help");
                return FileResult {
                    path: shown,
                    source: Arc::from(valid),
                    outcome: Outcome::Invalid(vec![err]),
                    transcoded_from: None,
                    review: crate::review::FileReview {
                        identity: crate::review::Identity {
                            digest,
                            ..Default::default()
                        },
                        ..Default::default()
                    },
                    cells: None,
                };
            }
        },
    };
    // A UTF-8 BOM is allowed and ignored, as editors on Windows write one.
    let text = text
        .strip_prefix('\u{FEFF}')
        .map(str::to_owned)
        .unwrap_or(text);
    let mut result = check_text(catalog, &shown, Arc::from(text), options);
    result.transcoded_from = transcoded_from;
    result.review.identity.digest = digest;
    result
}

/// The text of GB18030 (GBK, GB2312) bytes, if they are that encoding
/// without a single malformed sequence.
fn gb18030(bytes: &[u8]) -> Option<String> {
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(std::borrow::Cow::into_owned)
}

/// A path that could not be walked (a permission error, a link that
/// leaves the checked directory, a directory with no submission), and why,
/// said in the report's language.
#[derive(Clone, Debug)]
pub struct WalkError {
    pub path: String,
    pub why: input::Msg,
}

/// `*.yaml`, `*.yml` or `*.xlsx`, in any case (`A.YAML`, `b.Yml`); not
/// the `~$name.xlsx` lock file Excel and WPS keep beside an open workbook.
pub fn is_submission_name(path: &Path) -> bool {
    let lock = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("~$"));
    path.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| x.eq_ignore_ascii_case("yaml") || x.eq_ignore_ascii_case("yml"))
        || (input::workbook::is_workbook_name(path) && !lock)
}

fn walk_error_matters(e: &walkdir::Error) -> bool {
    let Some(path) = e.path() else { return true };
    e.loop_ancestor().is_some()
        || is_submission_name(path)
        || std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// The submission files named by `paths`: files as given (the office named
/// them: read wherever they are), directories walked for `*.yaml` /
/// `*.yml`. Sorted, and each file once however it is named (`in/a.yaml`
/// and `in/../in/a.yaml`, a file and a link to it): the first name in path
/// order stands for it.
///
/// A walk follows no link out of the directory given. A link inside it
/// to a directory inside it is not followed either (what it leads to is
/// walked where it really is); a submission-named link to a file inside
/// it is read. A link that leaves the directory, to a directory or under a
/// submission's name, is an entry of its own, not followed: like a
/// directory that cannot be read, it may hide a submission.
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<WalkError>) {
    let mut files: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if !p.is_dir() {
            let real = (p.as_path() != Path::new("-"))
                .then(|| std::fs::canonicalize(p).ok())
                .flatten();
            files.push((p.clone(), real));
            continue;
        }
        let (found, failed) = (files.len(), errors.len());
        let root = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
        // The directory given may itself be a link: it is the office's word.
        for entry in walkdir::WalkDir::new(p).follow_links(false) {
            let e = match entry {
                Ok(e) => e,
                // An unreadable directory may hide submissions, and a
                // submission-named entry we cannot look at is a submission
                // we cannot read: report those.
                Err(e) if walk_error_matters(&e) => {
                    errors.push(WalkError {
                        path: display_path(e.path().unwrap_or(p)),
                        why: input::Msg::new("walk.os").arg("os", &e),
                    });
                    continue;
                }
                Err(_) => continue,
            };
            if e.file_type().is_dir() {
                continue;
            }
            if !e.path_is_symlink() || e.depth() == 0 {
                // Not only regular files: a FIFO or socket named *.yaml is
                // reported as unreadable rather than silently skipped.
                if is_submission_name(e.path()) {
                    // No link on the way (none is followed): its real path
                    // is the root's and the rest, without asking the system.
                    let real = e.path().strip_prefix(p).ok().map(|rest| root.join(rest));
                    files.push((e.into_path(), real));
                }
                continue;
            }
            let named = is_submission_name(e.path());
            match std::fs::canonicalize(e.path()) {
                Ok(target) if target.starts_with(&root) => {
                    // A directory inside is walked where it is; a file
                    // inside is read under the link's name when that is a
                    // submission's (dedup keeps it once).
                    if named && !target.is_dir() {
                        files.push((e.into_path(), Some(target)));
                    }
                }
                Ok(target) => {
                    if named || target.is_dir() {
                        errors.push(WalkError {
                            path: display_path(e.path()),
                            why: input::Msg::new("walk.link-leaves").arg("root", display_path(p)),
                        });
                    }
                }
                // A dangling link named like a submission is a submission
                // we cannot read; a dangling `notes.txt` is none of ours.
                Err(why) => {
                    if named {
                        errors.push(WalkError {
                            path: display_path(e.path()),
                            why: input::Msg::new("walk.os").arg("os", why),
                        });
                    }
                }
            }
        }
        // A directory given to be checked that holds no submission is a
        // mistake worth stopping for (a wrong path, files named *.txt).
        if files.len() == found && errors.len() == failed {
            errors.push(WalkError {
                path: display_path(p),
                why: input::Msg::new("walk.no-submissions"),
            });
        }
    }
    // Each file once, under its plainest name: its real one if it was
    // named so, else the shortest, else the first in path order.
    let mut named: Vec<(PathBuf, PathBuf)> = files
        .into_iter()
        .map(|(path, real)| (real.unwrap_or_else(|| path.clone()), path))
        .collect();
    named.sort();
    let mut files: Vec<PathBuf> = Vec::with_capacity(named.len());
    for same in named.chunk_by(|a, b| a.0 == b.0) {
        let plainest = match same {
            [(_, path)] => path,
            _ => {
                let rank = |(real, path): &(PathBuf, PathBuf)| {
                    (lexically_absolute(path) != *real, path.components().count())
                };
                &same.iter().min_by_key(|n| rank(n)).expect("a chunk").1
            }
        };
        files.push(plainest.clone());
    }
    files.sort();
    (files, errors)
}

/// `path` made absolute with `.` and `..` folded away, links untouched.
fn lexically_absolute(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .components()
    {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Files checked per parallel step: enough to keep every thread busy, few
/// enough that a batch of any size holds only this many results at once.
const CHUNK: usize = 64;
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
) -> std::io::Result<Summary> {
    check_stream_prepared(
        catalog,
        files,
        walk_errors,
        options,
        done,
        &|_| (),
        &mut |r, _| each(r),
    )
}

/// [`check_stream`], with `prepare` run on each result in the worker that
/// checked it (the review marks, the report's pieces: what depends on the
/// file alone), so that the thread that puts the results in order does
/// little more than write. `each` gets what `prepare` made, or `None` when
/// the batch changed the result after it (a second file with a submission
/// id already seen is refused): then whatever `prepare` made of it is
/// stale, and nothing of it may be counted or written.
pub fn check_stream_prepared<P: Send>(
    catalog: &Catalog,
    files: Vec<PathBuf>,
    walk_errors: Vec<WalkError>,
    options: &Options,
    done: &(dyn Fn() + Sync),
    prepare: &(dyn Fn(&mut FileResult) -> P + Sync),
    each: &mut dyn FnMut(&FileResult, Option<P>) -> std::io::Result<()>,
) -> std::io::Result<Summary> {
    enum Entry {
        File(String, PathBuf),
        Walk(WalkError),
    }
    let mut entries: Vec<Entry> = files
        .into_iter()
        .map(|p| Entry::File(options.shown(&p), p))
        .chain(walk_errors.into_iter().map(Entry::Walk))
        .collect();
    let key = |e: &Entry| match e {
        Entry::File(shown, _) => shown.clone(),
        Entry::Walk(w) => w.path.clone(),
    };
    entries.sort_by_cached_key(key);
    let mut summary = Summary::default();
    let mut ids = SubmissionIds::default();
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
        let results: Vec<(FileResult, P)> = chunk
            .par_iter()
            .map(|e| {
                let mut r = match e {
                    Entry::File(_, p) => check_file(catalog, p, options),
                    Entry::Walk(w) => FileResult::unreadable(
                        w.path.clone(),
                        crate::base::text::say(&w.why, options.lang),
                    ),
                };
                let prepared = prepare(&mut r);
                done();
                (r, prepared)
            })
            .collect();
        for (mut r, prepared) in results {
            let refused = ids.check(&mut r);
            summary.add(&r);
            each(&r, (!refused).then_some(prepared))?;
        }
    }
    Ok(summary)
}

/// The `submission.id`s of a batch so far, each with the first file (in
/// path order) that has it. A later file with the same id is refused: the
/// id names one filing, and each of its files would otherwise answer for
/// the other in every ledger that records it.
#[derive(Default)]
struct SubmissionIds {
    first: std::collections::HashMap<String, String>,
}

impl SubmissionIds {
    /// Whether `r` was refused (and changed) for an id seen before.
    fn check(&mut self, r: &mut FileResult) -> bool {
        let identity = &r.review.identity;
        let Some(id) = identity.submission.clone() else {
            return false;
        };
        let other = match self.first.entry(id_as_seen(&id)) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(r.path.clone());
                return false;
            }
            std::collections::hash_map::Entry::Occupied(o) => o.get().clone(),
        };
        let id = identity.submission.as_deref().unwrap_or_default();
        let error = InputError::new(
            crate::base::code::InputCode::DuplicateSubmissionId,
            identity.submission_at,
            input::Msg::new("duplicate-submission-id")
                .arg("id", id)
                .arg("other", crate::base::shown::sanitize_line(&other)),
            "duplicate-submission-id.label",
        )
        .with_help("duplicate-submission-id.help");
        match &mut r.outcome {
            Outcome::Invalid(errors) => errors.push(error),
            outcome => *outcome = Outcome::Invalid(vec![error]),
        }
        // Nothing of it was judged: no review marks either.
        r.review.findings.clear();
        r.review.fixed = None;
        r.review.baseline_file = None;
        true
    }
}

/// A `submission.id` as a reviewer sees it, the key two files of a batch
/// may not share: without the characters that show nothing (zero-width
/// spaces, direction marks, spaces at the ends; [`crate::base::shown::visible`]),
/// with full-width letters, digits and signs as their ASCII look-alikes and
/// every dash as `-`. `SY-2025-0043`, `SY-2025-0043\u{200B}`,
/// `SY-2025-0043 `, `ＳＹ-2025-0043` and `SY‐2025‐0043` are one id in a
/// ledger and one here; case stays (`sy-…` reads differently).
fn id_as_seen(id: &str) -> String {
    crate::base::shown::visible(id)
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' => '-',
            _ => c,
        })
        .collect()
}

/// A command line that cannot run: reported once, on standard error, exit 2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Usage {
    /// `--plan NAME` (or `rules --plan NAME`) names no loaded plan.
    UnknownPlan {
        name: String,
        suggestion: Option<String>,
        known: String,
    },
    /// `explain ID` names no rule; the near ids, best first.
    UnknownRule { id: String, near: Vec<String> },
    /// An option that has no effect with the chosen report format.
    NoEffect {
        option: &'static str,
        format: &'static str,
    },
    /// `--no-builtin-rules` without `--rules DIR`: nothing to check against.
    NoPacks,
    /// A command line the argument parser could not read; `usage` is the
    /// command's usage line (`peitao check [OPTIONS] <PATHS>...`).
    Arguments {
        problem: Box<ArgProblem>,
        usage: Option<String>,
    },
}

/// What is wrong with a command line the argument parser refused, as a
/// typed value: its own words are English, these are said in either
/// language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgProblem {
    /// `--nope`: no such option (or a stray argument).
    UnknownOption {
        arg: String,
        suggestion: Option<String>,
    },
    /// `peitao chekc`: no such command.
    UnknownCommand {
        name: String,
        suggestions: Vec<String>,
    },
    /// `--format xml`: a value the option does not take; `reason` is the
    /// value parser's own words, when it gave some.
    InvalidValue {
        arg: String,
        value: String,
        allowed: Vec<String>,
        suggestion: Option<String>,
        reason: Option<String>,
    },
    /// `--format` with no value after it.
    MissingValue { arg: String, allowed: Vec<String> },
    /// A required argument left out (`peitao check` without a path).
    MissingArgument { args: Vec<String> },
    /// Two options that cannot go together.
    Conflict { arg: String, other: String },
    /// Anything else the parser refused, in its own words.
    Other { parser: String },
}

/// Every usage error code (docs/codes.md; what each means is the
/// catalogue's `code.usage::…`).
pub const USAGE_CODES: &[&str] = crate::base::code::UsageCode::QUALIFIED;

impl Usage {
    /// The stable code, e.g. `usage::unknown-plan`.
    pub fn code(&self) -> &'static str {
        self.usage_code().qualified()
    }

    pub fn usage_code(&self) -> crate::base::code::UsageCode {
        use crate::base::code::UsageCode as C;
        match self {
            Usage::UnknownPlan { .. } => C::UnknownPlan,
            Usage::UnknownRule { .. } => C::UnknownRule,
            Usage::NoEffect { .. } => C::NoEffect,
            Usage::NoPacks => C::NoPacks,
            Usage::Arguments { problem, .. } => match problem.as_ref() {
                ArgProblem::UnknownOption { .. } => C::UnknownOption,
                ArgProblem::UnknownCommand { .. } => C::UnknownCommand,
                ArgProblem::InvalidValue { .. } => C::InvalidValue,
                ArgProblem::MissingValue { .. } => C::MissingValue,
                ArgProblem::MissingArgument { .. } => C::MissingArgument,
                ArgProblem::Conflict { .. } => C::Conflict,
                ArgProblem::Other { .. } => C::BadArguments,
            },
        }
    }
}

/// `--plan` names resolved before any file is read: an unknown one is a
/// usage error, not a fault of every file.
pub fn check_plans(catalog: &Catalog, names: &[String]) -> Result<(), Usage> {
    match names.iter().find(|n| catalog.resolve(n).is_none()) {
        None => Ok(()),
        Some(name) => Err(unknown_plan(catalog, name)),
    }
}

pub fn unknown_plan(catalog: &Catalog, name: &str) -> Usage {
    let names = catalog.packs.iter().flat_map(|p| {
        std::iter::once(p.manifest.id.as_str()).chain(p.manifest.aliases.iter().map(String::as_str))
    });
    // Plan names are short (two characters for 十堰): one edit at most there.
    let suggestion = names
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|&(d, c)| d <= (c.chars().count() / 3).max(1))
        .min()
        .map(|(_, c)| c.to_string());
    Usage::UnknownPlan {
        name: name.to_string(),
        suggestion,
        known: catalog.known_plans(),
    }
}

/// Rule ids near `id`: by edit distance over the whole id, or over the part
/// after the pack's prefix (`elderly-space-new` → every pack's rule of that
/// name).
pub fn near_rules(catalog: &Catalog, id: &str) -> Vec<String> {
    let tail = |r: &str| r.split_once('.').map_or(r, |(_, t)| t).to_string();
    let wanted = tail(id);
    let near_by = |distance: &dyn Fn(&str) -> usize, limit: usize| {
        let mut near: Vec<(usize, &str)> = catalog
            .rules
            .iter()
            .map(|r| (distance(&r.id), r.id.as_str()))
            .filter(|&(d, _)| d <= limit)
            .collect();
        near.sort();
        near.into_iter()
            .map(|(_, id)| id.to_string())
            .take(8)
            .collect::<Vec<_>>()
    };
    // A near whole id first (a typo in `shiyan.medical-rom`); else the
    // same rule name in any pack.
    let whole = near_by(
        &|r| strsim::levenshtein(id, r),
        2.max(id.chars().count() / 4),
    );
    if !whole.is_empty() {
        return whole;
    }
    near_by(
        &|r| strsim::levenshtein(&wanted, &tail(r)),
        2.max(wanted.chars().count() / 4),
    )
}
