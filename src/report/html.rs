//! `--format html`: one self-contained page for a reviewer (no network, no
//! external assets): a summary table of every file, then each file with
//! findings as its YAML source, the offending values highlighted and each
//! finding's message, arithmetic and clause beside its line.

use super::{Counts, LineIndex, Summary};
use crate::check::{FileResult, Outcome};
use crate::engine::Status;
use crate::input::Span;
use crate::plan::{Catalog, Lang, Severity};
use std::fmt::Write as _;

use super::escape_markup as escape;

const STYLE: &str = r#"
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; margin: 2rem; color: #1d1d1f; background: #fafafa; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2.5rem; }
table.summary { border-collapse: collapse; width: 100%; background: #fff; }
table.summary th, table.summary td { border: 1px solid #ddd; padding: .35rem .6rem; text-align: left; }
table.summary td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.clean td.result { color: #1a7f37; } tr.findings td.result { color: #b35900; } tr.invalid td.result, tr.unreadable td.result { color: #c62828; }
table.source { border-collapse: collapse; width: 100%; background: #fff; font-family: "Noto Sans Mono CJK SC", "Sarasa Mono SC", ui-monospace, monospace; font-size: .9rem; }
table.source td { padding: 0 .6rem; vertical-align: top; white-space: pre-wrap; }
td.ln { color: #888; text-align: right; user-select: none; width: 3rem; border-right: 1px solid #eee; }
mark { padding: 0 .1rem; border-radius: 2px; }
mark.error { background: #ffd6d6; outline: 1px solid #c62828; }
mark.warning { background: #fff0c2; outline: 1px solid #b35900; }
mark.input { background: #e3ecff; }
div.finding { margin: .3rem 0 .6rem; padding: .5rem .8rem; border-left: 4px solid #c62828; background: #fff5f5; font-family: sans-serif; white-space: normal; }
div.finding.warning { border-color: #b35900; background: #fffaf0; }
div.finding code { font-weight: bold; }
blockquote.clause { margin: .4rem 0 0; padding-left: .8rem; border-left: 3px solid #bbb; color: #333; }
p.meta { color: #555; }
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

fn words(lang: Lang) -> [&'static str; 12] {
    match lang {
        Lang::Zh => [
            "peitao 审查报告",
            "文件",
            "规划",
            "结果",
            "错误",
            "警告",
            "无法检查",
            "规则错误",
            "通过",
            "有问题",
            "无效",
            "无法读取",
        ],
        Lang::En => [
            "peitao review report",
            "File",
            "Plan",
            "Result",
            "Errors",
            "Warnings",
            "Cannot be checked",
            "Rule errors",
            "clean",
            "findings",
            "invalid",
            "unreadable",
        ],
    }
}

/// The page opens with the summary of all files, so rows and sections
/// (text, not parsed files) are kept until the end.
pub struct HtmlSink<'a> {
    pub catalog: &'a Catalog,
    pub lang: Lang,
    rows: String,
    sections: String,
    files: usize,
}

impl<'a> HtmlSink<'a> {
    pub fn new(catalog: &'a Catalog, lang: Lang) -> Self {
        HtmlSink {
            catalog,
            lang,
            rows: String::new(),
            sections: String::new(),
            files: 0,
        }
    }
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
            Outcome::Checked(_) if c.total() == 0 => ("clean", w[8]),
            Outcome::Checked(_) => ("findings", w[9]),
        };
        let plans = match &f.outcome {
            Outcome::Checked(ch) => ch
                .packs
                .iter()
                .map(|&p| catalog.packs[p].manifest.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            _ => String::new(),
        };
        let name = if class == "clean" {
            escape(&f.path)
        } else {
            format!("<a href=\"#file-{i}\">{}</a>", escape(&f.path))
        };
        let _ = writeln!(
            self.rows,
            "<tr class=\"{class}\"><td>{name}</td><td>{plans}</td><td class=\"result\">{result}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            c.errors, c.warnings, c.unchecked, c.rule_errors
        );
        if class != "clean" {
            file_section(catalog, f, i, lang, &mut self.sections);
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let lang = self.lang;
        let w = words(lang);
        write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
            if lang == Lang::Zh { "zh-CN" } else { "en" },
            w[0],
            w[0]
        )?;
        writeln!(
            out,
            "<p class=\"meta\">peitao {} · {}</p>",
            env!("CARGO_PKG_VERSION"),
            escape(&super::human::summary_line(summary, lang))
        )?;
        write!(
            out,
            "<table class=\"summary\" id=\"summary\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n{}</tbody>\n</table>\n{}</body>\n</html>\n",
            w[1], w[2], w[3], w[4], w[5], w[6], w[7], self.rows, self.sections
        )
    }
}

pub fn render(catalog: &Catalog, files: &[FileResult], lang: Lang) -> String {
    super::render_all(&mut HtmlSink::new(catalog, lang), files)
}

fn file_section(catalog: &Catalog, f: &FileResult, i: usize, lang: Lang, out: &mut String) {
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
                    title: e.label.clone(),
                });
                let help = e
                    .help
                    .as_deref()
                    .map(|h| format!("<br>{}", escape(h)))
                    .unwrap_or_default();
                notes.push(Note {
                    line: idx.position(e.span).line,
                    class: "error",
                    html: format!(
                        "<code>input::{}</code> {}{help}",
                        e.code,
                        escape(&e.message)
                    ),
                });
            }
        }
        Outcome::Checked(c) => {
            for finding in c.findings() {
                let rule = &catalog.rules[finding.rule];
                let class =
                    if finding.status == Status::RuleError || finding.severity == Severity::Error {
                        "error"
                    } else {
                        "warning"
                    };
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
                for input in &finding.inputs {
                    marks.push(Mark {
                        span: input.span,
                        class: "input",
                        title: format!("{}: {}", rule.id, input.path),
                    });
                }
                let line = finding.at.first().map_or(1, |a| idx.position(a.span).line);
                let pack = &catalog.packs[rule.pack];
                notes.push(Note {
                    line,
                    class,
                    html: format!(
                        "<code>{}</code> {}: {}<blockquote class=\"clause\">“{}”<br>— {}</blockquote>",
                        escape(&rule.id),
                        escape(rule.title.get(lang)),
                        escape(finding.message.get(lang)),
                        escape(&rule.clause),
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
    out.push_str("</table>\n</section>\n");
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
