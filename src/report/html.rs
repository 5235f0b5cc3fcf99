//! `--format html`: one self-contained page for a reviewer (no network, no
//! external assets): a summary table of every file, then each file with
//! findings as its YAML source, the offending values highlighted and each
//! finding's message, arithmetic and clause beside its line.

use super::messages::{say, word};
use super::{Counts, LineIndex, Summary};
use crate::check::{FileResult, Outcome};
use crate::engine::Catalog;
use crate::engine::Status;
use crate::input::{Msg, Span};
use crate::plan::{Lang, Severity};
use std::fmt::Write as _;

use super::escape_markup as escape;

const STYLE: &str = r#"
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; margin: 2rem; color: #1d1d1f; background: #fafafa; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2.5rem; }
table.summary { border-collapse: collapse; width: 100%; background: #fff; }
table.summary th, table.summary td { border: 1px solid #ddd; padding: .35rem .6rem; text-align: left; }
table.summary td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.clean td.result { color: #1a7f37; } tr.none td.result { color: #6a5acd; } tr.findings td.result { color: #b35900; } tr.invalid td.result, tr.unreadable td.result { color: #c62828; }
table.source { border-collapse: collapse; width: 100%; background: #fff; font-family: "Noto Sans Mono CJK SC", "Sarasa Mono SC", ui-monospace, monospace; font-size: .9rem; }
table.source td { padding: 0 .6rem; vertical-align: top; white-space: pre-wrap; }
td.ln { color: #888; text-align: right; user-select: none; width: 3rem; border-right: 1px solid #eee; }
mark { padding: 0 .1rem; border-radius: 2px; }
mark.error { background: #ffd6d6; outline: 1px solid #c62828; }
mark.warning { background: #fff0c2; outline: 1px solid #b35900; }
mark.input { background: #e3ecff; }
mark.waived { background: #ececec; outline: 1px dashed #888; }
div.finding { margin: .3rem 0 .6rem; padding: .5rem .8rem; border-left: 4px solid #c62828; background: #fff5f5; font-family: sans-serif; white-space: normal; }
div.finding.warning { border-color: #b35900; background: #fffaf0; }
div.finding code { font-weight: bold; }
blockquote.clause { margin: .4rem 0 0; padding-left: .8rem; border-left: 3px solid #bbb; color: #333; }
p.meta { color: #555; }
div.finding.waived { border-color: #888; background: #f3f3f3; color: #444; }
span.cell { font-family: monospace; font-weight: bold; margin-right: .4rem; }
span.badge { display: inline-block; font-size: .75rem; padding: 0 .4rem; margin-right: .3rem; border-radius: 3px; background: #eee; color: #333; }
span.badge.new { background: #c62828; color: #fff; } span.badge.unchanged { background: #b35900; color: #fff; }
span.badge.waived { background: #555; color: #fff; } span.badge.expired { background: #7a1f1f; color: #fff; }
ul.fixed li, ul.waivers li { margin: .2rem 0; }
span.sev { display: inline-block; font-weight: bold; padding: 0 .4rem; margin-right: .4rem; border-radius: 3px; color: #fff; background: #c62828; }
span.sev.warning { background: #b35900; } span.sev.unchecked { background: #6a5acd; }
ul.labels { margin: .3rem 0 0; padding-left: 1.2rem; color: #333; font-size: .9rem; }
details.clean { margin: 1rem 0; } details.clean ul { columns: 3; font-size: .85rem; }
form.filter { margin: .8rem 0; } form.filter label { margin-right: 1rem; cursor: pointer; }
form.filter label::before { content: "○ "; }
#all:checked ~ form.filter label[for="all"], #only-problems:checked ~ form.filter label[for="only-problems"], #only-invalid:checked ~ form.filter label[for="only-invalid"] { font-weight: bold; }
#all:checked ~ form.filter label[for="all"]::before, #only-problems:checked ~ form.filter label[for="only-problems"]::before, #only-invalid:checked ~ form.filter label[for="only-invalid"]::before { content: "◉ "; }
p.meta.made { color: #1d1d1f; }
section.signature { margin: 2rem 0; }
table.signature { border-collapse: collapse; min-width: 28rem; background: #fff; }
table.signature th, table.signature td { border: 1px solid #999; padding: .6rem .8rem; text-align: left; }
table.signature th { width: 7rem; font-weight: normal; color: #333; }
table.signature td { min-width: 18rem; height: 1.6rem; }
#only-problems:checked ~ table.summary tr.clean, #only-problems:checked ~ table.summary tr.none { display: none; }
#only-invalid:checked ~ table.summary tbody tr:not(.invalid):not(.unreadable) { display: none; }
@media print {
  body { margin: 0; background: #fff; font-size: 10pt; }
  form.filter, input.filter { display: none; }
  details.clean > ul { display: block; }
  mark, span.sev, div.finding { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  div.finding, tr { break-inside: avoid; }
  section.file { break-before: page; }
  thead { display: table-header-group; }
  section.signature { break-inside: avoid; }
  table.signature td { height: 2.2rem; }
  a { color: inherit; text-decoration: none; }
}
"#;

struct Mark {
    span: Span,
    class: &'static str,
    title: String,
}

struct Note {
    /// 1-based line after which it is shown.
    line: usize,
    class: &'static str,
    html: String,
}

/// The words of the page: its title, the summary's columns and a file's
/// result.
fn words(lang: Lang) -> [&'static str; 13] {
    [
        "html.title",
        "html.file",
        "html.plan",
        "html.result",
        "html.errors",
        "html.warnings",
        "html.unchecked",
        "html.rule-errors",
        "html.clean",
        "html.findings",
        "html.invalid",
        "html.unreadable",
        "html.no-rule",
    ]
    .map(|k| word(k, lang))
}

/// The page opens with the summary of all files, so rows and sections
/// (text, not parsed files) are kept until the end.
pub struct HtmlSink<'a> {
    pub catalog: &'a Catalog,
    pub lang: Lang,
    /// (problem rank, natural-order key, row): problem files first.
    rows: Vec<(u8, Vec<NaturalPart>, String)>,
    /// Clean files, listed in a collapsed list rather than as rows.
    clean: Vec<String>,
    sections: String,
    sections_written: usize,
    files: usize,
    /// Who makes the report (`[office]`), and the day it is made.
    office: Option<crate::config::Office>,
    made: Option<crate::input::Date>,
}

/// A piece of a path for natural order: `-2` before `-10`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum NaturalPart {
    Number(u128),
    Text(String),
}

fn natural_key(path: &str) -> Vec<NaturalPart> {
    let mut parts = Vec::new();
    let mut digits = String::new();
    let mut text = String::new();
    for c in path.chars() {
        if c.is_ascii_digit() {
            if !text.is_empty() {
                parts.push(NaturalPart::Text(std::mem::take(&mut text)));
            }
            digits.push(c);
        } else {
            if !digits.is_empty() {
                parts.push(NaturalPart::Number(digits.parse().unwrap_or(u128::MAX)));
                digits.clear();
            }
            text.push(c);
        }
    }
    if !digits.is_empty() {
        parts.push(NaturalPart::Number(digits.parse().unwrap_or(u128::MAX)));
    }
    if !text.is_empty() {
        parts.push(NaturalPart::Text(text));
    }
    parts
}

impl<'a> HtmlSink<'a> {
    pub fn new(catalog: &'a Catalog, lang: Lang) -> Self {
        HtmlSink {
            catalog,
            lang,
            rows: Vec::new(),
            clean: Vec::new(),
            sections: String::new(),
            sections_written: 0,
            files: 0,
            office: None,
            made: None,
        }
    }

    /// The office and reviewer of `[office]` and the day the report is
    /// made, for its header and signature block.
    pub fn signed(
        mut self,
        office: Option<crate::config::Office>,
        made: crate::input::Date,
    ) -> Self {
        self.office = office;
        self.made = Some(made);
        self
    }
}

/// The words of the header, the summary's added columns and the
/// signature block: (made on, office, reviewer, contact, submission id,
/// project, signature, date, signature block's title).
fn signing_words(lang: Lang) -> [&'static str; 9] {
    [
        "office.made-on",
        "office.office",
        "office.reviewer",
        "html.contact",
        "html.submission-id",
        "html.project",
        "html.signature",
        "html.date",
        "html.sign-off",
    ]
    .map(|k| word(k, lang))
}

impl super::Sink for HtmlSink<'_> {
    fn file(&mut self, f: &FileResult, _out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let (catalog, lang, i) = (self.catalog, self.lang, self.files);
        self.files += 1;
        let w = words(lang);
        let c = Counts::of(f);
        let (class, result) = match &f.outcome {
            Outcome::Unreadable(_) => ("unreadable", w[11]),
            Outcome::Invalid(_) => ("invalid", w[10]),
            Outcome::Checked(ch) if ch.outcomes.is_empty() => ("none", w[12]),
            Outcome::Checked(_) if c.total() == 0 => ("clean", w[8]),
            Outcome::Checked(_) => ("findings", w[9]),
        };
        let plans = match &f.outcome {
            Outcome::Checked(ch) => ch
                .packs
                .iter()
                .map(|&p| escape(&catalog.packs[p].manifest.title))
                .collect::<Vec<_>>()
                .join("<br>"),
            _ => String::new(),
        };
        let fixed = f.review.fixed.as_ref().is_some_and(|x| !x.is_empty());
        if class == "clean" && !fixed {
            self.clean.push(escape(&f.path));
            return Ok(());
        }
        let name = if matches!(class, "clean" | "none") {
            escape(&f.path)
        } else {
            format!("<a href=\"#file-{i}\">{}</a>", escape(&f.path))
        };
        let rank = match class {
            "unreadable" | "invalid" => 0,
            _ if c.errors + c.rule_errors > 0 => 1,
            "findings" => 2,
            _ => 3,
        };
        self.rows.push((
            rank,
            natural_key(&f.path),
            format!(
                "<tr class=\"{class}\"><td>{name}</td><td>{}</td><td>{}</td><td>{plans}</td><td class=\"result\">{result}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                escape(f.review.identity.submission.as_deref().unwrap_or("")),
                escape(&super::ledger::project_name(f)),
                c.errors, c.warnings, c.unchecked, c.rule_errors
            ),
        ));
        if !matches!(class, "clean" | "none") || fixed {
            // Past the first FULL_SOURCES problem files, only the lines
            // that carry a finding: a batch of thousands stays light.
            self.sections_written += 1;
            let compact = self.sections_written > FULL_SOURCES;
            file_section(catalog, f, i, lang, compact, &mut self.sections);
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let lang = self.lang;
        let w = words(lang);
        write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
            word("html.lang", lang),
            w[0],
            w[0]
        )?;
        writeln!(
            out,
            "<p class=\"meta\">peitao {} · {}</p>",
            env!("CARGO_PKG_VERSION"),
            escape(&super::human::summary_line(summary, lang))
        )?;
        let sw = signing_words(lang);
        let made = self.made.map(|d| d.to_string());
        let office = self.office.clone().unwrap_or_default();
        let mut header = Vec::new();
        for (word, value) in [
            (sw[0], &made),
            (sw[1], &office.name),
            (sw[2], &office.reviewer),
        ] {
            if let Some(v) = value {
                header.push(format!("{word}: <b>{}</b>", escape(v)));
            }
        }
        if !header.is_empty() {
            writeln!(out, "<p class=\"meta made\">{}</p>", header.join(" · "))?;
        }
        // Which built-in plan a pack stood in for: before any result.
        for line in super::human::replaced_lines(self.catalog, lang) {
            writeln!(out, "<p class=\"meta replaced\">{}</p>", escape(&line))?;
        }
        for line in super::review::summary_lines(summary, lang) {
            writeln!(out, "<p class=\"meta\">{}</p>", escape(&line))?;
        }
        let notes: Vec<String> = summary
            .waivers
            .iter()
            .filter_map(|u| super::review::waiver_use_note(u, lang))
            .collect();
        if !notes.is_empty() {
            writeln!(out, "<ul class=\"waivers\">")?;
            for n in notes {
                writeln!(out, "<li>{}</li>", escape(&n))?;
            }
            writeln!(out, "</ul>")?;
        }
        // Problem files first (unreadable and invalid, then errors, then
        // warnings), each group in natural order; clean files collapsed.
        self.rows.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let rows: String = self.rows.iter().map(|(_, _, r)| r.as_str()).collect();
        let [all, problems, broken] =
            ["html.show-all", "html.show-problems", "html.show-broken"].map(|k| word(k, lang));
        write!(
            out,
            "<input class=\"filter\" type=\"radio\" name=\"filter\" id=\"all\" checked hidden><input class=\"filter\" type=\"radio\" name=\"filter\" id=\"only-problems\" hidden><input class=\"filter\" type=\"radio\" name=\"filter\" id=\"only-invalid\" hidden>\n<form class=\"filter\"><label for=\"all\">{all}</label><label for=\"only-problems\">{problems}</label><label for=\"only-invalid\">{broken}</label></form>\n<table class=\"summary\" id=\"summary\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n",
            w[1], sw[4], sw[5], w[2], w[3], w[4], w[5], w[6], w[7]
        )?;
        if !self.clean.is_empty() {
            let head = say(&Msg::new("html.passed").arg("n", self.clean.len()), lang);
            write!(
                out,
                "<details class=\"clean\"><summary>{head}</summary>\n<ul>\n"
            )?;
            for path in &self.clean {
                writeln!(out, "<li>{path}</li>")?;
            }
            write!(out, "</ul>\n</details>\n")?;
        }
        // The block a reviewer signs when the report is printed and filed.
        let blank = "<span class=\"blank\"></span>";
        let filled = |v: &Option<String>| v.as_deref().map_or(blank.to_string(), escape);
        write!(
            out,
            "<section class=\"signature\">\n<h2>{}</h2>\n<table class=\"signature\">\n<tr><th>{}</th><td>{}</td></tr>\n<tr><th>{}</th><td>{}</td></tr>\n<tr><th>{}</th><td>{}</td></tr>\n<tr><th>{}</th><td>{blank}</td></tr>\n<tr><th>{}</th><td>{}</td></tr>\n</table>\n</section>\n",
            sw[8],
            sw[1],
            filled(&office.name),
            sw[2],
            filled(&office.reviewer),
            sw[3],
            filled(&office.contact),
            sw[6],
            sw[7],
            filled(&made),
        )?;
        write!(out, "{}</body>\n</html>\n", self.sections)
    }
}

pub fn render(catalog: &Catalog, files: &[FileResult], lang: Lang) -> String {
    super::render_all(&mut HtmlSink::new(catalog, lang), files)
}

/// How many problem files are shown with their whole source.
const FULL_SOURCES: usize = 100;

fn file_section(
    catalog: &Catalog,
    f: &FileResult,
    i: usize,
    lang: Lang,
    compact: bool,
    out: &mut String,
) {
    let idx = LineIndex::new(&f.source);
    let _ = writeln!(
        out,
        "<section class=\"file\" id=\"file-{i}\">\n<h2>{}</h2>",
        escape(&f.path)
    );
    let _ = writeln!(
        out,
        "<p class=\"meta\">{}</p>",
        escape(&super::human::file_line(f, lang))
    );
    if let Some(encoding) = f.transcoded_from {
        let note = super::human::transcoded_note(encoding, lang);
        let _ = writeln!(out, "<p class=\"meta\">{}</p>", escape(&note));
    }
    let mut marks = Vec::new();
    let mut notes = Vec::new();
    match &f.outcome {
        Outcome::Unreadable(why) => {
            let _ = writeln!(out, "<p>{}</p>\n</section>", escape(why));
            return;
        }
        Outcome::Invalid(errors) => {
            for e in errors {
                marks.push(Mark {
                    span: e.span,
                    class: "error",
                    title: super::messages::say(&e.label, lang),
                });
                let text = super::messages::input_error(e, lang);
                let help = text
                    .help
                    .as_deref()
                    .map(|h| format!("<br>{}", escape(h)))
                    .unwrap_or_default();
                notes.push(Note {
                    line: idx.position(e.span).line,
                    class: "error",
                    html: format!(
                        "{}{}<code>input::{}</code> {}{help}<ul class=\"labels\"><li>{}</li></ul>",
                        severity_word("error", lang),
                        cell_html(f, &idx, Some(e.span)),
                        e.code,
                        escape(&text.message),
                        escape(&text.label)
                    ),
                });
            }
        }
        Outcome::Checked(_) => {
            for (finding, review) in f.reviewed_findings() {
                let rule = &catalog.rules[finding.rule];
                let waived = review.is_some_and(|r| r.waived());
                let class = if waived {
                    "waived"
                } else if finding.status == Status::RuleError || finding.severity == Severity::Error
                {
                    "error"
                } else {
                    "warning"
                };
                let mut badges = String::new();
                if let Some(b) = review.and_then(|r| r.baseline) {
                    badges.push_str(&badge(b.as_str(), lang));
                }
                let mut waiver_html = String::new();
                if let Some(m) = review.and_then(|r| r.waiver.as_ref()) {
                    badges.push_str(&badge(if m.expired { "expired" } else { "waived" }, lang));
                    waiver_html = format!("<br>{}", escape(&super::review::waiver_note(m, lang)));
                }
                let label = finding
                    .label
                    .as_ref()
                    .map(|l| l.get(lang).to_string())
                    .unwrap_or_default();
                for at in &finding.at {
                    marks.push(Mark {
                        span: at.span,
                        class,
                        title: format!("{}: {label}", rule.id),
                    });
                }
                for input in finding.inputs() {
                    marks.push(Mark {
                        span: input.span,
                        class: "input",
                        title: format!("{}: {}", rule.id, input.path),
                    });
                }
                let line = finding.at.first().map_or(1, |a| idx.position(a.span).line);
                let pack = &catalog.packs[rule.pack];
                // The labels under the values, visible (and printed), not
                // only as hover titles.
                let mut labels = String::new();
                if !label.is_empty() {
                    let _ = write!(labels, "<li>{}</li>", escape(&label));
                }
                for input in finding.inputs() {
                    let name = input.path.rsplit('.').next().unwrap_or(&input.path);
                    let _ = write!(
                        labels,
                        "<li>{}: {}</li>",
                        escape(name),
                        escape(idx.text(input.span))
                    );
                }
                // The severity as the rule gives it, waived or not: a
                // waived warning is still a warning (the badge says waived).
                let word = match finding.status {
                    Status::RuleError => "rule-error",
                    Status::Unchecked => "unchecked",
                    _ if finding.severity == Severity::Error => "error",
                    _ => "warning",
                };
                notes.push(Note {
                    line,
                    class,
                    html: format!(
                        "{}{badges}{}<code>{}</code> {}: {}{waiver_html}<ul class=\"labels\">{labels}</ul><blockquote class=\"clause\">“{}”<br>— {}</blockquote>",
                        severity_word(word, lang),
                        cell_html(f, &idx, finding.at.first().map(|a| a.span)),
                        escape(&rule.id),
                        escape(rule.title.get(lang)),
                        escape(finding.message.get(lang)),
                        escape(&rule.quoted()),
                        escape(&pack.citation())
                    ),
                });
            }
        }
    }
    out.push_str("<table class=\"source\">\n");
    // Marks by start and notes by line, swept once: linear in the file.
    marks.sort_by_key(|m| (m.span.offset, m.class == "input"));
    notes.sort_by_key(|n| n.line);
    let (mut next_note, mut first_mark) = (0, 0);
    let last_line = match f.source.as_bytes().last() {
        Some(b'\n' | b'\r') => idx.line_count() - 1,
        _ => idx.line_count(),
    };
    let last_line = last_line.max(1);
    for line_no in 1..=last_line {
        let (start, end) = (idx.line_start(line_no), idx.line_end(line_no));
        while first_mark < marks.len()
            && marks[first_mark].span.offset + marks[first_mark].span.len < start
        {
            first_mark += 1;
        }
        let on_line = marks[first_mark..]
            .iter()
            .take_while(|m| m.span.offset < end.max(start + 1));
        if compact {
            // Only lines something points at, plus notes past the end.
            let marked = marks[first_mark..]
                .first()
                .is_some_and(|m| m.span.offset <= end);
            let noted = next_note < notes.len()
                && (notes[next_note].line <= line_no || line_no == last_line);
            if !marked && !noted {
                continue;
            }
        }
        let _ = writeln!(
            out,
            "<tr id=\"file-{i}-L{line_no}\"><td class=\"ln\">{line_no}</td><td>{}</td></tr>",
            highlight(&f.source, start, end, on_line)
        );
        // Notes past the last line (at the end of the file) go under it.
        while next_note < notes.len() && (notes[next_note].line <= line_no || line_no == last_line)
        {
            let note = &notes[next_note];
            next_note += 1;
            let _ = writeln!(
                out,
                "<tr><td class=\"ln\"></td><td><div class=\"finding {}\">{}</div></td></tr>",
                note.class, note.html
            );
        }
    }
    out.push_str("</table>\n");
    if let Some(fixed) = f.review.fixed.as_ref().filter(|x| !x.is_empty()) {
        let _ = writeln!(
            out,
            "<h3>{}</h3>\n<ul class=\"fixed\">",
            escape(&super::review::fixed_heading(fixed.len(), lang))
        );
        for x in fixed {
            let _ = writeln!(
                out,
                "<li><code>{}</code> {}: {}</li>",
                escape(&x.rule),
                escape(&x.subject),
                escape(&x.message)
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

/// A review mark as a badge, in the report's language: the class stays
/// the English key (the style sheet's), the word is the reader's.
/// The cell a note is about, for a workbook (`居住区!C7`); nothing for YAML.
fn cell_html(f: &FileResult, idx: &LineIndex, span: Option<Span>) -> String {
    span.and_then(|s| super::cell_at(f, idx, s))
        .map(|c| format!("<span class=\"cell\">{}</span>", escape(&c)))
        .unwrap_or_default()
}

fn badge(kind: &str, lang: Lang) -> String {
    let word = word(
        match kind {
            "new" => "html.badge.new",
            "unchanged" => "html.badge.unchanged",
            "expired" => "html.badge.expired",
            _ => "html.badge.waived",
        },
        lang,
    );
    format!("<span class=\"badge {kind}\">{word}</span>")
}

/// The severity in words, coloured: 错误 / 警告 / 无法检查 / 规则错误.
fn severity_word(kind: &str, lang: Lang) -> String {
    let (class, key) = match kind {
        "warning" => ("warning", "label.warning"),
        "unchecked" => ("unchecked", "html.sev.unchecked"),
        "rule-error" => ("error", "html.sev.rule-error"),
        _ => ("error", "label.error"),
    };
    let word = word(key, lang);
    format!("<span class=\"sev {class}\">{word}</span>")
}

/// One line of source, escaped, with the marks that fall on it wrapped in
/// `<mark>`; where marks overlap, the first (the offending value) wins.
fn highlight<'m>(
    source: &str,
    start: usize,
    end: usize,
    marks: impl Iterator<Item = &'m Mark>,
) -> String {
    let mut pieces: Vec<(usize, usize, &Mark)> = marks
        .filter_map(|m| {
            let (s, e) = (
                m.span.offset.max(start),
                (m.span.offset + m.span.len).min(end),
            );
            (s < e).then_some((s, e, m))
        })
        .collect();
    pieces.sort_by_key(|&(s, _, m)| (s, m.class == "input"));
    let mut out = String::new();
    let mut at = start;
    for (s, e, m) in pieces {
        if s < at || !source.is_char_boundary(s) || !source.is_char_boundary(e) {
            continue;
        }
        out.push_str(&escape(&source[at..s]));
        let _ = write!(
            out,
            "<mark class=\"{}\" title=\"{}\">{}</mark>",
            m.class,
            escape(&m.title),
            escape(&source[s..e])
        );
        at = e;
    }
    out.push_str(&escape(source.get(at..end).unwrap_or("")));
    out
}

#[cfg(test)]
mod tests {
    use super::natural_key;

    #[test]
    fn natural_order_puts_2_before_10_and_100() {
        let mut paths = vec![
            "s-100.yaml",
            "s-10.yaml",
            "s-2.yaml",
            "s-1.yaml",
            "r-5.yaml",
        ];
        paths.sort_by_key(|p| natural_key(p));
        assert_eq!(
            paths,
            [
                "r-5.yaml",
                "s-1.yaml",
                "s-2.yaml",
                "s-10.yaml",
                "s-100.yaml"
            ]
        );
    }
}
