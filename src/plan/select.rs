//! Which plans apply to a submission: its jurisdiction (or `--plan`), and
//! the filing date (or `--as-of`) against each plan's dates in force.

use super::{Catalog, RuleCompiler};
use crate::input::{Date, InputError, Msg, Span, Submission};

/// What the user asked for on the command line.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// `--plan ID`: plans to check against, whatever the jurisdiction says.
    pub plans: Vec<String>,
    /// `--as-of DATE`: the day whose rules apply, instead of `filed`.
    pub as_of: Option<Date>,
    /// The day of the run, that no `filed` may be after when there is no
    /// `--as-of`; `None`: the clock's today.
    pub today: Option<Date>,
}

impl Selection {
    /// The day a filing may not be dated after: `--as-of`, else today.
    pub fn latest_filing_day(&self) -> Date {
        self.as_of.or(self.today).unwrap_or_else(Date::today)
    }
}

/// The packs to run and the day they are judged on.
pub fn select<C: RuleCompiler>(
    catalog: &Catalog<C>,
    sub: &Submission,
    selection: &Selection,
) -> Result<(Vec<usize>, Date), Vec<InputError>> {
    let filed = sub.filing.get("filed");
    let latest = selection.latest_filing_day();
    let reported = reported_year(sub);
    let day = selection
        .as_of
        .or(reported.map(|(day, _)| day))
        .or_else(|| sub.filing.date("filed"))
        .unwrap_or(latest);
    let day_span = match (selection.as_of, reported, filed) {
        (None, Some((_, span)), _) => span,
        (_, _, Some(e)) => e.span,
        _ => sub.filing.anchor,
    };
    let mut packs = Vec::new();
    let mut errors = Vec::new();
    // The applicant dates the filing; they do not choose the rules by it:
    // a day after the run's (or after --as-of) would switch off every rule
    // that has ended by then.
    // Likewise the year a region's report is on, where it sets the day
    // judged on (no --as-of): a year not yet begun would choose the rules
    // in force as much as a date would.
    if let (None, Some((day, span))) = (selection.as_of, reported) {
        if day.year > latest.year {
            errors.push(
                InputError::new(
                    crate::base::code::InputCode::YearInFuture,
                    span,
                    Msg::new("year-in-future")
                        .arg("year", day.year)
                        .arg("day", latest),
                    Msg::new("filed-in-future.label").arg("day", latest),
                )
                .with_help("year-in-future.help"),
            );
            return Err(errors);
        }
    }
    if let (Some(entry), Some(date)) = (filed, sub.filing.date("filed")) {
        if date.earliest_day() > latest.latest_day() {
            errors.push(
                InputError::new(
                    crate::base::code::InputCode::FiledInFuture,
                    entry.span,
                    Msg::new("filed-in-future")
                        .arg("filed", date)
                        .arg("day", latest),
                    Msg::new("filed-in-future.label").arg("day", latest),
                )
                .with_help("filed-in-future.help"),
            );
            return Err(errors);
        }
    }
    if selection.plans.is_empty() {
        let Some(entry) = sub.filing.get("jurisdiction") else {
            return Err(vec![InputError::new(
                crate::base::code::InputCode::UnknownJurisdiction,
                sub.filing.anchor,
                "missing-jurisdiction",
                "add-jurisdiction",
            )
            .with_help(
                Msg::new("known-plans-or-plan").arg("plans", catalog.known_plans()),
            )]);
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
                    crate::base::code::InputCode::NoPlanInForce,
                    day_span,
                    Msg::new("not-in-force")
                        .arg("plan", pack.citation())
                        .arg("day", day),
                    Msg::new("judged-on").arg("day", day),
                )
                .with_help(Msg::new("in-force.help").both(
                    "when",
                    pack.manifest.in_force_text(crate::plan::Lang::Zh),
                    pack.manifest.in_force_text(crate::plan::Lang::En),
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

/// A region plan is judged by the year it reports on, not the day it is
/// filed: the plan's dates apply to `region.year`, judged as at its last
/// day (31 December), so a 2023 report filed in January 2024 is checked
/// against a list in force for 2023 (docs/readings.md R16). Only a filing
/// that holds a region plan and no records: records (estates, facilities,
/// institutions, hospitals, venues) are judged on the day they are filed.
/// `--as-of` still decides over both.
fn reported_year(sub: &Submission) -> Option<(Date, Span)> {
    let region = sub.region.as_ref()?;
    let records = sub.estate.is_some()
        || !sub.facilities.is_empty()
        || !sub.institutions.is_empty()
        || !sub.hospitals.is_empty()
        || !sub.venues.is_empty();
    if records {
        return None;
    }
    let year = region.int("year")?;
    let entry = region.get("year")?;
    let year = i32::try_from(year).ok()?;
    Some((
        Date {
            year,
            month: 12,
            day: Some(31),
        },
        entry.span,
    ))
}

/// A jurisdiction no plan answers to. A district or county of a city that
/// has a plan (`昆明市呈贡区`) is told the city's name, which it may mean,
/// offered as the fix, with the note that the city's plan is what would
/// apply; any other name is told the known plans.
pub fn unknown<C: RuleCompiler>(catalog: &Catalog<C>, name: &str, span: Span) -> InputError {
    let e = InputError::new(
        crate::base::code::InputCode::UnknownJurisdiction,
        span,
        Msg::new("unknown-jurisdiction").arg("name", name),
        "no-plan-name",
    );
    match city_of(catalog, name) {
        Some((alias, p)) => e
            .with_help(
                Msg::new("district-of.help")
                    .arg("city", alias)
                    .arg("plan", catalog.packs[p].citation()),
            )
            .with_fix(span, alias),
        None => e.with_help(Msg::new("known-plans").arg("plans", catalog.known_plans())),
    }
}

/// The city a district's or county's name begins with (`昆明市` of
/// `昆明市呈贡区`), as a plan's alias, and that plan: the longest alias of
/// two characters or more that starts the name, the rest ending in 区, 县,
/// 市 or 旗.
fn city_of<'c, C: RuleCompiler>(catalog: &'c Catalog<C>, name: &str) -> Option<(&'c str, usize)> {
    let name = name.trim();
    let district =
        |rest: &str| rest.chars().count() >= 2 && rest.ends_with(['区', '县', '市', '旗']);
    catalog
        .packs
        .iter()
        .enumerate()
        .flat_map(|(p, pack)| pack.manifest.aliases.iter().map(move |a| (a.as_str(), p)))
        .filter(|(a, _)| a.chars().count() >= 2 && !a.is_ascii())
        .filter(|(a, _)| name.strip_prefix(a).is_some_and(district))
        .max_by_key(|(a, _)| a.len())
}
