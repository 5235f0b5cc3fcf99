//! `--format xlsx`: the ledger (台账) an office files. A summary sheet with
//! one row per submission (clean, with findings, invalid and unreadable
//! alike) and a findings sheet with one row per finding, input error or
//! unreadable file; a waiver's reason, approver and expiry and the
//! baseline mark each in a column of its own. Column headers are in the
//! report's language; values (severity, status, result) are the stable
//! words of the JSON report, so a filter means the same in any language.
//! Every text is written as text, never as a formula.

use super::ledger::{self, Cell, Headers};
use super::Summary;
use crate::check::FileResult;
use crate::engine::Catalog;
use crate::plan::Lang;

/// The sheets' names: (summary, findings).
pub fn sheet_names(lang: Lang) -> (&'static str, &'static str) {
    use crate::base::text::word;
    (word("xlsx.summary", lang), word("xlsx.findings", lang))
}

/// The ledger: rows gathered file by file, the workbook written at the end
/// (an xlsx is a zip; it cannot be streamed row by row).
pub struct XlsxSink<'a> {
    pub catalog: &'a Catalog,
    pub lang: Lang,
    pub headers: Headers,
    summary: Vec<Vec<Cell>>,
    findings: Vec<Vec<Cell>>,
}

impl<'a> XlsxSink<'a> {
    pub fn new(catalog: &'a Catalog, lang: Lang, keys: bool) -> Self {
        XlsxSink {
            catalog,
            lang,
            headers: Headers::new(lang, keys),
            summary: Vec::new(),
            findings: Vec::new(),
        }
    }
}

impl super::Sink for XlsxSink<'_> {
    fn file(&mut self, file: &FileResult, _out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let rows = ledger::rows(self.catalog, self.lang, file);
        self.summary.push(rows.summary);
        self.findings.extend(rows.findings);
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let bytes = self.workbook().map_err(std::io::Error::other)?;
        out.write_all(&bytes)
    }
}

/// A cell holds at most 32,767 characters (Excel's limit): a longer text
/// is cut there, with an ellipsis.
fn cell_text(t: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 32_767;
    match t.char_indices().nth(MAX - 1) {
        Some((at, _)) => format!("{}…", &t[..at]).into(),
        None => t.into(),
    }
}

impl XlsxSink<'_> {
    fn workbook(&self) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        use rust_xlsxwriter::{Format, Workbook};
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let (summary_name, findings_name) = sheet_names(self.lang);
        for (name, columns, rows) in [
            (summary_name, ledger::SUMMARY_COLUMNS, &self.summary),
            (findings_name, ledger::FINDING_COLUMNS, &self.findings),
        ] {
            let ws = book.add_worksheet();
            ws.set_name(name)?;
            for (c, h) in self.headers.of(columns).iter().enumerate() {
                ws.write_string_with_format(0, c as u16, *h, &bold)?;
                ws.set_column_width(c as u16, 16)?;
            }
            ws.set_freeze_panes(1, 0)?;
            for (r, row) in rows.iter().enumerate() {
                let r = r as u32 + 1;
                for (c, cell) in row.iter().enumerate() {
                    match cell {
                        Cell::Text(t) if t.is_empty() => {}
                        Cell::Text(t) => {
                            ws.write_string(r, c as u16, cell_text(t))?;
                        }
                        Cell::Count(n) => {
                            ws.write_number(r, c as u16, *n as f64)?;
                        }
                    }
                }
            }
            if !rows.is_empty() {
                ws.autofilter(0, 0, rows.len() as u32, columns.len() as u16 - 1)?;
            }
        }
        book.save_to_buffer()
    }
}
