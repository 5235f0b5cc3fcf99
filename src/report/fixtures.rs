//! `peitao test`: fixture results per file (≈ per rule), with a diff of
//! expected and actual outcomes, and the coverage of every rule.

use super::human::sanitize_line as one_line;
use super::messages::{say, word};
use crate::engine::Catalog;
use crate::fixture::{CaseRun, Coverage};
use crate::input::Msg;
use crate::plan::Lang;
use std::fmt::Write as _;

/// Results of one fixture file.
pub struct FileRuns<'a> {
    pub path: &'a str,
    pub runs: Vec<CaseRun>,
}

pub fn render(
    catalog: &Catalog,
    files: &[FileRuns],
    coverage: Option<&[(usize, Coverage)]>,
    lang: Lang,
) -> (String, bool) {
    let say = |m: Msg| say(&m, lang);
    let mut out = String::new();
    let (mut cases, mut failed) = (0, 0);
    for file in files {
        let bad: Vec<&CaseRun> = file.runs.iter().filter(|r| !r.passed()).collect();
        cases += file.runs.len();
        failed += bad.len();
        let key = if bad.is_empty() {
            "fixtures.passed"
        } else {
            "fixtures.failed"
        };
        let head = Msg::new(key)
            .arg("path", one_line(file.path))
            .arg("n", file.runs.len());
        let _ = writeln!(out, "{}", say(head));
        for run in bad {
            let case = Msg::new("fixtures.case").arg("line", run.case.first_line);
            let _ = writeln!(out, "       {}", say(case));
            if !run.states_something() {
                let _ = writeln!(out, "         {}", word("fixtures.no-expectation", lang));
            }
            let marks = run
                .case
                .bad_marks
                .iter()
                .map(|m| ("fixtures.bad-mark", m.to_string()));
            let missing = run
                .missing
                .iter()
                .map(|m| ("fixtures.missing", m.to_string()));
            let unexpected = run
                .unexpected
                .iter()
                .map(|m| ("fixtures.unexpected", m.to_string()));
            for (key, mark) in marks.chain(missing).chain(unexpected) {
                let m = Msg::new(key).arg("mark", one_line(&mark));
                let _ = writeln!(out, "         {}", say(m));
            }
            if !run.missing.is_empty() || !run.unexpected.is_empty() {
                let got: Vec<String> = run
                    .actual
                    .iter()
                    .map(|m| one_line(&m.to_string()))
                    .collect();
                let got = if got.is_empty() {
                    word("fixtures.nothing", lang).to_string()
                } else {
                    got.join("; ")
                };
                let _ = writeln!(
                    out,
                    "         {}",
                    say(Msg::new("fixtures.actual").arg("got", got))
                );
            }
        }
    }
    let mut short = 0;
    if let Some(coverage) = coverage {
        for (rule, c) in coverage {
            if !(c.fires && c.holds) {
                short += 1;
                let mut gaps = Vec::new();
                if !c.fires {
                    gaps.push(word("fixtures.never-fires", lang));
                }
                if !c.holds {
                    gaps.push(word("fixtures.never-holds", lang));
                }
                let uncovered = Msg::new("fixtures.uncovered")
                    .arg("rule", one_line(&catalog.rules[*rule].id))
                    .arg("gaps", gaps.join(", "));
                let _ = writeln!(out, "{}", say(uncovered));
            }
        }
        let (covered, all) = (coverage.len() - short, coverage.len());
        let line = Msg::new("fixtures.coverage")
            .arg("covered", covered)
            .arg("all", all);
        let _ = writeln!(out, "{}", say(line));
    }
    let total = Msg::new("fixtures.total")
        .arg("files", files.len())
        .arg("cases", cases)
        .arg("passed", cases - failed)
        .arg("failed", failed);
    let _ = writeln!(out, "{}", say(total));
    (out, failed == 0 && short == 0)
}
