//! How the reports word a review: waived findings, expired and unused
//! waivers, and the baseline groups (new, unchanged, fixed).

use super::Summary;
use crate::engine::{Finding, Status};
use crate::plan::Lang;
use crate::review::{BaselineMark, FindingReview, WaiverMark, WaiverUse};

/// A finding's status for a ledger: violated, cannot be checked, waived,
/// rule error.
pub fn status_word(f: &Finding, review: Option<&FindingReview>) -> &'static str {
    if review.is_some_and(FindingReview::waived) {
        return "waived";
    }
    match f.status {
        Status::Violated => "violated",
        Status::Unchecked => "cannot be checked",
        Status::RuleError => "rule error",
        Status::Holds => "holds",
    }
}

/// "waived (waiver #1 of peitao.toml:12): reason — approved by X, until Y",
/// or, for an expired waiver, that it no longer waives.
pub fn waiver_note(mark: &WaiverMark, lang: Lang) -> String {
    let w = &mark.waiver;
    match (mark.expired, lang) {
        (false, Lang::En) => format!(
            "waived (waiver #{} at {}:{}): {} — approved by {}, until {}",
            w.number, w.file, w.line, w.reason, w.approved_by, w.expires
        ),
        (false, Lang::Zh) => format!(
            "已豁免 (豁免 #{}, {}:{}): {} — 批准人 {}, 有效期至 {}",
            w.number, w.file, w.line, w.reason, w.approved_by, w.expires
        ),
        (true, Lang::En) => format!(
            "waiver #{} ({}:{}) expired on {}: it no longer waives this finding (reason was: {}; approved by {})",
            w.number, w.file, w.line, w.expires, w.reason, w.approved_by
        ),
        (true, Lang::Zh) => format!(
            "豁免 #{} ({}:{}) 已于 {} 到期, 不再豁免此问题 (原因: {}; 批准人 {})",
            w.number, w.file, w.line, w.expires, w.reason, w.approved_by
        ),
    }
}

/// A line about a waiver that waived nothing: unused, or matched only
/// after it expired. `None` for a waiver that did its work.
pub fn waiver_use_note(u: &WaiverUse, lang: Lang) -> Option<String> {
    let w = &u.waiver;
    let what = waiver_keys(w);
    match (u.state(), lang) {
        ("unused", Lang::En) => Some(format!(
            "waiver #{} ({}:{}) matched no finding in this run ({what}): remove it if it is no longer needed",
            w.number, w.file, w.line
        )),
        ("unused", Lang::Zh) => Some(format!(
            "豁免 #{} ({}:{}) 在本次检查中未匹配任何问题 ({what}): 如已不需要请删除",
            w.number, w.file, w.line
        )),
        ("expired", Lang::En) => Some(format!(
            "waiver #{} ({}:{}) expired on {} and no longer waives {} finding(s) ({what})",
            w.number, w.file, w.line, w.expires, u.expired
        )),
        ("expired", Lang::Zh) => Some(format!(
            "豁免 #{} ({}:{}) 已于 {} 到期, {} 项问题不再豁免 ({what})",
            w.number, w.file, w.line, w.expires, u.expired
        )),
        _ => None,
    }
}

/// What a waiver matches, as its config writes it: `rule = …, digest =
/// …, path = …, submission = …, subject = …` (the keys it has).
pub fn waiver_keys(w: &crate::review::Waiver) -> String {
    let mut keys = vec![format!("rule = {}", w.rule)];
    for (name, value) in [
        ("digest", &w.digest),
        ("path", &w.path),
        ("submission", &w.submission),
        ("subject", &w.subject),
    ] {
        if let Some(v) = value {
            keys.push(format!("{name} = {v}"));
        }
    }
    keys.join(", ")
}

/// The heading of a baseline group in the human report.
pub fn group_heading(mark: BaselineMark, n: usize, lang: Lang) -> String {
    match (mark, lang) {
        (BaselineMark::New, Lang::En) => format!("── new since the baseline: {n} ──"),
        (BaselineMark::New, Lang::Zh) => format!("── 新增问题 (基线中没有): {n} ──"),
        (BaselineMark::Unchanged, Lang::En) => format!("── unchanged from the baseline: {n} ──"),
        (BaselineMark::Unchanged, Lang::Zh) => format!("── 未改正 (基线中已有): {n} ──"),
    }
}

pub fn fixed_heading(n: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("── fixed since the baseline: {n} ──"),
        Lang::Zh => format!("── 已改正 (基线中有, 现已没有): {n} ──"),
    }
}

/// The review's part of the closing lines: waived findings and the
/// baseline counts. Empty without a review.
pub fn summary_lines(s: &Summary, lang: Lang) -> Vec<String> {
    let mut lines = Vec::new();
    if s.waived > 0 {
        lines.push(match lang {
            Lang::En => format!(
                "{} finding(s) waived (shown, not counted against the run)",
                s.waived
            ),
            Lang::Zh => format!("{} 项问题已豁免 (仍列出, 不计入结果)", s.waived),
        });
    }
    if let Some(b) = &s.baseline {
        lines.push(match lang {
            Lang::En => format!(
                "against the baseline: {} new, {} unchanged, {} fixed",
                b.new, b.unchanged, b.fixed
            ),
            Lang::Zh => format!(
                "与基线相比: 新增 {} 项, 未改正 {} 项, 已改正 {} 项",
                b.new, b.unchanged, b.fixed
            ),
        });
    }
    lines
}

/// A warning for every waiver that waived nothing in the run.
pub fn waiver_warnings(s: &Summary, lang: Lang) -> Vec<String> {
    s.waivers
        .iter()
        .filter_map(|u| waiver_use_note(u, lang))
        .map(|note| match lang {
            Lang::Zh => format!("警告: {note}"),
            Lang::En => format!("warning: {note}"),
        })
        .collect()
}

/// A waived finding in the human report: an advice, not an error, with
/// the waiver's reason, approver and expiry; an expired waiver stays an
/// error and says it expired.
pub fn mark_waived(d: &mut super::human::Diag, mark: &WaiverMark, lang: Lang) {
    let note = super::human::sanitize(&waiver_note(mark, lang));
    if !mark.expired {
        d.severity = miette::Severity::Advice;
        d.message = match lang {
            Lang::En => format!("[waived] {}", d.message),
            Lang::Zh => format!("[已豁免] {}", d.message),
        };
    }
    d.help = Some(match d.help.take() {
        Some(h) => format!("{h}\n{note}"),
        None => note,
    });
}
