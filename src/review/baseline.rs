//! `--baseline REPORT.json`: the findings of an earlier JSON report, by
//! fingerprint, to tell a resubmission's new findings from those it still
//! has and those it fixed.

use super::{finding_key, BaselineMark, FindingReview, Fixed};
use std::collections::HashMap;

/// The parts of a JSON report (docs/json-output.md) a baseline needs.
#[derive(serde::Deserialize)]
struct Report {
    format_version: u32,
    files: Vec<ReportFile>,
}

#[derive(serde::Deserialize)]
struct ReportFile {
    path: String,
    #[serde(default)]
    submission_id: Option<String>,
    #[serde(default)]
    findings: Vec<ReportFinding>,
}

#[derive(serde::Deserialize)]
struct ReportFinding {
    rule: String,
    subject: String,
    #[serde(default)]
    subject_id: Option<String>,
    #[serde(default)]
    message: String,
    #[serde(default)]
    fingerprint: Option<String>,
}

/// The earlier report's findings, by submission (its id, else its path).
#[derive(Debug, Default)]
pub struct Baseline {
    files: HashMap<String, Vec<Fixed>>,
}

impl Baseline {
    /// Read a JSON report's text; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let report: Report = serde_json::from_str(text.trim_start_matches('\u{FEFF}'))
            .map_err(|e| format!("not a peitao JSON report: {e}"))?;
        if report.format_version != crate::report::json::FORMAT_VERSION {
            return Err(format!(
                "a JSON report of format_version {}, this peitao reads {}",
                report.format_version,
                crate::report::json::FORMAT_VERSION
            ));
        }
        let mut files: HashMap<String, Vec<Fixed>> = HashMap::new();
        for file in report.files {
            let submission = file.submission_id.clone().unwrap_or(file.path.clone());
            let mut seen: Vec<(String, String)> = Vec::new();
            let findings = file
                .findings
                .into_iter()
                .map(|f| {
                    let key = (f.rule.clone(), f.subject.clone());
                    let occurrence = seen.iter().filter(|k| **k == key).count();
                    seen.push(key);
                    let subject = f.subject_id.as_deref().unwrap_or(&f.subject);
                    Fixed {
                        fingerprint: f.fingerprint.clone().unwrap_or_else(|| {
                            finding_key(&f.rule, &submission, subject, occurrence)
                        }),
                        rule: f.rule,
                        subject: f.subject,
                        message: f.message,
                    }
                })
                .collect();
            files.insert(submission, findings);
        }
        Ok(Baseline { files })
    }

    /// Mark `marks` (the current findings of one submission) new or
    /// unchanged, and return the baseline's findings it no longer has.
    pub fn compare(&self, submission: &str, marks: &mut [FindingReview]) -> Vec<Fixed> {
        let before = self.files.get(submission).map_or(&[][..], Vec::as_slice);
        for m in marks.iter_mut() {
            let known = before.iter().any(|b| b.fingerprint == m.fingerprint);
            m.baseline = Some(if known {
                BaselineMark::Unchanged
            } else {
                BaselineMark::New
            });
        }
        before
            .iter()
            .filter(|b| !marks.iter().any(|m| m.fingerprint == b.fingerprint))
            .cloned()
            .collect()
    }
}
