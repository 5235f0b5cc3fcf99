//! Host helpers for data: a pack's tables, and place names as the plans
//! write them.

use super::outcome::Stop;
use rhai::{Array, Dynamic, Engine, EvalAltResult, ImmutableString, Map, NativeCallContext};

type Outcome = Result<Dynamic, Box<EvalAltResult>>;

pub fn register(e: &mut Engine) {
    e.register_fn("table", table);
    e.register_fn("normalize_name", |name: ImmutableString| {
        normalize_name(&name)
    });
}

/// District names compare without spaces: the plans write `郊 区` for 郊区.
pub fn normalize_name(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `table("slots")`: a data table of the rule's pack, as an array of maps
/// from column name to cell (whole numbers as integers). The copy the rule
/// gets is charged to its budget, 16 elements scanned a cell (as `sort`
/// charges an element: copying a map entry costs far more than comparing
/// one): a rule calling `table()` in a loop runs into its scan limit and
/// its clock, as one scanning a list.
fn table(ctx: NativeCallContext, name: ImmutableString) -> Outcome {
    let cells = with_table(ctx.tag(), &name, |t| {
        t.read_lock::<Array>().map_or(0, |rows| {
            let columns = rows
                .first()
                .and_then(|r| r.read_lock::<Map>().map(|m| m.len()))
                .unwrap_or(0);
            rows.len() * columns.max(1)
        })
    })
    .map_err(Box::<EvalAltResult>::from)?;
    super::sandbox::charge(cells.saturating_mul(16))?;
    with_table(ctx.tag(), &name, Dynamic::clone).map_err(Into::into)
}

/// `f` of the table `name` among a pack's `tables` (as [`tables_view`]
/// built them for scripts), or why there is none (a rule error).
fn with_table<R>(
    tables: Option<&Dynamic>,
    name: &str,
    f: impl FnOnce(&Dynamic) -> R,
) -> Result<R, Stop> {
    let none = || Stop::said(crate::input::Msg::new("engine.no-tables"));
    let tables = tables
        .ok_or_else(none)?
        .read_lock::<Map>()
        .ok_or_else(none)?;
    let table = tables
        .get(name)
        .ok_or_else(|| Stop::said(crate::input::Msg::new("engine.no-table").arg("name", name)))?;
    Ok(f(table))
}

/// A pack's tables as rhai values, built once at load: what a script's
/// `table(name)` reads (templates read [`super::tables::Tables`]).
pub(super) fn tables_view(tables: &[(String, crate::plan::Table)]) -> Dynamic {
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
