//! The traceability table (`docs/coverage/*.yaml`, `peitao coverage`): every
//! quote is the plan's own words, every rule id exists, every rule is traced
//! to a clause, and every hint names fields the format has.

mod common;

use common::{peitao, tempdir};
use peitao::input::format::{self, Field, Ty};
use peitao::plan::coverage::{self, Clause, Status};
use std::collections::BTreeSet;
use std::path::Path;

fn clauses() -> Vec<Clause> {
    coverage::clauses().expect("the coverage tables parse")
}

#[test]
fn every_quote_is_verbatim_in_its_seed() {
    for c in clauses() {
        let seed = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("seeds/{}.txt", c.plan)),
        )
        .unwrap();
        assert!(
            !c.quote.trim().is_empty() && peitao::plan::in_seed(&seed, &c.quote),
            "{}: quote not in seeds/{}.txt: {}",
            c.plan,
            c.plan,
            c.quote
        );
    }
}

/// The ids of the rules of every pack that has a coverage table. A pack
/// without one (a city being added: docs/writing-rules.md, "Adding a city
/// in the repository") is listed by `peitao coverage` as untraced and is
/// held to the table once it has one.
fn traced_rule_ids(catalog: &peitao::engine::Catalog) -> BTreeSet<&str> {
    catalog
        .rules
        .iter()
        .filter(|r| coverage::plans().any(|p| p == catalog.packs[r.pack].manifest.id))
        .map(|r| r.id.as_str())
        .collect()
}

#[test]
fn rules_exist_and_every_rule_is_traced() {
    let catalog = peitao::engine::load_embedded().unwrap();
    let ids = traced_rule_ids(&catalog);
    let all = clauses();
    let mut traced = BTreeSet::new();
    for c in &all {
        for id in &c.rules {
            assert!(
                ids.contains(id.as_str()),
                "{}: unknown rule `{id}`",
                c.quote
            );
            assert!(
                id.starts_with(&format!("{}.", c.plan)),
                "{}: rule `{id}` of another plan",
                c.quote
            );
            traced.insert(id.as_str());
        }
    }
    let untraced: Vec<_> = ids.difference(&traced).collect();
    assert!(untraced.is_empty(), "rules no clause lists: {untraced:?}");
}

#[test]
fn each_status_carries_what_it_needs() {
    for c in clauses() {
        let what = format!("{} {}", c.plan, c.quote);
        match c.status {
            Status::Encoded => assert!(!c.rules.is_empty(), "{what}: encoded by no rule"),
            Status::Partial => {
                assert!(!c.rules.is_empty(), "{what}: partial with no rule");
                assert!(!c.why.is_empty(), "{what}: partial without why");
            }
            Status::Open => {
                assert!(c.rules.is_empty(), "{what}: open but has rules");
                assert!(!c.why.is_empty(), "{what}: open without why");
                assert!(c.encode.is_some(), "{what}: open without an encode hint");
            }
            Status::OutOfScope => {
                assert!(c.rules.is_empty(), "{what}: out of scope but has rules");
                assert!(c.why.len() > 20, "{what}: out of scope without a reason");
            }
        }
        if let Some(e) = &c.encode {
            assert!(
                ["error", "warning"].contains(&e.severity.as_str()),
                "{what}: severity `{}`",
                e.severity
            );
            assert!(!e.check.is_empty() && !e.wording.is_empty(), "{what}");
            assert!(!e.reads.is_empty(), "{what}: reads nothing");
            for path in &e.reads {
                assert!(
                    names_a_field(path),
                    "{what}: `{path}` is not a field of the format"
                );
            }
        }
    }
}

/// `region.indicators.day_care_coverage`, `institutions[kind=childcare].staff`,
/// `facilities[kind=childcare]`: a section, then fields of its table.
fn names_a_field(path: &str) -> bool {
    let strip = |s: &str| s.split('[').next().unwrap_or(s).to_string();
    let mut parts = path.split('.').map(strip);
    let section = parts.next().unwrap_or_default();
    let Some(top) = format::TOP.iter().find(|f| f.name == section) else {
        return false;
    };
    let mut table: &[Field] = match top.name {
        "estate" => format::ESTATE,
        "facilities" => format::FACILITY,
        "institutions" => format::INSTITUTION,
        "hospitals" => format::HOSPITAL,
        "venues" => format::VENUE,
        "region" => format::REGION,
        _ => format::SUBMISSION,
    };
    for name in parts {
        let Some(field) = table.iter().find(|f| f.name == name) else {
            return false;
        };
        if let Ty::Nested(inner) = field.ty {
            table = inner;
        }
    }
    true
}

#[test]
fn the_table_covers_at_least_170_clauses_of_every_plan() {
    let all = clauses();
    assert!(all.len() >= 170, "only {} clauses", all.len());
    for plan in coverage::plans() {
        assert!(
            all.iter().filter(|c| c.plan == plan).count() >= 30,
            "{plan} has few clauses"
        );
    }
    // One clause per quote and section: a repeated entry would count twice.
    let mut seen = BTreeSet::new();
    for c in &all {
        assert!(
            seen.insert((c.plan.as_str(), c.section.as_str(), c.quote.as_str())),
            "listed twice: {} {}",
            c.plan,
            c.quote
        );
    }
}

#[test]
fn coverage_command_prints_counts_per_plan() {
    let (out, _, code) = peitao(&["coverage"]);
    assert_eq!(code, 0, "{out}");
    let summary = &out[out.find("plan       clauses").expect("a summary table")..];
    // Up to the packs without a table (a city being added), which follow.
    let end = summary
        .find("counted once, with the clause they restate.\n")
        .unwrap();
    let summary = &summary[..end + "counted once, with the clause they restate.\n".len()];
    insta::assert_snapshot!("coverage_summary", summary);
    let (one, _, code) = peitao(&["coverage", "--plan", "十堰"]);
    assert_eq!(code, 0);
    assert!(one.starts_with("shiyan: "), "{one}");
    assert!(!one.contains("\ntaizhou "), "{one}");
    let (err, _, code) = peitao(&["coverage", "--plan", "武汉"]);
    assert_eq!(code, 2);
    assert!(err.contains("no coverage table for plan `武汉`"), "{err}");
}

#[test]
fn coverage_json_has_exactly_the_documented_shape() {
    let (out, _, code) = peitao(&["coverage", "--format", "json", "--plan", "kunming"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["clauses", "gaps", "summary", "untraced"]);
    assert_eq!(doc["untraced"], serde_json::json!([]));
    let clauses = doc["clauses"].as_array().unwrap();
    assert_eq!(clauses.len(), 67);
    let mut restated = 0;
    for c in clauses {
        let mut keys: BTreeSet<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
        if keys.remove("restates") {
            restated += 1;
        }
        assert_eq!(
            keys,
            BTreeSet::from([
                "plan", "section", "quote", "subject", "class", "status", "rules", "why"
            ])
        );
        assert_eq!(c["plan"], "kunming");
        let class = if ["region", "city"].contains(&c["subject"].as_str().unwrap()) {
            "region"
        } else {
            "record"
        };
        assert_eq!(c["class"], class, "{c}");
    }
    assert_eq!(restated, 1, "昆明 restates its 55 % lottery share once");
    let total = &doc["summary"]["total"];
    // A restated clause is counted once.
    assert_eq!(total["clauses"], 66);
    let sum: u64 = ["encoded", "partial", "open", "out-of-scope"]
        .iter()
        .map(|k| total[k].as_u64().unwrap())
        .sum();
    assert_eq!(sum, 66);
    let classes = &total["classes"];
    assert_eq!(
        classes["record"]["clauses"].as_u64().unwrap()
            + classes["region"]["clauses"].as_u64().unwrap(),
        66
    );
    for class in ["record", "region"] {
        let c = &classes[class];
        let share = c["encoded"].as_f64().unwrap() * 100.0 / c["clauses"].as_f64().unwrap();
        assert!(
            (c["encoded_percent"].as_f64().unwrap() - share).abs() < 0.1,
            "{c}"
        );
    }
    assert_eq!(doc["summary"]["plans"]["kunming"], *total);
    assert_eq!(doc["gaps"], serde_json::json!([]));
}

/// A restated clause names a clause of its plan that a rule checks, with
/// the same rules, so one shortfall is one finding and one clause counted.
#[test]
fn a_restated_clause_points_at_its_twin() {
    let all = clauses();
    let catalog = peitao::engine::load_embedded().unwrap();
    let mut restated = 0;
    for c in all.iter().filter(|c| c.restates.is_some()) {
        restated += 1;
        let twin_quote = c.restates.as_deref().unwrap();
        let twin = all
            .iter()
            .find(|t| t.plan == c.plan && t.quote == twin_quote)
            .unwrap_or_else(|| panic!("{}: restates no clause: {twin_quote}", c.quote));
        assert!(
            twin.restates.is_none(),
            "{}: a chain of restatements",
            c.quote
        );
        assert_eq!(c.rules, twin.rules, "{}: checked by other rules", c.quote);
        // The rule cites both clauses, so its finding quotes each.
        for id in &c.rules {
            let rule = catalog.rules.iter().find(|r| &r.id == id).unwrap();
            let cited: Vec<&str> = rule.clauses().collect();
            for quote in [c.quote.as_str(), twin.quote.as_str()] {
                assert!(
                    cited.iter().any(|q| q.contains(quote) || quote.contains(q)),
                    "{id} does not cite {quote}"
                );
            }
        }
    }
    assert!(restated >= 5, "only {restated} restated clauses");
}

#[test]
fn known_gaps_are_named_in_their_seed() {
    let gaps = coverage::gaps().unwrap();
    assert!(
        gaps.iter()
            .any(|g| g.plan == "honghe" && g.quote.contains("主要目标")),
        "红河's attachment 2 is listed as a known gap"
    );
    for g in gaps {
        let seed = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("seeds/{}.txt", g.plan)),
        )
        .unwrap();
        assert!(seed.contains(&g.quote), "{}: {}", g.plan, g.quote);
        assert!(g.why.len() > 20);
    }
    let (out, _, code) = peitao(&["coverage", "--plan", "honghe"]);
    assert_eq!(code, 0);
    assert!(out.contains("known gaps"), "{out}");
}

/// docs/coverage/readings-agreement.md: the two readers' verdicts on each
/// rule and what was done about them. Every rule of every pack has a row
/// (a rule added later is read before it ships), the verdicts are the
/// readers' words, `agree` says whether they are equal, and every row says
/// what became of it.
#[test]
fn every_rule_has_a_row_in_the_readers_table() {
    let catalog = peitao::engine::load_embedded().unwrap();
    let table = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/coverage/readings-agreement.md"),
    )
    .unwrap();
    const VERDICTS: &[&str] = &["F", "LESS", "MORE", "SCOPE", "DUP", "SEV", "DATE", "QUOTE"];
    let mut rows = BTreeSet::new();
    for line in table.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        assert_eq!(cells.len(), 5, "a row has five cells: {line}");
        let id = cells[0].trim_matches('`');
        // A rule the fixes added after the readings says so in both
        // columns ("new") and its resolution names the clause it reads.
        let added = cells[1] == "new" && cells[2] == "new";
        for verdict in &cells[1..3] {
            assert!(
                added || VERDICTS.contains(verdict),
                "{id}: verdict `{verdict}`"
            );
        }
        let same = if cells[1] == cells[2] { "yes" } else { "no" };
        assert_eq!(cells[3], same, "{id}: agree");
        assert!(cells[4].len() > 10, "{id}: no resolution");
        assert!(rows.insert(id.to_string()), "{id} has two rows");
        // A row of a rule no pack has says it was removed (or renamed).
        let all: BTreeSet<&str> = catalog.rules.iter().map(|r| r.id.as_str()).collect();
        assert!(
            all.contains(id) || cells[4].contains("removed") || cells[4].contains("renamed"),
            "{id}: no such rule, and the row does not say it was removed"
        );
    }
    let missing: Vec<&str> = traced_rule_ids(&catalog)
        .into_iter()
        .filter(|id| !rows.contains(*id))
        .collect();
    assert!(missing.is_empty(), "rules without a row: {missing:?}");
}

/// Every file of `from`, copied to `to` as the pack `id` (a sixth city):
/// its rule ids, fixture markers and names rewritten.
fn copy_as_city(from: &Path, to: &Path, old: &str, id: &str) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let path = e.path();
        let target = to.join(e.file_name());
        if path.is_dir() {
            copy_as_city(&path, &target, old, id);
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let text = if path.file_name().is_some_and(|n| n == "seed.txt") {
            text
        } else {
            text.replace(&format!("{old}."), &format!("{id}."))
                .replace(&format!("id: {old}\n"), &format!("id: {id}\n"))
                .replace(
                    "aliases: [昆明, 昆明市, kunming]",
                    &format!("aliases: [临沧, 临沧市, {id}]"),
                )
        };
        std::fs::write(target, text).unwrap();
    }
}

/// Issue 22: a sixth city is one step. A copy of a shipped pack under a new
/// id, with no coverage table and no readers' rows, loads beside the five,
/// passes its fixtures, and `peitao coverage` accepts it: it says the pack
/// has no table and counts its rules, the five plans' counts unchanged.
#[test]
fn a_new_city_without_a_coverage_table_is_accepted() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempdir("sixth-city");
    copy_as_city(
        &root.join("rules/kunming"),
        &dir.join("lincang"),
        "kunming",
        "lincang",
    );
    let rules_dir = dir.to_str().unwrap();
    let catalog = peitao::engine::load_embedded().unwrap();
    let kunming = catalog.pack("kunming").unwrap().rules.len();

    let (out, err, code) = peitao(&["test", rules_dir]);
    assert_eq!(code, 0, "{out}{err}");
    let (plans, err, code) = peitao(&["plans", "--rules", rules_dir, "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    assert!(plans.contains("\nlincang\n"), "{plans}");
    assert!(
        plans.ends_with(&format!(
            "{} plans, {} rules\n",
            catalog.packs.len() + 1,
            catalog.rules.len() + kunming
        )),
        "{plans}"
    );

    let (human, err, code) = peitao(&["coverage", "--rules", rules_dir]);
    assert_eq!(code, 0, "{err}");
    assert!(
        human.contains(&format!(
            "lincang: no coverage table (docs/coverage/lincang.yaml): its {kunming} rule(s) are not traced"
        )),
        "{human}"
    );
    let (without, _, _) = peitao(&["coverage"]);
    assert!(
        human.starts_with(without.as_str()),
        "the five plans' counts changed"
    );
    let (one, err, code) = peitao(&["coverage", "--rules", rules_dir, "--plan", "lincang"]);
    assert_eq!(code, 0, "{err}");
    assert!(one.contains("lincang: no coverage table"), "{one}");
    let (json, _, code) = peitao(&["coverage", "--rules", rules_dir, "--format", "json"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        doc["untraced"],
        serde_json::json!([{ "plan": "lincang", "rules": kunming }])
    );
    assert!(doc["summary"]["plans"].get("lincang").is_none());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 21: clause quotes cut by the seed's table layout. A 专栏 cell the
/// seed breaks over two lines ("托育机构登记" / "备案率 |") is quoted whole:
/// no rule clause and no coverage quote ends with the first piece of a
/// broken cell, or starts with its second piece.
#[test]
fn no_quote_stops_inside_a_table_cell_the_seed_breaks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalog = peitao::engine::load_embedded().unwrap();
    let mut quotes: Vec<(String, String)> = clauses()
        .into_iter()
        .map(|c| (c.plan.to_string(), c.quote.to_string()))
        .collect();
    for r in &catalog.rules {
        let plan = catalog.packs[r.pack].manifest.id.to_string();
        quotes.extend(r.clauses().map(|q| (plan.clone(), q.to_string())));
    }
    let mut broken_cells = 0;
    for plan in coverage::plans() {
        let seed = std::fs::read_to_string(root.join(format!("seeds/{plan}.txt"))).unwrap();
        let lines: Vec<&str> = seed.lines().collect();
        for i in 1..lines.len().saturating_sub(1) {
            // Inside a table (the line before ends a cell), a line that ends
            // no cell is the first piece of one the next line ends.
            let (before, first, second) = (lines[i - 1], lines[i], lines[i + 1]);
            if !before.ends_with(" |") || first.ends_with(" |") || !second.ends_with(" |") {
                continue;
            }
            let (first, second) = (first.trim(), second.trim_end_matches(" |").trim());
            // A 专栏's title line stands before its header row, in no cell.
            if first.is_empty() || second.is_empty() || first.starts_with("专栏") {
                continue;
            }
            broken_cells += 1;
            for (p, q) in quotes.iter().filter(|(p, _)| p.as_str() == plan) {
                let q = q.trim();
                assert!(
                    !q.ends_with(first),
                    "{p}: `{q}` stops inside the cell `{first}{second}`"
                );
                assert!(
                    !q.starts_with(second),
                    "{p}: `{q}` starts inside the cell `{first}{second}`"
                );
            }
        }
    }
    // 佳木斯's 专栏 break cells such as 街道居家养老 / 服务站(个).
    assert!(broken_cells >= 3, "only {broken_cells} broken cells found");
}
