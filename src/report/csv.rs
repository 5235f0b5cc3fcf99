//! `--format csv`: a ledger for spreadsheets. UTF-8 with a byte-order mark
//! (so Excel and WPS read Chinese correctly), CRLF line ends, RFC 4180
//! quoting: the ledger's columns ([`super::ledger`]), one row per finding,
//! input error, unreadable file or fixed finding, each carrying its file's
//! summary, and one row for a file with none (a clean file).

use super::ledger::{self, Headers};
use super::Summary;
use crate::check::FileResult;
use crate::engine::Catalog;
use crate::plan::Lang;

/// One field, quoted when it must be (a comma, a quote, a line break, or
/// spaces at its ends), and defused when a spreadsheet could run it.
/// Control characters (an ESC that would drive the terminal the ledger is
/// `cat` in, a BEL, a backspace) and the bidirectional overrides that
/// would show a submission id or a name reordered are replaced by U+FFFD,
/// as in the terminal report; line breaks and tabs inside a cell stay.
pub fn field(text: &str) -> String {
    let text = super::human::sanitize(text);
    let text = if runs_as_formula(&text) {
        format!("'{text}")
    } else {
        text
    };
    if text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// Whether Excel or WPS could read `text` as a formula (OWASP's CSV
/// injection rule): it begins with `=`, `+`, `-`, `@`, a tab or a carriage
/// return, or with the full-width `＝＋－＠` that WPS may read as them.
/// Such a cell is written with a leading `'`, which both show as text.
/// One exception, because it is data and not a formula: a plain negative
/// decimal and nothing else (`-5`, `-0.5`, `-.5`). `-2+3+cmd|' /C calc'!A0`
/// and `-.5+HYPERLINK(…)` begin like numbers and are defused.
pub fn runs_as_formula(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let trigger = matches!(
        first,
        '=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠'
    );
    trigger && !(first == '-' && plain_decimal(&text[1..]))
}

/// `5`, `0.5`, `.5`, `12.`: digits with at most one point, nothing else.
fn plain_decimal(text: &str) -> bool {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    !(int.is_empty() && frac.is_empty()) && digits(int) && digits(frac)
}

fn row(out: &mut dyn std::io::Write, fields: &[&str]) -> std::io::Result<()> {
    let line: Vec<String> = fields.iter().map(|f| field(f)).collect();
    write!(out, "{}\r\n", line.join(","))
}

pub struct CsvSink<'a> {
    pub catalog: &'a Catalog,
    pub lang: Lang,
    pub headers: Headers,
}

impl<'a> CsvSink<'a> {
    /// A file's rows, as [`super::Sink::file`] writes them, rendered on
    /// any thread.
    pub fn renderer(&self) -> super::Renderer<'a> {
        let (catalog, lang) = (self.catalog, self.lang);
        Box::new(move |file| {
            let mut text = super::Written::default();
            rows_of(catalog, lang, file, &mut text).expect("writing to memory");
            super::Piece {
                text,
                notes: Vec::new(),
            }
        })
    }
}

/// A file's rows of the ledger.
fn rows_of(
    catalog: &Catalog,
    lang: Lang,
    file: &FileResult,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let rows = ledger::rows(catalog, lang, file);
    for r in ledger::csv_rows(&rows) {
        let cells: Vec<std::borrow::Cow<'_, str>> = r.iter().map(|c| c.text()).collect();
        let cells: Vec<&str> = cells.iter().map(|c| c.as_ref()).collect();
        row(out, &cells)?;
    }
    Ok(())
}

impl super::Sink for CsvSink<'_> {
    fn begin(&mut self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        out.write_all("\u{FEFF}".as_bytes())?;
        row(out, &self.headers.of(&ledger::csv_columns()))
    }

    fn file(&mut self, file: &FileResult, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        rows_of(self.catalog, self.lang, file, out)
    }

    fn file_rendered(
        &mut self,
        _file: &FileResult,
        piece: super::Piece,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        piece.text.write_to(out, 0)
    }

    fn finish(&mut self, _summary: &Summary, _out: &mut dyn std::io::Write) -> std::io::Result<()> {
        Ok(())
    }
}

/// The CSV ledger of `files`, headers in `lang`.
pub fn render(catalog: &Catalog, files: &[FileResult], lang: Lang) -> String {
    let headers = Headers::new(lang, false);
    super::render_all(
        &mut CsvSink {
            catalog,
            lang,
            headers,
        },
        files,
    )
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn quotes_what_must_be_quoted() {
        assert_eq!(field("plain 文字"), "plain 文字");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field(" padded"), "\" padded\"");
        assert_eq!(field(""), "");
    }

    #[test]
    fn formulas_are_defused_but_numbers_kept() {
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("-x"), "'-x");
        assert_eq!(field("+1"), "'+1");
        // OWASP's payloads that begin like a number (issue 20, item 6).
        assert_eq!(field("-2+3+cmd|' /C calc'!A0"), "'-2+3+cmd|' /C calc'!A0");
        assert_eq!(field("-.5+HYPERLINK(1)"), "'-.5+HYPERLINK(1)");
        assert_eq!(field("-1e5"), "'-1e5");
        assert_eq!(field("-5 "), "\"'-5 \"");
        assert_eq!(field("-"), "'-");
        assert_eq!(field("-."), "'-.");
        assert_eq!(field("\tx"), "'\tx");
        // A lone carriage return would let `cat` overwrite the cell's start.
        assert_eq!(field("\rx"), "\u{FFFD}x");
        // Full-width signs, which WPS may read as formula signs.
        for s in ["＝1+1", "＋1", "－1", "＠SUM(A1)"] {
            assert_eq!(field(s), format!("'{s}"), "{s}");
        }
        // A plain negative decimal is data, kept as it is.
        for s in ["-5", "-0.5", "-.5", "-12.", "-40.25"] {
            assert_eq!(field(s), s);
        }
        // Not at the start: nothing to defuse.
        assert_eq!(field("a=1"), "a=1");
        assert_eq!(field("5-3"), "5-3");
    }
}
