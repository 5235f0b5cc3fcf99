//! What the terminal shows of a file for one diagnostic: the lines its
//! labels are on (with one line of context either side), each long line cut
//! to a window around the labelled columns, and the labels mapped into that
//! excerpt. miette renders the excerpt, so it never sees a line wider than
//! a screenful (it panics past display column 65,535) and never scans the
//! whole file (it would, per diagnostic, from the start).
//!
//! Line and column numbers come from the file's [`LineIndex`], the same
//! numbers JSON, SARIF, JUnit and HTML give.

use super::position::LineIndex;
use crate::input::Span;
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// A line longer than this (in bytes) is shown as a window.
pub const LONG_LINE_BYTES: usize = 400;
/// Characters a window shows at most.
pub const WINDOW_CHARS: usize = 120;
/// Characters kept before the first label of a windowed line.
const LEAD_CHARS: usize = 16;
/// Most unlabelled lines between two labelled ones shown rather than split
/// into two snippets.
const GAP_LINES: usize = 24;
/// A span over more lines than this is shown on its first line only.
const MAX_SPAN_LINES: usize = 20;

const ELLIPSIS: &str = "…";

/// One line of the excerpt.
#[derive(Debug)]
struct Shown {
    /// 1-based line in the file.
    line: usize,
    /// Excerpt offset where the shown line starts (at its "…", if any).
    at: usize,
    /// Excerpt offset where the file's text starts (after a leading "…").
    body: usize,
    /// Bytes of the line as shown (ellipses included).
    len: usize,
    /// The window of the file the line shows, in file offsets.
    from: usize,
    to: usize,
    /// 1-based character column of `from` in the file.
    column: usize,
}

/// Lines of the file in one run, shown as one snippet.
#[derive(Debug)]
struct Block {
    lines: Vec<Shown>,
}

/// The excerpt of a file a diagnostic needs; a miette [`SourceCode`].
#[derive(Debug)]
pub struct Excerpt {
    name: String,
    text: String,
    blocks: Vec<Block>,
}

/// Replace what could drive a terminal by characters of the same byte
/// length, so that offsets in the window stay valid.
fn push_shown(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            c if super::human::is_unsafe(c) && c != '\t' => match c.len_utf8() {
                1 => out.push('?'),
                2 => out.push('¿'),
                3 => out.push('\u{FFFD}'),
                _ => out.push_str("\u{FFFD}?"),
            },
            c => out.push(c),
        }
    }
}

/// The byte offset `n` characters before `offset` (not before `floor`).
fn back(text: &str, floor: usize, offset: usize, n: usize) -> usize {
    text[floor..offset]
        .char_indices()
        .rev()
        .take(n)
        .last()
        .map_or(offset, |(i, _)| floor + i)
}

impl Excerpt {
    /// The excerpt of `text` (named `name`) for labels at `spans`; returns
    /// it with each span mapped into it.
    pub fn new(name: &str, idx: &LineIndex, spans: &[Span]) -> (Excerpt, Vec<Span>) {
        let text = idx.text_of_file();
        // A final line break ends the last line; it starts none.
        let n = match text.as_bytes().last() {
            Some(b'\n' | b'\r') => idx.line_count() - 1,
            _ => idx.line_count(),
        };
        // Each span as (first line, last line, start, end) in the file.
        let clipped: Vec<(usize, usize, usize, usize)> = spans
            .iter()
            .map(|s| {
                let start = s.offset.min(text.len());
                let end = s.offset.saturating_add(s.len).clamp(start, text.len());
                let first = idx.line_of(start).min(n);
                let last = if end > start {
                    idx.line_of(end - 1).min(n)
                } else {
                    first
                };
                if last - first > MAX_SPAN_LINES {
                    (first, first, start, end.min(idx.line_end(first)).max(start))
                } else {
                    (first, last, start, end)
                }
            })
            .collect();
        // Runs of lines to show.
        let mut runs: Vec<(usize, usize)> = clipped
            .iter()
            .map(|&(a, b, _, _)| (a.saturating_sub(1).max(1), (b + 1).min(n)))
            .collect();
        runs.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (a, b) in runs {
            match merged.last_mut() {
                // miette 7 merges snippets when the first's start line plus
                // its end line (a quirk of its line count) reaches the next:
                // kept, so that reports read as before, but never across
                // more than GAP_LINES unlabelled lines.
                Some(last) if a <= last.0 + last.1 && a <= last.1 + GAP_LINES + 1 => {
                    last.1 = last.1.max(b)
                }
                _ => merged.push((a, b)),
            }
        }
        // Labels per line, to place each line's window.
        let mut by_line: Vec<(usize, usize, usize)> = Vec::new();
        for &(first, last, start, end) in &clipped {
            for line in first..=last {
                let (ls, le) = (idx.line_start(line), idx.line_end(line));
                by_line.push((line, start.clamp(ls, le), end.clamp(ls, le)));
            }
        }
        by_line.sort_unstable();
        let mut out = String::new();
        let mut blocks = Vec::new();
        for (a, b) in merged {
            let mut lines = Vec::new();
            for line in a..=b {
                let (ls, le) = (idx.line_start(line), idx.line_end(line));
                let i = by_line.partition_point(|&(l, _, _)| l < line);
                let on_line = by_line[i..].iter().take_while(|&&(l, _, _)| l == line);
                let (from, to) = if le - ls <= LONG_LINE_BYTES {
                    (ls, le)
                } else {
                    let first = on_line.clone().map(|&(_, s, _)| s).min().unwrap_or(ls);
                    let last = on_line.map(|&(_, _, e)| e).max().unwrap_or(ls);
                    let from = back(text, ls, first, LEAD_CHARS);
                    let (mut to, mut past) = (from, 0);
                    for (shown, (i, c)) in text[from..le].char_indices().enumerate() {
                        if shown >= WINDOW_CHARS {
                            break;
                        }
                        if from + i >= last {
                            if past >= LEAD_CHARS {
                                break;
                            }
                            past += 1;
                        }
                        to = from + i + c.len_utf8();
                    }
                    (from, to)
                };
                let at = out.len();
                if from > ls {
                    out.push_str(ELLIPSIS);
                }
                let body = out.len();
                push_shown(&mut out, &text[from..to]);
                if to < le {
                    out.push_str(ELLIPSIS);
                }
                let len = out.len() - at;
                out.push('\n');
                lines.push(Shown {
                    line,
                    at,
                    body,
                    len,
                    from,
                    to,
                    column: idx.column(from),
                });
            }
            blocks.push(Block { lines });
        }
        let excerpt = Excerpt {
            name: name.to_string(),
            text: out,
            blocks,
        };
        let mapped = clipped
            .iter()
            .map(|&(first, last, start, end)| {
                let s = excerpt.map(first, start);
                let e = excerpt.map(last, end).max(s);
                Span::new(s, e - s)
            })
            .collect();
        (excerpt, mapped)
    }

    fn shown(&self, line: usize) -> Option<&Shown> {
        let b = self
            .blocks
            .partition_point(|b| b.lines.last().is_some_and(|l| l.line < line));
        let block = self.blocks.get(b)?;
        let first = block.lines.first()?.line;
        block.lines.get(line.checked_sub(first)?)
    }

    /// A file offset on `line`, as an excerpt offset (clamped to the window).
    fn map(&self, line: usize, offset: usize) -> usize {
        match self.shown(line) {
            Some(l) => l.body + offset.clamp(l.from, l.to) - l.from,
            None => 0,
        }
    }

    /// (block, line index in block) of an excerpt offset.
    fn locate(&self, offset: usize) -> Option<(usize, usize)> {
        let b = self
            .blocks
            .partition_point(|b| b.lines.first().is_some_and(|l| l.at <= offset))
            .checked_sub(1)?;
        let lines = &self.blocks[b].lines;
        let i = lines.partition_point(|l| l.at <= offset).checked_sub(1)?;
        Some((b, i))
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let (b, i) = self.locate(span.offset()).ok_or(MietteError::OutOfBounds)?;
        let end = span.offset() + span.len().saturating_sub(1);
        let (b2, j) = self.locate(end).ok_or(MietteError::OutOfBounds)?;
        let lines = &self.blocks[b].lines;
        // A span never leaves its block: spans are mapped line by line.
        let j = if b2 == b { j.max(i) } else { lines.len() - 1 };
        let first = i.saturating_sub(before);
        let last = (j + after).min(lines.len() - 1);
        let start = if before == 0 {
            span.offset()
        } else {
            lines[first].at
        };
        // With its line break, as miette expects of a line.
        let stop = lines[last].at + lines[last].len + 1;
        let l = &lines[i];
        let column = if before == 0 {
            let into = span.offset().saturating_sub(l.body);
            let chars = self
                .text
                .get(l.body..l.body + into)
                .map_or(0, |t| t.chars().count());
            l.column - 1 + chars
        } else {
            0
        };
        let block_last = lines[lines.len() - 1].line;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &self.text.as_bytes()[start..stop],
            (start, stop - start).into(),
            lines[first].line - 1,
            column,
            // Snippets of one block merge; of two blocks, never.
            block_last + 1 - lines[first].line,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excerpt(text: &str, spans: &[Span]) -> (Excerpt, Vec<Span>) {
        Excerpt::new("f.yaml", &LineIndex::new(text), spans)
    }

    #[test]
    fn short_lines_are_shown_whole_with_a_line_of_context() {
        let text = "a: 1\nb: 2\nc: 3\nd: 4\n";
        let (e, spans) = excerpt(text, &[Span::new(8, 1)]);
        assert_eq!(e.text, "a: 1\nb: 2\nc: 3\n");
        assert_eq!(&e.text[spans[0].offset..][..1], "2");
        let c = e.read_span(&(spans[0].offset, 1).into(), 0, 0).unwrap();
        assert_eq!((c.line(), c.column()), (1, 3));
    }

    #[test]
    fn a_long_line_is_cut_to_a_window_around_the_span() {
        let text = format!("k: \"{}X{}\"\n", "阳".repeat(50_000), "\t".repeat(50_000));
        let at = text.find('X').unwrap();
        let (e, spans) = excerpt(&text, &[Span::new(at, 1)]);
        assert!(e.text.len() < 4 * WINDOW_CHARS, "{}", e.text.len());
        assert!(e.text.starts_with(ELLIPSIS) && e.text.trim_end().ends_with(ELLIPSIS));
        assert_eq!(&e.text[spans[0].offset..][..1], "X");
        let c = e.read_span(&(spans[0].offset, 1).into(), 0, 0).unwrap();
        assert_eq!((c.line(), c.column() + 1), (0, 4 + 50_000 + 1));
    }

    #[test]
    fn far_apart_labels_make_separate_snippets() {
        let text: String = (1..=200).map(|i| format!("k{i}: {i}\n")).collect();
        let a = text.find("k3:").unwrap();
        let b = text.find("k150:").unwrap();
        let (e, spans) = excerpt(&text, &[Span::new(a, 2), Span::new(b, 4)]);
        assert_eq!(e.blocks.len(), 2);
        let c = e.read_span(&(spans[1].offset, 4).into(), 1, 1).unwrap();
        assert_eq!(c.line(), 148);
        assert!(std::str::from_utf8(c.data()).unwrap().starts_with("k149:"));
    }

    #[test]
    fn cr_only_lines_are_lines() {
        let text = "a: 1\rb: 2\rc: 3\r";
        let (e, spans) = excerpt(text, &[Span::new(8, 1)]);
        assert_eq!(e.text, "a: 1\nb: 2\nc: 3\n");
        let c = e.read_span(&(spans[0].offset, 1).into(), 0, 0).unwrap();
        assert_eq!((c.line() + 1, c.column() + 1), (2, 4));
    }
}
