//! Stage 4, report: every writer reads the same sorted results. Only this
//! module writes to the terminal or files.

pub mod catalog;
pub mod fixtures;
pub mod human;

use crate::plan::PlanError;

use crate::check::{FileResult, Outcome};
use crate::engine::Status;
use crate::plan::Severity;

/// When a run fails (exit 1): at which severity of finding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FailOn {
    #[default]
    Error,
    Warning,
    Never,
}

/// Counts over a batch: every file lands in exactly one of clean,
/// with_findings, invalid and unreadable.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub clean: usize,
    pub with_findings: usize,
    pub invalid: usize,
    pub unreadable: usize,
    pub errors: usize,
    pub warnings: usize,
    pub unchecked: usize,
    pub rule_errors: usize,
}

/// Per-file counts of findings by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub unchecked: usize,
    pub rule_errors: usize,
}

impl Counts {
    pub fn of(file: &FileResult) -> Counts {
        let mut c = Counts::default();
        if let Outcome::Checked(checked) = &file.outcome {
            for f in checked.findings() {
                match (f.status, f.severity) {
                    (Status::RuleError, _) => c.rule_errors += 1,
                    (Status::Unchecked, _) => c.unchecked += 1,
                    (_, Severity::Error) => c.errors += 1,
                    (_, Severity::Warning) => c.warnings += 1,
                }
            }
        }
        c
    }
    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.unchecked + self.rule_errors
    }
}

impl Summary {
    pub fn of(files: &[FileResult]) -> Summary {
        let mut s = Summary {
            files: files.len(),
            ..Summary::default()
        };
        for f in files {
            let c = Counts::of(f);
            match &f.outcome {
                Outcome::Unreadable(_) => s.unreadable += 1,
                Outcome::Invalid(_) => s.invalid += 1,
                Outcome::Checked(_) if c.total() == 0 => s.clean += 1,
                Outcome::Checked(_) => s.with_findings += 1,
            }
            s.errors += c.errors;
            s.warnings += c.warnings;
            s.unchecked += c.unchecked;
            s.rule_errors += c.rule_errors;
        }
        s
    }

    /// 0: nothing at or above the threshold; 1: findings at or above it;
    /// 2: a file could not be read or is not a valid submission.
    pub fn exit_code(&self, files: &[FileResult], fail_on: FailOn) -> u8 {
        if self.invalid + self.unreadable > 0 {
            return 2;
        }
        let failing = |sev: Severity| match fail_on {
            FailOn::Never => false,
            FailOn::Warning => true,
            FailOn::Error => sev == Severity::Error,
        };
        let any = files.iter().any(|f| match &f.outcome {
            Outcome::Checked(c) => c.findings().any(|x| failing(x.severity)),
            _ => false,
        });
        u8::from(any)
    }
}

/// Problems with rule packs, rendered like input errors: each points into
/// the manifest, script or table that has it.
pub fn plan_errors(errors: &[PlanError]) -> String {
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100);
    let mut out = String::new();
    for e in errors {
        let d = human::Diag {
            code: format!("plan::{}", e.code),
            severity: miette::Severity::Error,
            message: e.message.clone(),
            help: e.help.clone(),
            labels: vec![miette::LabeledSpan::new_primary_with_span(
                Some(e.label.clone()),
                e.span,
            )],
            source: miette::NamedSource::new(&e.file, e.source.clone()),
        };
        let _ = handler.render_report(&mut out, &d);
        out.push('\n');
    }
    out.push_str(&format!("{} problem(s) in the rule packs\n", errors.len()));
    out
}
