//! Every fixture of every shipped pack: its `# expect…` markers must match
//! what the rules find, and each case's diagnostics (the human report) are
//! snapshotted, one snapshot per fixture file.

use peitao::engine;
use peitao::fixture;
use peitao::plan::Lang;
use peitao::report::human::{self, Style};
use std::fmt::Write as _;
use std::path::Path;

fn relative(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn fixtures_meet_their_expectations() {
    let catalog = engine::load_embedded().expect("shipped packs load");
    let style = Style {
        lang: Lang::En,
        color: false,
        width: 100,
    };
    insta::glob!("../rules", "*/tests/*.yaml", |path| {
        let rel = relative(path);
        let pack_dir = rel.split("/tests/").next().unwrap();
        let pack = catalog
            .packs
            .iter()
            .position(|p| p.dir == pack_dir)
            .expect("fixture belongs to a pack");
        let text = std::fs::read_to_string(path).unwrap();
        // Each fixture runs once: its markers are checked on these runs and
        // the snapshot holds their diagnostics, as a reader sees them (the
        // markers already pin every outcome; JSON has tests of its own).
        let runs = fixture::run_fixture(&catalog, pack, &rel, &text);
        assert!(!runs.is_empty(), "{rel} has no case");
        let mut out = String::new();
        for run in &runs {
            let _ = writeln!(out, "=== case at line {}", run.case.first_line);
            human::render_file(&catalog, &run.result, &style, &mut out);
        }
        let (report, ok) = peitao::report::fixtures::render(
            &catalog,
            &[peitao::report::fixtures::FileRuns { path: &rel, runs }],
            None,
            peitao::plan::Lang::En,
        );
        assert!(ok, "{report}");
        // Fixture names repeat across packs: the pack names the snapshot.
        let name = rel
            .trim_start_matches("rules/")
            .replace("/tests/", "__")
            .trim_end_matches(".yaml")
            .to_string();
        insta::assert_snapshot!(name, out);
    });
}

#[test]
fn every_rule_fires_and_holds_in_some_fixture() {
    let catalog = engine::load_embedded().unwrap();
    let mut runs = Vec::new();
    for (p, pack) in catalog.packs.iter().enumerate() {
        for (path, text) in &pack.fixtures {
            runs.extend(fixture::run_fixture(&catalog, p, path, text));
        }
    }
    let gaps: Vec<String> = fixture::coverage_of(&catalog, runs.iter())
        .into_iter()
        .filter(|(_, c)| !(c.fires && c.holds))
        .map(|(r, c)| format!("{} {c:?}", catalog.rules[r].id))
        .collect();
    assert!(gaps.is_empty(), "rules short of coverage: {gaps:#?}");
}

#[test]
fn a_changed_expectation_fails_with_a_readable_diff() {
    let catalog = engine::load_embedded().unwrap();
    let pack = catalog
        .packs
        .iter()
        .position(|p| p.manifest.id == "shiyan")
        .unwrap();
    let text = "version: 1\nestate:\n  status: new\n  households: 2600\nfacilities:\n  - { id: F1, kind: elderly_service, floor_area: 520 }  # expect: shiyan.elderly-space-new\n";
    let runs = fixture::run_fixture(
        &catalog,
        pack,
        "rules/shiyan/tests/elderly-space-new.yaml",
        text,
    );
    assert!(!runs[0].passed());
    let (report, ok) = peitao::report::fixtures::render(
        &catalog,
        &[peitao::report::fixtures::FileRuns {
            path: "x.yaml",
            runs,
        }],
        None,
        peitao::plan::Lang::En,
    );
    assert!(!ok);
    assert!(
        report.contains("- line 6: expect: shiyan.elderly-space-new   (expected, not found)"),
        "{report}"
    );
}

#[test]
fn a_case_without_expectations_fails() {
    let catalog = engine::load_embedded().unwrap();
    let runs = fixture::run_fixture(
        &catalog,
        0,
        "rules/x/tests/all.yaml",
        "version: 1\nestate: { status: existing }\n",
    );
    assert!(!runs[0].states_something());
    assert!(!runs[0].passed());
}
