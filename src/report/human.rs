//! The human report: one miette diagnostic per finding or input error, the
//! offending values underlined, the inputs labelled, the clause quoted.

use super::excerpt::Excerpt;
use super::messages::{say, word};
use super::position::LineIndex;
use super::{Counts, Summary};
use crate::check::{FileResult, Outcome};
use crate::engine::{Catalog, Finding, Status};
use crate::input::{InputError, Msg, Span};
use crate::plan::{Lang, Severity};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use std::fmt;

/// How to draw diagnostics.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub lang: Lang,
    pub color: bool,
    pub width: usize,
}

/// A diagnostic known only at run time (after kdl-rs's `KdlDiagnostic`),
/// over the excerpt of its file that its labels need.
#[derive(Debug)]
pub struct Diag {
    pub code: String,
    pub severity: miette::Severity,
    pub message: String,
    pub help: Option<String>,
    /// Labels over the excerpt, not the file.
    pub labels: Vec<LabeledSpan>,
    /// Where each label points in the file (editors place them by these).
    pub spans: Vec<Span>,
    pub source: Excerpt,
}

/// A label before it is mapped into the excerpt.
#[derive(Debug)]
pub struct Label {
    pub text: Option<String>,
    pub span: Span,
    pub primary: bool,
}

/// Most characters of a label's text shown (a label may quote a value).
const MAX_LABEL_CHARS: usize = 200;

fn label_text(text: &str) -> String {
    let text = sanitize(text);
    match text.char_indices().nth(MAX_LABEL_CHARS) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

/// A diagnostic's words and the places its labels point to in the file,
/// before it is placed in an excerpt for a terminal: all an editor shows
/// (the LSP's diagnostics are made from these, without the excerpt).
/// Texts are sanitised here.
#[derive(Debug)]
pub struct Parts {
    pub code: String,
    pub severity: miette::Severity,
    pub message: String,
    pub help: Option<String>,
    /// In the order given; a label's text sanitised and cut to its length.
    pub labels: Vec<Label>,
}

impl Parts {
    pub fn new(
        code: &str,
        severity: miette::Severity,
        message: &str,
        help: Option<&str>,
        labels: Vec<Label>,
    ) -> Parts {
        Parts {
            code: sanitize_line(code),
            severity,
            message: sanitize(message),
            help: help.map(sanitize),
            labels: labels
                .into_iter()
                .map(|l| Label {
                    text: l.text.as_deref().map(label_text),
                    ..l
                })
                .collect(),
        }
    }
}

impl Diag {
    /// A diagnostic over `idx`'s file, named `name`; texts are sanitised here.
    pub fn new(
        code: &str,
        severity: miette::Severity,
        message: &str,
        help: Option<&str>,
        name: &str,
        idx: &LineIndex,
        labels: Vec<Label>,
    ) -> Diag {
        Diag::placed(Parts::new(code, severity, message, help, labels), name, idx)
    }

    /// `parts` placed in the excerpt of `idx`'s file (named `name`) its
    /// labels need.
    pub fn placed(parts: Parts, name: &str, idx: &LineIndex) -> Diag {
        let spans: Vec<Span> = parts.labels.iter().map(|l| l.span).collect();
        let (source, mapped) = Excerpt::new(&sanitize_line(name), idx, &spans);
        let labels = parts
            .labels
            .into_iter()
            .zip(mapped)
            .map(|(l, span)| {
                if l.primary {
                    LabeledSpan::new_primary_with_span(l.text, span)
                } else {
                    LabeledSpan::new_with_span(l.text, span)
                }
            })
            .collect();
        Diag {
            code: parts.code,
            severity: parts.severity,
            message: parts.message,
            help: parts.help,
            labels,
            spans,
            source,
        }
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diag {}

impl Diagnostic for Diag {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
}

pub use crate::base::shown::{is_unsafe, sanitize, sanitize_line};

/// The last segment of a path: `households` of `estate.households`.
fn field_name(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// A workbook's message starts with the cell it concerns (`居住区!C7: …`):
/// the excerpt below it is the workbook's canonical text (docs/workbooks.md).
fn at_cell(file: &FileResult, idx: &LineIndex, span: crate::input::Span, message: &str) -> String {
    match super::cell_at(file, idx, span) {
        Some(cell) => format!("{cell}: {message}"),
        None => message.to_string(),
    }
}

pub fn input_error_diag(file: &FileResult, idx: &LineIndex, e: &InputError, lang: Lang) -> Diag {
    Diag::placed(input_error_parts(file, idx, e, lang), &file.path, idx)
}

/// [`input_error_diag`] before it is placed in an excerpt.
pub fn input_error_parts(file: &FileResult, idx: &LineIndex, e: &InputError, lang: Lang) -> Parts {
    let text = super::messages::input_error(e, lang);
    let mut labels = vec![Label {
        text: Some(text.label.clone()),
        span: e.span,
        primary: true,
    }];
    labels.extend(
        e.related
            .iter()
            .zip(&text.related)
            .map(|((s, _), l)| Label {
                text: Some(l.clone()),
                span: *s,
                primary: false,
            }),
    );
    Parts::new(
        &format!("input::{}", e.code),
        miette::Severity::Error,
        &at_cell(file, idx, e.span, &text.message),
        text.help.as_deref(),
        labels,
    )
}

pub fn finding_diag(
    catalog: &Catalog,
    file: &FileResult,
    idx: &LineIndex,
    f: &Finding,
    lang: Lang,
) -> Diag {
    Diag::placed(finding_parts(catalog, file, idx, f, lang), &file.path, idx)
}

/// [`finding_diag`] before it is placed in an excerpt.
pub fn finding_parts(
    catalog: &Catalog,
    file: &FileResult,
    idx: &LineIndex,
    f: &Finding,
    lang: Lang,
) -> Parts {
    let rule = &catalog.rules[f.rule];
    let pack = &catalog.packs[rule.pack];
    let severity = match (f.status, f.severity) {
        (Status::RuleError, _) | (_, Severity::Error) => miette::Severity::Error,
        (_, Severity::Warning) => miette::Severity::Warning,
    };
    let primary_label = f.label.as_ref().map(|l| l.get(lang).to_string());
    let mut labels = Vec::new();
    for (i, at) in f.at.iter().enumerate() {
        labels.push(Label {
            text: primary_label.clone(),
            span: at.span,
            primary: i == 0,
        });
    }
    for input in f.inputs() {
        labels.push(Label {
            // The value as filed; under zh a word of a closed set with
            // its term, `medical: 诊所 (clinic)`.
            text: Some(format!(
                "{}: {}",
                field_name(&input.path),
                match lang {
                    Lang::Zh => crate::input::format::termed(idx.text(input.span)),
                    Lang::En => idx.text(input.span).to_string(),
                }
            )),
            span: input.span,
            primary: false,
        });
    }
    let help = match f.status {
        Status::RuleError => {
            Msg::new("human.rule-error.help").arg("path", sanitize_line(&rule.path))
        }
        _ => Msg::new("human.clause")
            .arg("cite", sanitize_line(&pack.citation()))
            .arg("clause", sanitize_line(&rule.quoted())),
    };
    let help = say(&help, lang);
    let message = match f.status {
        Status::RuleError => f.message.get(lang).to_string(),
        _ => format!(
            "{}: {}",
            sanitize_line(rule.title.get(lang)),
            f.message.get(lang)
        ),
    };
    let primary = labels.iter().find(|l| l.primary).map(|l| l.span);
    let message = match primary {
        Some(span) => at_cell(file, idx, span, &message),
        None => message,
    };
    Parts::new(&rule.id, severity, &message, Some(&help), labels)
}

fn handler(style: &Style) -> GraphicalReportHandler {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
}

/// Every diagnostic of one file, rendered, then its summary line.
pub fn render_file(catalog: &Catalog, file: &FileResult, style: &Style, out: &mut String) {
    render_file_with(catalog, file, style, Verbosity::Normal, out)
}

/// How much of the human report to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Verbosity {
    #[default]
    Normal,
    /// Problems and the summary: no clean files, no waived findings.
    Quiet,
    /// The summary only.
    Summary,
}

/// One diagnostic and a blank line. miette's `help:` label is English:
/// under zh the help line is written here, labelled 提示.
pub fn render_diag(
    out: &mut String,
    handler: &miette::GraphicalReportHandler,
    mut d: Diag,
    lang: Lang,
    width: usize,
) {
    match (d.help.take(), lang) {
        (Some(help), Lang::Zh) => {
            let _ = handler.render_report(out, &d);
            let label = super::messages::label(super::messages::Label::Help, lang);
            // "  提示: " takes 8 columns, as miette's "  help: ". Each line
            // of the help (a waiver's note is a line of its own) is wrapped
            // and indented under the first, as miette does in English.
            let lines: Vec<String> = help
                .split('\n')
                .flat_map(|l| wrap(l, width.saturating_sub(8).max(20)))
                .collect();
            for (i, line) in lines.iter().enumerate() {
                let lead = if i == 0 {
                    format!("  {label}: ")
                } else {
                    " ".repeat(8)
                };
                out.push_str(&format!("{lead}{line}\n"));
            }
        }
        (help, _) => {
            d.help = help;
            let _ = handler.render_report(out, &d);
        }
    }
    out.push('\n');
}

/// [`render_file`] at a verbosity.
pub fn render_file_with(
    catalog: &Catalog,
    file: &FileResult,
    style: &Style,
    verbosity: Verbosity,
    out: &mut String,
) {
    if verbosity == Verbosity::Summary || (verbosity == Verbosity::Quiet && is_quiet_clean(file)) {
        return;
    }
    let handler = handler(style);
    let (lang, width) = (style.lang, style.width);
    let idx = LineIndex::new(&file.source);
    let render = |out: &mut String, d: Diag| render_diag(out, &handler, d, lang, width);
    match &file.outcome {
        Outcome::Unreadable(_) => {}
        Outcome::Invalid(errors) => errors
            .iter()
            .for_each(|e| render(out, input_error_diag(file, &idx, e, style.lang))),
        Outcome::Checked(checked) => {
            // New findings before unchanged ones (with a baseline), each
            // group top to bottom, as a reviewer reads the file.
            let mut findings = file.reviewed_findings();
            if verbosity == Verbosity::Quiet {
                findings.retain(|(_, r)| !r.is_some_and(|r| r.waived()));
            }
            let group = |r: Option<&crate::review::FindingReview>| r.and_then(|r| r.baseline);
            findings.sort_by_key(|(f, r)| {
                (
                    group(*r) == Some(crate::review::BaselineMark::Unchanged),
                    f.at.first().map_or(0, |a| a.span.offset),
                    f.rule,
                )
            });
            // A region plan's missing figures: one finding listing them,
            // not one per rule (JSON keeps each).
            let gathered = region_figures(&findings);
            let mut shown_gathered = false;
            let mut shown_group = None;
            for (f, r) in &findings {
                if let Some(g) = gathered.as_ref().filter(|g| g.covers(f, *r)) {
                    if !shown_gathered {
                        shown_gathered = true;
                        render(out, g.diag(catalog, file, &idx, style.lang));
                    }
                    continue;
                }
                if let Some(g) = group(*r).filter(|g| Some(*g) != shown_group) {
                    shown_group = Some(g);
                    let n = findings
                        .iter()
                        .filter(|(_, r)| group(*r) == Some(g))
                        .count();
                    out.push_str(&super::review::group_heading(g, n, style.lang));
                    out.push('\n');
                }
                let mut d = finding_diag(catalog, file, &idx, f, style.lang);
                if let Some(m) = r.and_then(|r| r.waiver.as_ref()) {
                    super::review::mark_waived(&mut d, m, style.lang);
                }
                render(out, d);
            }
            if let Some(fixed) = file.review.fixed.as_ref().filter(|x| !x.is_empty()) {
                out.push_str(&super::review::fixed_heading(fixed.len(), style.lang));
                out.push('\n');
                for x in fixed {
                    out.push_str(&sanitize(&format!(
                        "  ✓ {} {}: {}\n",
                        x.rule, x.subject, x.message
                    )));
                }
            }
            // Rules left out by their own dates: said, never silently absent.
            if verbosity == Verbosity::Normal {
                let note = super::messages::label(super::messages::Label::Note, lang);
                for &r in &checked.not_in_force {
                    let rule = &catalog.rules[r];
                    out.push_str(&sanitize_line(&format!(
                        "{note}: {}",
                        super::messages::rule_not_in_force(rule, &checked.day, lang)
                    )));
                    out.push('\n');
                }
            }
        }
    }
    if let Some(encoding) = file.transcoded_from {
        out.push_str(&transcoded_note(encoding, style.lang));
        out.push('\n');
    }
    out.push_str(&file_line(file, style.lang));
    out.push('\n');
}

/// A region plan's figures that rules needed and the file left out,
/// gathered: reported once, listing each field and the rules needing it.
struct RegionFigures {
    /// Indices into the catalog's rules of the findings gathered.
    rules: Vec<usize>,
    severity: Severity,
    span: Span,
}

impl RegionFigures {
    fn covers(&self, f: &Finding, review: Option<&crate::review::FindingReview>) -> bool {
        gatherable(f, review) && self.rules.contains(&f.rule)
    }

    fn diag(&self, catalog: &Catalog, file: &FileResult, idx: &LineIndex, lang: Lang) -> Diag {
        let Outcome::Checked(checked) = &file.outcome else {
            unreachable!("gathered from a checked file")
        };
        let mut fields: Vec<(String, Vec<String>)> = Vec::new();
        for f in &checked.outcomes {
            if !(self.rules.contains(&f.rule) && gatherable(f, None)) {
                continue;
            }
            let path = f.missing.clone().unwrap_or_default();
            let id = catalog.rules[f.rule].id.clone();
            match fields.iter_mut().find(|(p, _)| *p == path) {
                Some((_, ids)) => ids.push(id),
                None => fields.push((path, vec![id])),
            }
        }
        fields.sort();
        let (message, label, help) =
            super::messages::region_figures_missing(self.rules.len(), &fields, lang);
        let severity = match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        };
        Diag::new(
            "report::region-figures-missing",
            severity,
            &message,
            Some(&help),
            &file.path,
            idx,
            vec![Label {
                text: Some(label),
                span: self.span,
                primary: true,
            }],
        )
    }
}

/// A "cannot be checked" of the region plan for a missing field of it,
/// neither waived nor marked by a baseline.
fn gatherable(f: &Finding, review: Option<&crate::review::FindingReview>) -> bool {
    f.status == Status::Unchecked
        && f.subject == "region"
        && f.missing
            .as_deref()
            .is_some_and(|p| p.starts_with("region."))
        && review.is_none_or(|r| r.baseline.is_none() && r.waiver.is_none())
}

/// Two or more gatherable findings, gathered; fewer are shown as they are.
fn region_figures(
    findings: &[(&Finding, Option<&crate::review::FindingReview>)],
) -> Option<RegionFigures> {
    let gathered: Vec<&Finding> = findings
        .iter()
        .filter(|(f, r)| gatherable(f, *r))
        .map(|(f, _)| *f)
        .collect();
    if gathered.len() < 2 {
        return None;
    }
    let severity = if gathered.iter().any(|f| f.severity == Severity::Error) {
        Severity::Error
    } else {
        Severity::Warning
    };
    Some(RegionFigures {
        rules: gathered.iter().map(|f| f.rule).collect(),
        severity,
        span: gathered[0].at.first().map(|a| a.span).unwrap_or_default(),
    })
}

/// A file `--quiet` leaves out: checked, and nothing but waived findings.
fn is_quiet_clean(file: &FileResult) -> bool {
    matches!(file.outcome, Outcome::Checked(_))
        && file
            .reviewed_findings()
            .iter()
            .all(|(_, r)| r.is_some_and(|r| r.waived()))
}

/// Said of a file that was not UTF-8 but was read as `encoding`.
pub fn transcoded_note(encoding: &str, lang: Lang) -> String {
    say(
        &Msg::new("human.transcoded").arg("encoding", encoding),
        lang,
    )
}

/// `text` in lines of at most `width` terminal columns (a Chinese
/// character takes two), broken at a space when one is near, else anywhere
/// (Chinese has no spaces).
fn wrap(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width && !line.is_empty() {
            // Carry a short last word over whole.
            let carry = match line.rfind(' ') {
                Some(at) if line.len() - at < 20 && at > 0 => line.split_off(at + 1),
                _ => String::new(),
            };
            lines.push(line.trim_end().to_string());
            used = carry.chars().map(|c| c.width().unwrap_or(0)).sum();
            line = carry;
        }
        line.push(c);
        used += w;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `examples/x.yaml: 2 errors, 1 warning` and the like.
pub fn file_line(file: &FileResult, lang: Lang) -> String {
    let path = sanitize_line(&file.path);
    let c = Counts::of(file);
    let line = match &file.outcome {
        Outcome::Unreadable(why) => Msg::new("line.unreadable").arg("why", sanitize_line(why)),
        Outcome::Invalid(e) => Msg::new("line.invalid").arg("n", e.len()),
        Outcome::Checked(ch) if ch.outcomes.is_empty() => Msg::new("line.no-rule"),
        Outcome::Checked(_) => {
            let counts = counts_text(c.errors, c.warnings, c.unchecked, c.rule_errors, lang);
            let waived = file
                .reviewed_findings()
                .iter()
                .filter(|(_, r)| r.is_some_and(|r| r.waived()))
                .count();
            match (counts.is_empty(), waived) {
                (true, _) => Msg::new("line.ok"),
                (false, 0) => Msg::new("line.counts").arg("counts", counts),
                (false, n) => Msg::new("line.waived").arg("counts", counts).arg("n", n),
            }
        }
    };
    say(&line.arg("path", path), lang)
}

fn counts_text(
    errors: usize,
    warnings: usize,
    unchecked: usize,
    rule_errors: usize,
    lang: Lang,
) -> String {
    [
        ("count.errors", errors),
        ("count.warnings", warnings),
        ("count.unchecked", unchecked),
        ("count.rule-errors", rule_errors),
    ]
    .into_iter()
    .filter(|&(_, n)| n > 0)
    .map(|(key, n)| say(&Msg::new(key).arg("n", n), lang))
    .collect::<Vec<_>>()
    .join(", ")
}

/// The closing line over all files.
pub fn summary_line(s: &Summary, lang: Lang) -> String {
    let counts = counts_text(s.errors, s.warnings, s.unchecked, s.rule_errors, lang);
    let counts = if counts.is_empty() {
        counts
    } else {
        format!("; {counts}")
    };
    // Said only when it happens: most batches have none.
    let none = match s.no_rule_applies {
        0 => String::new(),
        n => say(&Msg::new("summary.no-rule").arg("n", n), lang),
    };
    say(
        &Msg::new("summary.line")
            .arg("files", s.files)
            .arg("clean", s.clean)
            .arg("findings", s.with_findings)
            .arg("none", none)
            .arg("invalid", s.invalid)
            .arg("unreadable", s.unreadable)
            .arg("counts", counts),
        lang,
    )
}

/// Streams the human report: each file's diagnostics and summary line as
/// the file is checked, the closing line at the end.
pub struct HumanSink<'a> {
    pub catalog: &'a Catalog,
    pub style: Style,
    pub verbosity: Verbosity,
    /// With `[office]` in peitao.toml: the office, the reviewer and the
    /// day the report is made, on the report's first line.
    pub signed: Option<(crate::config::Office, crate::input::Date)>,
}

/// The first line of a report an office makes: who made it, and when.
pub fn office_line(office: &crate::config::Office, made: crate::input::Date, lang: Lang) -> String {
    let words = ["office.office", "office.reviewer", "office.made-on"].map(|k| word(k, lang));
    let made = made.to_string();
    [&office.name, &office.reviewer, &Some(made)]
        .iter()
        .zip(words)
        .filter_map(|(v, w)| v.as_ref().map(|v| format!("{w}: {}", sanitize_line(v))))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// One line per built-in plan a pack replaces in this run: what a reader
/// must know before any result (the plan's own rules were not applied).
pub fn replaced_lines(catalog: &Catalog, lang: Lang) -> Vec<String> {
    catalog
        .packs
        .iter()
        .filter_map(|p| {
            let target = p.manifest.replaces.as_ref()?;
            Some(super::messages::say(
                &crate::input::Msg::new("report.replaced")
                    .arg("target", target.as_str())
                    .arg("id", &p.manifest.id)
                    .arg("dir", &p.dir),
                lang,
            ))
        })
        .collect()
}

impl<'a> HumanSink<'a> {
    /// A file's text, as [`super::Sink::file`] writes it.
    pub fn renderer(&self) -> super::Renderer<'a> {
        let (catalog, style, verbosity) = (self.catalog, self.style, self.verbosity);
        Box::new(move |file| {
            let mut text = String::new();
            render_file_with(catalog, file, &style, verbosity, &mut text);
            super::Piece {
                text: text.into_bytes().into(),
                notes: Vec::new(),
            }
        })
    }
}

impl super::Sink for HumanSink<'_> {
    fn begin(&mut self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        if let Some((office, made)) = &self.signed {
            writeln!(out, "{}", office_line(office, *made, self.style.lang))?;
        }
        for line in replaced_lines(self.catalog, self.style.lang) {
            writeln!(out, "{}", sanitize(&line))?;
        }
        Ok(())
    }

    fn file(&mut self, file: &FileResult, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut text = String::new();
        render_file_with(self.catalog, file, &self.style, self.verbosity, &mut text);
        out.write_all(text.as_bytes())
    }

    fn file_rendered(
        &mut self,
        _file: &FileResult,
        piece: super::Piece,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        piece.text.write_to(out, 0)
    }

    fn finish(&mut self, summary: &Summary, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let lang = self.style.lang;
        if self.verbosity != Verbosity::Summary {
            for line in super::review::waiver_warnings(summary, lang) {
                writeln!(out, "{}", sanitize(&line))?;
            }
        }
        writeln!(out, "{}", summary_line(summary, lang))?;
        for line in super::review::summary_lines(summary, lang) {
            writeln!(out, "{}", sanitize(&line))?;
        }
        Ok(())
    }
}
