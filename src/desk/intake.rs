//! An upload, from bytes to what the store keeps: refused before anything
//! is stored when it is too large, of another type or not text the
//! checker reads; else checked exactly as `peitao check` checks a file
//! (the office's packs, waivers and limits), reviewed against the
//! filing's previous version (the library's baseline comparison) and the
//! waivers granted on the desk, and rendered as the JSON report.

use crate::check::{self, FileResult, Options};
use crate::engine::Catalog;
use crate::input::{self, Date, Msg};
use crate::plan::Lang;
use crate::review::{self, baseline::Baseline, Reviewer, Waiver};
use std::sync::Arc;

use super::store::{NewFinding, WaiverRow};

/// What kind of file an upload is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Yaml,
    Workbook,
}

pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Why an upload is refused before anything is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    TooLarge { size: usize, limit: usize },
    WrongType(String),
    NotAWorkbook,
    Encoding,
    Empty,
}

impl Refusal {
    pub fn status(&self) -> u16 {
        match self {
            Refusal::TooLarge { .. } => 413,
            Refusal::WrongType(_) | Refusal::NotAWorkbook => 415,
            Refusal::Encoding => 422,
            Refusal::Empty => 400,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Refusal::TooLarge { .. } => "upload-too-large",
            Refusal::WrongType(_) => "upload-wrong-type",
            Refusal::NotAWorkbook => "upload-not-a-workbook",
            Refusal::Encoding => "upload-encoding",
            Refusal::Empty => "upload-empty",
        }
    }

    /// The refusal in words, (zh, en).
    pub fn words(&self) -> (String, String) {
        let m = match self {
            Refusal::TooLarge { size, limit } => Msg::new("desk.refuse.too-large")
                .arg("size", size)
                .arg("limit", limit),
            Refusal::WrongType(t) => Msg::new("desk.refuse.wrong-type").arg("type", t),
            Refusal::NotAWorkbook => Msg::new("desk.refuse.not-a-workbook"),
            Refusal::Encoding => Msg::new("desk.refuse.encoding"),
            Refusal::Empty => Msg::new("desk.refuse.empty"),
        };
        let crate::base::Text { zh, en } = crate::base::text::both(&m);
        (zh, en)
    }
}

/// The kind of an upload, by its file name first (what a browser's form
/// sends reliably), else by its content type.
pub fn kind_of(file_name: &str, content_type: &str) -> Result<Kind, Refusal> {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".xlsx") {
        return Ok(Kind::Workbook);
    }
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        return Ok(Kind::Yaml);
    }
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/yaml" | "application/x-yaml" | "text/yaml" | "text/x-yaml" => Ok(Kind::Yaml),
        XLSX_TYPE => Ok(Kind::Workbook),
        _ => Err(Refusal::WrongType(
            if essence.is_empty() {
                file_name
            } else {
                &essence
            }
            .chars()
            .filter(|c| !c.is_control())
            .take(100)
            .collect(),
        )),
    }
}

/// Refuse what must not be stored: too large, empty, not a workbook, or
/// text in no encoding the checker reads.
pub fn screen(bytes: &[u8], kind: Kind, limit: usize) -> Result<(), Refusal> {
    if bytes.len() > limit {
        return Err(Refusal::TooLarge {
            size: bytes.len(),
            limit,
        });
    }
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    match kind {
        Kind::Workbook if !bytes.starts_with(b"PK\x03\x04") => Err(Refusal::NotAWorkbook),
        Kind::Workbook => Ok(()),
        Kind::Yaml => {
            if std::str::from_utf8(bytes).is_ok()
                || encoding_rs::GB18030
                    .decode_without_bom_handling_and_without_replacement(bytes)
                    .is_some()
            {
                Ok(())
            } else {
                Err(Refusal::Encoding)
            }
        }
    }
}

/// The office's settings a check runs with.
#[derive(Clone)]
pub struct Office {
    pub catalog: Arc<Catalog>,
    pub options: Options,
    /// The peitao.toml's waivers.
    pub waivers: Vec<Arc<Waiver>>,
    /// The language reports are stored in.
    pub lang: Lang,
}

/// What one check produced, ready to store.
#[derive(Clone, Debug)]
pub struct Checked {
    pub valid: bool,
    pub file_status: String,
    pub plan: String,
    pub project: String,
    pub submission_id: String,
    pub text: String,
    pub report: String,
    /// The same report in the other language.
    pub report_other: String,
    pub findings: Vec<NewFinding>,
    pub fixed: i64,
    pub new: i64,
    pub unchanged: i64,
    pub sha256: String,
}

/// Check an upload (already screened) as `check` would, compared with the
/// previous version's stored report and reviewed with the filing's desk
/// waivers.
pub fn run(
    office: &Office,
    file_name: &str,
    bytes: &[u8],
    kind: Kind,
    previous: Option<&str>,
    desk_waivers: &[WaiverRow],
) -> Checked {
    let digest = review::digest(bytes);
    // One day for the check: what no filing may be dated after, and what
    // waivers expire against.
    let today = office.options.selection.today.unwrap_or_else(Date::today);
    let mut options = office.options.clone();
    options.selection.today = Some(today);
    let mut result = check::check_bytes(
        &office.catalog,
        file_name,
        bytes,
        kind == Kind::Workbook,
        &options,
    );
    result.review.identity.digest = Some(digest.clone());
    let mut waivers = office.waivers.clone();
    waivers.extend(
        desk_waivers
            .iter()
            .filter_map(|w| desk_waiver(w, &digest, waivers_len(office) + w.id as usize)),
    );
    let baseline = previous.and_then(|p| baseline_at(p, file_name));
    let mut reviewer = Reviewer::new(waivers, today, baseline);
    // Always reviewed, even with no waiver and no previous version: the
    // fingerprints are what comments and waivers on a finding name.
    if let check::Outcome::Checked(c) = &result.outcome {
        reviewer.review(&office.catalog, file_name, c, &mut result.review);
    }
    into_checked(office, &result, digest, previous.is_some())
}

fn waivers_len(office: &Office) -> usize {
    office.waivers.len()
}

/// A waiver granted on the desk, as the library's review applies it:
/// bound to these bytes (the check runs for this filing only), narrowed
/// to the rule and, for one finding, its subject.
fn desk_waiver(w: &WaiverRow, digest: &str, number: usize) -> Option<Arc<Waiver>> {
    let expires = Date::parse(&w.expires, false).ok()?;
    Some(Arc::new(Waiver {
        number,
        rule: w.rule.clone(),
        digest: Some(digest.to_string()),
        path: None,
        submission: None,
        subject: (w.scope == "finding" && !w.subject.is_empty()).then(|| w.subject.clone()),
        reason: w.reason.clone(),
        approved_by: w.approver.clone(),
        expires,
        file: "desk".into(),
        line: w.id as usize,
        span: Default::default(),
    }))
}

/// The previous version's report as a baseline for the file now read as
/// `path` (a resubmission may have another file name: it is the same filing).
fn baseline_at(previous: &str, path: &str) -> Option<Baseline> {
    let mut v: serde_json::Value = serde_json::from_str(previous).ok()?;
    for f in v.get_mut("files")?.as_array_mut()? {
        f["path"] = serde_json::Value::String(path.to_string());
    }
    Baseline::parse(&v.to_string()).ok()
}

fn into_checked(office: &Office, r: &FileResult, sha256: String, compared: bool) -> Checked {
    let report = crate::report::json::render(&office.catalog, std::slice::from_ref(r), office.lang);
    let other = match office.lang {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    };
    let report_other = crate::report::json::render(&office.catalog, std::slice::from_ref(r), other);
    let file = serde_json::to_value(crate::report::json::file(&office.catalog, r, office.lang))
        .unwrap_or_default();
    let s = |v: &serde_json::Value, k: &str| {
        v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string()
    };
    let findings: Vec<NewFinding> = file
        .get("findings")
        .and_then(|f| f.as_array())
        .map(|list| {
            list.iter()
                .map(|f| NewFinding {
                    rule: s(f, "rule"),
                    severity: s(f, "severity"),
                    status: s(f, "status"),
                    subject: s(f, "subject"),
                    message: s(f, "message"),
                    fingerprint: s(f, "fingerprint"),
                    baseline: s(f, "baseline"),
                    waived: f
                        .get("waiver")
                        .and_then(|w| w.get("state"))
                        .and_then(|x| x.as_str())
                        == Some("waived"),
                })
                .collect()
        })
        .unwrap_or_default();
    let count = |mark: &str| findings.iter().filter(|f| f.baseline == mark).count() as i64;
    let plan = file
        .get("plans")
        .and_then(|p| p.as_array())
        .map(|p| {
            p.iter()
                .filter_map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    let valid = matches!(r.outcome, check::Outcome::Checked(_));
    let project = match input::parse_submission(&r.source, &office.options.limits) {
        Ok(sub) => project_name(&sub),
        Err(_) => String::new(),
    };
    Checked {
        valid,
        file_status: s(&file, "status"),
        plan,
        project,
        submission_id: r.review.identity.submission.clone().unwrap_or_default(),
        text: r.source.to_string(),
        report,
        report_other,
        fixed: if compared {
            r.review.fixed.as_ref().map_or(0, |f| f.len() as i64)
        } else {
            0
        },
        new: count("new"),
        unchanged: count("unchanged"),
        findings,
        sha256,
    }
}

/// The project's name: the filing's title, else the estate's or the first
/// record's name.
fn project_name(sub: &input::Submission) -> String {
    let first = |list: &[input::Record]| {
        list.first()
            .and_then(|r| r.text("name"))
            .map(str::to_string)
    };
    sub.filing
        .text("title")
        .map(str::to_string)
        .or_else(|| {
            sub.estate
                .as_ref()
                .and_then(|e| e.text("name"))
                .map(str::to_string)
        })
        .or_else(|| first(&sub.institutions))
        .or_else(|| first(&sub.facilities))
        .or_else(|| first(&sub.hospitals))
        .or_else(|| first(&sub.venues))
        .or_else(|| {
            sub.region
                .as_ref()
                .and_then(|e| e.text("name"))
                .map(str::to_string)
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_comes_from_the_name_then_the_type() {
        assert_eq!(kind_of("a.YAML", ""), Ok(Kind::Yaml));
        assert_eq!(kind_of("b.xlsx", "text/plain"), Ok(Kind::Workbook));
        assert_eq!(
            kind_of("", "application/yaml; charset=utf-8"),
            Ok(Kind::Yaml)
        );
        assert_eq!(kind_of("", XLSX_TYPE), Ok(Kind::Workbook));
        assert!(matches!(
            kind_of("a.pdf", "application/pdf"),
            Err(Refusal::WrongType(_))
        ));
    }

    #[test]
    fn screening_refuses_size_encoding_and_fake_workbooks() {
        assert!(matches!(
            screen(b"abcd", Kind::Yaml, 3),
            Err(Refusal::TooLarge { size: 4, limit: 3 })
        ));
        assert_eq!(screen(b"", Kind::Yaml, 3), Err(Refusal::Empty));
        assert_eq!(
            screen(b"version: 1", Kind::Workbook, 100),
            Err(Refusal::NotAWorkbook)
        );
        assert_eq!(
            screen(&[0xff, 0xfe, 0xff], Kind::Yaml, 100),
            Err(Refusal::Encoding)
        );
        // GBK text is read, as `check` reads it.
        assert_eq!(screen(&[0xc4, 0xe3, 0xba, 0xc3], Kind::Yaml, 100), Ok(()));
        assert_eq!(screen("名称: 好".as_bytes(), Kind::Yaml, 100), Ok(()));
    }
}
