//! `--baseline REPORT.json`: the findings of an earlier JSON report, by
//! fingerprint, to tell a resubmission's new findings from those it still
//! has and those it fixed.
//!
//! A file of the baseline is the same filing as a file of this run when
//! the office took both in at the same path and both carry the same
//! `submission.id` (or neither has one): the id alone is the applicant's
//! word, so a file elsewhere that copies it inherits nothing. The digest
//! each report records says whether the bytes are the very same.

use super::{finding_key, path_key, BaselineFile, BaselineMark, FindingReview, Fixed};
use std::collections::{HashMap, HashSet};

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
    digest: Option<String>,
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

/// One file of the earlier report.
#[derive(Debug, Default)]
struct Entry {
    submission: Option<String>,
    digest: Option<String>,
    findings: Vec<Fixed>,
}

/// The earlier report's files, by the path they were read at.
#[derive(Debug, Default)]
pub struct Baseline {
    files: HashMap<String, Entry>,
}

impl Baseline {
    /// Read a JSON report's text; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<Baseline, crate::input::Msg> {
        use crate::input::Msg;
        let report: Report = serde_json::from_str(text.trim_start_matches('\u{FEFF}'))
            .map_err(|e| Msg::new("baseline.not-a-report").quote("parser", e))?;
        if report.format_version != crate::base::FORMAT_VERSION {
            return Err(Msg::new("baseline.version")
                .arg("found", report.format_version)
                .arg("reads", crate::base::FORMAT_VERSION));
        }
        let mut files: HashMap<String, Entry> = HashMap::new();
        for file in report.files {
            let submission = file
                .submission_id
                .clone()
                .unwrap_or_else(|| super::path_key(&file.path).to_string());
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
            files.insert(
                path_key(&file.path).to_string(),
                Entry {
                    submission: file.submission_id,
                    digest: file.digest,
                    findings,
                },
            );
        }
        Ok(Baseline { files })
    }

    /// The baseline's file that is the same filing as the file read at
    /// `path` with this `submission.id`, if there is one.
    fn entry(&self, path: &str, submission: Option<&str>) -> Option<&Entry> {
        self.files
            .get(path_key(path))
            .filter(|e| e.submission.as_deref() == submission)
    }

    /// How the file read at `path` (this id, these bytes) stands to the
    /// baseline.
    pub fn file_mark(
        &self,
        path: &str,
        submission: Option<&str>,
        digest: Option<&str>,
    ) -> BaselineFile {
        match self.entry(path, submission) {
            None => BaselineFile::NotInBaseline,
            Some(e) if e.digest.is_some() && e.digest.as_deref() == digest => {
                BaselineFile::Identical
            }
            Some(_) => BaselineFile::Changed,
        }
    }

    /// Mark `marks` (the current findings of the file read at `path`, with
    /// this `submission.id`) new or unchanged, and return the baseline's
    /// findings it no longer has. A file the baseline does not have (or
    /// has at that path under another id) has only new findings.
    pub fn compare(
        &self,
        path: &str,
        submission: Option<&str>,
        marks: &mut [FindingReview],
    ) -> Vec<Fixed> {
        let before = self
            .entry(path, submission)
            .map_or(&[][..], |e| e.findings.as_slice());
        let known: HashSet<&str> = before.iter().map(|b| b.fingerprint.as_str()).collect();
        let now: HashSet<&str> = marks.iter().map(|m| m.fingerprint.as_str()).collect();
        let fixed = before
            .iter()
            .filter(|b| !now.contains(b.fingerprint.as_str()))
            .cloned()
            .collect();
        for m in marks.iter_mut() {
            let known = known.contains(m.fingerprint.as_str());
            m.baseline = Some(if known {
                BaselineMark::Unchanged
            } else {
                BaselineMark::New
            });
        }
        fixed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(fingerprint: &str) -> FindingReview {
        FindingReview {
            fingerprint: fingerprint.into(),
            ..FindingReview::default()
        }
    }

    #[test]
    fn an_older_report_without_fingerprints_is_fingerprinted_the_same_way() {
        let text = r#"{"format_version": 1, "files": [
            {"path": "./a.yaml", "findings": [
                {"rule": "r.one", "subject": "estate"},
                {"rule": "r.one", "subject": "estate"},
                {"rule": "r.two", "subject": "institutions[0]", "subject_id": "I1"}]},
            {"path": "b.yaml", "submission_id": "B-1", "findings": [
                {"rule": "r.one", "subject": "estate", "fingerprint": "0123456789abcdef"}]}]}"#;
        let b = Baseline::parse(text).unwrap();
        let mut marks = vec![
            mark(&finding_key("r.one", "a.yaml", "estate", 1)),
            mark(&finding_key("r.two", "a.yaml", "I1", 0)),
            mark(&finding_key("r.three", "a.yaml", "estate", 0)),
        ];
        let fixed = b.compare("a.yaml", None, &mut marks);
        let states: Vec<_> = marks.iter().map(|m| m.baseline.unwrap().as_str()).collect();
        assert_eq!(states, ["unchanged", "unchanged", "new"]);
        assert_eq!(fixed.len(), 1);
        assert_eq!(
            fixed[0].fingerprint,
            finding_key("r.one", "a.yaml", "estate", 0)
        );
        // By path and submission id together; its stored fingerprint is used.
        let mut marks = vec![mark("0123456789abcdef")];
        assert!(b.compare("./b.yaml", Some("B-1"), &mut marks).is_empty());
        assert_eq!(marks[0].baseline, Some(BaselineMark::Unchanged));
        // The id at another path, or the path under another id (or none),
        // is another filing: all new, nothing fixed.
        for (path, id) in [
            ("c.yaml", Some("B-1")),
            ("b.yaml", Some("B-2")),
            ("b.yaml", None),
        ] {
            let mut marks = vec![mark("0123456789abcdef")];
            assert!(b.compare(path, id, &mut marks).is_empty());
            assert_eq!(marks[0].baseline, Some(BaselineMark::New), "{path} {id:?}");
        }
        // A report without digests says changed, never identical.
        assert_eq!(
            b.file_mark("b.yaml", Some("B-1"), Some("sha256:00")),
            BaselineFile::Changed
        );
    }

    #[test]
    fn identical_bytes_are_said_so_only_for_the_same_filing() {
        let text = r#"{"format_version": 1, "files": [
            {"path": "a.yaml", "submission_id": "A-1", "digest": "sha256:aa", "findings": []}]}"#;
        let b = Baseline::parse(text).unwrap();
        assert_eq!(
            b.file_mark("a.yaml", Some("A-1"), Some("sha256:aa")),
            BaselineFile::Identical
        );
        assert_eq!(
            b.file_mark("a.yaml", Some("A-1"), Some("sha256:bb")),
            BaselineFile::Changed
        );
        // The same bytes elsewhere are a copy, not the filing.
        assert_eq!(
            b.file_mark("copy.yaml", Some("A-1"), Some("sha256:aa")),
            BaselineFile::NotInBaseline
        );
    }

    #[test]
    fn not_a_report_is_refused() {
        let en = |m| crate::base::text::say(&m, crate::base::Lang::En);
        assert!(en(Baseline::parse("[]").unwrap_err()).contains("not a peitao JSON report"));
        let e = en(Baseline::parse(r#"{"format_version": 2, "files": []}"#).unwrap_err());
        assert!(e.contains("format_version 2"), "{e}");
    }
}
