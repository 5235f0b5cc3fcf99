//! Submissions as workbooks (xlsx): the template `peitao template xlsx`
//! writes, and the reading `peitao check project.xlsx` does.
//!
//! The sheets and columns come from the format's table
//! ([`super::format`]), never from a list kept here: one sheet per record
//! kind. The filing (申报), the estate (居住区) and the region (区域) are
//! forms, one field a row; facilities, institutions, hospitals and venues
//! are tables, one record a row. A nested field (`schedule.planned`,
//! `indicators.day_care_coverage`) is one row or column of its own.
//!
//! Reading turns a workbook into the canonical YAML text of the same
//! submission, one value a line, and [`Cells`] remembers which cell each
//! line came from: the ordinary validation and rules then run on that text,
//! and a report names the cell (`居住区!C7`) where a YAML file has a line
//! and a column (docs/workbooks.md).

use super::format::{self, Field, Ty};
use super::yaml::{Node, NodeKind};
use super::{InputError, Limits, Msg, Span};
use std::io::{Read, Seek};

/// How a sheet lays its records out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One record, one field a row: label (A), key (B), value (C), notes (D).
    Form,
    /// A list of records, one a row: labels in row 1, keys in row 2,
    /// records from row 3.
    Table,
}

/// One sheet of the workbook: its name, the section it holds, how.
#[derive(Clone, Copy, Debug)]
pub struct Sheet {
    pub name: &'static str,
    /// The section's key in the submission (`estate`, `facilities`).
    pub section: &'static str,
    pub layout: Layout,
    pub fields: &'static [Field],
}

/// The filing's form also holds the format version (its first row).
const VERSION: Field = Field {
    name: "version",
    ty: Ty::Count,
    zh: "格式版本, 必须为 1",
    en: "format version, must be 1",
};

/// The workbook's sheets, in order.
pub const SHEETS: &[Sheet] = &[
    Sheet {
        name: "申报",
        section: "submission",
        layout: Layout::Form,
        fields: format::SUBMISSION,
    },
    Sheet {
        name: "居住区",
        section: "estate",
        layout: Layout::Form,
        fields: format::ESTATE,
    },
    Sheet {
        name: "设施",
        section: "facilities",
        layout: Layout::Table,
        fields: format::FACILITY,
    },
    Sheet {
        name: "机构",
        section: "institutions",
        layout: Layout::Table,
        fields: format::INSTITUTION,
    },
    Sheet {
        name: "医院",
        section: "hospitals",
        layout: Layout::Table,
        fields: format::HOSPITAL,
    },
    Sheet {
        name: "场所",
        section: "venues",
        layout: Layout::Table,
        fields: format::VENUE,
    },
    Sheet {
        name: "区域",
        section: "region",
        layout: Layout::Form,
        fields: format::REGION,
    },
];

/// The sheet of notes the template starts with; reading skips it.
pub const README_SHEET: &str = "说明";

/// Rows of a table the template prepares (drop-downs, text formats).
const TEMPLATE_ROWS: u32 = 500;
/// Columns a form or table may use; cells beyond are refused.
const MAX_COLUMNS: u32 = 256;

/// One column (table) or row (form) of a sheet: a field, or a field of a
/// nested record, with its dotted key.
#[derive(Clone, Debug)]
pub struct Column {
    pub key: String,
    pub field: &'static Field,
}

impl Sheet {
    /// The fields as the sheet lays them out, nested ones flattened.
    pub fn columns(&self) -> Vec<Column> {
        let mut out = Vec::new();
        if self.section == "submission" {
            out.push(Column {
                key: "version".into(),
                field: &VERSION,
            });
        }
        for f in self.fields {
            match f.ty {
                Ty::Nested(inner) => out.extend(inner.iter().map(|g| Column {
                    key: format!("{}.{}", f.name, g.name),
                    field: g,
                })),
                _ => out.push(Column {
                    key: f.name.to_string(),
                    field: f,
                }),
            }
        }
        out
    }
}

/// The unit or shape a field's values are written in, for its header.
pub fn unit(ty: Ty) -> Option<&'static str> {
    match ty {
        Ty::Area => Some("㎡"),
        Ty::Distance => Some("m"),
        Ty::Percent => Some("%"),
        Ty::Date => Some("YYYY-MM-DD"),
        Ty::Month => Some("YYYY-MM"),
        Ty::Year => Some("年"),
        Ty::Bool => Some("true/false"),
        _ => None,
    }
}

/// A field's header: its Chinese name, then its unit in brackets.
pub fn header(field: &Field) -> String {
    match unit(field.ty) {
        Some(u) => format!("{} ({u})", field.zh),
        None => field.zh.to_string(),
    }
}

/// The values a drop-down offers, for a closed set.
fn choices(ty: Ty) -> Option<&'static [&'static str]> {
    match ty {
        Ty::Enum(words) => Some(words),
        Ty::Bool => Some(&["true", "false"]),
        _ => None,
    }
}

/// What a column's note says: both languages, and the choices.
fn note_text(c: &Column) -> String {
    let mut text = format!("{}\n{}\n`{}`", c.field.zh, c.field.en, c.key);
    if let Some(words) = choices(c.field.ty) {
        text.push_str(&format!("\n可选 / one of: {}", words.join(", ")));
    }
    if matches!(c.field.ty, Ty::Area | Ty::Distance) {
        text.push_str("\n数字即为该单位; 也可写带单位的文字 (1.5万㎡, 350 m)");
    }
    text
}

/// A cell of the workbook: sheet, 0-based row and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellRef {
    pub sheet: String,
    pub row: u32,
    pub col: u32,
}

/// A column's letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_name(col: u32) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        letters.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

impl std::fmt::Display for CellRef {
    /// `居住区!C7`, as Excel and WPS name a cell of another sheet.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}!{}{}",
            self.sheet,
            column_name(self.col),
            self.row + 1
        )
    }
}

/// Which cell each line of the canonical text came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cells {
    /// Indexed by 1-based line − 1; `None` for lines no cell wrote
    /// (`version` when the form had none, section heads of empty forms).
    lines: Vec<Option<CellRef>>,
}

impl Cells {
    /// The cell of a 1-based line of the canonical text.
    pub fn at_line(&self, line: usize) -> Option<&CellRef> {
        self.lines.get(line.checked_sub(1)?)?.as_ref()
    }
    /// The cell of a span of the canonical text.
    pub fn at(&self, text: &str, span: Span) -> Option<&CellRef> {
        let end = span.offset.min(text.len());
        let line = 1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..end]).count();
        self.at_line(line)
    }
}

/// Whether a file name is a workbook's (`*.xlsx`, any case).
pub fn is_workbook_name(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| x.eq_ignore_ascii_case("xlsx"))
}

// ---------------------------------------------------------------- template

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> String {
    e.to_string()
}

/// The template: every sheet with its headers, notes and drop-downs; the
/// filing's version filled in, and its jurisdiction when `plan` is given.
pub fn template(plan: Option<&str>) -> Result<Vec<u8>, String> {
    let mut book = Book::new()?;
    for sheet in SHEETS {
        book.sheet(sheet)?;
    }
    book.form_value("申报", "version", Scalar::Num(1.0))?;
    if let Some(plan) = plan {
        book.form_value("申报", "jurisdiction", Scalar::Text(plan.to_string()))?;
    }
    book.finish()
}

/// A value to write into a cell.
enum Scalar {
    Text(String),
    Num(f64),
    Bool(bool),
}

/// A workbook being written, sheet by sheet.
struct Book {
    book: rust_xlsxwriter::Workbook,
    /// Per sheet: where each key went (form row, or table column).
    places: Vec<(&'static str, Vec<String>)>,
    /// Records written to each table so far.
    rows: Vec<u32>,
}

impl Book {
    fn new() -> Result<Book, String> {
        use rust_xlsxwriter::{Format, Workbook};
        let mut book = Workbook::new();
        let readme = book.add_worksheet();
        readme.set_name(README_SHEET).map_err(xlsx_error)?;
        readme.set_column_width(0, 100).map_err(xlsx_error)?;
        let bold = Format::new().set_bold();
        let lines = [
            "peitao 申报工作簿 (格式版本 1) / peitao submission workbook (format version 1)",
            "每类记录一张工作表: 申报、居住区、区域为表单 (每行一个字段, 在 C 列填写); 设施、机构、医院、场所为表格 (每行一条记录, 自第 3 行起)。",
            "One sheet per record kind: 申报, 居住区 and 区域 are forms (one field a row, the value in column C); 设施, 机构, 医院 and 场所 are tables (one record a row, from row 3).",
            "第 2 行 (表格) 或 B 列 (表单) 是字段的键, 请勿修改; 不知道的值留空 (留空即无法核查, 不会视为通过)。",
            "Row 2 (tables) and column B (forms) hold each field's key: leave them as they are. Leave a value you do not know empty: it is then reported as cannot be checked, never as a pass.",
            "各列的说明见表头的批注; 取值有限的列带下拉列表。字段说明见 docs/submission-format.md。",
            "Each column's header has a note; columns with a closed set of values have a drop-down. The fields are described in docs/submission-format.md.",
        ];
        for (i, line) in lines.iter().enumerate() {
            if i == 0 {
                readme
                    .write_string_with_format(i as u32, 0, *line, &bold)
                    .map_err(xlsx_error)?;
            } else {
                readme
                    .write_string(i as u32, 0, *line)
                    .map_err(xlsx_error)?;
            }
        }
        Ok(Book {
            book,
            places: Vec::new(),
            rows: Vec::new(),
        })
    }

    /// Add a sheet with its headers, notes and drop-downs.
    fn sheet(&mut self, sheet: &Sheet) -> Result<(), String> {
        use rust_xlsxwriter::{DataValidation, Format, Note};
        let columns = sheet.columns();
        let ws = self.book.add_worksheet();
        ws.set_name(sheet.name).map_err(xlsx_error)?;
        let bold = Format::new().set_bold();
        let key = Format::new().set_font_color("#808080");
        let text = Format::new().set_num_format("@");
        let note = |c: &Column| Note::new(note_text(c)).add_author_prefix(false);
        match sheet.layout {
            Layout::Form => {
                let heads = ["字段 / Field", "键 / Key", "值 / Value", "说明 / Notes"];
                for (i, h) in heads.iter().enumerate() {
                    ws.write_string_with_format(0, i as u16, *h, &bold)
                        .map_err(xlsx_error)?;
                }
                ws.set_column_width(0, 36).map_err(xlsx_error)?;
                ws.set_column_width(1, 30).map_err(xlsx_error)?;
                ws.set_column_width(2, 24).map_err(xlsx_error)?;
                ws.set_column_width(3, 60).map_err(xlsx_error)?;
                ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
                for (i, c) in columns.iter().enumerate() {
                    let row = i as u32 + 1;
                    ws.write_string(row, 0, header(c.field))
                        .map_err(xlsx_error)?;
                    ws.insert_note(row, 0, &note(c)).map_err(xlsx_error)?;
                    ws.write_string_with_format(row, 1, &c.key, &key)
                        .map_err(xlsx_error)?;
                    ws.write_string(row, 3, c.field.en).map_err(xlsx_error)?;
                    if matches!(c.field.ty, Ty::Text | Ty::Date | Ty::Month) {
                        ws.write_blank(row, 2, &text).map_err(xlsx_error)?;
                    }
                    if let Some(words) = choices(c.field.ty) {
                        let v = DataValidation::new()
                            .allow_list_strings(words)
                            .map_err(xlsx_error)?;
                        ws.add_data_validation(row, 2, row, 2, &v)
                            .map_err(xlsx_error)?;
                    }
                }
            }
            Layout::Table => {
                ws.set_freeze_panes(2, 0).map_err(xlsx_error)?;
                for (i, c) in columns.iter().enumerate() {
                    let col = i as u16;
                    ws.write_string_with_format(0, col, header(c.field), &bold)
                        .map_err(xlsx_error)?;
                    ws.insert_note(0, col, &note(c)).map_err(xlsx_error)?;
                    ws.write_string_with_format(1, col, &c.key, &key)
                        .map_err(xlsx_error)?;
                    ws.set_column_width(col, 18).map_err(xlsx_error)?;
                    // Dates and texts stay as typed: `2024-05` is a month,
                    // not the first of May, and `001` keeps its zeros.
                    if matches!(c.field.ty, Ty::Text | Ty::Date | Ty::Month) {
                        ws.set_column_format(col, &text).map_err(xlsx_error)?;
                    }
                    if let Some(words) = choices(c.field.ty) {
                        let v = DataValidation::new()
                            .allow_list_strings(words)
                            .map_err(xlsx_error)?;
                        ws.add_data_validation(2, col, TEMPLATE_ROWS + 1, col, &v)
                            .map_err(xlsx_error)?;
                    }
                }
            }
        }
        self.places
            .push((sheet.name, columns.into_iter().map(|c| c.key).collect()));
        self.rows.push(0);
        Ok(())
    }

    fn place(&self, sheet: &str, key: &str) -> Option<(usize, u32)> {
        let s = self.places.iter().position(|(n, _)| *n == sheet)?;
        let i = self.places[s].1.iter().position(|k| k == key)?;
        Some((s, i as u32))
    }

    fn write(&mut self, sheet: usize, row: u32, col: u32, value: Scalar) -> Result<(), String> {
        let ws = self
            .book
            .worksheet_from_index(sheet + 1)
            .map_err(xlsx_error)?;
        let col = col as u16;
        match value {
            Scalar::Text(t) => ws.write_string(row, col, t),
            Scalar::Num(n) => ws.write_number(row, col, n),
            Scalar::Bool(b) => ws.write_boolean(row, col, b),
        }
        .map_err(xlsx_error)?;
        Ok(())
    }

    fn form_value(&mut self, sheet: &str, key: &str, value: Scalar) -> Result<(), String> {
        let (s, i) = self
            .place(sheet, key)
            .ok_or_else(|| format!("no field `{key}` in sheet {sheet}"))?;
        self.write(s, i + 1, 2, value)
    }

    fn table_value(
        &mut self,
        sheet: &str,
        record: u32,
        key: &str,
        value: Scalar,
    ) -> Result<(), String> {
        let (s, i) = self
            .place(sheet, key)
            .ok_or_else(|| format!("no field `{key}` in sheet {sheet}"))?;
        self.rows[s] = self.rows[s].max(record + 1);
        self.write(s, record + 2, i, value)
    }

    fn finish(mut self) -> Result<Vec<u8>, String> {
        self.book.save_to_buffer().map_err(xlsx_error)
    }
}

// ------------------------------------------------------- YAML → workbook

/// A submission's YAML as a workbook: every value in its cell, typed as
/// the YAML typed it (a number, true/false, or text). For files that are
/// valid submissions; anything the workbook has no place for is refused.
pub fn from_yaml(text: &str) -> Result<Vec<u8>, String> {
    let root =
        super::yaml::parse(text, Limits::default().yaml_options()).map_err(|e| e.to_string())?;
    let NodeKind::Map(top) = &root.kind else {
        return Err("not a mapping".into());
    };
    let mut book = Book::new()?;
    for sheet in SHEETS {
        book.sheet(sheet)?;
    }
    for (k, v) in top {
        let NodeKind::Str(key) = &k.kind else {
            return Err("a key that is not text".into());
        };
        if key == "version" {
            if let Some(s) = scalar(v)? {
                book.form_value("申报", "version", s)?;
            }
            continue;
        }
        let sheet = SHEETS
            .iter()
            .find(|s| s.section == key)
            .ok_or_else(|| format!("no sheet for `{key}`"))?;
        match sheet.layout {
            Layout::Form => {
                for (key, value) in flatten(v, "")? {
                    book.form_value(sheet.name, &key, value)?;
                }
            }
            Layout::Table => {
                let NodeKind::Seq(items) = &v.kind else {
                    return Err(format!("`{key}` is not a list"));
                };
                for (i, item) in items.iter().enumerate() {
                    for (key, value) in flatten(item, "")? {
                        book.table_value(sheet.name, i as u32, &key, value)?;
                    }
                }
            }
        }
    }
    book.finish()
}

/// A mapping's scalars with their dotted keys.
fn flatten(node: &Node, prefix: &str) -> Result<Vec<(String, Scalar)>, String> {
    let NodeKind::Map(entries) = &node.kind else {
        return Err(format!("`{prefix}` is not a mapping"));
    };
    let mut out = Vec::new();
    for (k, v) in entries {
        let NodeKind::Str(key) = &k.kind else {
            return Err("a key that is not text".into());
        };
        let key = if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        };
        match &v.kind {
            NodeKind::Map(_) => out.extend(flatten(v, &key)?),
            _ => {
                if let Some(s) = scalar(v)? {
                    out.push((key, s));
                }
            }
        }
    }
    Ok(out)
}

fn scalar(node: &Node) -> Result<Option<Scalar>, String> {
    Ok(Some(match &node.kind {
        NodeKind::Null => return Ok(None),
        NodeKind::Bool(b) => Scalar::Bool(*b),
        NodeKind::Int(i) => Scalar::Num(*i as f64),
        NodeKind::Float(x, _) => Scalar::Num(*x),
        NodeKind::Str(s) => Scalar::Text(s.to_string()),
        NodeKind::Seq(_) | NodeKind::Map(_) => return Err("a list or mapping as a value".into()),
    }))
}

// ---------------------------------------------------------------- reading

/// A workbook read: the canonical YAML text and where each line came from.
#[derive(Clone, Debug)]
pub struct Converted {
    pub text: String,
    pub cells: Cells,
}

/// A workbook that cannot be read, said in both languages through the
/// catalogue (`bad-workbook`), or the limit it exceeds.
fn refuse(why: impl std::fmt::Display) -> Vec<InputError> {
    vec![InputError::new(
        crate::base::code::InputCode::BadWorkbook,
        Span::default(),
        Msg::new("bad-workbook").quote("why", why),
        "file-starts-here",
    )
    .with_help("bad-workbook.help")]
}

fn refuse_msg(message: Msg) -> Vec<InputError> {
    vec![InputError::new(
        crate::base::code::InputCode::BadWorkbook,
        Span::default(),
        message,
        "file-starts-here",
    )
    .with_help("bad-workbook.help")]
}

/// Look into the zip before anything decompresses it: the parts it holds
/// may not add up to more than `limit` bytes (a zip bomb is refused here,
/// not in the middle of inflating it).
fn check_parts<R: Read + Seek>(reader: R, limit: u64) -> Result<(), Vec<InputError>> {
    let mut zip = zip::ZipArchive::new(reader).map_err(refuse)?;
    let mut total: u64 = 0;
    if zip.len() > 10_000 {
        return Err(refuse_msg(
            Msg::new("workbook-parts").arg("parts", zip.len()),
        ));
    }
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(refuse)?;
        total = total.saturating_add(part.size());
    }
    if total > limit {
        return Err(refuse_msg(
            Msg::new("workbook-unpacked")
                .arg("size", total)
                .arg("limit", limit),
        ));
    }
    Ok(())
}

/// How much the parts of a workbook may unpack to: eight times the file
/// size limit (sheets are XML, which zips about that well).
pub fn unpacked_limit(limits: &Limits) -> u64 {
    (limits.max_file_bytes as u64).saturating_mul(8)
}

/// One value of the workbook as the canonical text writes it.
struct Value {
    key: String,
    text: String,
    cell: CellRef,
}

/// Read a workbook's bytes into the canonical text of its submission.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Converted, Vec<InputError>> {
    use calamine::Reader;
    check_parts(std::io::Cursor::new(bytes), unpacked_limit(limits))?;
    let mut xlsx: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(refuse)?;
    let mut out = Canonical::default();
    let mut sections: Vec<(&Sheet, Vec<Vec<Value>>)> = Vec::new();
    let mut version: Option<Value> = None;
    let mut strangers = Vec::new();
    for name in xlsx.sheet_names() {
        if name == README_SHEET {
            continue;
        }
        let Some(sheet) = SHEETS.iter().find(|s| s.name == name) else {
            strangers.push(name);
            continue;
        };
        let grid = read_sheet(&mut xlsx, sheet, limits)?;
        let records = match sheet.layout {
            Layout::Form => {
                let mut record = Vec::new();
                // Row 1 is the header.
                for (row, cells) in grid.iter().enumerate().skip(1) {
                    let (Some(key), Some(value)) = (cells.get(1), cells.get(2)) else {
                        continue;
                    };
                    let (Some(key), Some(value)) = (key, value) else {
                        continue;
                    };
                    let key = key.as_key();
                    let Some(text) = value.as_yaml(field_of(sheet, &key)) else {
                        continue;
                    };
                    let v = Value {
                        key,
                        text,
                        cell: CellRef {
                            sheet: sheet.name.into(),
                            row: row as u32,
                            col: 2,
                        },
                    };
                    if sheet.section == "submission" && v.key == "version" && version.is_none() {
                        version = Some(v);
                    } else {
                        record.push(v);
                    }
                }
                if record.is_empty() {
                    Vec::new()
                } else {
                    vec![record]
                }
            }
            Layout::Table => {
                let keys: Vec<Option<String>> = grid
                    .get(1)
                    .map(|r| r.iter().map(|c| c.as_ref().map(Raw::as_key)).collect())
                    .unwrap_or_default();
                let mut records = Vec::new();
                for (row, cells) in grid.iter().enumerate().skip(2) {
                    let mut record = Vec::new();
                    for (col, cell) in cells.iter().enumerate() {
                        let Some(cell) = cell else { continue };
                        let key = match keys.get(col).cloned().flatten() {
                            Some(k) if !k.is_empty() => k,
                            // A value under no key: said as an unknown key
                            // named after its column.
                            _ => format!("({})", column_name(col as u32)),
                        };
                        let Some(text) = cell.as_yaml(field_of(sheet, &key)) else {
                            continue;
                        };
                        record.push(Value {
                            key,
                            text,
                            cell: CellRef {
                                sheet: sheet.name.into(),
                                row: row as u32,
                                col: col as u32,
                            },
                        });
                    }
                    if !record.is_empty() {
                        records.push(record);
                    }
                }
                records
            }
        };
        if !records.is_empty() {
            sections.push((sheet, records));
        }
    }
    if let Some(v) = version {
        out.line(0, &format!("version: {}", v.text), Some(v.cell));
    }
    for name in strangers {
        // A sheet the template does not have: its values would be lost, so
        // it is said, as an unknown key at its first cell.
        out.line(
            0,
            &format!("{}: null", quote(&name)),
            Some(CellRef {
                sheet: name,
                row: 0,
                col: 0,
            }),
        );
    }
    for (sheet, records) in sections {
        let first = records[0][0].cell.clone();
        out.line(0, &format!("{}:", sheet.section), Some(first));
        match sheet.layout {
            Layout::Form => out.record(1, "", &records[0]),
            Layout::Table => {
                for record in &records {
                    out.record(1, "- ", record);
                }
            }
        }
    }
    Ok(Converted {
        text: out.text,
        cells: out.cells,
    })
}

fn field_of(sheet: &Sheet, key: &str) -> Option<&'static Field> {
    if key == "version" && sheet.section == "submission" {
        return Some(&VERSION);
    }
    format::field_at(&format!("{}.{key}", sheet.section))
}

/// The canonical text being written, line by line, with its cells.
#[derive(Default)]
struct Canonical {
    text: String,
    cells: Cells,
}

impl Canonical {
    fn line(&mut self, depth: usize, line: &str, cell: Option<CellRef>) {
        for _ in 0..depth {
            self.text.push_str("  ");
        }
        self.text.push_str(line);
        self.text.push('\n');
        self.cells.lines.push(cell);
    }

    /// A record's values, nested keys grouped under their head
    /// (`schedule.planned` → `schedule:` / `planned:`), in the order the
    /// sheet has them. `lead` is `- ` for a list item, whose later lines
    /// align under its first.
    fn record(&mut self, depth: usize, lead: &str, values: &[Value]) {
        let mut lines: Vec<(usize, String, CellRef)> = Vec::new();
        let mut done = vec![false; values.len()];
        for (i, v) in values.iter().enumerate() {
            if done[i] {
                continue;
            }
            done[i] = true;
            let Some((head, _)) = v.key.split_once('.') else {
                lines.push((
                    0,
                    format!("{}: {}", quote_key(&v.key), v.text),
                    v.cell.clone(),
                ));
                continue;
            };
            lines.push((0, format!("{}:", quote_key(head)), v.cell.clone()));
            for (j, w) in values.iter().enumerate().skip(i) {
                match w.key.split_once('.') {
                    Some((h, rest)) if h == head && (j == i || !done[j]) => {
                        lines.push((
                            1,
                            format!("{}: {}", quote_key(rest), w.text),
                            w.cell.clone(),
                        ));
                        done[j] = true;
                    }
                    _ => {}
                }
            }
        }
        for (n, (inner, line, cell)) in lines.into_iter().enumerate() {
            if n == 0 {
                self.line(depth, &format!("{lead}{line}"), Some(cell));
            } else {
                let shift = usize::from(!lead.is_empty());
                self.line(depth + shift + inner, &line, Some(cell));
            }
        }
    }
}

/// A key as YAML text: plain when it is a plain name, else quoted.
fn quote_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        key.to_string()
    } else {
        quote(key)
    }
}

/// A double-quoted YAML scalar on one line: every control character escaped.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}') => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A cell's value as read.
#[derive(Clone, Debug)]
enum Raw {
    Text(String),
    Num(f64),
    Bool(bool),
    /// A date cell: its serial day number.
    Date(f64),
    /// `#DIV/0!` and the like.
    Error(String),
}

impl Raw {
    fn as_key(&self) -> String {
        match self {
            Raw::Text(t) => t.trim().to_string(),
            Raw::Num(n) => number(*n),
            Raw::Bool(b) => b.to_string(),
            Raw::Date(d) => number(*d),
            Raw::Error(e) => e.clone(),
        }
    }

    /// The value as a YAML scalar for a field of type `field`; `None` for
    /// an empty cell. Text typed into a number column is read as the
    /// number it spells (a spreadsheet hides that difference), anything
    /// else in it stays text, so validation says it is not a number.
    fn as_yaml(&self, field: Option<&Field>) -> Option<String> {
        let ty = field.map(|f| f.ty);
        Some(match self {
            Raw::Text(t) => {
                let t = t.trim();
                if t.is_empty() {
                    return None;
                }
                let textual = matches!(
                    ty,
                    None | Some(Ty::Text | Ty::Enum(_) | Ty::Date | Ty::Month | Ty::Nested(_))
                );
                if !textual && (is_number(t) || t == "true" || t == "false") {
                    t.to_string()
                } else {
                    quote(t)
                }
            }
            Raw::Num(n) => number(*n),
            Raw::Bool(b) => b.to_string(),
            // A date typed into a cell Excel formatted as a date: the day
            // it shows, as a date (a month cannot be told from its first
            // day, so it is the day: docs/workbooks.md).
            Raw::Date(serial) => match serial_date(*serial) {
                Some((y, m, d)) => quote(&format!("{y:04}-{m:02}-{d:02}")),
                None => quote(&number(*serial)),
            },
            Raw::Error(e) => quote(e),
        })
    }
}

/// Decimal digits, with an optional sign, fraction and exponent.
fn is_number(t: &str) -> bool {
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (mantissa, exponent) = match t.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['-', '+']).unwrap_or(e))),
        None => (t, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    !(whole.is_empty() && fraction.is_empty())
        && digits(whole)
        && digits(fraction)
        && exponent.is_none_or(|e| !e.is_empty() && digits(e))
}

/// A number as YAML writes it: whole numbers without a fraction.
fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The calendar day of an Excel serial day number (1900 system; serial 60
/// is Excel's non-existent 1900-02-29).
pub fn serial_date(serial: f64) -> Option<(i64, u32, u32)> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    let day = serial.floor() as i64;
    if day == 60 {
        return None;
    }
    // Days since 1970-01-01: serial 25569 is that day.
    let days = if day < 60 { day - 25568 } else { day - 25569 };
    let date = super::Date::from_days_since_epoch(days);
    Some((
        i64::from(date.year),
        u32::from(date.month),
        u32::from(date.day.unwrap_or(1)),
    ))
}

/// A sheet's cells as a grid of rows, bounded: rows past what the limits
/// allow and columns past [`MAX_COLUMNS`] are refused before they are held.
fn read_sheet<RS: Read + Seek>(
    xlsx: &mut calamine::Xlsx<RS>,
    sheet: &Sheet,
    limits: &Limits,
) -> Result<Vec<Vec<Option<Raw>>>, Vec<InputError>> {
    use calamine::DataRef;
    // A table: two header rows and its records; a form: a header and a
    // row a field (with room for notes the office adds).
    let max_rows = match sheet.layout {
        Layout::Table => limits.max_records.saturating_add(2),
        Layout::Form => sheet.columns().len() + 1000,
    };
    let mut cells = xlsx.worksheet_cells_reader(sheet.name).map_err(refuse)?;
    let mut grid: Vec<Vec<Option<Raw>>> = Vec::new();
    let mut held: usize = 0;
    while let Some(cell) = cells.next_cell().map_err(refuse)? {
        let (row, col) = cell.get_position();
        let raw = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::Int(i) => Raw::Num(*i as f64),
            DataRef::Float(f) => Raw::Num(*f),
            DataRef::String(s) => Raw::Text(s.clone()),
            DataRef::SharedString(s) => Raw::Text(s.to_string()),
            DataRef::Bool(b) => Raw::Bool(*b),
            DataRef::DateTime(d) => Raw::Date(d.as_f64()),
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Raw::Text(s.clone()),
            DataRef::Error(e) => Raw::Error(format!("#{e:?}")),
        };
        if matches!(&raw, Raw::Text(t) if t.trim().is_empty()) {
            continue;
        }
        if row as usize >= max_rows || col >= MAX_COLUMNS {
            let cell = CellRef {
                sheet: sheet.name.into(),
                row,
                col,
            };
            return Err(refuse_msg(
                Msg::new("workbook-cell-beyond")
                    .arg("cell", cell)
                    .arg("rows", max_rows)
                    .arg("columns", MAX_COLUMNS),
            ));
        }
        held += 1;
        if held > limits.max_nodes {
            return Err(refuse_msg(
                Msg::new("workbook-cells").arg("limit", limits.max_nodes),
            ));
        }
        let (row, col) = (row as usize, col as usize);
        if grid.len() <= row {
            grid.resize_with(row + 1, Vec::new);
        }
        let r = &mut grid[row];
        if r.len() <= col {
            r.resize(col + 1, None);
        }
        r[col] = Some(raw);
    }
    Ok(grid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_run_past_z() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }

    #[test]
    fn serial_days_are_excel_days() {
        assert_eq!(serial_date(1.0), Some((1900, 1, 1)));
        assert_eq!(serial_date(59.0), Some((1900, 2, 28)));
        assert_eq!(serial_date(61.0), Some((1900, 3, 1)));
        assert_eq!(serial_date(45717.0), Some((2025, 3, 1)));
        assert_eq!(serial_date(60.0), None);
        assert_eq!(serial_date(-3.0), None);
    }

    #[test]
    fn numbers_as_people_type_them() {
        for yes in ["2600", "-1", "+3", "0.55", ".5", "5.", "1e3", "1.5E-2"] {
            assert!(is_number(yes), "{yes}");
        }
        for no in [
            "", ".", "abc", "1,000", "55%", "1e", "inf", "NaN", "0x10", "350 m",
        ] {
            assert!(!is_number(no), "{no}");
        }
    }

    #[test]
    fn quoting_keeps_one_value_on_one_line() {
        assert_eq!(quote("a\nb\"c\\"), r#""a\nb\"c\\""#);
        assert_eq!(quote("\u{7}"), r#""\u0007""#);
        assert_eq!(quote_key("floor_area"), "floor_area");
        assert_eq!(quote_key("建筑面积"), "\"建筑面积\"");
    }

    #[test]
    fn cells_are_named_as_spreadsheets_name_them() {
        let c = CellRef {
            sheet: "居住区".into(),
            row: 6,
            col: 2,
        };
        assert_eq!(c.to_string(), "居住区!C7");
    }
}
