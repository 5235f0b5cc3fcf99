//! Host helpers for the shapes of clause that recur across plans: a share
//! (护理型床位占比), a rate per 1,000 (每千人口托位数), a floor-area standard per
//! 100 households (每百户不低于20平方米), a slot standard per 1,000 residents,
//! and milestones not later than the housing's (同步规划、同步建设 …).
//!
//! Each takes the record it judges and returns one outcome (or `()` when
//! there is nothing to judge), with messages in both languages that show
//! the arithmetic. Scripts decide when a clause applies; these only measure.

use super::host::{fmt_apart, fmt_num, outcome};
use crate::input::Date;
use rhai::{Array, Dynamic, Engine, EvalAltResult, ImmutableString, Map, NativeCallContext, FLOAT};

type Outcome = Result<Dynamic, Box<EvalAltResult>>;

pub fn register(e: &mut Engine) {
    e.register_fn("share", share);
    e.register_fn("per_1000", per_1000);
    e.register_fn("area_standard", area_standard);
    e.register_fn("slots_standard", slots_standard);
    e.register_fn("milestones", milestones);
    e.register_fn("table", table);
    e.register_fn("normalize_name", |name: ImmutableString| {
        normalize_name(&name)
    });
}

/// A field of a record (a submission record, or a map a script built),
/// `None` when absent.
pub fn get(record: &Dynamic, name: &str) -> Option<Dynamic> {
    let v = if let Some(r) = record.read_lock::<super::view::Rec>() {
        r.get(name)
    } else if let Some(s) = record.read_lock::<super::view::Sub>() {
        Some(s.get(name))
    } else {
        record.read_lock::<Map>().and_then(|m| m.get(name).cloned())
    };
    v.filter(|v| !v.is_unit())
}

fn num(v: &Dynamic) -> Option<FLOAT> {
    v.as_float()
        .ok()
        .or_else(|| v.as_int().ok().map(|i| i as FLOAT))
}

fn text(v: &Dynamic) -> String {
    v.clone().into_string().unwrap_or_default()
}

fn path_of(record: &Dynamic) -> Result<String, Box<EvalAltResult>> {
    get(record, "path")
        .map(|p| text(&p))
        .ok_or_else(|| "expected a record of the submission (it has no path)".into())
}

fn lang(name: &Dynamic, zh: bool) -> String {
    match name.read_lock::<Map>() {
        Some(m) => m
            .get(if zh { "zh" } else { "en" })
            .map(text)
            .unwrap_or_default(),
        None => text(name),
    }
}

fn localized(zh: String, en: String) -> Dynamic {
    let mut m = Map::new();
    m.insert("zh".into(), zh.into());
    m.insert("en".into(), en.into());
    m.into()
}

fn unchecked(subject: &str, missing: String) -> Dynamic {
    let mut m = outcome("unchecked", subject.into());
    m.insert("missing".into(), missing.into());
    m.into()
}

fn holds(subject: &str) -> Dynamic {
    outcome("holds", subject.into()).into()
}

struct Violation {
    message: Dynamic,
    at: Vec<String>,
    label: Dynamic,
    inputs: Vec<String>,
    required: String,
    provided: String,
}

fn violated(subject: &str, v: Violation) -> Dynamic {
    let mut m = outcome("violated", subject.into());
    let list =
        |paths: Vec<String>| Dynamic::from_array(paths.into_iter().map(Dynamic::from).collect());
    m.insert("message".into(), v.message);
    m.insert("at".into(), list(v.at));
    m.insert("label".into(), v.label);
    m.insert("inputs".into(), list(v.inputs));
    m.insert("required".into(), v.required.into());
    m.insert("provided".into(), v.provided.into());
    m.into()
}

fn at_least(provided: FLOAT, required: FLOAT) -> bool {
    provided >= required - 1e-9 * required.abs().max(1.0)
}

/// A record's path and the two numbers of a ratio, or the outcome already
/// decided (a number missing, or a denominator of 0).
type RatioInputs = Result<(String, FLOAT, FLOAT), Dynamic>;

/// The record's path and the two numbers a ratio is made of; or the outcome
/// when one is missing (cannot be checked) or the denominator is 0 (nothing
/// to judge).
fn ratio_inputs(
    record: &Dynamic,
    numerator: &str,
    denominator: &str,
) -> Result<RatioInputs, Box<EvalAltResult>> {
    let path = path_of(record)?;
    let Some(d) = get(record, denominator).as_ref().and_then(num) else {
        return Ok(Err(unchecked(&path, format!("{path}.{denominator}"))));
    };
    let Some(n) = get(record, numerator).as_ref().and_then(num) else {
        return Ok(Err(unchecked(&path, format!("{path}.{numerator}"))));
    };
    if d == 0.0 {
        return Ok(Err(Dynamic::UNIT));
    }
    Ok(Ok((path, n, d)))
}

/// `share(record, "nursing_beds", "beds", 60.0, #{ zh: "护理型床位", en: "nursing beds" })`:
/// part / whole >= min_pct %. A whole of 0 has no share to judge.
fn share(
    record: Dynamic,
    part: ImmutableString,
    whole: ImmutableString,
    min_pct: FLOAT,
    name: Dynamic,
) -> Outcome {
    let (path, p, w) = match ratio_inputs(&record, &part, &whole)? {
        Ok(found) => found,
        Err(outcome) => return Ok(outcome),
    };
    let (part_path, whole_path) = (format!("{path}.{part}"), format!("{path}.{whole}"));
    let pct = 100.0 * p / w;
    if at_least(pct, min_pct) {
        return Ok(holds(&path));
    }
    let (pct_s, min_s, p_s, w_s) = (
        fmt_apart(pct, min_pct),
        fmt_num(min_pct),
        fmt_num(p),
        fmt_num(w),
    );
    Ok(violated(
        &path,
        Violation {
            message: localized(
                format!(
                    "{}占比 {pct_s}% = {p_s} / {w_s} < {min_s}%",
                    lang(&name, true)
                ),
                format!(
                    "{} are {pct_s}% = {p_s} / {w_s} of {whole}, below {min_s}%",
                    lang(&name, false)
                ),
            ),
            at: vec![part_path],
            label: localized(format!("占比 {pct_s}%"), format!("{pct_s}% of {whole}")),
            inputs: vec![whole_path],
            required: format!(">= {min_s}%"),
            provided: format!("{pct_s}%"),
        },
    ))
}

/// `per_1000(record, "childcare_slots", "population", 4.5, name, of)`:
/// count × 1000 / base >= min. A base of 0 has no rate to judge.
fn per_1000(
    record: Dynamic,
    count: ImmutableString,
    base: ImmutableString,
    min: FLOAT,
    name: Dynamic,
    of: Dynamic,
) -> Outcome {
    let (path, c, b) = match ratio_inputs(&record, &count, &base)? {
        Ok(found) => found,
        Err(outcome) => return Ok(outcome),
    };
    let (count_path, base_path) = (format!("{path}.{count}"), format!("{path}.{base}"));
    let rate = 1000.0 * c / b;
    if at_least(rate, min) {
        return Ok(holds(&path));
    }
    let (r, m, c_s, b_s) = (fmt_apart(rate, min), fmt_num(min), fmt_num(c), fmt_num(b));
    Ok(violated(
        &path,
        Violation {
            message: localized(
                format!(
                    "每千{}{} {r} = {c_s} × 1000 / {b_s} < {m}",
                    lang(&of, true),
                    lang(&name, true)
                ),
                format!(
                    "{r} {} per 1,000 {} = {c_s} × 1000 / {b_s} < {m}",
                    lang(&name, false),
                    lang(&of, false)
                ),
            ),
            at: vec![count_path],
            label: localized(
                format!("每千{} {r}", lang(&of, true)),
                format!("{r} per 1,000"),
            ),
            inputs: vec![base_path],
            required: format!(">= {m} per 1000"),
            provided: r,
        },
    ))
}

/// The facilities of `kind` in `s`, and the paths of those lacking `field`.
fn facilities_of(s: &Dynamic, kind: &str, field: &str) -> (Vec<Dynamic>, Vec<String>) {
    let all: Array = get(s, "facilities")
        .and_then(|f| f.try_cast::<Array>())
        .unwrap_or_default();
    let items: Vec<Dynamic> = all
        .into_iter()
        .filter(|f| get(f, "kind").is_some_and(|k| text(&k) == kind))
        .collect();
    let lacking = items
        .iter()
        .filter(|f| get(f, field).is_none())
        .filter_map(|f| path_of(f).ok())
        .map(|p| format!("{p}.{field}"))
        .collect();
    (items, lacking)
}

/// What an estate standard measures: the estate's `base` figure (households,
/// population), the facilities of `kind`, and the sum of their `field`; or
/// the "cannot be checked" outcome when any of it is missing.
type EstateTotal = Result<(FLOAT, Vec<Dynamic>, FLOAT), Dynamic>;

fn estate_total(
    s: &Dynamic,
    base: &str,
    kind: &str,
    field: &str,
) -> Result<EstateTotal, Box<EvalAltResult>> {
    let estate = get(s, "estate").ok_or("this helper needs a submission with an estate")?;
    let Some(base_value) = get(&estate, base).as_ref().and_then(num) else {
        return Ok(Err(unchecked("estate", format!("estate.{base}"))));
    };
    let (rooms, lacking) = facilities_of(s, kind, field);
    if let Some(first) = lacking.into_iter().next() {
        return Ok(Err(unchecked("estate", first)));
    }
    let total = rooms
        .iter()
        .filter_map(|r| get(r, field).as_ref().and_then(num))
        .sum();
    Ok(Ok((base_value, rooms, total)))
}

/// Where a shortfall is shown: each counted value, or, when there is none
/// to count, the estate's status that made the standard apply.
fn offending(rooms: &[Dynamic], field: &str) -> Vec<String> {
    if rooms.is_empty() {
        return vec!["estate.status".into()];
    }
    rooms
        .iter()
        .filter_map(|r| path_of(r).ok())
        .map(|p| format!("{p}.{field}"))
        .collect()
}

fn opt(opts: &Map, key: &str) -> Option<Dynamic> {
    opts.get(key).cloned().filter(|v| !v.is_unit())
}

fn note(opts: &Map, zh: bool) -> String {
    opt(opts, "note")
        .map(|n| format!("; {}", lang(&n, zh)))
        .unwrap_or_default()
}

/// `area_standard(s, #{ kind, per_100, minimum, name, note })`: the estate's
/// facilities of `kind` sum to at least max(per_100 m² × households / 100,
/// minimum m²). Subject: the estate.
fn area_standard(s: Dynamic, opts: Map) -> Outcome {
    let kind = opt(&opts, "kind")
        .map(|k| text(&k))
        .ok_or("area_standard needs kind")?;
    let per_100 = opt(&opts, "per_100")
        .as_ref()
        .and_then(num)
        .ok_or("area_standard needs per_100")?;
    let minimum = opt(&opts, "minimum").as_ref().and_then(num).unwrap_or(0.0);
    let name = opt(&opts, "name").unwrap_or_else(|| kind.as_str().into());
    let (households, rooms, provided) = match estate_total(&s, "households", &kind, "floor_area")? {
        Ok(found) => found,
        Err(outcome) => return Ok(outcome),
    };
    let by_households = per_100 * households / 100.0;
    let required = by_households.max(minimum);
    if at_least(provided, required) {
        return Ok(holds("estate"));
    }
    let (p, r, per, h) = (
        fmt_apart(provided, required),
        fmt_num(required),
        fmt_num(per_100),
        fmt_num(households),
    );
    let (formula_zh, formula_en) = if minimum > 0.0 {
        let m = fmt_num(minimum);
        (
            format!("max({per} m² × {h} 户 / 100, {m} m²)"),
            format!("max({per} m² × {h} households / 100, {m} m²)"),
        )
    } else {
        (
            format!("{per} m² × {h} 户 / 100"),
            format!("{per} m² × {h} households / 100"),
        )
    };
    let empty = rooms.is_empty();
    Ok(violated(
        "estate",
        Violation {
            message: localized(
                format!(
                    "{} {p} m² < 应有 {r} m² = {formula_zh}{}",
                    lang(&name, true),
                    note(&opts, true)
                ),
                format!(
                    "{} {p} m² < {r} m² required = {formula_en}{}",
                    lang(&name, false),
                    note(&opts, false)
                ),
            ),
            at: offending(&rooms, "floor_area"),
            label: if empty {
                localized(
                    format!("无{}", lang(&name, true)),
                    format!("no {}", lang(&name, false)),
                )
            } else {
                localized(
                    format!("计入合计 {p} m²"),
                    format!("counted in the {p} m² total"),
                )
            },
            inputs: vec!["estate.households".into()],
            required: format!(">= {r} m²"),
            provided: format!("{p} m²"),
        },
    ))
}

/// `slots_standard(s, #{ per_1000, note })`: the estate's childcare
/// facilities give at least per_1000 × population / 1000 slots.
fn slots_standard(s: Dynamic, opts: Map) -> Outcome {
    let per_1000 = opt(&opts, "per_1000")
        .as_ref()
        .and_then(num)
        .ok_or("slots_standard needs per_1000")?;
    let (population, rooms, provided) = match estate_total(&s, "population", "childcare", "slots")?
    {
        Ok(found) => found,
        Err(outcome) => return Ok(outcome),
    };
    let required = per_1000 * population / 1000.0;
    if at_least(provided, required) {
        return Ok(holds("estate"));
    }
    let (p, r, per, pop) = (
        fmt_apart(provided, required),
        fmt_num(required),
        fmt_num(per_1000),
        fmt_num(population),
    );
    let empty = rooms.is_empty();
    Ok(violated(
        "estate",
        Violation {
            message: localized(
                format!(
                    "托位 {p} 个 < 应有 {r} 个 = {per} × {pop} 人 / 1000{}",
                    note(&opts, true)
                ),
                format!(
                    "childcare slots {p} < {r} required = {per} × {pop} residents / 1000{}",
                    note(&opts, false)
                ),
            ),
            at: offending(&rooms, "slots"),
            label: if empty {
                localized("无托育服务设施".into(), "no childcare facility".into())
            } else {
                localized(
                    format!("计入合计 {p} 个托位"),
                    format!("counted in the {p} slots"),
                )
            },
            inputs: vec!["estate.population".into()],
            required: format!(">= {r} slots"),
            provided: p,
        },
    ))
}

/// `milestones(facility, s.estate.schedule, ["acceptance", "delivery"], name)`:
/// each of these milestones the facility gives is not later than the
/// housing's (a month counts as its last day).
fn milestones(facility: Dynamic, housing: Dynamic, which: Array, name: Dynamic) -> Outcome {
    let path = path_of(&facility)?;
    let Some(schedule) = get(&facility, "schedule") else {
        return Ok(unchecked(&path, format!("{path}.schedule")));
    };
    if housing.is_unit() {
        return Ok(unchecked(&path, "estate.schedule".into()));
    }
    let id = get(&facility, "id").map_or_else(|| path.clone(), |i| text(&i));
    let (mut late, mut inputs, mut zh, mut en) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut gave_any = false;
    for m in which.iter().map(text) {
        let Some(mine) = get(&schedule, &m).map(|d| text(&d)) else {
            continue;
        };
        gave_any = true;
        let Some(theirs) = get(&housing, &m).map(|d| text(&d)) else {
            return Ok(unchecked(&path, format!("estate.schedule.{m}")));
        };
        let (a, b) = (
            Date::parse(&mine, true).map_err(|e| e.to_string())?,
            Date::parse(&theirs, true).map_err(|e| e.to_string())?,
        );
        if !a.not_later_than(&b) {
            late.push(format!("{path}.schedule.{m}"));
            inputs.push(format!("estate.schedule.{m}"));
            zh.push(format!("{m} {mine} 晚于住宅 {theirs}"));
            en.push(format!("{m} {mine} is later than the housing's {theirs}"));
        }
    }
    if !gave_any {
        let first = which.first().map(text).unwrap_or_default();
        return Ok(unchecked(&path, format!("{path}.schedule.{first}")));
    }
    if late.is_empty() {
        return Ok(holds(&path));
    }
    Ok(violated(
        &path,
        Violation {
            message: localized(
                format!("{} {id} 未与住宅同步: {}", lang(&name, true), zh.join("; ")),
                format!(
                    "{} {id} lags the housing: {}",
                    lang(&name, false),
                    en.join("; ")
                ),
            ),
            at: late,
            label: localized("晚于住宅".into(), "later than the housing".into()),
            inputs,
            required: "not later than the housing".into(),
            provided: String::new(),
        },
    ))
}

/// District names compare without spaces: the plans write `郊 区` for 郊区.
pub fn normalize_name(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `table("slots")`: a data table of the rule's pack, as an array of maps
/// from column name to cell (whole numbers as integers).
fn table(ctx: NativeCallContext, name: ImmutableString) -> Outcome {
    let tables = ctx.tag().ok_or("this rule's pack has no data tables")?;
    let tables = tables
        .read_lock::<Map>()
        .ok_or("this rule's pack has no data tables")?;
    tables
        .get(name.as_str())
        .cloned()
        .ok_or_else(|| format!("the pack has no table `{name}`").into())
}

/// A pack's tables as rhai values, built once at load.
pub fn tables_view(tables: &[(String, crate::plan::Table)]) -> Dynamic {
    let mut all = Map::new();
    for (name, t) in tables {
        let rows: Array = t
            .rows
            .iter()
            .map(|row| {
                let mut m = Map::new();
                for (h, cell) in t.header.iter().zip(row) {
                    let v = cell
                        .parse::<i64>()
                        .map_or_else(|_| Dynamic::from(cell.clone()), Dynamic::from_int);
                    m.insert(h.as_str().into(), v);
                }
                Dynamic::from_map(m)
            })
            .collect();
        all.insert(name.as_str().into(), Dynamic::from_array(rows));
    }
    Dynamic::from_map(all).into_shared()
}
