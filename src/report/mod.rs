//! Stage 4, report: every writer reads the same sorted results. Only this
//! module writes to the terminal or files.

pub mod catalog;
pub mod coverage;
pub mod csv;
pub mod excerpt;
pub mod fixtures;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod messages;
pub mod position;
pub mod review;
pub mod sarif;
pub mod write;
pub mod xlsx;

pub use position::{LineIndex, Position};

/// Codes of the notes a report writes itself (docs/codes.md).
pub const REPORT_CODES: &[&str] = &["region-figures-missing"];

use crate::plan::PlanError;

use crate::check::{FileResult, Outcome};
use crate::engine::Status;
use crate::plan::Severity;

/// When a run fails (exit 1): at which severity of finding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FailOn {
    #[default]
    Error,
    Warning,
    Never,
}

/// Counts over a batch: every file lands in exactly one of clean,
/// with_findings, no_rule_applies, invalid and unreadable.
/// Serialised as the JSON report's `summary`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub clean: usize,
    pub with_findings: usize,
    /// Valid, but no rule of its plans applies to anything in it (a file
    /// with only `version` and `submission`): nothing was checked.
    pub no_rule_applies: usize,
    pub invalid: usize,
    pub unreadable: usize,
    pub errors: usize,
    pub warnings: usize,
    #[serde(rename = "cannot_be_checked")]
    pub unchecked: usize,
    pub rule_errors: usize,
    /// Findings waived by a waiver in force (counted above too, but not
    /// against the run).
    pub waived: usize,
    /// With `--baseline`: how the findings compare with the earlier report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineCounts>,
    /// Findings (of any status) at error severity, and at warning, that no
    /// waiver covers: what `--fail-on` compares against.
    #[serde(skip)]
    pub at_error: usize,
    #[serde(skip)]
    pub at_warning: usize,
    /// Of those, the ones the baseline already had (left out by `--new-only`).
    #[serde(skip)]
    pub unchanged_at_error: usize,
    #[serde(skip)]
    pub unchanged_at_warning: usize,
    /// How each waiver of the config fared (set when the run ends).
    #[serde(skip)]
    pub waivers: Vec<crate::review::WaiverUse>,
}

/// `summary.baseline` of the JSON report.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct BaselineCounts {
    pub new: usize,
    pub unchanged: usize,
    pub fixed: usize,
}

/// Per-file counts of findings by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub unchecked: usize,
    pub rule_errors: usize,
}

impl Counts {
    pub fn of(file: &FileResult) -> Counts {
        let mut c = Counts::default();
        if let Outcome::Checked(checked) = &file.outcome {
            for f in checked.findings() {
                match (f.status, f.severity) {
                    (Status::RuleError, _) => c.rule_errors += 1,
                    (Status::Unchecked, _) => c.unchecked += 1,
                    (_, Severity::Error) => c.errors += 1,
                    (_, Severity::Warning) => c.warnings += 1,
                }
            }
        }
        c
    }
    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.unchecked + self.rule_errors
    }
}

impl Summary {
    /// Count one more file.
    pub fn add(&mut self, f: &FileResult) {
        let c = Counts::of(f);
        self.files += 1;
        match &f.outcome {
            Outcome::Unreadable(_) => self.unreadable += 1,
            Outcome::Invalid(_) => self.invalid += 1,
            Outcome::Checked(ch) if ch.outcomes.is_empty() => self.no_rule_applies += 1,
            Outcome::Checked(_) if c.total() == 0 => self.clean += 1,
            Outcome::Checked(_) => self.with_findings += 1,
        }
        self.errors += c.errors;
        self.warnings += c.warnings;
        self.unchecked += c.unchecked;
        self.rule_errors += c.rule_errors;
        if let Some(fixed) = &f.review.fixed {
            self.baseline.get_or_insert_with(Default::default).fixed += fixed.len();
        }
        for (finding, review) in f.reviewed_findings() {
            if review.is_some_and(|r| r.waived()) {
                self.waived += 1;
                continue;
            }
            let unchanged = match review.and_then(|r| r.baseline) {
                Some(mark) => {
                    let counts = self.baseline.get_or_insert_with(Default::default);
                    match mark {
                        crate::review::BaselineMark::New => counts.new += 1,
                        crate::review::BaselineMark::Unchanged => counts.unchanged += 1,
                    }
                    mark == crate::review::BaselineMark::Unchanged
                }
                None => false,
            };
            match (finding.status, finding.severity) {
                (Status::RuleError, _) | (_, Severity::Error) => {
                    self.at_error += 1;
                    self.unchanged_at_error += usize::from(unchanged);
                }
                (_, Severity::Warning) => {
                    self.at_warning += 1;
                    self.unchanged_at_warning += usize::from(unchanged);
                }
            }
        }
    }

    pub fn of(files: &[FileResult]) -> Summary {
        let mut s = Summary::default();
        files.iter().for_each(|f| s.add(f));
        s
    }

    /// 0: nothing at or above the threshold; 1: findings at or above it
    /// (a file no rule applies to counts at warning); 2: a file could not
    /// be read or is not a valid submission. Waived findings never count.
    pub fn exit_code(&self, fail_on: FailOn) -> u8 {
        self.exit_code_with(fail_on, false)
    }

    /// [`Summary::exit_code`]; `new_only`: findings the baseline already
    /// had do not count either.
    pub fn exit_code_with(&self, fail_on: FailOn, new_only: bool) -> u8 {
        if self.invalid + self.unreadable > 0 {
            return 2;
        }
        let (mut errors, mut warnings) = (self.at_error, self.at_warning);
        if new_only {
            errors -= self.unchanged_at_error;
            warnings -= self.unchanged_at_warning;
        }
        let failing = match fail_on {
            FailOn::Never => 0,
            FailOn::Warning => errors + warnings + self.no_rule_applies,
            FailOn::Error => errors,
        };
        u8::from(failing > 0)
    }
}

/// A report writer. Files arrive one at a time, in path order; a writer
/// that can stream (human, JSON, SARIF) writes each as it comes, so a batch
/// of any size runs in bounded memory.
///
/// A writer whose part for a file depends on that file alone (human, JSON,
/// SARIF, CSV, GitHub) also offers a [`Renderer`]: a batch renders each
/// file's [`Piece`] in the worker that checked it, and the writer only puts
/// the pieces in order ([`Sink::file_rendered`]). Writing a file's piece
/// is byte for byte what [`Sink::file`] writes.
pub trait Sink {
    fn begin(&mut self, _out: &mut dyn std::io::Write) -> std::io::Result<()> {
        Ok(())
    }
    fn file(&mut self, file: &FileResult, out: &mut dyn std::io::Write) -> std::io::Result<()>;
    /// Write `file` from the piece this writer's renderer made of it.
    fn file_rendered(
        &mut self,
        file: &FileResult,
        _piece: Piece,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        self.file(file, out)
    }
    fn finish(&mut self, summary: &Summary, out: &mut dyn std::io::Write) -> std::io::Result<()>;
}

/// One file's part of a report, rendered on any thread.
#[derive(Debug, Default)]
pub struct Piece {
    /// The text of the file's part.
    pub text: Vec<u8>,
    /// What else the writer keeps of it until the end (SARIF: the
    /// notifications of unreadable files and rule errors).
    pub notes: Vec<serde_json::Value>,
}

/// Renders a file's [`Piece`] on any thread: it borrows only what never
/// changes in a run (the catalogue, the language, the style).
pub type Renderer<'a> = Box<dyn Fn(&FileResult) -> Piece + Send + Sync + 'a>;

/// A whole report in memory (for tests and small runs).
pub fn render_all(sink: &mut dyn Sink, files: &[FileResult]) -> String {
    let mut out = Vec::new();
    let mut summary = Summary::default();
    sink.begin(&mut out).expect("writing to memory");
    for f in files {
        summary.add(f);
        sink.file(f, &mut out).expect("writing to memory");
    }
    sink.finish(&summary, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("reports are UTF-8")
}

/// miette's handler for diagnostics rendered to text, 100 columns wide.
fn plain_handler() -> miette::GraphicalReportHandler {
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .with_width(100)
}

/// `msg` with its `{problems}`: "3 problems", "3 个问题".
fn problems(msg: crate::input::Msg, n: usize) -> crate::input::Msg {
    msg.both(
        "problems",
        format!("{n} 个问题"),
        messages::plural(n, "problem", "problems"),
    )
}

/// Problems with rule packs, rendered like input errors: each points into
/// the manifest, script or table that has it, in the reader's language.
pub fn plan_errors(errors: &[PlanError], lang: crate::plan::Lang) -> String {
    let handler = plain_handler();
    let mut out = String::new();
    for e in errors {
        let idx = LineIndex::new(&e.source);
        let help = e.help.as_ref().map(|h| messages::say(h, lang));
        let d = human::Diag::new(
            &format!("plan::{}", e.code),
            miette::Severity::Error,
            &messages::say(&e.message, lang),
            help.as_deref(),
            &e.file,
            &idx,
            vec![human::Label {
                text: Some(messages::say(&e.label, lang)),
                span: e.span,
                primary: true,
            }],
        );
        human::render_diag(&mut out, &handler, d, lang, 100);
    }
    out.push_str(&messages::say(
        &problems(crate::input::Msg::new("plan.problems"), errors.len()),
        lang,
    ));
    out.push('\n');
    out
}

/// Problems in the config file (peitao.toml), rendered as a submission's
/// input errors are: each located in the file, with its help.
pub fn config_errors(
    path: &str,
    source: std::sync::Arc<str>,
    errors: Vec<crate::input::InputError>,
    lang: crate::plan::Lang,
) -> String {
    let mut out = config_diags(path, source, &errors, miette::Severity::Error, lang);
    out.push_str(&messages::say(
        &problems(
            crate::input::Msg::new("config.problems").arg("path", path),
            errors.len(),
        ),
        lang,
    ));
    out.push('\n');
    out
}

/// Warnings about a config file (peitao.toml), located in it like its
/// errors; the run goes on.
pub fn config_warnings(
    path: &str,
    source: std::sync::Arc<str>,
    warnings: Vec<crate::input::InputError>,
    lang: crate::plan::Lang,
) -> String {
    config_diags(path, source, &warnings, miette::Severity::Warning, lang)
}

/// Each of a config's problems as a located diagnostic (`config::…`).
fn config_diags(
    path: &str,
    source: std::sync::Arc<str>,
    problems: &[crate::input::InputError],
    severity: miette::Severity,
    lang: crate::plan::Lang,
) -> String {
    let file = FileResult {
        path: path.to_string(),
        source,
        outcome: Outcome::Invalid(Vec::new()),
        review: Default::default(),
        transcoded_from: None,
        cells: None,
    };
    let handler = plain_handler();
    let mut out = String::new();
    let idx = position::LineIndex::new(&file.source);
    for e in problems {
        let mut d = human::input_error_diag(&file, &idx, e, lang);
        d.code = format!("config::{}", e.code);
        d.severity = severity;
        human::render_diag(&mut out, &handler, d, lang, 100);
    }
    out
}

/// Text safe inside HTML and XML, elements and attribute values alike:
/// markup escaped, control characters (which XML 1.0 forbids and which
/// could drive a terminal) replaced.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' | '\r' => out.push(c),
            // XML 1.0 forbids the other controls and U+FFFE, U+FFFF.
            c if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
