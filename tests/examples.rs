//! The examples a reviewer would recognise: for each city, a district plan,
//! an elderly home, a childcare centre and a hospital, compliant and
//! violating. A violating example shows findings today, or marks with
//! `# upcoming: <clause>` each gap a rule not yet written will find; the
//! clause must be one the coverage table lists as open or partial.

mod common;

use common::peitao;
use peitao::plan::coverage::{self, Status};
use std::path::Path;

const CITIES: [&str; 5] = ["shiyan", "taizhou", "kunming", "honghe", "jiamusi"];
const KINDS: [&str; 4] = ["district", "elderly-home", "childcare", "hospital"];

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn upcoming(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix("# upcoming: "))
        .map(str::trim)
        .collect()
}

#[test]
fn each_city_has_each_kind_compliant_and_violating() {
    let table = coverage::clauses().unwrap();
    for city in CITIES {
        for kind in KINDS {
            let ok = format!("examples/{city}-{kind}-compliant.yaml");
            let (out, _, code) = peitao(&["check", &ok, "--fail-on", "warning"]);
            if out.contains("no rule applies to this submission") {
                // A plan with no duty for this kind of submission: the
                // example must say so, and nothing else is found.
                assert!(read(&ok).contains("no rule applies"), "{ok}: {out}");
                assert!(
                    out.contains("0 errors") || !out.contains("error"),
                    "{ok}: {out}"
                );
            } else {
                assert_eq!(code, 0, "{ok} is not clean:\n{out}");
                assert!(out.contains(": ok\n"), "{ok}: {out}");
            }
            assert!(upcoming(&read(&ok)).is_empty(), "{ok} marks a gap");

            let bad = format!("examples/{city}-{kind}-violating.yaml");
            let text = read(&bad);
            let (out, _, code) = peitao(&["check", &bad, "--fail-on", "warning"]);
            assert_ne!(code, 2, "{bad} is not a valid submission:\n{out}");
            let marks = upcoming(&text);
            assert!(
                code == 1 || !marks.is_empty(),
                "{bad} shows no finding and marks no upcoming one:\n{out}"
            );
            if code == 1 {
                assert!(out.contains(&format!("{city}.")), "{bad}: {out}");
            }
            for quote in marks {
                assert!(
                    table.iter().any(|c| c.plan == city
                        && c.quote == quote
                        && matches!(c.status, Status::Open | Status::Partial)),
                    "{bad}: `upcoming: {quote}` is not an open clause of {city}"
                );
            }
        }
    }
}

#[test]
fn every_field_of_the_format_is_in_an_example() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let texts: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    let written = |name: &str| {
        texts.iter().any(|t| {
            t.lines().any(|l| {
                let l = l.trim_start().trim_start_matches("- ");
                l.starts_with(&format!("{name}:"))
                    || l.contains(&format!("{{ {name}:"))
                    || l.contains(&format!(", {name}:"))
            })
        })
    };
    let missing: Vec<&str> = peitao::input::format::TABLES
        .iter()
        .flat_map(|t| t.iter().map(|f| f.name))
        .filter(|name| !written(name))
        .collect();
    assert!(missing.is_empty(), "no example writes {missing:?}");
}
