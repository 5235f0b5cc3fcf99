//! `--format junit`: one test suite per file, one test case per rule and
//! subject that applied; violations and "cannot be checked" at or above
//! `--fail-on` are failures (below it the case passes and says what was
//! found in `<system-out>`), rule errors (unless `--fail-on never`) and bad
//! input are errors: the dashboard goes red exactly when the exit code
//! does. For CI dashboards.

use super::{FailOn, LineIndex, Summary};
use crate::check::{FileResult, Outcome};
use crate::engine::Catalog;
use crate::engine::Status;
use crate::plan::{Lang, Severity};
use std::fmt::Write as _;

use super::escape_markup as escape;

/// JUnit needs the totals in its first line, so the suites (text, not
/// parsed files) are kept until the end.
pub struct JunitSink<'a> {
    pub catalog: &'a Catalog,
    pub lang: Lang,
    fail_on: FailOn,
    suites: String,
    totals: (usize, usize, usize),
}

impl<'a> JunitSink<'a> {
    pub fn new(catalog: &'a Catalog, lang: Lang) -> Self {
        JunitSink {
            catalog,
            lang,
            fail_on: FailOn::default(),
            suites: String::new(),
            totals: (0, 0, 0),
        }
    }

    /// Failures are the findings at or above this severity (as the exit code).
    pub fn with_fail_on(mut self, fail_on: FailOn) -> Self {
        self.fail_on = fail_on;
        self
    }

    fn fails(&self, severity: Severity) -> bool {
        match self.fail_on {
            FailOn::Never => false,
            FailOn::Warning => true,
            FailOn::Error => severity == Severity::Error,
        }
    }
}

impl super::Sink for JunitSink<'_> {
    fn file(&mut self, file: &FileResult, _out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let (catalog, lang) = (self.catalog, self.lang);
        let idx = LineIndex::new(&file.source);
        let path = escape(&file.path);
        let mut cases = String::new();
        let (mut tests, mut failures, mut errors) = (0, 0, 0);
        match &file.outcome {
            Outcome::Unreadable(why) => {
                tests += 1;
                errors += 1;
                let _ = writeln!(cases, "    <testcase classname=\"{path}\" name=\"read\">\n      <error type=\"unreadable\" message=\"{}\"/>\n    </testcase>", escape(why));
            }
            Outcome::Invalid(input_errors) => {
                tests += 1;
                errors += 1;
                let body: Vec<String> = input_errors
                    .iter()
                    .map(|e| {
                        let p = idx.position(e.span);
                        format!(
                            "{}:{}:{}: {}: {}",
                            file.path,
                            p.line,
                            p.column,
                            e.code,
                            super::messages::say(&e.message, lang)
                        )
                    })
                    .collect();
                let first = input_errors
                    .first()
                    .map_or(String::new(), |e| super::messages::say(&e.message, lang));
                let _ = writeln!(
                    cases,
                    "    <testcase classname=\"{path}\" name=\"input\">\n      <error type=\"invalid\" message=\"{}\">{}</error>\n    </testcase>",
                    escape(&first),
                    escape(&body.join("\n"))
                );
            }
            Outcome::Checked(c) => {
                let mut finding_index = 0;
                for f in &c.outcomes {
                    let review = if f.status == Status::Holds {
                        None
                    } else {
                        finding_index += 1;
                        file.review.of(finding_index - 1)
                    };
                    let rule = &catalog.rules[f.rule];
                    tests += 1;
                    let name = escape(&format!("{} {}", rule.id, f.subject));
                    let where_ =
                        f.at.first()
                            .map(|a| idx.position(a.span))
                            .map_or(String::new(), |p| {
                                format!("{}:{}:{}: ", file.path, p.line, p.column)
                            });
                    let mut detail = format!(
                        "{where_}{}\n{}: “{}”",
                        f.message.get(lang),
                        catalog.packs[rule.pack].citation(),
                        rule.quoted()
                    );
                    if let Some(b) = review.and_then(|r| r.baseline) {
                        detail.push_str(&format!("\nbaseline: {}", b.as_str()));
                    }
                    if let Some(m) = review.and_then(|r| r.waiver.as_ref()) {
                        detail.push('\n');
                        detail.push_str(&super::review::waiver_note(m, lang));
                    }
                    let fails = self.fails(f.severity);
                    let verdict = match f.status {
                        Status::Holds => String::new(),
                        _ if review.is_some_and(|r| r.waived()) => {
                            let note = review
                                .and_then(|r| r.waiver.as_ref())
                                .map(|m| super::review::waiver_note(m, lang))
                                .unwrap_or_default();
                            format!("\n      <skipped message=\"{}\"/>\n    ", escape(&note))
                        }
                        Status::RuleError if self.fail_on == FailOn::Never => format!(
                            "\n      <system-out>rule-error: {}</system-out>\n    ",
                            escape(&detail)
                        ),
                        Status::Violated | Status::Unchecked if !fails => {
                            format!(
                                "\n      <system-out>{} {}: {}</system-out>\n    ",
                                super::json::status_word(f.status),
                                f.severity.as_str(),
                                escape(&detail)
                            )
                        }
                        Status::RuleError => {
                            errors += 1;
                            format!("\n      <error type=\"rule-error\" message=\"{}\">{}</error>\n    ", escape(f.message.get(lang)), escape(&detail))
                        }
                        Status::Violated | Status::Unchecked => {
                            failures += 1;
                            let kind = if f.status == Status::Violated {
                                "violated"
                            } else {
                                "cannot-be-checked"
                            };
                            format!(
                                "\n      <failure type=\"{kind} {}\" message=\"{}\">{}</failure>\n    ",
                                f.severity.as_str(),
                                escape(f.message.get(lang)),
                                escape(&detail)
                            )
                        }
                    };
                    let _ = writeln!(
                        cases,
                        "    <testcase classname=\"{path}\" name=\"{name}\">{verdict}</testcase>"
                    );
                }
            }
        }
        self.totals.0 += tests;
        self.totals.1 += failures;
        self.totals.2 += errors;
        let skipped = file
            .reviewed_findings()
            .iter()
            .filter(|(_, r)| r.is_some_and(|r| r.waived()))
            .count();
        let skipped_attr = if skipped > 0 {
            format!(" skipped=\"{skipped}\"")
        } else {
            String::new()
        };
        let _ = write!(self.suites, "  <testsuite name=\"{path}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\"{skipped_attr}>\n{cases}  </testsuite>\n");
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let (tests, failures, errors) = self.totals;
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"peitao\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n{}</testsuites>\n",
            self.suites
        )
    }
}

pub fn render(catalog: &Catalog, files: &[FileResult], lang: Lang) -> String {
    super::render_all(&mut JunitSink::new(catalog, lang), files)
}
