//! `peitao test`: fixture results per file (≈ per rule), with a diff of
//! expected and actual outcomes, and the coverage of every rule.

use super::human::sanitize_line as one_line;
use super::messages::plural;
use crate::engine::Catalog;
use crate::fixture::{CaseRun, Coverage};
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
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let (mut cases, mut failed) = (0, 0);
    for file in files {
        let bad: Vec<&CaseRun> = file.runs.iter().filter(|r| !r.passed()).collect();
        cases += file.runs.len();
        failed += bad.len();
        let n = file.runs.len();
        let _ = match (zh, bad.is_empty()) {
            (true, true) => writeln!(out, "通过   {} ({n} 个用例)", one_line(file.path)),
            (true, false) => writeln!(out, "失败   {} ({n} 个用例)", one_line(file.path)),
            (false, ok) => writeln!(
                out,
                "{:<6} {} ({})",
                if ok { "ok" } else { "FAILED" },
                file.path,
                plural(n, "case", "cases")
            ),
        };
        for run in bad {
            let line = run.case.first_line;
            let _ = if zh {
                writeln!(out, "       第 {line} 行的用例:")
            } else {
                writeln!(out, "       case at line {line}:")
            };
            if !run.states_something() {
                let _ = if zh {
                    writeln!(
                        out,
                        "         未写明预期: 请在某行加 `# expect: RULE`, 或写 `# expect-none`"
                    )
                } else {
                    writeln!(out, "         states no expectation: add `# expect: RULE` on a line, or `# expect-none`")
                };
            }
            for m in &run.case.bad_marks {
                let _ = if zh {
                    writeln!(out, "         标记格式有误: {}", one_line(&m.to_string()))
                } else {
                    writeln!(
                        out,
                        "         malformed marker: {}",
                        one_line(&m.to_string())
                    )
                };
            }
            for m in &run.missing {
                let _ = if zh {
                    writeln!(
                        out,
                        "         - {}   (预期有, 未发现)",
                        one_line(&m.to_string())
                    )
                } else {
                    writeln!(
                        out,
                        "         - {}   (expected, not found)",
                        one_line(&m.to_string())
                    )
                };
            }
            for m in &run.unexpected {
                let _ = if zh {
                    writeln!(
                        out,
                        "         + {}   (发现了, 未预期)",
                        one_line(&m.to_string())
                    )
                } else {
                    writeln!(
                        out,
                        "         + {}   (found, not expected)",
                        one_line(&m.to_string())
                    )
                };
            }
            if !run.missing.is_empty() || !run.unexpected.is_empty() {
                let got: Vec<String> = run
                    .actual
                    .iter()
                    .map(|m| one_line(&m.to_string()))
                    .collect();
                let _ = writeln!(
                    out,
                    "         {}: {}",
                    if zh { "实际" } else { "actual" },
                    if got.is_empty() {
                        if zh { "(无)" } else { "(nothing)" }.into()
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
                    gaps.push(if zh {
                        "没有触发它的通过用例"
                    } else {
                        "no passing case where it fires"
                    });
                }
                if !c.holds {
                    gaps.push(if zh {
                        "没有它成立的通过用例"
                    } else {
                        "no passing case where it holds"
                    });
                }
                let _ = writeln!(
                    out,
                    "{} {}: {}",
                    if zh { "未覆盖" } else { "uncovered" },
                    one_line(&catalog.rules[*rule].id),
                    gaps.join(", ")
                );
            }
        }
        let (covered, all) = (coverage.len() - short, coverage.len());
        let _ = if zh {
            writeln!(
                out,
                "覆盖: {all} 条规则中 {covered} 条在用例中既触发过也成立过"
            )
        } else {
            writeln!(
                out,
                "coverage: {covered} of {} fire and hold in some fixture",
                plural(all, "rule", "rules")
            )
        };
    }
    let passed = cases - failed;
    let _ = if zh {
        writeln!(
            out,
            "共 {} 个用例文件, {cases} 个用例: {passed} 个通过, {failed} 个失败",
            files.len()
        )
    } else {
        writeln!(
            out,
            "{}, {}: {passed} passed, {failed} failed",
            plural(files.len(), "fixture file", "fixture files"),
            plural(cases, "case", "cases")
        )
    };
    (out, failed == 0 && short == 0)
}
