//! The one position model every report uses: a line index built once per
//! file turns byte offsets into 1-based lines and columns (in characters,
//! as docs/json-output.md says, and in UTF-16 code units for SARIF).
//!
//! A line ends at `\n`, at `\r\n` or at a lone `\r` (old Mac files), so a
//! CR-only file has as many lines in JSON, SARIF, JUnit and HTML as in the
//! terminal. Every lookup costs a binary search plus at most 2 × [`STEP`]
//! bytes of counting, never a scan from the start of the file or of a long
//! line: a one-line 16 MiB file with 100,000 findings stays linear (far
//! columns come from checkpoints built once, on first need).

use crate::input::Span;

/// Bytes between two checkpoints of the character counts.
pub const STEP: usize = 256;

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

/// Line starts and character-count checkpoints of one file.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset where each line starts (the first is 0).
    starts: Vec<usize>,
    /// (characters, UTF-16 units) before byte `k * STEP`, for every k:
    /// built the first time a column far from its line's start is asked
    /// for (a file of short lines never needs them).
    marks: std::sync::OnceLock<Vec<(usize, usize)>>,
}

/// Characters and UTF-16 code units in a run of UTF-8 bytes that may start
/// or end inside a character: a character is counted at its first byte.
fn units(bytes: &[u8]) -> (usize, usize) {
    let mut chars = 0;
    let mut wide = 0;
    for &b in bytes {
        chars += usize::from(b & 0xC0 != 0x80);
        wide += usize::from(b >= 0xF0);
    }
    (chars, chars + wide)
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
        starts.push(0);
        // memchr looks at a word of bytes at a time for either terminator.
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
        LineIndex {
            text,
            starts,
            marks: std::sync::OnceLock::new(),
        }
    }

    fn marks(&self) -> &[(usize, usize)] {
        self.marks.get_or_init(|| {
            let bytes = self.text.as_bytes();
            let mut marks = Vec::with_capacity(bytes.len() / STEP + 2);
            let (mut c, mut u) = (0, 0);
            marks.push((0, 0));
            for chunk in bytes.chunks(STEP) {
                let (dc, du) = units(chunk);
                c += dc;
                u += du;
                marks.push((c, u));
            }
            marks
        })
    }

    pub fn text_of_file(&self) -> &'a str {
        self.text
    }

    /// Number of lines (a final line terminator starts an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The largest char boundary at or before `offset`, within the text.
    fn floor(&self, offset: usize) -> usize {
        let mut o = offset.min(self.text.len());
        while !self.text.is_char_boundary(o) {
            o -= 1;
        }
        o
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = self.floor(offset);
        self.starts.partition_point(|&s| s <= offset)
    }

    /// Byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line.clamp(1, self.starts.len()) - 1]
    }

    /// Byte offset where 1-based `line`'s text ends (before its terminator).
    pub fn line_end(&self, line: usize) -> usize {
        let line = line.clamp(1, self.starts.len());
        let next = self.starts.get(line).copied().unwrap_or(self.text.len());
        let text = &self.text.as_bytes()[self.line_start(line)..next];
        let trimmed = match text {
            [rest @ .., b'\r', b'\n'] => rest.len(),
            [rest @ .., b'\n' | b'\r'] => rest.len(),
            _ => text.len(),
        };
        self.line_start(line) + trimmed
    }

    /// The text of 1-based `line`, without its terminator.
    pub fn line_text(&self, line: usize) -> &'a str {
        &self.text[self.line_start(line)..self.line_end(line)]
    }

    /// Characters and UTF-16 units before a byte offset.
    fn before(&self, offset: usize) -> (usize, usize) {
        let k = offset / STEP;
        let (c, u) = self.marks()[k];
        let (dc, du) = units(&self.text.as_bytes()[k * STEP..offset]);
        (c + dc, u + du)
    }

    /// (line, char column, UTF-16 column), all 1-based, of a byte offset.
    pub fn point(&self, offset: usize) -> (usize, usize, usize) {
        let offset = self.floor(offset);
        let line = self.line_of(offset);
        // An offset inside a CRLF pair, or past the end of the line's text,
        // is the end of that line.
        let offset = offset.min(self.line_end(line));
        let start = self.line_start(line);
        let (c, u) = if offset - start <= 2 * STEP {
            // Near its line's start (nearly always): count from there.
            units(&self.text.as_bytes()[start..offset])
        } else {
            let ((c0, u0), (c1, u1)) = (self.before(start), self.before(offset));
            (c1 - c0, u1 - u0)
        };
        (line, c + 1, u + 1)
    }

    /// 1-based character column of a byte offset on its line.
    pub fn column(&self, offset: usize) -> usize {
        self.point(offset).1
    }

    pub fn position(&self, span: Span) -> Position {
        let (line, column, utf16_column) = self.point(span.offset);
        let (end_line, end_column, utf16_end_column) =
            self.point(span.offset.saturating_add(span.len));
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
    pub fn text(&self, span: Span) -> &'a str {
        self.text
            .get(span.offset..span.offset.saturating_add(span.len))
            .unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn lf_crlf_and_lone_cr_all_end_lines() {
        for text in [
            "a: 1\nb: 阳光\nc: x",
            "a: 1\r\nb: 阳光\r\nc: x",
            "a: 1\rb: 阳光\rc: x",
        ] {
            let idx = LineIndex::new(text);
            assert_eq!(idx.line_count(), 3, "{text:?}");
            let at = text.find('x').unwrap();
            assert_eq!(idx.point(at), (3, 4, 4), "{text:?}");
            assert_eq!(idx.line_text(2), "b: 阳光", "{text:?}");
            // The terminator belongs to the line it ends.
            let cr = text.find('\r').or_else(|| text.find('\n')).unwrap();
            assert_eq!(idx.point(cr), (1, 5, 5), "{text:?}");
        }
    }

    /// The index against the plain definition (split on CRLF, LF, lone CR;
    /// count characters and UTF-16 units from the line start), at every
    /// char boundary of texts mixing terminators, wide characters and lines
    /// shorter and longer than the checkpoint step.
    #[test]
    fn every_offset_agrees_with_a_plain_count() {
        let pieces = ["a", "阳", "𝄞", "\n", "\r\n", "\r", "  ", "x: 1"];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for round in 0..60 {
            let mut text = String::new();
            let len = [5, 40, 300, 900][round % 4];
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let p = pieces[(seed % pieces.len() as u64) as usize];
                // Long lines now and then, past two checkpoint steps.
                if seed.is_multiple_of(97) {
                    text.push_str(&"长".repeat(3 * STEP));
                }
                text.push_str(p);
            }
            let idx = LineIndex::new(&text);
            let (mut line, mut col, mut col16) = (1, 1, 1);
            let bytes = text.as_bytes();
            for (i, ch) in text.char_indices() {
                assert_eq!(idx.point(i), (line, col, col16), "{round} at {i}");
                let ends = ch == '\n' || (ch == '\r' && bytes.get(i + 1) != Some(&b'\n'));
                if ends {
                    (line, col, col16) = (line + 1, 1, 1);
                } else if ch != '\r' {
                    col += 1;
                    col16 += ch.len_utf16();
                }
            }
            assert_eq!(idx.line_count(), line, "{round}");
        }
    }

    #[test]
    fn far_columns_come_from_checkpoints_not_from_the_line_start() {
        let text = format!("{}阳x", "\t".repeat(100_000));
        let idx = LineIndex::new(&text);
        let at = text.find('x').unwrap();
        assert_eq!(idx.point(at), (1, 100_002, 100_002));
        // An offset inside a multi-byte character is that character's.
        assert_eq!(idx.point(100_001), (1, 100_001, 100_001));
    }
}
