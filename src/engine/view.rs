//! The submission as rhai sees it: one map built per file and shared
//! (not copied) with every rule. Absent fields are simply not in the map, so
//! `s.estate.households` is `()` when the file does not give it.

use crate::input::{Record, Submission, Value};
use rhai::{Array, Dynamic, Map};

pub fn submission(sub: &Submission) -> Dynamic {
    let mut m = Map::new();
    m.insert("submission".into(), record(&sub.filing));
    m.insert(
        "estate".into(),
        sub.estate.as_ref().map_or(Dynamic::UNIT, record),
    );
    m.insert("facilities".into(), list(&sub.facilities));
    m.insert("institutions".into(), list(&sub.institutions));
    m.insert("venues".into(), list(&sub.venues));
    m.insert(
        "region".into(),
        sub.region.as_ref().map_or(Dynamic::UNIT, record),
    );
    Dynamic::from_map(m)
}

fn list(records: &[Record]) -> Dynamic {
    Dynamic::from_array(records.iter().map(record).collect::<Array>())
}

fn record(r: &Record) -> Dynamic {
    let mut m = Map::new();
    m.insert("path".into(), r.path.as_str().into());
    for e in &r.entries {
        let v = match &e.value {
            Value::Int(i) => Dynamic::from_int(*i),
            Value::Num(x) => Dynamic::from_float(*x),
            Value::Bool(b) => Dynamic::from_bool(*b),
            Value::Text(t) => t.as_str().into(),
            Value::Date(d) => d.to_string().into(),
            Value::Record(inner) => record(inner),
        };
        m.insert(e.name.into(), v);
    }
    Dynamic::from_map(m)
}
