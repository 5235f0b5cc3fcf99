//! Stage 4, report: every writer reads the same sorted results. Only this
//! module writes to the terminal or files.

pub mod catalog;
pub mod coverage;
pub mod fixtures;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

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
/// with_findings, invalid and unreadable.
/// Serialised as the JSON report's `summary`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub clean: usize,
    pub with_findings: usize,
    pub invalid: usize,
    pub unreadable: usize,
    pub errors: usize,
    pub warnings: usize,
    #[serde(rename = "cannot_be_checked")]
    pub unchecked: usize,
    pub rule_errors: usize,
    /// Findings (of any status) at error severity, and at warning: what
    /// `--fail-on` compares against.
    #[serde(skip)]
    pub at_error: usize,
    #[serde(skip)]
    pub at_warning: usize,
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
            Outcome::Checked(_) if c.total() == 0 => self.clean += 1,
            Outcome::Checked(_) => self.with_findings += 1,
        }
        self.errors += c.errors;
        self.warnings += c.warnings;
        self.unchecked += c.unchecked;
        self.rule_errors += c.rule_errors;
        if let Outcome::Checked(checked) = &f.outcome {
            for finding in checked.findings() {
                match (finding.status, finding.severity) {
                    (Status::RuleError, _) | (_, Severity::Error) => self.at_error += 1,
                    (_, Severity::Warning) => self.at_warning += 1,
                }
            }
        }
    }

    pub fn of(files: &[FileResult]) -> Summary {
        let mut s = Summary::default();
        files.iter().for_each(|f| s.add(f));
        s
    }

    /// 0: nothing at or above the threshold; 1: findings at or above it;
    /// 2: a file could not be read or is not a valid submission.
    pub fn exit_code(&self, fail_on: FailOn) -> u8 {
        if self.invalid + self.unreadable > 0 {
            return 2;
        }
        let failing = match fail_on {
            FailOn::Never => 0,
            FailOn::Warning => self.at_error + self.at_warning,
            FailOn::Error => self.at_error,
        };
        u8::from(failing > 0)
    }
}

/// A report writer. Files arrive one at a time, in path order; a writer
/// that can stream (human, JSON, SARIF) writes each as it comes, so a batch
/// of any size runs in bounded memory.
pub trait Sink {
    fn begin(&mut self, _out: &mut dyn std::io::Write) -> std::io::Result<()> {
        Ok(())
    }
    fn file(&mut self, file: &FileResult, out: &mut dyn std::io::Write) -> std::io::Result<()>;
    fn finish(&mut self, summary: &Summary, out: &mut dyn std::io::Write) -> std::io::Result<()>;
}

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

/// Problems with rule packs, rendered like input errors: each points into
/// the manifest, script or table that has it.
pub fn plan_errors(errors: &[PlanError]) -> String {
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100);
    let mut out = String::new();
    for e in errors {
        let d = human::Diag {
            code: format!("plan::{}", e.code),
            severity: miette::Severity::Error,
            message: e.message.clone(),
            help: e.help.clone(),
            labels: vec![miette::LabeledSpan::new_primary_with_span(
                Some(e.label.clone()),
                e.span,
            )],
            source: miette::NamedSource::new(&e.file, e.source.clone()),
        };
        let _ = handler.render_report(&mut out, &d);
        out.push('\n');
    }
    out.push_str(&format!("{} problem(s) in the rule packs\n", errors.len()));
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
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Where a span is, in the units each consumer wants: 1-based line, column
/// in characters (editors, JSON) and in UTF-16 code units (SARIF's
/// default), and the byte range (miette).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub utf16_column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(skip)]
    pub utf16_end_column: usize,
    pub byte_offset: usize,
    pub byte_length: usize,
}

/// Line starts of one file, to turn byte offsets into positions.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// (line, char column, UTF-16 column), all 1-based, of a byte offset.
    fn point(&self, offset: usize) -> (usize, usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let before = self.text.get(start..offset).unwrap_or("");
        (
            line,
            before.chars().count() + 1,
            before.encode_utf16().count() + 1,
        )
    }

    pub fn position(&self, span: crate::input::Span) -> Position {
        let (line, column, utf16_column) = self.point(span.offset);
        let (end_line, end_column, utf16_end_column) = self.point(span.offset + span.len);
        Position {
            line,
            column,
            utf16_column,
            end_line,
            end_column,
            utf16_end_column,
            byte_offset: span.offset,
            byte_length: span.len,
        }
    }

    /// The text a span covers.
    pub fn text(&self, span: crate::input::Span) -> &'a str {
        self.text
            .get(span.offset..span.offset + span.len)
            .unwrap_or("")
    }
}

#[cfg(test)]
mod position_tests {
    use super::*;
    use crate::input::Span;

    #[test]
    fn columns_count_characters_and_utf16_units_not_bytes() {
        let text = "a: 1\nname: 阳光𝄞花园 x\n";
        let idx = LineIndex::new(text);
        let at = text.find('x').unwrap();
        let p = idx.position(Span::new(at, 1));
        assert_eq!((p.line, p.column, p.utf16_column), (2, 13, 14));
        assert_eq!((p.end_line, p.end_column), (2, 14));
        let p = idx.position(Span::new(0, 0));
        assert_eq!((p.line, p.column), (1, 1));
    }
}
