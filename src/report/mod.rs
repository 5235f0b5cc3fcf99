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
pub mod ledger;
/// Every message's words: the catalogue ([`crate::base::text`]) and the
/// sentences the report builds from it ([`words`]).
pub mod messages {
    pub use super::words::*;
    pub use crate::base::text::{code_meaning, say, word, CATALOGUE};
}
pub mod position;
pub mod review;
pub mod sarif;
mod words;
pub mod write;
pub mod xlsx;

pub use position::{LineIndex, Position};

/// Codes of the notes a report writes itself (docs/codes.md).
pub const REPORT_CODES: &[&str] = crate::base::code::ReportCode::IDS;

use crate::plan::PlanError;

use crate::check::{FileResult, Outcome};

pub use crate::check::{BaselineCounts, Counts, FailOn, Summary};

/// The cell of a workbook a span of its canonical text came from
/// (`居住区!C7`); `None` for a YAML file, or a line no cell wrote.
pub fn cell_at(file: &FileResult, idx: &LineIndex, span: crate::input::Span) -> Option<String> {
    let cells = file.cells.as_ref()?;
    cells
        .at_line(idx.line_of(span.offset))
        .map(|c| c.to_string())
}

/// Where a span is, for a ledger: the cell of a workbook, else the
/// `line:column` of the file.
pub fn location_text(file: &FileResult, idx: &LineIndex, span: crate::input::Span) -> String {
    if file.cells.is_some() {
        return cell_at(file, idx, span).unwrap_or_default();
    }
    let p = idx.position(span);
    format!("{}:{}", p.line, p.column)
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
    pub text: Written,
    /// What else the writer keeps of it until the end (SARIF: the
    /// notifications of unreadable files and rule errors).
    pub notes: Vec<serde_json::Value>,
}

/// A file's part of a report as it is written, held until its turn: in
/// chunks of at most [`Written::CHUNK`] bytes after the first, so a large
/// file's report takes its own size and not the room a buffer grown by
/// doubling leaves (up to as much again: a 20,000-facility file's JSON is
/// 6.3 times the file, issue 25).
#[derive(Debug, Default)]
pub struct Written {
    chunks: Vec<Vec<u8>>,
}

impl Written {
    /// The most a chunk holds.
    pub const CHUNK: usize = 1 << 16;

    /// Bytes written.
    pub fn len(&self) -> usize {
        self.chunks.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.chunks.iter().all(Vec::is_empty)
    }

    /// The text to `out`, less its first `skip` bytes.
    pub fn write_to(&self, out: &mut dyn std::io::Write, mut skip: usize) -> std::io::Result<()> {
        for chunk in &self.chunks {
            let from = skip.min(chunk.len());
            skip -= from;
            out.write_all(&chunk[from..])?;
        }
        Ok(())
    }
}

impl From<Vec<u8>> for Written {
    fn from(text: Vec<u8>) -> Written {
        Written { chunks: vec![text] }
    }
}

impl std::io::Write for Written {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // Most writes are a few bytes into the chunk being filled.
        if let Some(last) = self.chunks.last_mut() {
            if buf.len() <= Self::CHUNK.saturating_sub(last.len()) {
                last.extend_from_slice(buf);
                return Ok(buf.len());
            }
        }
        self.spill(buf);
        Ok(buf.len())
    }

    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.write(buf).map(drop)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Written {
    /// `buf` across the chunk being filled and new ones.
    #[inline(never)]
    fn spill(&mut self, buf: &[u8]) {
        let mut rest = buf;
        while !rest.is_empty() {
            if self.chunks.last().is_none_or(|c| c.len() >= Self::CHUNK) {
                // The first grows as a vector does (a small file's part
                // stays small); each after it is made whole.
                let room = if self.chunks.is_empty() {
                    0
                } else {
                    Self::CHUNK
                };
                self.chunks.push(Vec::with_capacity(room));
            }
            let Some(last) = self.chunks.last_mut() else {
                unreachable!("a chunk was pushed above")
            };
            let (now, later) = rest.split_at((Self::CHUNK - last.len()).min(rest.len()));
            last.extend_from_slice(now);
            rest = later;
        }
    }
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
    msg.phrase(
        "problems",
        crate::input::Msg::new("count.problems").arg("n", n),
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

#[cfg(test)]
mod written_tests {
    use super::Written;
    use std::io::Write;

    /// Whatever the sizes written, the text reads back whole (less what is
    /// skipped), and no chunk after the first holds room beyond its size.
    #[test]
    fn written_text_reads_back_and_holds_little_room() {
        let mut expected = Vec::new();
        let mut w = Written::default();
        let mut n = 0u32;
        for size in [1usize, 7, 100, 3, 70_000, 5, 65_536, 2, 200_000, 9] {
            let bytes: Vec<u8> = (0..size)
                .map(|_| {
                    n = n.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    (n >> 16) as u8
                })
                .collect();
            w.write_all(&bytes).unwrap();
            expected.extend_from_slice(&bytes);
        }
        assert_eq!(w.len(), expected.len());
        for skip in [0, 1, 65_536, 65_537] {
            let mut out = Vec::new();
            w.write_to(&mut out, skip).unwrap();
            assert_eq!(out, expected[skip..], "skip {skip}");
        }
        for chunk in &w.chunks[1..] {
            assert!(chunk.capacity() <= Written::CHUNK, "{}", chunk.capacity());
        }
        let room: usize = w.chunks.iter().map(|c| c.capacity() - c.len()).sum();
        assert!(room <= 2 * Written::CHUNK, "{room} bytes of room");
        assert!(Written::default().is_empty());
    }
}
