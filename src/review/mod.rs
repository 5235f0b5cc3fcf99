//! A bureau's review of a run: the office's waivers (granted exceptions)
//! and the comparison with an earlier report of the same submissions (a
//! resubmission). It reads the engine's findings and knows nothing of files
//! or reports: `check` carries its marks on each `FileResult`, `report`
//! renders them. Nothing here prints.

pub mod baseline;
pub mod glob;

use crate::engine::Catalog;
use crate::engine::Checked;
use crate::input::{Date, Span, Submission};
use std::sync::Arc;

/// A granted exception: `[[waiver]]` of peitao.toml.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiver {
    /// 1-based, in the order of the file.
    pub number: usize,
    /// A rule id or a glob over rule ids (`shiyan.*`).
    pub rule: String,
    /// `sha256:…`: the digest of the exact bytes the office received.
    pub digest: Option<String>,
    /// A glob over paths as reports show them (a pattern without `/` is
    /// matched against the file name): where the office took the file in.
    pub path: Option<String>,
    /// A `submission.id` (or a glob over ids): written by the applicant,
    /// so it only narrows a waiver bound by `digest` or `path`, never binds
    /// one on its own (the config refuses a waiver with neither).
    pub submission: Option<String>,
    /// A subject path (`institutions[0]`) or a record id (`I1`); none: any.
    pub subject: Option<String>,
    pub reason: String,
    pub approved_by: String,
    pub expires: Date,
    /// The `[[waiver]]` table in the config file, to point at: the file as
    /// shown, the 1-based line, and the span.
    pub file: String,
    pub line: usize,
    pub span: Span,
}

impl Waiver {
    /// Whether it no longer waives on `today` (it is valid through `expires`).
    pub fn expired_on(&self, today: &Date) -> bool {
        self.expires.key() < today.key()
    }

    /// Whether it covers this file: every key it names must match what
    /// the office recorded (the digest of the bytes read, the path it was
    /// read at) and, when it names one, the file's `submission.id`.
    fn covers_file(&self, identity: &Identity, path: &str) -> bool {
        let bound = self.digest.is_some() || self.path.is_some();
        bound
            && self
                .digest
                .as_ref()
                .is_none_or(|d| identity.digest.as_deref() == Some(d.as_str()))
            && self.path.as_ref().is_none_or(|p| path_matches(p, path))
            && self.submission.as_ref().is_none_or(|s| {
                identity
                    .submission
                    .as_deref()
                    .is_some_and(|id| glob::matches(s, id))
            })
    }

    /// Whether it covers this finding of a submission it covers.
    fn covers_finding(&self, rule: &str, identity: &Identity, subject: &str) -> bool {
        glob::matches(&self.rule, rule)
            && match &self.subject {
                None => true,
                Some(s) => s == subject || identity.record_id(subject) == Some(s.as_str()),
            }
    }
}

/// Whether `pattern` (a waiver's `path`) matches a path as shown: the whole
/// path, or the file name when the pattern has no `/`.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let pattern = path_key(pattern);
    let path = path_key(path);
    let name = path.rsplit('/').next().unwrap_or(path);
    glob::matches(pattern, path) || (!pattern.contains('/') && glob::matches(pattern, name))
}

/// `sha256:` and the 64 lowercase hex digits of SHA-256 over `bytes`: how
/// reports, baselines and waivers name the exact bytes of a file.
pub fn digest(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let hash = sha2::Sha256::digest(bytes);
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    // Two digits a byte by table (`write!` with `{:02x}` took 7.5 k
    // instructions a file).
    for b in hash {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 15)] as char);
    }
    out
}

/// What names a submission and its records across resubmissions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identity {
    /// `sha256:…` of the exact bytes read (before any transcoding), when
    /// the file was read whole: set by `check`, not by the applicant.
    pub digest: Option<String>,
    /// `submission.id`, when the file has one: self-declared.
    pub submission: Option<String>,
    /// Where that id is written in the file, to point at.
    pub submission_at: Span,
    /// (path, id) of every record with an `id`: `("institutions[0]", "I1")`,
    /// sorted by path (each finding looks its subject up: a scan would be
    /// quadratic in the records of a large file).
    pub records: Vec<(String, String)>,
}

impl Identity {
    pub fn of(sub: &Submission) -> Identity {
        let mut records = Vec::new();
        for list in [
            &sub.facilities,
            &sub.institutions,
            &sub.hospitals,
            &sub.venues,
        ] {
            for r in list {
                if let Some(id) = r.text("id") {
                    records.push((r.path.clone(), id.to_string()));
                }
            }
        }
        records.sort_unstable();
        Identity {
            digest: None,
            submission: sub.filing.text("id").map(str::to_string),
            submission_at: sub.filing.get("id").map_or(sub.filing.anchor, |e| e.span),
            records,
        }
    }

    /// The id of the record at `path` (`institutions[0]`), if it has one.
    pub fn record_id(&self, path: &str) -> Option<&str> {
        self.records
            .binary_search_by(|(p, _)| p.as_str().cmp(path))
            .ok()
            .map(|i| self.records[i].1.as_str())
    }
}

/// Whether a finding was in the baseline report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaselineMark {
    New,
    Unchanged,
}

impl BaselineMark {
    pub fn as_str(self) -> &'static str {
        match self {
            BaselineMark::New => "new",
            BaselineMark::Unchanged => "unchanged",
        }
    }
}

/// How a file stands to the baseline: the same filing (same path, same
/// `submission.id`) with the very same bytes, or changed; or no file of
/// the baseline is the same filing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaselineFile {
    Identical,
    Changed,
    NotInBaseline,
}

impl BaselineFile {
    pub fn as_str(self) -> &'static str {
        match self {
            BaselineFile::Identical => "identical",
            BaselineFile::Changed => "changed",
            BaselineFile::NotInBaseline => "not_in_baseline",
        }
    }
}

/// The waiver that matched a finding; `expired`: it no longer waives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaiverMark {
    pub waiver: Arc<Waiver>,
    pub expired: bool,
}

/// The review marks of one finding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FindingReview {
    /// Stable across resubmissions: rule, submission identity, subject
    /// identity (and which occurrence); never the line or the message.
    pub fingerprint: String,
    pub waiver: Option<WaiverMark>,
    pub baseline: Option<BaselineMark>,
}

impl FindingReview {
    /// Waived by a waiver in force: shown, but not counted against the run.
    pub fn waived(&self) -> bool {
        self.waiver.as_ref().is_some_and(|w| !w.expired)
    }
}

/// A finding of the baseline report that the current file no longer has.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fixed {
    pub rule: String,
    pub subject: String,
    pub message: String,
    pub fingerprint: String,
}

/// The review of one file.
#[derive(Clone, Debug, Default)]
pub struct FileReview {
    pub identity: Identity,
    /// One per finding, in the order of `Checked::findings()`; empty when
    /// the run has no waivers and no baseline.
    pub findings: Vec<FindingReview>,
    /// Baseline findings gone from this file; `None` without a baseline.
    pub fixed: Option<Vec<Fixed>>,
    /// How the file stands to the baseline; `None` without one.
    pub baseline_file: Option<BaselineFile>,
}

impl FileReview {
    /// The marks of the `i`-th finding.
    pub fn of(&self, i: usize) -> Option<&FindingReview> {
        self.findings.get(i)
    }
}

/// A path as waivers and baselines compare it: `./a.yaml` is `a.yaml`.
pub fn path_key(path: &str) -> &str {
    let mut p = path;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.trim_start_matches('/');
    }
    p
}

/// FNV-1a over the parts, each ended by a NUL: 16 hex digits.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for &b in p.as_bytes().iter().chain(&[0u8]) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// How a finding is identified across resubmissions: the rule, the
/// submission (its id, else the path), the subject (its record's id, else
/// its path) and, for a rule that says several things about one subject,
/// which of them.
pub fn finding_key(rule: &str, submission: &str, subject: &str, occurrence: usize) -> String {
    fingerprint(&[rule, submission, subject, &occurrence.to_string()])
}

/// How one waiver fared over the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaiverUse {
    pub waiver: Arc<Waiver>,
    /// Findings it waived.
    pub waived: usize,
    /// Findings it matched after it expired (not waived).
    pub expired: usize,
}

impl WaiverUse {
    pub fn state(&self) -> &'static str {
        match (self.waived, self.expired) {
            (0, 0) => "unused",
            (0, _) => "expired",
            _ => "used",
        }
    }
}

/// The waivers one file used: (waiver, matched only after it expired).
#[derive(Debug, Default)]
pub struct WaiverCounts(Vec<(usize, bool)>);

/// Uses of each waiver, in the order of the config: (waived, matched after
/// it expired).
#[derive(Debug)]
pub struct WaiverTally(Vec<(usize, usize)>);

impl WaiverTally {
    pub fn add(&mut self, uses: &WaiverCounts) {
        for &(i, expired) in &uses.0 {
            let n = &mut self.0[i];
            if expired {
                n.1 += 1;
            } else {
                n.0 += 1;
            }
        }
    }
}

/// Marks the findings of each file as the run goes.
pub struct Reviewer {
    waivers: Vec<WaiverUse>,
    today: Date,
    baseline: Option<baseline::Baseline>,
}

impl Reviewer {
    pub fn new(
        waivers: Vec<Arc<Waiver>>,
        today: Date,
        baseline: Option<baseline::Baseline>,
    ) -> Self {
        Reviewer {
            waivers: waivers
                .into_iter()
                .map(|waiver| WaiverUse {
                    waiver,
                    waived: 0,
                    expired: 0,
                })
                .collect(),
            today,
            baseline,
        }
    }

    /// Whether there is anything to mark (else files are left as they are).
    pub fn is_active(&self) -> bool {
        !self.waivers.is_empty() || self.baseline.is_some()
    }

    /// Mark the findings of one checked file (at `path`, its review so far
    /// holding its identity).
    pub fn review(
        &mut self,
        catalog: &Catalog,
        path: &str,
        checked: &Checked,
        review: &mut FileReview,
    ) {
        let uses = self.mark(catalog, path, checked, review);
        self.count(&uses);
    }

    /// Count the uses [`Reviewer::mark`] found in one file.
    pub fn count(&mut self, uses: &WaiverCounts) {
        let mut tally = self.tally();
        tally.add(uses);
        self.add_tally(tally);
    }

    /// A tally of waiver uses, kept apart from the reviewer while it marks
    /// files on other threads; [`Reviewer::add_tally`] counts it in.
    pub fn tally(&self) -> WaiverTally {
        WaiverTally(vec![(0, 0); self.waivers.len()])
    }

    pub fn add_tally(&mut self, tally: WaiverTally) {
        for (u, (waived, expired)) in self.waivers.iter_mut().zip(tally.0) {
            u.waived += waived;
            u.expired += expired;
        }
    }

    /// [`Reviewer::review`] without counting: the marks of one file, on
    /// any thread, and the waivers' uses it makes, for [`Reviewer::count`]
    /// once the file is taken (a batch counts them in path order).
    pub fn mark(
        &self,
        catalog: &Catalog,
        path: &str,
        checked: &Checked,
        review: &mut FileReview,
    ) -> WaiverCounts {
        let mut uses = WaiverCounts::default();
        let identity = &review.identity;
        let submission = identity
            .submission
            .clone()
            .unwrap_or_else(|| path_key(path).to_string());
        // The waivers of this submission, found once per file.
        let covering: Vec<usize> = (0..self.waivers.len())
            .filter(|&i| self.waivers[i].waiver.covers_file(identity, path))
            .collect();
        let mut seen: std::collections::HashMap<(usize, &str), usize> = Default::default();
        let mut marks = Vec::new();
        for f in checked.findings() {
            let rule = &catalog.rules[f.rule].id;
            let count = seen.entry((f.rule, f.subject.as_str())).or_default();
            let occurrence = *count;
            *count += 1;
            let subject = identity.record_id(&f.subject).unwrap_or(&f.subject);
            let mut mark = FindingReview {
                fingerprint: finding_key(rule, &submission, subject, occurrence),
                ..FindingReview::default()
            };
            // The first waiver in force that matches; else an expired one, to say so.
            let mut expired = None;
            for &i in &covering {
                let u = &self.waivers[i];
                if !u.waiver.covers_finding(rule, identity, &f.subject) {
                    continue;
                }
                if u.waiver.expired_on(&self.today) {
                    expired.get_or_insert(i);
                } else {
                    uses.0.push((i, false));
                    mark.waiver = Some(WaiverMark {
                        waiver: u.waiver.clone(),
                        expired: false,
                    });
                    expired = None;
                    break;
                }
            }
            if let Some(i) = expired {
                let u = &self.waivers[i];
                uses.0.push((i, true));
                mark.waiver = Some(WaiverMark {
                    waiver: u.waiver.clone(),
                    expired: true,
                });
            }
            marks.push(mark);
        }
        if let Some(b) = &self.baseline {
            let id = identity.submission.as_deref();
            review.baseline_file = Some(b.file_mark(path, id, identity.digest.as_deref()));
            review.fixed = Some(b.compare(path, id, &mut marks));
        }
        review.findings = marks;
        uses
    }

    /// How each waiver fared, in the order of the config file.
    pub fn waiver_uses(&self) -> Vec<WaiverUse> {
        self.waivers.clone()
    }

    pub fn has_baseline(&self) -> bool {
        self.baseline.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiver(digest: Option<&str>, path: Option<&str>, submission: Option<&str>) -> Waiver {
        Waiver {
            number: 1,
            rule: "r.*".into(),
            digest: digest.map(str::to_string),
            path: path.map(str::to_string),
            submission: submission.map(str::to_string),
            subject: None,
            reason: "r".into(),
            approved_by: "a".into(),
            expires: Date::parse("2099-01-01", false).unwrap(),
            file: "peitao.toml".into(),
            line: 1,
            span: Span::default(),
        }
    }

    fn identity(digest: &str, id: Option<&str>) -> Identity {
        Identity {
            digest: Some(digest.into()),
            submission: id.map(str::to_string),
            ..Identity::default()
        }
    }

    #[test]
    fn a_waiver_covers_a_file_by_what_the_office_recorded() {
        let a = identity("sha256:aa", Some("SY-1"));
        // The applicant's id alone never binds (the config refuses it; the
        // matcher does not rely on that).
        assert!(!waiver(None, None, Some("SY-1")).covers_file(&a, "a.yaml"));
        assert!(waiver(Some("sha256:aa"), None, None).covers_file(&a, "x/a.yaml"));
        assert!(!waiver(Some("sha256:bb"), None, None).covers_file(&a, "a.yaml"));
        assert!(waiver(None, Some("intake/*.yaml"), None).covers_file(&a, "./intake/a.yaml"));
        assert!(!waiver(None, Some("intake/*.yaml"), None).covers_file(&a, "other/a.yaml"));
        // A pattern without `/` is the file name wherever it is.
        assert!(waiver(None, Some("a.yaml"), None).covers_file(&a, "2025/a.yaml"));
        // Every key named must match.
        assert!(waiver(Some("sha256:aa"), Some("a.yaml"), Some("SY-*")).covers_file(&a, "a.yaml"));
        assert!(!waiver(Some("sha256:aa"), Some("a.yaml"), Some("SY-2")).covers_file(&a, "a.yaml"));
        assert!(!waiver(Some("sha256:aa"), Some("b.yaml"), None).covers_file(&a, "a.yaml"));
        // A file without an id is not covered by a waiver that names one.
        let anonymous = identity("sha256:aa", None);
        assert!(!waiver(Some("sha256:aa"), None, Some("*")).covers_file(&anonymous, "a.yaml"));
    }

    #[test]
    fn hospitals_and_venues_have_record_ids() {
        let text = "version: 1\nsubmission: { id: S, jurisdiction: honghe }\nhospitals:\n  - { id: H1, kind: general }\nvenues:\n  - { id: V1, kind: employer }\n";
        let sub = crate::input::parse_submission(text, &crate::input::Limits::default()).unwrap();
        let id = Identity::of(&sub);
        assert_eq!(id.record_id("hospitals[0]"), Some("H1"));
        assert_eq!(id.record_id("venues[0]"), Some("V1"));
        assert_eq!(id.submission.as_deref(), Some("S"));
        assert_eq!(&text[id.submission_at.offset..][..1], "S");
    }
}
