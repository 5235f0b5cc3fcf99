//! A pack's data tables (`data:` in pack.yaml) as the engine's rules read
//! them, built once at load: a script's `table(name)` gets an array of
//! maps (see `helpers::tables_view`), a template reads the same cells
//! typed, a whole number as a number and any other cell as text.

use super::num::Num;
use crate::plan::Table;
use rhai::Dynamic;

/// A cell of a data table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// A whole number (`12`): what a script reads as an integer.
    Int(i64),
    Text(String),
}

impl Cell {
    fn of(cell: &str) -> Cell {
        cell.parse::<i64>()
            .map_or_else(|_| Cell::Text(cell.to_string()), Cell::Int)
    }

    /// The cell as a number, if it is one.
    pub fn num(&self) -> Option<Num> {
        match self {
            Cell::Int(i) => Some(Num::int(*i)),
            Cell::Text(_) => None,
        }
    }

    /// The cell as text, if it is text.
    pub fn text(&self) -> Option<&str> {
        match self {
            Cell::Text(t) => Some(t),
            Cell::Int(_) => None,
        }
    }
}

/// The cell as a script's message prints it.
impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Int(i) => write!(f, "{i}"),
            Cell::Text(t) => f.write_str(t),
        }
    }
}

/// One row: its cells by column.
#[derive(Clone, Debug, PartialEq)]
pub struct Row(Vec<(String, Cell)>);

impl Row {
    /// The cell of `column`, if the table has that column.
    pub fn get(&self, column: &str) -> Option<&Cell> {
        self.0.iter().find(|(c, _)| c == column).map(|(_, v)| v)
    }
}

/// Every data table of one pack.
#[derive(Debug)]
pub struct Tables {
    /// By name, in the pack's order: the rows.
    typed: Vec<(String, Vec<Row>)>,
    /// The same, as scripts read them (shared, never copied per rule).
    view: Dynamic,
}

impl Tables {
    pub fn new(tables: &[(String, Table)]) -> Tables {
        let typed = tables
            .iter()
            .map(|(name, t)| {
                let rows = t
                    .rows
                    .iter()
                    .map(|row| {
                        Row(t
                            .header
                            .iter()
                            .zip(row)
                            .map(|(h, cell)| (h.clone(), Cell::of(cell)))
                            .collect())
                    })
                    .collect();
                (name.clone(), rows)
            })
            .collect();
        Tables {
            typed,
            view: super::helpers::tables_view(tables),
        }
    }

    /// The rows of the table `name`, if the pack has it.
    pub fn rows(&self, name: &str) -> Option<&[Row]> {
        self.typed
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, rows)| rows.as_slice())
    }

    /// The tables as a script's `table(name)` reads them.
    pub fn view(&self) -> &Dynamic {
        &self.view
    }
}
