//! `--format github`: GitHub Actions workflow commands, one annotation per
//! finding (`::error file=…,line=…::message`), shown on the pull request's
//! changed lines. Escaping as GitHub's toolkit does it: `%`, CR and LF in
//! the message; also `:` and `,` in properties. Beyond the toolkit, the
//! control characters (ANSI escapes, which the Actions log renders) and the
//! bidirectional overrides of a submission's or a pack's text are replaced
//! by U+FFFD, as in the terminal report.

use super::{LineIndex, Summary};
use crate::check::{FileResult, Outcome};
use crate::engine::Catalog;
use crate::engine::Status;
use crate::plan::{Lang, Severity};

pub fn escape_data(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| match c {
            '\r' | '\n' | '\t' => c,
            c if super::human::is_unsafe(c) => '\u{FFFD}',
            c => c,
        })
        .collect();
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(
    out: &mut dyn std::io::Write,
    level: &str,
    props: &[(&str, String)],
    message: &str,
) -> std::io::Result<()> {
    let props: Vec<String> = props
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_property(v)))
        .collect();
    writeln!(
        out,
        "::{level} {}::{}",
        props.join(","),
        escape_data(message)
    )
}

pub struct GithubSink<'a> {
    pub catalog: &'a Catalog,
    pub lang: Lang,
}

impl<'a> GithubSink<'a> {
    /// A file's rows, as [`super::Sink::file`] writes them.
    pub fn renderer(&self) -> super::Renderer<'a> {
        let this = GithubSink {
            catalog: self.catalog,
            lang: self.lang,
        };
        Box::new(move |file| {
            let mut text = super::Written::default();
            this.rows_of(file, &mut text).expect("writing to memory");
            super::Piece {
                text,
                notes: Vec::new(),
            }
        })
    }

    fn rows_of(&self, file: &FileResult, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let idx = LineIndex::new(&file.source);
        let path = || ("file", file.path.clone());
        match &file.outcome {
            Outcome::Unreadable(why) => {
                command(out, "error", &[path(), ("title", "unreadable".into())], why)
            }
            Outcome::Invalid(errors) => {
                for e in errors {
                    let said = super::messages::input_error(e, self.lang);
                    let message = match &said.help {
                        Some(h) => format!("{} ({h})", said.message),
                        None => said.message.clone(),
                    };
                    let mut props = vec![path()];
                    let message = match super::cell_at(file, &idx, e.span) {
                        Some(cell) => format!("{cell}: {message}"),
                        None if file.cells.is_some() => message,
                        None => {
                            let p = idx.position(e.span);
                            props.push(("line", p.line.to_string()));
                            props.push(("col", p.column.to_string()));
                            message
                        }
                    };
                    props.push(("title", format!("input/{}", e.code)));
                    command(out, "error", &props, &message)?;
                }
                Ok(())
            }
            Outcome::Checked(_) => {
                for (f, review) in file.reviewed_findings() {
                    let rule = &self.catalog.rules[f.rule];
                    let waived = review.is_some_and(|r| r.waived());
                    let level = match (waived, f.status, f.severity) {
                        (true, _, _) => "notice",
                        (_, Status::RuleError, _) | (_, _, Severity::Error) => "error",
                        (_, _, Severity::Warning) => "warning",
                    };
                    let mut props = vec![path()];
                    // A workbook's lines are those of its canonical text,
                    // not of the xlsx: the message names the cell instead.
                    let cell =
                        f.at.first()
                            .and_then(|a| super::cell_at(file, &idx, a.span));
                    if let Some(a) = f.at.first().filter(|_| file.cells.is_none()) {
                        let p = idx.position(a.span);
                        props.push(("line", p.line.to_string()));
                        props.push(("col", p.column.to_string()));
                        props.push(("endLine", p.end_line.to_string()));
                        props.push(("endColumn", p.end_column.to_string()));
                    }
                    props.push((
                        "title",
                        format!("{} {}", rule.id, rule.title.get(self.lang)),
                    ));
                    let mut message = match cell {
                        Some(cell) => format!("{cell}: {}", f.message.get(self.lang)),
                        None => f.message.get(self.lang).to_string(),
                    };
                    let cite = self.catalog.packs[rule.pack].citation();
                    message.push_str(&format!("\n{cite}: “{}”", rule.quoted()));
                    if let Some(mark) = review.and_then(|r| r.waiver.as_ref()) {
                        message.push('\n');
                        message.push_str(&super::review::waiver_note(mark, self.lang));
                    }
                    if let Some(b) = review.and_then(|r| r.baseline) {
                        message.push_str(&format!("\nbaseline: {}", b.as_str()));
                    }
                    command(out, level, &props, &message)?;
                }
                Ok(())
            }
        }
    }
}

impl super::Sink for GithubSink<'_> {
    fn file(&mut self, file: &FileResult, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        self.rows_of(file, out)
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
        for u in &summary.waivers {
            if let Some(note) = super::review::waiver_use_note(u, self.lang) {
                command(
                    out,
                    "warning",
                    &[
                        ("file", u.waiver.file.clone()),
                        ("line", u.waiver.line.to_string()),
                        ("title", "peitao waiver".into()),
                    ],
                    &note,
                )?;
            }
        }
        writeln!(out, "{}", super::human::summary_line(summary, self.lang))?;
        for line in super::review::summary_lines(summary, self.lang) {
            writeln!(out, "{line}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_toolkit_does() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
