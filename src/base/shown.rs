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

/// Replace unsafe characters (ANSI escapes included) so that text from a
/// submission or a pack cannot drive the reviewer's terminal. Newlines and
/// tabs stay: miette indents every line of a message, label or help.
pub fn sanitize(text: &str) -> String {
    // Most text has nothing to replace: copied whole, not rebuilt a
    // character at a time.
    if !text.chars().any(|c| is_unsafe(c) && c != '\n' && c != '\t') {
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
    if !text.chars().any(|c| matches!(c, '\n' | '\r' | '\t') || is_unsafe(c)) {
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
