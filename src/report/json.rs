//! `--format json`: one document for a whole run. The shape is documented in
//! docs/json-output.md (with a JSON Schema a test validates against) and
//! kept stable: fields are only ever added.

use super::{LineIndex, Position, Summary};
use crate::check::{FileResult, Outcome};
use crate::engine::{Catalog, Finding, Located, Status};
use crate::input::InputError;
use crate::plan::Lang;
use serde::Serialize;

pub use crate::base::FORMAT_VERSION;

#[derive(Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Serialize)]
pub struct PackInfo<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub document_number: Option<&'a str>,
    /// Digest of the pack's manifest, seed, scripts and tables.
    pub digest: &'a str,
    pub rules: usize,
    /// The built-in plan this pack stands in for (`replaces:` in its
    /// manifest, allowed by the office), and where the pack was loaded from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaces: Option<Replaces<'a>>,
}

#[derive(Serialize)]
pub struct Replaces<'a> {
    pub plan: &'a str,
    pub dir: &'a str,
}

/// One file's report. Its findings are a `Vec` of [`FindingOut`] as
/// [`file`] builds them; a report's renderer writes them one at a time as
/// they are made ([`Each`]), so a large file's findings are never held as a
/// model beside their text.
#[derive(Serialize)]
pub struct File<'a, F = Vec<FindingOut<'a>>> {
    pub path: &'a str,
    /// `sha256:…` of the exact bytes read: what a waiver's `digest` names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<&'a str>,
    /// The file's `submission.id`, as the applicant wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submission_id: Option<&'a str>,
    /// `clean`, `findings`, `no_rule_applies`, `invalid` or `unreadable`.
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'a str>,
    /// `GB18030` when the file was not UTF-8 and was transcoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcoded_from: Option<&'static str>,
    pub plans: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judged_on: Option<String>,
    pub input_errors: Vec<InputErrorOut>,
    pub findings: F,
    /// Every rule that applied, per subject, and what it concluded.
    pub outcomes: Outcomes<'a>,
    /// Rules of the plans checked whose own dates in force leave out
    /// `judged_on`: not run, listed so that none is silently absent.
    pub not_in_force: Vec<NotInForceOut<'a>>,
    /// With `--baseline`: `identical` (same path and id, same bytes),
    /// `changed`, or `not_in_baseline`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_file: Option<&'static str>,
    /// With `--baseline`: the baseline's findings this file no longer has.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<&'a [crate::review::Fixed]>,
}

/// A rule not in force on the day a file was judged on.
#[derive(Serialize)]
pub struct NotInForceOut<'a> {
    pub rule: &'a str,
    pub in_force_from: Option<String>,
    pub in_force_until: Option<String>,
    /// "… is not in force on <day> …", in the report's language.
    pub message: String,
}

#[derive(Serialize)]
pub struct Place {
    #[serde(flatten)]
    pub position: Position,
    pub text: String,
    /// For a workbook: the cell the value came from (`居住区!C7`); `line`
    /// and `column` then point into its canonical text (docs/workbooks.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
}

#[derive(Serialize)]
pub struct InputErrorOut {
    pub code: String,
    pub message: String,
    pub help: Option<String>,
    pub location: Place,
    pub label: String,
    pub related: Vec<Related>,
}

#[derive(Serialize)]
pub struct Related {
    pub label: String,
    pub location: Place,
}

#[derive(Serialize)]
pub struct Value {
    pub path: String,
    pub location: Place,
}

#[derive(Serialize)]
pub struct FindingOut<'a> {
    pub rule: &'a str,
    pub severity: &'static str,
    /// `violated`, `cannot_be_checked` or `rule_error`.
    pub status: &'static str,
    pub subject: &'a str,
    pub message: &'a str,
    pub required: Option<&'a str>,
    pub provided: Option<&'a str>,
    pub plan: &'a str,
    pub document_number: Option<&'a str>,
    pub clause: &'a str,
    /// Further clauses of the plan stating the same obligation, verbatim
    /// (a restated figure: one rule, one finding, every clause cited).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_clauses: Vec<&'a str>,
    /// The offending values (underlined in the human report).
    pub primary: Vec<Value>,
    /// The values the verdict was computed from.
    pub inputs: Vec<Value>,
    /// The id of the subject's record (`I1` for `institutions[0]`), if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_id: Option<&'a str>,
    /// Stable across resubmissions (docs/json-output.md): what `--baseline` compares.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<&'a str>,
    /// With `--baseline`: `new` or `unchanged`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<&'static str>,
    /// The waiver that matched, if any (`state`: `waived`, or `expired`
    /// when it no longer waives).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<WaiverOut<'a>>,
}

#[derive(Serialize)]
pub struct WaiverOut<'a> {
    /// `waived`, `expired` (matched, but past its date) or, in the run's
    /// `waivers` list, also `used` / `unused`.
    pub state: &'static str,
    pub number: usize,
    pub rule: &'a str,
    pub digest: Option<&'a str>,
    pub path: Option<&'a str>,
    pub submission: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub reason: &'a str,
    pub approved_by: &'a str,
    pub expires: String,
    pub file: &'a str,
    pub line: usize,
}

impl<'a> WaiverOut<'a> {
    pub fn new(w: &'a crate::review::Waiver, state: &'static str) -> Self {
        WaiverOut {
            state,
            number: w.number,
            rule: &w.rule,
            digest: w.digest.as_deref(),
            path: w.path.as_deref(),
            submission: w.submission.as_deref(),
            subject: w.subject.as_deref(),
            reason: &w.reason,
            approved_by: &w.approved_by,
            expires: w.expires.to_string(),
            file: &w.file,
            line: w.line,
        }
    }
}

/// One entry of the run's `waivers` list.
#[derive(Serialize)]
pub struct WaiverUseOut<'a> {
    #[serde(flatten)]
    pub waiver: WaiverOut<'a>,
    /// Findings it waived, and findings it matched after expiring.
    pub waived: usize,
    pub expired_matches: usize,
}

#[derive(Serialize)]
pub struct OutcomeOut<'a> {
    pub rule: &'a str,
    pub subject: &'a str,
    /// `holds`, `violated`, `cannot_be_checked` or `rule_error`.
    pub outcome: &'static str,
}

/// Every outcome of a checked file (none otherwise), made as it is
/// serialised or read ([`Outcomes::iter`]), not held beside the outcomes
/// themselves: a large file has one for every record a rule judged.
pub struct Outcomes<'a> {
    catalog: &'a Catalog,
    outcomes: &'a [Finding],
}

impl<'a> Outcomes<'a> {
    pub fn iter(&self) -> impl ExactSizeIterator<Item = OutcomeOut<'a>> + 'a {
        let catalog = self.catalog;
        self.outcomes.iter().map(move |f| OutcomeOut {
            rule: &catalog.rules[f.rule].id,
            subject: &f.subject,
            outcome: status_word(f.status),
        })
    }
}

impl Serialize for Outcomes<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

pub fn status_word(s: Status) -> &'static str {
    match s {
        Status::Violated => "violated",
        Status::Unchecked => "cannot_be_checked",
        Status::RuleError => "rule_error",
        Status::Holds => "holds",
    }
}

/// A file's text and, for a workbook, its cells.
struct At<'a> {
    idx: &'a LineIndex<'a>,
    file: &'a FileResult,
}

fn place(at: &At, span: crate::input::Span) -> Place {
    Place {
        position: at.idx.position(span),
        text: at.idx.text(span).to_string(),
        cell: super::cell_at(at.file, at.idx, span),
    }
}

fn values(idx: &At, list: &[Located]) -> Vec<Value> {
    list.iter()
        .map(|l| Value {
            path: l.path.clone(),
            location: place(idx, l.span),
        })
        .collect()
}

fn input_error(idx: &At, e: &InputError, lang: Lang) -> InputErrorOut {
    let text = super::messages::input_error(e, lang);
    InputErrorOut {
        code: e.code.to_string(),
        message: text.message,
        help: text.help,
        location: place(idx, e.span),
        label: text.label,
        related: e
            .related
            .iter()
            .zip(text.related)
            .map(|((s, _), label)| Related {
                label,
                location: place(idx, *s),
            })
            .collect(),
    }
}

fn finding<'a>(
    catalog: &'a Catalog,
    idx: &At,
    f: &'a Finding,
    review: Option<&'a crate::review::FindingReview>,
    identity: &'a crate::review::Identity,
    lang: Lang,
) -> FindingOut<'a> {
    let rule = &catalog.rules[f.rule];
    let pack = &catalog.packs[rule.pack];
    FindingOut {
        rule: &rule.id,
        severity: f.severity.as_str(),
        status: status_word(f.status),
        subject: &f.subject,
        message: f.message.get(lang),
        required: f.required().map(|t| t.get(lang)),
        provided: f.provided().map(|t| t.get(lang)),
        plan: &pack.manifest.id,
        document_number: pack.manifest.document_number.as_deref(),
        clause: &rule.clause,
        also_clauses: rule.also.iter().map(String::as_str).collect(),
        primary: values(idx, &f.at),
        inputs: values(idx, f.inputs()),
        subject_id: identity.record_id(&f.subject),
        fingerprint: review.map(|r| r.fingerprint.as_str()),
        baseline: review.and_then(|r| r.baseline).map(|b| b.as_str()),
        waiver: review
            .and_then(|r| r.waiver.as_ref())
            .map(|m| WaiverOut::new(&m.waiver, if m.expired { "expired" } else { "waived" })),
    }
}

pub fn file<'a>(catalog: &'a Catalog, r: &'a FileResult, lang: Lang) -> File<'a> {
    let idx = LineIndex::new(&r.source);
    let at = At { idx: &idx, file: r };
    // Gathered first, so the model's list is made to its size.
    let findings = r
        .reviewed_findings()
        .into_iter()
        .map(|(f, review)| finding(catalog, &at, f, review, &r.review.identity, lang))
        .collect();
    file_with(catalog, r, &at, lang, findings)
}

/// The file's findings (none unless it was checked), in the report's
/// shape, made one at a time as they are written.
fn findings<'a: 'i, 'i>(
    catalog: &'a Catalog,
    r: &'a FileResult,
    at: &'i At<'i>,
    lang: Lang,
) -> impl Iterator<Item = FindingOut<'a>> + 'i {
    // One at a time, not gathered first (`FileResult::reviewed_findings`).
    let checked = match &r.outcome {
        Outcome::Checked(c) => Some(c),
        _ => None,
    };
    checked
        .into_iter()
        .flat_map(|c| c.findings().enumerate())
        .map(move |(i, f)| finding(catalog, at, f, r.review.of(i), &r.review.identity, lang))
}

/// A sequence serialised as it is made, once: what a report's renderer
/// writes a file's findings with.
pub struct Each<I>(std::cell::Cell<Option<I>>);

impl<I: Iterator<Item: Serialize>> Serialize for Each<I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.take().into_iter().flatten())
    }
}

/// The file's report written at depth `by` into `buf`, its findings
/// serialised as they are made.
fn write_file(
    buf: &mut impl std::io::Write,
    catalog: &Catalog,
    r: &FileResult,
    lang: Lang,
    by: usize,
) {
    let idx = LineIndex::new(&r.source);
    let at = At { idx: &idx, file: r };
    let findings = Each(std::cell::Cell::new(Some(findings(catalog, r, &at, lang))));
    nested_into(buf, &file_with(catalog, r, &at, lang, findings), by);
}

fn file_with<'a, F>(
    catalog: &'a Catalog,
    r: &'a FileResult,
    at: &At,
    lang: Lang,
    findings: F,
) -> File<'a, F> {
    let counts = super::Counts::of(r);
    let mut out = File {
        path: &r.path,
        digest: r.review.identity.digest.as_deref(),
        submission_id: r.review.identity.submission.as_deref(),
        status: "clean",
        reason: None,
        transcoded_from: r.transcoded_from,
        plans: Vec::new(),
        judged_on: None,
        input_errors: Vec::new(),
        findings,
        outcomes: Outcomes {
            catalog,
            outcomes: &[],
        },
        not_in_force: Vec::new(),
        baseline_file: r.review.baseline_file.map(|b| b.as_str()),
        fixed: r.review.fixed.as_deref(),
    };
    match &r.outcome {
        Outcome::Unreadable(why) => {
            out.status = "unreadable";
            out.reason = Some(why);
        }
        Outcome::Invalid(errors) => {
            out.status = "invalid";
            out.input_errors = errors.iter().map(|e| input_error(at, e, lang)).collect();
        }
        Outcome::Checked(c) => {
            if c.outcomes.is_empty() {
                out.status = "no_rule_applies";
            } else if counts.total() > 0 {
                out.status = "findings";
            }
            out.plans = c
                .packs
                .iter()
                .map(|&p| catalog.packs[p].manifest.id.as_str())
                .collect();
            out.judged_on = Some(c.day.to_string());
            out.outcomes.outcomes = &c.outcomes;
            out.not_in_force = c
                .not_in_force
                .iter()
                .map(|&r| {
                    let rule = &catalog.rules[r];
                    NotInForceOut {
                        rule: &rule.id,
                        in_force_from: rule.from.map(|d| d.to_string()),
                        in_force_until: rule.until.map(|d| d.to_string()),
                        message: super::messages::rule_not_in_force(rule, &c.day, lang),
                    }
                })
                .collect();
        }
    }
    out
}

fn packs(catalog: &Catalog) -> Vec<PackInfo<'_>> {
    catalog
        .packs
        .iter()
        .map(|p| PackInfo {
            id: &p.manifest.id,
            title: &p.manifest.title,
            document_number: p.manifest.document_number.as_deref(),
            digest: &p.digest,
            rules: p.rules.len(),
            replaces: p
                .manifest
                .replaces
                .as_ref()
                .map(|plan| Replaces { plan, dir: &p.dir }),
        })
        .collect()
}

/// `value` pretty-printed, its lines after the first indented by `by`
/// spaces, to sit at that depth of an enclosing pretty document.
pub(super) fn nested(value: &impl Serialize, by: usize) -> String {
    let mut text = Vec::with_capacity(256);
    nested_into(&mut text, value, by);
    String::from_utf8(text).expect("serde_json writes UTF-8")
}

/// [`nested`], appended to `buf`.
pub(super) fn nested_into(buf: &mut impl std::io::Write, value: &impl Serialize, by: usize) {
    let mut ser = serde_json::Serializer::with_formatter(buf, Nested::at(by));
    value.serialize(&mut ser).expect("report serialises");
}

/// serde_json's pretty layout (two spaces a level) begun `by` spaces deep:
/// what `to_string_pretty` and then indenting every line would give, in
/// one pass.
struct Nested {
    /// Spaces before a line at the current depth.
    indent: usize,
    has_value: bool,
}

impl Nested {
    fn at(by: usize) -> Self {
        Nested {
            indent: by,
            has_value: false,
        }
    }

    fn newline<W: ?Sized + std::io::Write>(&self, w: &mut W, first: bool) -> std::io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        w.write_all(if first { b"\n" } else { b",\n" })?;
        let mut n = self.indent;
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }

    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.indent += 2;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.indent -= 2;
        if self.has_value {
            self.newline(w, true)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Streams the report: the header, then each file as it is checked, then
/// the summary; the output is the pretty-printed `Report` document.
pub struct JsonSink<'a> {
    pub catalog: &'a Catalog,
    pub lang: Lang,
    files: usize,
    /// One file's JSON, reused from file to file.
    buf: Vec<u8>,
}

impl<'a> JsonSink<'a> {
    /// The file's object in `buf`, after the separator its place needs.
    fn write_object(&mut self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        self.separate(out)?;
        out.write_all(&self.buf)
    }

    /// What goes before a file's object: a comma after the first.
    fn separate(&mut self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        out.write_all(if self.files == 0 {
            b"\n    "
        } else {
            b",\n    "
        })?;
        self.files += 1;
        Ok(())
    }

    pub fn new(catalog: &'a Catalog, lang: Lang) -> Self {
        JsonSink {
            catalog,
            lang,
            files: 0,
            buf: Vec::new(),
        }
    }
}

impl<'a> JsonSink<'a> {
    /// A file's object, at its depth in the report, without the separator
    /// before it.
    pub fn renderer(&self) -> super::Renderer<'a> {
        let (catalog, lang) = (self.catalog, self.lang);
        Box::new(move |file| {
            let mut text = super::Written::default();
            write_file(&mut text, catalog, file, lang, 4);
            super::Piece {
                text,
                notes: Vec::new(),
            }
        })
    }
}

impl super::Sink for JsonSink<'_> {
    fn begin(&mut self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let tool = Tool {
            name: "peitao",
            version: env!("CARGO_PKG_VERSION"),
        };
        write!(
            out,
            "{{\n  \"format_version\": {FORMAT_VERSION},\n  \"tool\": {},\n  \"packs\": {},\n  \"files\": [",
            nested(&tool, 2),
            nested(&packs(self.catalog), 2)
        )
    }

    fn file(&mut self, file: &FileResult, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        self.buf.clear();
        write_file(&mut self.buf, self.catalog, file, self.lang, 4);
        self.write_object(out)
    }

    fn file_rendered(
        &mut self,
        _file: &FileResult,
        piece: super::Piece,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        self.separate(out)?;
        piece.text.write_to(out, 0)
    }

    fn finish(&mut self, summary: &Summary, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let close = if self.files == 0 { "]" } else { "\n  ]" };
        let waivers: Vec<WaiverUseOut> = summary
            .waivers
            .iter()
            .map(|u| WaiverUseOut {
                waiver: WaiverOut::new(&u.waiver, u.state()),
                waived: u.waived,
                expired_matches: u.expired,
            })
            .collect();
        writeln!(
            out,
            "{close},\n  \"waivers\": {},\n  \"summary\": {}\n}}",
            nested(&waivers, 2),
            nested(summary, 2)
        )
    }
}

/// The whole report as pretty-printed JSON.
pub fn render(catalog: &Catalog, files: &[FileResult], lang: Lang) -> String {
    super::render_all(&mut JsonSink::new(catalog, lang), files)
}

#[cfg(test)]
mod tests {
    use super::nested;

    /// The one-pass layout equals serde_json's pretty printing with every
    /// line after the first indented, for every shape a report has.
    #[test]
    fn nested_is_pretty_printing_indented() {
        let values = [
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!("a\nb \"c\" 十堰"),
            serde_json::json!([[], {}, [1, [2, {"a": []}]], {"k": {"l": [null, true, 1.5]}}]),
            serde_json::json!({"path": "x.yaml", "findings": [{"at": {"line": 1, "column": 2}, "inputs": []}], "plans": ["shiyan"]}),
        ];
        for value in &values {
            let pretty = serde_json::to_string_pretty(value).unwrap();
            for by in [0, 2, 4, 6, 8, 70] {
                let indented = pretty.replace('\n', &format!("\n{}", " ".repeat(by)));
                assert_eq!(nested(value, by), indented, "{value} at {by}");
            }
        }
    }
}
