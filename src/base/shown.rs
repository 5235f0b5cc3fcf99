//! How paths and outside text are shown: faithfully, and never able to
//! drive or deceive the reader's terminal.

use std::path::Path;

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

/// The bytes of the path that [`display_path`] shows as `shown`: on Unix
/// `\\` is a backslash and `\xHH` a byte that is not UTF-8 (file names
/// are bytes there); elsewhere the text's own bytes. A report that names a
/// file by URI (SARIF, the editor) encodes these, the real name.
pub fn path_bytes(shown: &str) -> Vec<u8> {
    if !cfg!(unix) {
        return shown.as_bytes().to_vec();
    }
    let bytes = shown.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| {
            let pair = shown.get(at..at + 2)?;
            if pair.bytes().all(|b| b.is_ascii_hexdigit()) {
                u8::from_str_radix(pair, 16).ok()
            } else {
                None
            }
        };
        match (bytes[i], bytes.get(i + 1)) {
            (b'\\', Some(b'\\')) => {
                out.push(b'\\');
                i += 2;
            }
            (b'\\', Some(b'x')) if hex(i + 2).is_some() => {
                out.push(hex(i + 2).unwrap_or(0));
                i += 4;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// `text` without the characters a reader cannot see (zero-width spaces
/// and joiners, word joiners, byte-order marks, soft hyphens, direction
/// marks and embeddings, variation selectors, tags, Hangul fillers, the
/// blank Braille pattern, control characters), with the whitespace at its
/// ends trimmed. Whitespace inside stays: it separates words.
pub fn visible(text: &str) -> String {
    let kept: String = text.chars().filter(|&c| !invisible(c)).collect();
    kept.trim().to_string()
}

/// A character that shows nothing and takes no room (see [`visible`]).
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{2800}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFF8}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// Characters that could drive or deceive a terminal: control characters
/// (ANSI and OSC escapes start with one) and the bidirectional overrides
/// and isolates that reorder what is shown.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether [`sanitize`] (`line`: [`sanitize_line`]) has anything to
/// replace in `text`, read byte by byte in UTF-8: the control characters
/// (U+0000–U+001F, U+007F, and U+0080–U+009F as C2 80–9F), U+061C (D8 9C),
/// U+200E/U+200F and U+202A–U+202E (E2 80 8E/8F/AA–AE), U+2066–U+2069
/// (E2 81 A6–A9); a line break or tab only for `line`. Reports sanitise
/// every message, help and label, most with nothing to replace.
fn replaces(text: &str, line: bool) -> bool {
    // The bytes that can start one: any block without them (most text)
    // is passed over at once, without a branch per byte.
    const fn lead(c: u8) -> bool {
        c < 0x20 || c == 0x7F || c == 0xC2 || c == 0xD8 || c == 0xE2
    }
    let b = text.as_bytes();
    let replaced = |i: usize| match b[i] {
        b'\n' | b'\t' => line,
        0x00..=0x1F | 0x7F => true,
        0xC2 => matches!(b.get(i + 1), Some(0x80..=0x9F)),
        0xD8 => b.get(i + 1) == Some(&0x9C),
        0xE2 => matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0x80), Some(0x8E | 0x8F | 0xAA..=0xAE)) | (Some(0x81), Some(0xA6..=0xA9))
        ),
        _ => false,
    };
    const BLOCK: usize = 32;
    b.chunks(BLOCK).enumerate().any(|(n, block)| {
        block.iter().fold(false, |any, &c| any | lead(c))
            && (0..block.len()).any(|j| lead(block[j]) && replaced(n * BLOCK + j))
    })
}

/// Replace unsafe characters (ANSI escapes included) so that text from a
/// submission or a pack cannot drive the reviewer's terminal. Newlines and
/// tabs stay: miette indents every line of a message, label or help.
pub fn sanitize(text: &str) -> String {
    // Most text has nothing to replace: copied whole, not rebuilt a
    // character at a time.
    if !replaces(text, false) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| {
            if is_unsafe(c) && c != '\n' && c != '\t' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// [`sanitize`] for text shown on a line of its own (a file name, a rule id,
/// a title, a clause): line breaks become spaces too, so that no text can
/// forge a line of the report such as a summary.
pub fn sanitize_line(text: &str) -> String {
    if !replaces(text, true) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if is_unsafe(c) => '\u{FFFD}',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan agrees with [`is_unsafe`] on every character, alone
    /// and between others, so text it passes whole is what the character
    /// by character replacement would have given.
    #[test]
    fn the_byte_scan_finds_exactly_the_characters_replaced() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let unsafe_ = is_unsafe(c);
            let line = unsafe_ || matches!(c, '\n' | '\r' | '\t');
            let kept = unsafe_ && c != '\n' && c != '\t';
            for text in [c.to_string(), format!("a{c}十"), format!("“{c}”")] {
                assert_eq!(replaces(&text, false), kept, "{c:?} in {text:?}");
                assert_eq!(replaces(&text, true), line, "{c:?} in {text:?}");
            }
        }
        assert_eq!(
            sanitize("a\u{1b}[31m\n“b”\u{202E}"),
            "a\u{FFFD}[31m\n“b”\u{FFFD}"
        );
        assert_eq!(sanitize_line("a\tb\nc"), "a b c");
        assert_eq!(sanitize("十堰 “clause”"), "十堰 “clause”");
    }
}
