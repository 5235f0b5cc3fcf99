//! `peitao test`: fixture results per file (≈ per rule), with a diff of
//! expected and actual outcomes, and the coverage of every rule.

use super::human::sanitize_line as line;
use crate::fixture::{CaseRun, Coverage};
use crate::plan::Catalog;
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
) -> (String, bool) {
    let mut out = String::new();
    let (mut cases, mut failed) = (0, 0);
    for file in files {
        let bad: Vec<&CaseRun> = file.runs.iter().filter(|r| !r.passed()).collect();
        cases += file.runs.len();
        failed += bad.len();
        let verdict = if bad.is_empty() { "ok" } else { "FAILED" };
        let _ = writeln!(
            out,
            "{verdict:<6} {} ({} cases)",
            line(file.path),
            file.runs.len()
        );
        for run in bad {
            let _ = writeln!(out, "       case at line {}:", run.case.first_line);
            if !run.states_something() {
                let _ = writeln!(out, "         states no expectation: add `# expect: RULE` on a line, or `# expect-none`");
            }
            for m in &run.case.bad_marks {
                let _ = writeln!(out, "         malformed marker: {}", line(&m.to_string()));
            }
            for m in &run.missing {
                let _ = writeln!(
                    out,
                    "         - {}   (expected, not found)",
                    line(&m.to_string())
                );
            }
            for m in &run.unexpected {
                let _ = writeln!(
                    out,
                    "         + {}   (found, not expected)",
                    line(&m.to_string())
                );
            }
            if !run.missing.is_empty() || !run.unexpected.is_empty() {
                let got: Vec<String> = run.actual.iter().map(|m| line(&m.to_string())).collect();
                let _ = writeln!(
                    out,
                    "         actual: {}",
                    if got.is_empty() {
                        "(nothing)".into()
                    } else {
                        got.join("; ")
                    }
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
                    gaps.push("no passing case where it fires");
                }
                if !c.holds {
                    gaps.push("no passing case where it holds");
                }
                let _ = writeln!(
                    out,
                    "uncovered {}: {}",
                    line(&catalog.rules[*rule].id),
                    gaps.join(", ")
                );
            }
        }
        let _ = writeln!(
            out,
            "coverage: {} of {} rules fire and hold in some fixture",
            coverage.len() - short,
            coverage.len()
        );
    }
    let _ = writeln!(
        out,
        "{} fixture files, {cases} cases: {} passed, {failed} failed",
        files.len(),
        cases - failed
    );
    (out, failed == 0 && short == 0)
}
