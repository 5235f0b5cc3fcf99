//! Counts over a batch of checked files, and the exit code they give.

use super::{FileResult, Outcome};
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
/// with_findings, no_rule_applies, invalid and unreadable.
/// Serialised as the JSON report's `summary`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub clean: usize,
    pub with_findings: usize,
    /// Valid, but no rule of its plans applies to anything in it (a file
    /// with only `version` and `submission`): nothing was checked.
    pub no_rule_applies: usize,
    pub invalid: usize,
    pub unreadable: usize,
    pub errors: usize,
    pub warnings: usize,
    #[serde(rename = "cannot_be_checked")]
    pub unchecked: usize,
    pub rule_errors: usize,
    /// Findings waived by a waiver in force (counted above too, but not
    /// against the run).
    pub waived: usize,
    /// With `--baseline`: how the findings compare with the earlier report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineCounts>,
    /// Findings (of any status) at error severity, and at warning, that no
    /// waiver covers: what `--fail-on` compares against.
    #[serde(skip)]
    pub at_error: usize,
    #[serde(skip)]
    pub at_warning: usize,
    /// Of those, the ones the baseline already had (left out by `--new-only`).
    #[serde(skip)]
    pub unchanged_at_error: usize,
    #[serde(skip)]
    pub unchanged_at_warning: usize,
    /// How each waiver of the config fared (set when the run ends).
    #[serde(skip)]
    pub waivers: Vec<crate::review::WaiverUse>,
}

/// `summary.baseline` of the JSON report.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct BaselineCounts {
    pub new: usize,
    pub unchanged: usize,
    pub fixed: usize,
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
    /// Count one more file.
    pub fn add(&mut self, f: &FileResult) {
        let c = Counts::of(f);
        self.files += 1;
        match &f.outcome {
            Outcome::Unreadable(_) => self.unreadable += 1,
            Outcome::Invalid(_) => self.invalid += 1,
            Outcome::Checked(ch) if ch.outcomes.is_empty() => self.no_rule_applies += 1,
            Outcome::Checked(_) if c.total() == 0 => self.clean += 1,
            Outcome::Checked(_) => self.with_findings += 1,
        }
        self.errors += c.errors;
        self.warnings += c.warnings;
        self.unchecked += c.unchecked;
        self.rule_errors += c.rule_errors;
        if let Some(fixed) = &f.review.fixed {
            self.baseline.get_or_insert_with(Default::default).fixed += fixed.len();
        }
        for (finding, review) in f.reviewed_findings() {
            if review.is_some_and(|r| r.waived()) {
                self.waived += 1;
                continue;
            }
            let unchanged = match review.and_then(|r| r.baseline) {
                Some(mark) => {
                    let counts = self.baseline.get_or_insert_with(Default::default);
                    match mark {
                        crate::review::BaselineMark::New => counts.new += 1,
                        crate::review::BaselineMark::Unchanged => counts.unchanged += 1,
                    }
                    mark == crate::review::BaselineMark::Unchanged
                }
                None => false,
            };
            match (finding.status, finding.severity) {
                (Status::RuleError, _) | (_, Severity::Error) => {
                    self.at_error += 1;
                    self.unchanged_at_error += usize::from(unchanged);
                }
                (_, Severity::Warning) => {
                    self.at_warning += 1;
                    self.unchanged_at_warning += usize::from(unchanged);
                }
            }
        }
    }

    pub fn of(files: &[FileResult]) -> Summary {
        let mut s = Summary::default();
        files.iter().for_each(|f| s.add(f));
        s
    }

    /// 0: nothing at or above the threshold; 1: findings at or above it
    /// (a file no rule applies to counts at warning); 2: a file could not
    /// be read or is not a valid submission. Waived findings never count.
    pub fn exit_code(&self, fail_on: FailOn) -> u8 {
        self.exit_code_with(fail_on, false)
    }

    /// [`Summary::exit_code`]; `new_only`: findings the baseline already
    /// had do not count either.
    pub fn exit_code_with(&self, fail_on: FailOn, new_only: bool) -> u8 {
        if self.invalid + self.unreadable > 0 {
            return 2;
        }
        let (mut errors, mut warnings) = (self.at_error, self.at_warning);
        if new_only {
            errors -= self.unchanged_at_error;
            warnings -= self.unchanged_at_warning;
        }
        let failing = match fail_on {
            FailOn::Never => 0,
            FailOn::Warning => errors + warnings + self.no_rule_applies,
            FailOn::Error => errors,
        };
        u8::from(failing > 0)
    }
}
