//! `--format xlsx`: the ledger (台账) an office files. A summary sheet with
//! one row per submission (clean, with findings, invalid and unreadable
//! alike) and a findings sheet with one row per finding, input error or
//! unreadable file; a waiver's reason, approver and expiry and the
//! baseline mark each in a column of its own. Column headers are in the
//! report's language; values (severity, status, result) are the stable
//! words of the JSON report, so a filter means the same in any language.
//! Every text is written as text, never as a formula.

use super::{Counts, LineIndex, Summary};
use crate::check::{FileResult, Outcome};
use crate::plan::{Catalog, Lang};

/// The summary sheet's columns: (zh, en).
pub const SUMMARY_COLUMNS: &[(&str, &str)] = &[
    ("文件", "file"),
    ("项目名称", "project"),
    ("申报编号", "submission id"),
    ("规划", "plan"),
    ("结果", "result"),
    ("错误", "errors"),
    ("警告", "warnings"),
    ("无法核查", "cannot be checked"),
    ("规则错误", "rule errors"),
    ("已豁免", "waived"),
    ("输入错误", "input errors"),
];

/// The findings sheet's columns: (zh, en).
pub const FINDING_COLUMNS: &[(&str, &str)] = &[
    ("文件", "file"),
    ("位置", "location"),
    ("申报编号", "submission id"),
    ("规划", "plan"),
    ("规则", "rule"),
    ("严重程度", "severity"),
    ("状态", "status"),
    ("对象", "subject"),
    ("说明", "message"),
    ("应为", "required"),
    ("实为", "provided"),
    ("条文", "clause"),
    ("豁免理由", "waiver reason"),
    ("批准人", "approved by"),
    ("豁免到期", "waiver expires"),
    ("基线", "baseline"),
];

/// The sheets' names: (summary, findings).
pub fn sheet_names(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::Zh => ("汇总", "问题"),
        Lang::En => ("Summary", "Findings"),
    }
}

fn headers(columns: &[(&'static str, &'static str)], lang: Lang) -> Vec<&'static str> {
    columns
        .iter()
        .map(|(zh, en)| if lang == Lang::Zh { *zh } else { *en })
        .collect()
}

/// A row's cells: text, or a count.
enum Cell {
    Text(String),
    Count(usize),
}

impl From<&str> for Cell {
    fn from(t: &str) -> Cell {
        Cell::Text(t.to_string())
    }
}
impl From<String> for Cell {
    fn from(t: String) -> Cell {
        Cell::Text(t)
    }
}
impl From<usize> for Cell {
    fn from(n: usize) -> Cell {
        Cell::Count(n)
    }
}

/// The ledger: rows gathered file by file, the workbook written at the end
/// (an xlsx is a zip; it cannot be streamed row by row).
pub struct XlsxSink<'a> {
    pub catalog: &'a Catalog,
    pub lang: Lang,
    summary: Vec<Vec<Cell>>,
    findings: Vec<Vec<Cell>>,
}

impl<'a> XlsxSink<'a> {
    pub fn new(catalog: &'a Catalog, lang: Lang) -> Self {
        XlsxSink {
            catalog,
            lang,
            summary: Vec::new(),
            findings: Vec::new(),
        }
    }
}

/// Where a span is: the cell of a workbook (`居住区!C7`), else
/// `line:column` of the file.
fn location(file: &FileResult, idx: &LineIndex, span: crate::input::Span) -> String {
    if let Some(cells) = &file.cells {
        return cells
            .at_line(idx.line_of(span.offset))
            .map_or(String::new(), |c| c.to_string());
    }
    let p = idx.position(span);
    format!("{}:{}", p.line, p.column)
}

/// The project's name as the filing gives it: its title, else the
/// estate's or the region's name.
fn project_name(file: &FileResult) -> String {
    let limits = crate::input::Limits {
        max_file_bytes: file.source.len().max(1),
        max_records: usize::MAX,
        ..Default::default()
    };
    let Ok(sub) = crate::input::parse_submission(&file.source, &limits) else {
        return String::new();
    };
    sub.filing
        .text("title")
        .or_else(|| sub.estate.as_ref().and_then(|e| e.text("name")))
        .or_else(|| sub.region.as_ref().and_then(|r| r.text("name")))
        .unwrap_or("")
        .to_string()
}

impl super::Sink for XlsxSink<'_> {
    fn file(&mut self, file: &FileResult, _out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let idx = LineIndex::new(&file.source);
        let id = file.review.identity.submission.clone().unwrap_or_default();
        let counts = Counts::of(file);
        let waived = file
            .reviewed_findings()
            .iter()
            .filter(|(_, r)| r.is_some_and(|r| r.waived()))
            .count();
        let (result, plans, input_errors) = match &file.outcome {
            Outcome::Unreadable(_) => ("unreadable", String::new(), 0),
            Outcome::Invalid(errors) => ("invalid", String::new(), errors.len()),
            Outcome::Checked(c) => {
                let plans: Vec<&str> = c
                    .packs
                    .iter()
                    .map(|&p| self.catalog.packs[p].manifest.id.as_str())
                    .collect();
                let result = if c.outcomes.is_empty() {
                    "no_rule_applies"
                } else if counts.total() == 0 {
                    "clean"
                } else {
                    "findings"
                };
                (result, plans.join(", "), 0)
            }
        };
        let project = match &file.outcome {
            Outcome::Checked(_) => project_name(file),
            _ => String::new(),
        };
        self.summary.push(vec![
            file.path.as_str().into(),
            project.into(),
            id.as_str().into(),
            plans.into(),
            result.into(),
            counts.errors.into(),
            counts.warnings.into(),
            counts.unchecked.into(),
            counts.rule_errors.into(),
            waived.into(),
            input_errors.into(),
        ]);
        match &file.outcome {
            Outcome::Unreadable(why) => {
                let mut row: Vec<Cell> = vec![
                    file.path.as_str().into(),
                    "".into(),
                    id.as_str().into(),
                    "".into(),
                    "".into(),
                    "error".into(),
                    "unreadable".into(),
                    "".into(),
                    why.as_str().into(),
                ];
                row.resize_with(FINDING_COLUMNS.len(), || "".into());
                self.findings.push(row);
            }
            Outcome::Invalid(errors) => {
                for e in errors {
                    let said = super::messages::input_error(e, self.lang);
                    let message = match &said.help {
                        Some(h) => format!("{} ({h})", said.message),
                        None => said.message.clone(),
                    };
                    let mut row: Vec<Cell> = vec![
                        file.path.as_str().into(),
                        location(file, &idx, e.span).into(),
                        id.as_str().into(),
                        "".into(),
                        format!("input::{}", e.code).into(),
                        "error".into(),
                        "invalid_input".into(),
                        "".into(),
                        message.into(),
                    ];
                    row.resize_with(FINDING_COLUMNS.len(), || "".into());
                    self.findings.push(row);
                }
            }
            Outcome::Checked(_) => {
                for (f, review) in file.reviewed_findings() {
                    let rule = &self.catalog.rules[f.rule];
                    let plan = &self.catalog.packs[rule.pack].manifest.id;
                    let at =
                        f.at.first()
                            .map_or(String::new(), |a| location(file, &idx, a.span));
                    let waiver = review.and_then(|r| r.waiver.as_ref());
                    let baseline = review.and_then(|r| r.baseline).map_or("", |b| b.as_str());
                    self.findings.push(vec![
                        file.path.as_str().into(),
                        at.into(),
                        id.as_str().into(),
                        plan.as_str().into(),
                        rule.id.as_str().into(),
                        f.severity.as_str().into(),
                        if review.is_some_and(|r| r.waived()) {
                            "waived"
                        } else {
                            super::json::status_word(f.status)
                        }
                        .into(),
                        f.subject.as_str().into(),
                        f.message.get(self.lang).into(),
                        f.required.as_ref().map_or("", |t| t.get(self.lang)).into(),
                        f.provided.as_ref().map_or("", |t| t.get(self.lang)).into(),
                        rule.clause.as_str().into(),
                        waiver.map_or("", |w| w.waiver.reason.as_str()).into(),
                        waiver.map_or("", |w| w.waiver.approved_by.as_str()).into(),
                        waiver
                            .map_or(String::new(), |w| w.waiver.expires.to_string())
                            .into(),
                        baseline.into(),
                    ]);
                }
            }
        }
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
            (summary_name, SUMMARY_COLUMNS, &self.summary),
            (findings_name, FINDING_COLUMNS, &self.findings),
        ] {
            let ws = book.add_worksheet();
            ws.set_name(name)?;
            for (c, h) in headers(columns, self.lang).iter().enumerate() {
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
