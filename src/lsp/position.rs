//! Byte offsets ↔ LSP positions. peitao's spans are byte ranges of UTF-8
//! text; LSP counts lines from 0 and columns in UTF-16 code units (the
//! protocol's mandatory encoding), so 十 is one unit and 𝄞 two. A line
//! ends, as the protocol says, at `\n`, `\r\n` or a lone `\r`.
//!
//! Kept self-contained on purpose: `report` has its own 1-based index for
//! the reports; the two can share one module once both have settled.

use crate::input::Span;
use lsp_types::{Position, Range};

/// Line starts of one text, for converting in both directions.
#[derive(Clone, Debug)]
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            // `\r\n` is one line end: the line starts after its `\n`.
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        Lines { starts }
    }

    /// The LSP position of a byte offset. An offset inside a character
    /// counts as that character's start; one past the end is the end.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, text: &str, span: Span) -> Range {
        Range::new(
            self.position(text, span.offset),
            self.position(text, span.offset + span.len),
        )
    }

    /// The byte offset of an LSP position. A column past the end of its
    /// line is the line's end (before its line break), a line past the end of
    /// the text is the text's end, as the protocol asks; a column in the
    /// middle of a surrogate pair rounds down to the character's start.
    pub fn offset(&self, text: &str, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return text.len();
        };
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .map_or(text.len(), |&next| next);
        let line = &text[start..end];
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut units = 0usize;
        for (i, c) in line.char_indices() {
            units += c.len_utf16();
            if units > pos.character as usize {
                return start + i;
            }
        }
        start + line.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) {
        let lines = Lines::new(text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let p = lines.position(text, offset);
            assert_eq!(lines.offset(text, p), offset, "{text:?} at {offset}: {p:?}");
        }
    }

    #[test]
    fn ascii_columns_are_bytes() {
        let text = "version: 1\nestate:\n  households: 2600\n";
        let lines = Lines::new(text);
        let at = text.find("2600").unwrap();
        assert_eq!(lines.position(text, at), Position::new(2, 14));
        assert_eq!(lines.offset(text, Position::new(2, 14)), at);
        round_trip(text);
    }

    #[test]
    fn cjk_counts_one_unit_per_character_not_three_bytes() {
        let text = "  name: 阳光花园 # 十堰\n  x: 1\n";
        let lines = Lines::new(text);
        let at = text.find('#').unwrap();
        // "  name: " is 8 units, 阳光花园 4 more, then a space.
        assert_eq!(lines.position(text, at), Position::new(0, 13));
        let range = lines.range(text, Span::new(text.find('阳').unwrap(), "阳光花园".len()));
        assert_eq!(range, Range::new(Position::new(0, 8), Position::new(0, 12)));
        round_trip(text);
    }

    #[test]
    fn astral_characters_count_two_units() {
        let text = "a: 𝄞𝄞 x\nb: 🏠y\n";
        let lines = Lines::new(text);
        assert_eq!(
            lines.position(text, text.find('x').unwrap()),
            Position::new(0, 8)
        );
        assert_eq!(
            lines.position(text, text.find('y').unwrap()),
            Position::new(1, 5)
        );
        // The second unit of a surrogate pair is inside 🏠: its start.
        assert_eq!(
            lines.offset(text, Position::new(1, 4)),
            text.find('🏠').unwrap()
        );
        round_trip(text);
    }

    #[test]
    fn cr_crlf_and_lf_each_end_a_line() {
        // Old Mac files end lines with a lone CR: the protocol counts them.
        for text in [
            "version: 1\restate:\r  households: x\r",
            "version: 1\r\nestate:\r\n  households: x\r\n",
            "version: 1\nestate:\r  households: x\r\n",
        ] {
            let lines = Lines::new(text);
            let at = text.find('x').unwrap();
            assert_eq!(lines.position(text, at), Position::new(2, 14), "{text:?}");
            assert_eq!(lines.offset(text, Position::new(2, 14)), at, "{text:?}");
            assert_eq!(
                lines.offset(text, Position::new(1, 99)),
                text.find("estate:").unwrap() + 7,
                "{text:?}"
            );
            // Every offset outside a line break survives the round trip.
            for (offset, c) in text.char_indices() {
                if c != '\r' && c != '\n' {
                    let p = lines.position(text, offset);
                    assert_eq!(lines.offset(text, p), offset, "{text:?} at {offset}");
                }
            }
        }
        // CR CR is two line ends; CR LF one.
        assert_eq!(
            Lines::new("a\r\rb").position("a\r\rb", 3),
            Position::new(2, 0)
        );
        assert_eq!(
            Lines::new("a\r\nb").position("a\r\nb", 3),
            Position::new(1, 0)
        );
    }

    #[test]
    fn out_of_range_positions_clamp_to_the_line_or_text_end() {
        let text = "ab\r\ncd\n";
        let lines = Lines::new(text);
        assert_eq!(lines.offset(text, Position::new(0, 99)), 2);
        assert_eq!(lines.offset(text, Position::new(1, 99)), 6);
        assert_eq!(lines.offset(text, Position::new(7, 0)), text.len());
        assert_eq!(lines.position(text, 999), Position::new(2, 0));
        // An offset inside a multi-byte character is its start.
        let text = "十x";
        assert_eq!(Lines::new(text).position(text, 1), Position::new(0, 0));
    }
}
