//! The spanned tree built directly from the parser's events must be the
//! tree serde-saphyr builds (values, kinds, spans), and `parse` must give
//! what serde-saphyr gives, tree or error, on every file the project has:
//! the benchmark corpus, the large files, the examples, the packs' fixtures,
//! the bad-input corpus and hostile cases. The `yaml_differential` fuzz
//! target (docs/fuzzing.md) does the same on generated input.

use peitao::input::yaml::{first_difference, parse, parse_direct, parse_with_serde};
use peitao::input::Limits;

/// Compares the two paths on one text. Returns whether the direct builder
/// handled it (rather than deferring to serde-saphyr).
#[track_caller]
fn same(name: &str, text: &str) -> bool {
    let options = Limits::default().yaml_options();
    let reference = parse_with_serde(text, options.clone());
    let direct = parse_direct(text, &options);
    if let Some(tree) = &direct {
        match &reference {
            Ok(expected) => {
                if let Some(d) = first_difference(tree, expected) {
                    panic!("{name}: the direct tree differs from serde-saphyr's at {d}\n{text}");
                }
            }
            Err(e) => panic!("{name}: direct tree built, serde-saphyr refuses: {e}\n{text}"),
        }
    }
    // What callers get is serde-saphyr's answer, tree or error.
    match (parse(text, options), &reference) {
        (Ok(a), Ok(b)) => assert_eq!(first_difference(&a, b), None, "{name}"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{name}"),
        (a, b) => panic!("{name}: parse gives {a:?}, serde-saphyr {b:?}"),
    }
    direct.is_some()
}

fn files_in(dir: &str) -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            out.push((entry.path().display().to_string(), text));
        }
    }
    assert!(!out.is_empty(), "no YAML under {dir}");
    out
}

/// The corpus in four quarters, so that they run in parallel; every
/// third file (3,334 of the benchmark's 10,000, drawn by the same
/// generator: the quarters start at multiples of three within each half,
/// so the files are those of the two halves this once was), which keeps
/// `cargo test` quick; the fuzz target `yaml_differential` explores further.
fn corpus_range(range: std::ops::Range<u64>) {
    for i in range.step_by(3) {
        let text = peitao::corpus::submission(i);
        assert!(same(&format!("corpus {i}"), &text), "corpus {i} deferred");
    }
}

#[test]
fn the_benchmark_corpus_takes_the_direct_path_with_the_same_tree_first_quarter() {
    corpus_range(0..2_502);
}

#[test]
fn the_benchmark_corpus_takes_the_direct_path_with_the_same_tree_second_quarter() {
    corpus_range(2_502..5_000);
}

#[test]
fn the_benchmark_corpus_takes_the_direct_path_with_the_same_tree_third_quarter() {
    corpus_range(5_000..7_502);
}

#[test]
fn the_benchmark_corpus_takes_the_direct_path_with_the_same_tree_fourth_quarter() {
    corpus_range(7_502..10_000);
}

/// The longest test here (the 20,000 facilities): its name sorts before
/// the corpus quarters', so that libtest (which starts tests in the order
/// of their names) starts it early and the quarters run beside it.
#[test]
fn large_files_take_the_direct_path_with_the_same_tree() {
    // The smallest and the largest of the benchmark's sizes (the files
    // in between repeat the same records).
    for n in [2_500, 20_000] {
        let text = peitao::corpus::many_facilities(n);
        assert!(same(&format!("{n} facilities"), &text), "{n} deferred");
    }
}

#[test]
fn examples_fixtures_and_bad_inputs_give_the_same_tree() {
    let mut direct = 0;
    let mut total = 0;
    let mut deferred = Vec::new();
    for dir in ["examples", "rules", "tests/input"] {
        for (name, text) in files_in(dir) {
            // A pack's fixture holds cases separated by `---`: each is a
            // submission, as the fixture runner reads them; the whole file
            // is several documents, which serde-saphyr refuses.
            same(&name, &text);
            for (i, case) in peitao::fixture::cases(&text).iter().enumerate() {
                total += 1;
                if same(&format!("{name} case {i}"), &case.text) {
                    direct += 1;
                } else {
                    deferred.push(format!("{name} case {i}"));
                }
            }
        }
    }
    // Only the cases that use anchors, tags or bad syntax defer.
    assert!(
        direct * 10 >= total * 9,
        "{direct} of {total} direct; deferred: {deferred:#?}"
    );
}

const HEAD: &str = "version: 1\nsubmission: { jurisdiction: shiyan, filed: 2025-03-01 }\n";

/// Cases chosen to hit each rule of scalar resolution, each fallback and
/// each budget, and the shapes of tests/hostile.rs.
fn hostile() -> Vec<String> {
    let scalars = [
        "",
        "~",
        "null",
        "Null",
        "NULL",
        "nULL",
        "true",
        "True",
        "TRUE",
        "tRuE",
        "yes",
        "Y",
        "y",
        "n",
        "No",
        "on",
        "OFF",
        "false",
        "0",
        "-0",
        "+0",
        "00",
        "007",
        "-007",
        "+12",
        "12",
        "-12",
        "1_000",
        "1__0",
        "_1",
        "1_",
        "0x1F",
        "0X1F",
        "-0x1F",
        "0o17",
        "0O17",
        "0b101",
        "0B101",
        "0x",
        "0b2",
        "0o8",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "18446744073709551615",
        "18446744073709551616",
        "170141183460469231731687303715884105728",
        "1.5",
        "-1.5",
        "+1.5",
        ".5",
        "5.",
        "1e3",
        "1E3",
        "2.6e3",
        "1e-3",
        "1e309",
        "-1e309",
        "1e",
        "e1",
        ".nan",
        ".NaN",
        "-.nan",
        "+.nan",
        ".inf",
        "-.inf",
        "+.Inf",
        ".INF",
        "inf",
        "-inf",
        "nan",
        "NaN",
        "infinity",
        "1.2万㎡",
        "560 m²",
        "0.3 km",
        "2024-05",
        "2025-02-30",
        "12:30",
        "1,000",
        "1 000",
        "- 1",
        "-",
        ".",
        "+",
        "1.2.3",
        "0.0",
        "-0.0",
        "1e+5",
        "阳光花园",
        "a b",
        "a#b",
        "<<",
        "=",
        "!",
        "&",
        "*",
    ];
    let mut cases: Vec<String> = scalars
        .iter()
        .flat_map(|s| {
            [
                format!("{HEAD}estate: {{ name: {s} }}\n"),
                format!("{HEAD}estate:\n  name: {s}\n"),
                format!("{HEAD}estate:\n  {s}: 1\n"),
                format!("{HEAD}facilities: [{s}]\n"),
                format!("{s}\n"),
            ]
        })
        .collect();
    let shapes = [
        // quoting and block scalars
        "a: 'single'\nb: \"dou\\tble\"\nc: |\n  literal\n  text\nd: >\n  folded\n  text\ne: \"12\"\nf: ''\ng: \"\"\n",
        "a: |-\n  keep\nb: >+\n  more\n\nc: plain\n  continued\n  lines\n",
        "a:\nb: ~\nc: [ ]\nd: { }\ne: [a, [b, [c]], {x: y}]\n",
        // flow and block mixtures, empty values, comments, complex keys
        "- a\n- - b\n  - c\n- {x: 1, y: [2, 3]}\n-\n- # comment\n  d\n",
        "? complex\n: value\n? [a, b]\n: c\n",
        "{a: 1, b: 2}\n",
        "[1, 2, 3]\n",
        "a: 1 # trailing\n# own line\nb: 2\n",
        "a: 1\na: 2\n",
        // BOM, CRLF, directives, markers, several documents
        "\u{feff}version: 1\nestate: {households: 10}\n",
        "version: 1\r\nestate:\r\n  households: 10\r\n",
        "%YAML 1.2\n---\nversion: 1\n",
        "%YAML 1.1\n---\na: yes\n",
        "---\nversion: 1\n...\n",
        "---\n",
        "--- 1\n",
        "version: 1\n---\nversion: 1\n",
        "",
        "# only a comment\n",
        "\n\n\n",
        // tags, anchors, aliases, merges
        "a: !!str 12\nb: !!int \"12\"\nc: !custom x\n",
        "a: !!python/object:os.system {x: 1}\n",
        "a: &x 1\nb: *x\n",
        "a: &x [1, 2]\nb: *x\nc: *x\n",
        "- &room {id: F1, floor_area: 400}\n- <<: *room\n  id: F2\n",
        "a: *missing\n",
        "'<<': 1\n",
        // syntax errors and tabs
        "a: [1, 2\n",
        "a: {b: 1\n",
        "a:\n\tb: 1\n",
        "a: b: c\n",
        "- a\nb: c\n",
        "a: 'unterminated\n",
        "a: \"bad \\q escape\"\n",
        "  a: 1\n b: 2\n",
        "key with a very long plain scalar that goes on: 1\n",
    ];
    cases.extend(shapes.iter().map(|s| s.to_string()));
    // Depth around the budget, in flow and block style.
    let depth = Limits::default().max_depth;
    for d in [depth - 2, depth - 1, depth, depth + 1, 200] {
        cases.push(format!("a: {}{}\n", "[".repeat(d), "]".repeat(d)));
        let block: String = (0..d).map(|i| format!("{}a:\n", "  ".repeat(i))).collect();
        cases.push(block);
    }
    // An alias bomb.
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    cases.push(bomb);
    // Large mappings with a repeated key; a long single line.
    let keys: String = (0..40).map(|i| format!("  k{i}: 1\n")).collect();
    cases.push(format!("{HEAD}estate:\n{keys}  k7: 2\n"));
    cases.push(format!("a: {}\n", "x".repeat(100_000)));
    cases
}

#[test]
fn hostile_cases_give_the_same_tree_or_the_same_error() {
    let mut deferred = Vec::new();
    let cases = hostile();
    for (i, text) in cases.iter().enumerate() {
        if !same(&format!("hostile case {i}"), text) {
            deferred.push(text.as_str());
        }
    }
    // Deferring is right for the tags, anchors, errors, non-finite numbers
    // and budgets here; the plain data (most cases) must take the direct path.
    assert!(
        deferred.len() * 5 < cases.len(),
        "{} of {} deferred: {deferred:#?}",
        deferred.len(),
        cases.len()
    );
}

#[test]
fn budgets_still_hold_on_the_direct_path() {
    // A file at the node budget: the direct path defers, serde-saphyr refuses.
    let limits = Limits {
        max_nodes: 1_000,
        ..Default::default()
    };
    let big = peitao::corpus::many_facilities(200);
    assert!(parse_direct(&big, &limits.yaml_options()).is_none());
    let e = peitao::input::parse_submission(&big, &limits).unwrap_err();
    assert_eq!(e[0].code, "too-complex", "{e:?}");
    // Within the budget the direct path builds it.
    assert!(parse_direct(&big, &Limits::default().yaml_options()).is_some());
}

/// The fuzzer's corpus (docs/fuzzing.md), replayed: every input it kept
/// gives the same tree or defers. Run after a fuzz run with
/// `cargo test --test yaml_differential -- --ignored`.
#[test]
#[ignore = "needs fuzz/corpus/yaml_differential from a fuzz run"]
fn the_fuzz_corpus_gives_the_same_tree() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/yaml_differential");
    let (mut total, mut direct) = (0, 0);
    for entry in std::fs::read_dir(&dir).expect("a fuzz corpus") {
        let path = entry.unwrap().path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // not UTF-8: the fuzz target skips it too
        };
        total += 1;
        direct += usize::from(same(&path.display().to_string(), &text));
    }
    eprintln!("{direct} of {total} inputs built directly, the rest deferred");
    assert!(total > 0 && direct > 0, "{direct} of {total}");
}
