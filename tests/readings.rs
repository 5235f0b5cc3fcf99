//! docs/readings.md gives the plans' own words as evidence for each
//! reading: every quote in it must be in a seed, verbatim (a 专栏 row,
//! which the seeds print one cell per line, is quoted with ` | ` between
//! cells, and a cell the seed breaks over two lines is quoted whole: see
//! `peitao::plan::in_seed`).

use std::path::Path;

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn every_quote_of_the_readings_is_in_a_seed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readings = std::fs::read_to_string(root.join("docs/readings.md")).unwrap();
    let seeds: Vec<String> = ["shiyan", "taizhou", "kunming", "honghe", "jiamusi"]
        .iter()
        .map(|p| std::fs::read_to_string(root.join(format!("seeds/{p}.txt"))).unwrap())
        .collect();
    let in_a_seed = |q: &str| seeds.iter().any(|s| peitao::plan::in_seed(s, q));
    let mut checked = 0;
    let mut missing = Vec::new();
    for quote in readings.split('"').skip(1).step_by(2) {
        if !has_cjk(quote) {
            continue;
        }
        // Elisions (…) separate verbatim pieces.
        for piece in quote.split('…').map(str::trim).filter(|p| !p.is_empty()) {
            checked += 1;
            if !in_a_seed(piece) {
                missing.push(piece.to_string());
            }
        }
    }
    assert!(checked > 100, "only {checked} quotes found");
    assert!(
        missing.is_empty(),
        "not in any seed:\n{}",
        missing.join("\n")
    );
}
