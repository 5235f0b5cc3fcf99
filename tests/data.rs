//! 佳木斯's allocation tables (专栏3, 专栏4) are data files of its pack. Every
//! number in them must be the seed's, and each 全市 row the sum of its
//! districts.

use peitao::engine::normalize_name;

/// The rows of the table that starts at `heading` in the seed: district
/// name (spaces removed) and its five yearly figures, 2021–2025.
fn seed_table(seed: &str, heading: &str, next: &str) -> Vec<(String, Vec<u64>)> {
    let start = seed.find(heading).expect("table heading in the seed");
    let end = start + seed[start..].find(next).expect("end of the table");
    let cells: Vec<&str> = seed[start..end]
        .split(['|', '\n'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let first = cells
        .iter()
        .position(|c| normalize_name(c) == "全市")
        .expect("全市 row");
    cells[first..]
        .chunks(6)
        .map(|row| {
            (
                normalize_name(row[0]),
                row[1..]
                    .iter()
                    .map(|n| n.parse().expect("a number"))
                    .collect(),
            )
        })
        .collect()
}

fn csv_table(path: &str) -> Vec<(String, Vec<u64>)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
    assert_eq!(lines.next(), Some("region,2021,2022,2023,2024,2025"));
    lines
        .map(|l| {
            let mut cells = l.split(',');
            let name = cells.next().unwrap().to_string();
            (name, cells.map(|n| n.parse().unwrap()).collect())
        })
        .collect()
}

fn check(csv: &str, heading: &str, next: &str) {
    let seed = std::fs::read_to_string("rules/jiamusi/seed.txt").unwrap();
    let from_seed = seed_table(&seed, heading, next);
    let data = csv_table(csv);
    assert_eq!(from_seed.len(), 12, "全市 and 11 districts");
    assert_eq!(data, from_seed, "{csv} differs from {heading} in the seed");
    let (total, districts) = data.split_first().unwrap();
    for year in 0..5 {
        let sum: u64 = districts.iter().map(|(_, v)| v[year]).sum();
        assert_eq!(
            total.1[year],
            sum,
            "{csv}: 全市 {} is not the sum of the districts",
            2021 + year
        );
    }
}

#[test]
fn slot_allocation_matches_the_seed() {
    check(
        "rules/jiamusi/slot-allocation.csv",
        "专栏3 佳木斯市“十四五”托位分解表",
        "专栏4",
    );
}

#[test]
fn bed_allocation_matches_the_seed() {
    check(
        "rules/jiamusi/bed-allocation.csv",
        "专栏4 佳木斯市“十四五”养老床位分解表",
        "三、重点任务",
    );
}
