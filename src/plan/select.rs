//! Which plans apply to a submission: its jurisdiction (or `--plan`), and
//! the filing date (or `--as-of`) against each plan's dates in force.

use super::Catalog;
use crate::input::{Date, InputError, Span, Submission};

/// What the user asked for on the command line.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// `--plan ID`: plans to check against, whatever the jurisdiction says.
    pub plans: Vec<String>,
    /// `--as-of DATE`: the day whose rules apply, instead of `filed`.
    pub as_of: Option<Date>,
}

/// The packs to run and the day they are judged on.
pub fn select(
    catalog: &Catalog,
    sub: &Submission,
    selection: &Selection,
) -> Result<(Vec<usize>, Date), Vec<InputError>> {
    let filed = sub.filing.get("filed");
    let day = selection
        .as_of
        .or_else(|| sub.filing.date("filed"))
        .unwrap_or_else(Date::today);
    let day_span = filed.map_or(sub.filing.anchor, |e| e.span);
    let mut packs = Vec::new();
    let mut errors = Vec::new();
    if selection.plans.is_empty() {
        let Some(entry) = sub.filing.get("jurisdiction") else {
            return Err(vec![InputError::new(
                "unknown-jurisdiction",
                sub.filing.anchor,
                "missing submission.jurisdiction: no plan to check against",
                "add `jurisdiction:` here",
            )
            .with_help(format!(
                "known plans: {}; or choose one with --plan",
                catalog.known_plans()
            ))]);
        };
        let name = sub.filing.text("jurisdiction").unwrap_or_default();
        match catalog.resolve(name) {
            Some(p) => packs.push((p, entry.span)),
            None => errors.push(unknown(catalog, name, entry.span)),
        }
    } else {
        for name in &selection.plans {
            match catalog.resolve(name) {
                Some(p) if !packs.iter().any(|&(q, _)| q == p) => packs.push((p, Span::default())),
                Some(_) => {}
                None => errors.push(unknown(catalog, name, Span::default())),
            }
        }
    }
    for &(p, _) in &packs {
        let pack = &catalog.packs[p];
        if !pack.in_force(&day) {
            errors.push(
                InputError::new(
                    "no-plan-in-force",
                    day_span,
                    format!("{} is not in force on {day}", pack.citation()),
                    format!("judged on {day}"),
                )
                .with_help(format!(
                    "in force: {}; set the filing date, or --as-of",
                    pack.manifest.in_force_text(crate::plan::Lang::En)
                )),
            );
        }
    }
    if errors.is_empty() {
        Ok((packs.into_iter().map(|(p, _)| p).collect(), day))
    } else {
        Err(errors)
    }
}

fn unknown(catalog: &Catalog, name: &str, span: Span) -> InputError {
    InputError::new(
        "unknown-jurisdiction",
        span,
        format!("unknown jurisdiction `{name}`"),
        "no loaded plan has this name",
    )
    .with_help(format!("known plans: {}", catalog.known_plans()))
}
