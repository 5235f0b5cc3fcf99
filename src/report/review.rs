//! How the reports word a review: waived findings, expired and unused
//! waivers, and the baseline groups (new, unchanged, fixed).

use super::messages::{label, say, Label};
use super::Summary;
use crate::engine::{Finding, Status};
use crate::input::Msg;
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
    let key = if mark.expired {
        "review.waiver-expired"
    } else {
        "review.waived"
    };
    say(
        &waiver(Msg::new(key), w)
            .arg("reason", &w.reason)
            .arg("approver", &w.approved_by)
            .arg("expires", w.expires),
        lang,
    )
}

/// A message about waiver `w` with its number and place.
fn waiver(m: Msg, w: &crate::review::Waiver) -> Msg {
    m.arg("number", w.number)
        .arg("file", &w.file)
        .arg("line", w.line)
}

/// A line about a waiver that waived nothing: unused, or matched only
/// after it expired. `None` for a waiver that did its work.
pub fn waiver_use_note(u: &WaiverUse, lang: Lang) -> Option<String> {
    let w = &u.waiver;
    let m = match u.state() {
        "unused" => Msg::new("review.waiver-unused"),
        "expired" => Msg::new("review.waiver-expired-unused")
            .arg("expires", w.expires)
            .arg("n", u.expired),
        _ => return None,
    };
    Some(say(&waiver(m, w).arg("what", waiver_keys(w)), lang))
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
    let key = match mark {
        BaselineMark::New => "review.new",
        BaselineMark::Unchanged => "review.unchanged",
    };
    say(&Msg::new(key).arg("n", n), lang)
}

pub fn fixed_heading(n: usize, lang: Lang) -> String {
    say(&Msg::new("review.fixed").arg("n", n), lang)
}

/// The review's part of the closing lines: waived findings and the
/// baseline counts. Empty without a review.
pub fn summary_lines(s: &Summary, lang: Lang) -> Vec<String> {
    let mut lines = Vec::new();
    if s.waived > 0 {
        lines.push(say(
            &Msg::new("review.waived-count").arg("n", s.waived),
            lang,
        ));
    }
    if let Some(b) = &s.baseline {
        lines.push(say(
            &Msg::new("review.against-baseline")
                .arg("new", b.new)
                .arg("unchanged", b.unchanged)
                .arg("fixed", b.fixed),
            lang,
        ));
    }
    lines
}

/// A warning for every waiver that waived nothing in the run.
pub fn waiver_warnings(s: &Summary, lang: Lang) -> Vec<String> {
    s.waivers
        .iter()
        .filter_map(|u| waiver_use_note(u, lang))
        .map(|note| format!("{}: {note}", label(Label::Warning, lang)))
        .collect()
}

/// A waived finding in the human report: an advice, not an error, with
/// the waiver's reason, approver and expiry; an expired waiver stays an
/// error and says it expired.
pub fn mark_waived(d: &mut super::human::Diag, mark: &WaiverMark, lang: Lang) {
    let note = super::human::sanitize(&waiver_note(mark, lang));
    if !mark.expired {
        d.severity = miette::Severity::Advice;
        d.message = say(
            &Msg::new("review.waived-mark").arg("message", &d.message),
            lang,
        );
    }
    d.help = Some(match d.help.take() {
        Some(h) => format!("{h}\n{note}"),
        None => note,
    });
}
