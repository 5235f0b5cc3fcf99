//! The one position model every report uses: a line index built once per
//! file turns byte offsets into 1-based lines and columns (in characters,
//! as docs/json-output.md says, and in UTF-16 code units for SARIF).
//!
//! A line ends at `\n`, at `\r\n` or at a lone `\r` (old Mac files), so a
//! CR-only file has as many lines in JSON, SARIF, JUnit and HTML as in the
//! terminal. Every lookup costs a binary search plus at most [`STEP`] bytes
//! of counting, never a scan from the start of the file or of the line: a
//! one-line 16 MiB file with 100,000 findings stays linear.

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
    /// (characters, UTF-16 units) before byte `k * STEP`, for every k.
    marks: Vec<(usize, usize)>,
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
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends_line {
                starts.push(i + 1);
            }
        }
        let mut marks = Vec::with_capacity(bytes.len() / STEP + 1);
        let (mut c, mut u) = (0, 0);
        marks.push((0, 0));
        for chunk in bytes.chunks(STEP) {
            let (dc, du) = units(chunk);
            c += dc;
            u += du;
            marks.push((c, u));
        }
        LineIndex {
            text,
            starts,
            marks,
        }
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
        let (c, u) = self.marks[k];
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
        let (c0, u0) = self.before(self.line_start(line));
        let (c, u) = self.before(offset);
        (line, c - c0 + 1, u - u0 + 1)
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
