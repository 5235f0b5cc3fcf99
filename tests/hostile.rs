//! Hostile input: every case gets a located error with the code expected,
//! or is accepted with the meaning docs/limits.md documents. Nothing panics;
//! large and exploding inputs fail on a budget, not on time or memory.

use peitao::check::{self, FileResult, Outcome};
use peitao::input::Value;
use peitao::{engine, engine::Catalog};
use std::sync::OnceLock;

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| engine::load_embedded().unwrap())
}

const HEAD: &str = "version: 1\nsubmission: { jurisdiction: shiyan, filed: 2025-03-01 }\n";

fn run(text: &str) -> FileResult {
    check::check_text(catalog(), "case.yaml", text.into(), &Default::default())
}

/// The file is refused with `code`, pointing at `line`.
#[track_caller]
fn refused(text: &str, code: &str, line: usize) {
    let r = run(text);
    let Outcome::Invalid(errors) = &r.outcome else {
        panic!("accepted, expected {code}: {:?}", r.outcome)
    };
    let found: Vec<(&str, usize)> = errors
        .iter()
        .map(|e| {
            (
                e.code.as_str(),
                text[..e.span.offset.min(text.len())].matches('\n').count() + 1,
            )
        })
        .collect();
    assert!(
        found.contains(&(code, line)),
        "expected {code} on line {line}, got {found:?}"
    );
}

#[track_caller]
fn accepted(text: &str) -> peitao::input::Submission {
    let r = run(text);
    assert!(
        matches!(r.outcome, Outcome::Checked(_)),
        "refused: {:?}",
        r.outcome
    );
    peitao::input::parse_submission(text, &Default::default()).unwrap()
}

#[test]
fn alias_bombs_fail_on_the_alias_budget() {
    let mut text = String::from("version: 1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    refused(&text, "too-complex", 6);
}

#[test]
fn deep_nesting_fails_on_the_depth_budget() {
    refused(
        &format!(
            "version: 1\nestate: {}{}\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
        "too-complex",
        2,
    );
    let block: String = (0..3000)
        .map(|i| format!("{}a:\n", "  ".repeat(i)))
        .collect();
    refused(&format!("version: 1\n{block}"), "too-complex", 34);
}

#[test]
fn a_100_mb_file_is_refused_before_it_is_read() {
    let dir = std::env::temp_dir().join(format!("peitao-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge.yaml");
    std::fs::File::create(&path)
        .unwrap()
        .set_len(100 << 20)
        .unwrap(); // sparse: costs no disk
    let r = check::check_file(catalog(), &path, &Default::default());
    let Outcome::Invalid(e) = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    assert_eq!(e[0].code, "too-large");
    let message = peitao::report::messages::say(&e[0].message, peitao::plan::Lang::En);
    assert!(message.contains("104857600 bytes"), "{message}");
}

#[test]
fn binary_noise_and_invalid_utf8_are_not_text() {
    let dir = std::env::temp_dir().join(format!("peitao-hostile-bytes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut seed: u32 = 0x9e37_79b9;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            (seed >> 24) as u8
        })
        .chain([0xff])
        .collect();
    for (name, bytes, line) in [
        ("noise.yaml", noise, None),
        (
            "latin1.yaml",
            b"version: 1\nestate:\n  name: caf\xe9\n".to_vec(),
            Some(3),
        ),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, &bytes).unwrap();
        let r = check::check_file(catalog(), &path, &Default::default());
        let Outcome::Invalid(e) = &r.outcome else {
            panic!("{name}: {:?}", r.outcome)
        };
        assert_eq!(e[0].code, "not-utf8", "{name}");
        if let Some(line) = line {
            assert_eq!(r.source[..e[0].span.offset].matches('\n').count() + 1, line);
        }
    }
}

#[test]
fn bom_crlf_and_comments_are_accepted() {
    let body = "estate:\n  status: new\n  households: 10\n";
    let dir = std::env::temp_dir().join(format!("peitao-hostile-bom-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bom.yaml");
    std::fs::write(&path, format!("\u{feff}{HEAD}{body}")).unwrap();
    assert!(matches!(
        check::check_file(catalog(), &path, &Default::default()).outcome,
        Outcome::Checked(_)
    ));
    let s = accepted(&format!("{HEAD}{body}").replace('\n', "\r\n"));
    assert_eq!(s.estate.unwrap().int("households"), Some(10));
}

#[test]
fn tabs_empty_files_and_streams() {
    refused(&format!("{HEAD}estate:\n\tstatus: new\n"), "yaml-syntax", 4);
    refused("", "not-a-mapping", 1);
    refused("# only a comment\n", "not-a-mapping", 1);
    refused(&format!("{HEAD}---\nversion: 1\n"), "multiple-documents", 3);
    refused("- version: 1\n", "not-a-mapping", 1);
}

#[test]
fn numbers_yaml_reads_oddly() {
    refused(
        &format!("{HEAD}estate: {{ households: 1e309 }}\n"),
        "not-finite",
        3,
    );
    refused(
        &format!("{HEAD}facilities: [{{ id: F, floor_area: .nan }}]\n"),
        "not-finite",
        3,
    );
    refused(
        &format!("{HEAD}facilities: [{{ id: F, floor_area: .inf }}]\n"),
        "not-finite",
        3,
    );
    refused(
        &format!("{HEAD}facilities: [{{ id: F, floor_area: -.inf }}]\n"),
        "not-finite",
        3,
    );
    refused(
        &format!("{HEAD}estate: {{ households: 0x10 }}\n"),
        "wrong-type",
        3,
    );
    refused(
        &format!("{HEAD}estate: {{ households: 0o20 }}\n"),
        "wrong-type",
        3,
    );
    refused(
        &format!("{HEAD}estate: {{ households: 99999999999999999999999999999999999999999 }}\n"),
        "too-big",
        3,
    );
    refused(
        &format!("{HEAD}estate: {{ households: 1000000000001 }}\n"),
        "too-big",
        3,
    );
    refused(
        &format!("{HEAD}estate: {{ households: \"2600\" }}\n"),
        "wrong-type",
        3,
    );
    refused(&format!("{HEAD}estate: {{ status: 1 }}\n"), "wrong-type", 3);
    refused(
        &format!("{HEAD}estate: {{ name: [a, b] }}\n"),
        "wrong-type",
        3,
    );
    // Documented meanings: -0 is 0; 1_000 is 1000 (digit grouping); 2.6e3 is 2600.
    let s = accepted(&format!("{HEAD}estate: {{ households: 1_000, population: 2.6e3 }}\nfacilities: [{{ id: F, kind: elderly_service, floor_area: -0 }}]\n"));
    assert_eq!(s.estate.as_ref().unwrap().int("households"), Some(1000));
    assert_eq!(s.estate.as_ref().unwrap().int("population"), Some(2600));
    assert_eq!(
        s.facilities[0].get("floor_area").unwrap().value,
        Value::Num(engine::Num::ZERO)
    );
}

#[test]
fn impossible_dates_and_inconsistent_records() {
    refused(
        &format!("{HEAD}estate: {{ schedule: {{ delivery: 2025-13-01 }} }}\n"),
        "bad-date",
        3,
    );
    refused(
        &format!("{HEAD}estate: {{ schedule: {{ delivery: 2025-02-30 }} }}\n"),
        "bad-date",
        3,
    );
    refused(
        &format!("{HEAD}facilities:\n  - id: F1\n  - id: F1\n"),
        "duplicate-id",
        5,
    );
    refused(
        &format!("{HEAD}institutions:\n  - {{ id: I, beds: 10, nursing_beds: 11 }}\n"),
        "exceeds-whole",
        4,
    );
    refused(
        &format!("{HEAD}facilities:\n  - {{ id: C, slots: 10, inclusive_slots: 11 }}\n"),
        "exceeds-whole",
        4,
    );
}

#[test]
fn look_alike_keys_tags_and_merges() {
    refused(
        &format!("{HEAD}estate: {{ Households: 5 }}\n"),
        "unknown-key",
        3,
    );
    refused(
        &format!("{HEAD}estate: {{ ｈｏｕｓｅｈｏｌｄｓ: 5 }}\n"),
        "unknown-key",
        3,
    );
    refused(
        &format!("{HEAD}estate: {{ households: 5, Households: 6 }}\n"),
        "unknown-key",
        3,
    );
    refused(
        &format!("{HEAD}estate: !!python/object:os.system {{ households: 1 }}\n"),
        "unsupported-tag",
        3,
    );
    refused(
        &format!("{HEAD}estate: !custom {{ households: 1 }}\n"),
        "unsupported-tag",
        3,
    );
    // Core tags too: the parser would resolve them (`!!int "0x10"` as 16).
    for tagged in [
        "households: !!int \"0x10\"",
        "households: !!float 2600",
        "name: !!str 5",
        "status: !<tag:yaml.org,2002:str> new",
    ] {
        refused(
            &format!("{HEAD}estate:\n  {tagged}\n"),
            "unsupported-tag",
            4,
        );
    }
    // Merge keys are YAML: the merged fields count as written (docs/limits.md).
    let s = accepted(&format!(
        "{HEAD}facilities:\n  - &room {{ id: F1, kind: elderly_service, floor_area: 400 }}\n  - <<: *room\n    id: F2\n"
    ));
    assert_eq!(
        s.facilities[1].get("floor_area").unwrap().value,
        Value::Num(engine::Num::int(400))
    );
    assert_eq!(s.facilities[1].text("id"), Some("F2"));
}

#[test]
fn too_many_records_are_refused() {
    let limits = peitao::input::Limits {
        max_records: 3,
        ..Default::default()
    };
    let text = format!(
        "{HEAD}facilities:\n  - {{ id: A }}\n  - {{ id: B }}\n  - {{ id: C }}\n  - {{ id: D }}\n"
    );
    let e = peitao::input::parse_submission(&text, &limits).unwrap_err();
    assert_eq!(e[0].code, "too-many-records");
}

/// Text from a submission never drives the reviewer's terminal: escape
/// sequences in values, in comments and in the file's name are neutralised.
#[test]
fn escape_sequences_do_not_reach_the_terminal() {
    let dir = std::env::temp_dir().join(format!("peitao-hostile-ansi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        // A value: YAML's \e escape makes a real ESC in the facility's id.
        ("value.yaml", format!("{HEAD}estate: {{ status: new, households: 100 }}\nfacilities:\n  - {{ id: \"\\e[2J\\e[31mF1\", kind: elderly_service, floor_area: 10 }}\n")),
        // A raw ESC byte in a comment next to an error.
        ("comment.yaml", format!("{HEAD}estate: {{ households: -1 }} # \u{1b}[2J\n")),
        // And in the file's own name.
        ("name\u{1b}[2J.yaml", format!("{HEAD}estate: {{ households: -1 }}\n")),
    ];
    for (name, text) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_peitao"))
            .args([
                "check",
                path.to_str().unwrap(),
                "--color",
                "never",
                "--lang",
                "en",
            ])
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            !stdout.contains('\u{1b}'),
            "{name}: an escape reached the terminal:\n{stdout}"
        );
        assert!(
            stdout.contains("F1") || stdout.contains("input::"),
            "{name}: {stdout}"
        );
    }
}

#[test]
fn duplicate_keys_are_found_in_large_mappings_too() {
    let keys: String = (0..40).map(|i| format!("  k{i}: 1\n")).collect();
    let text = format!("{HEAD}estate:\n{keys}  k7: 2\n");
    refused(&text, "duplicate-key", 44);
    let e = peitao::input::parse_submission(&text, &Default::default()).unwrap_err();
    let dup = e.iter().find(|e| e.code == "duplicate-key").unwrap();
    assert_eq!(
        &text[dup.related[0].0.offset..dup.related[0].0.offset + 2],
        "k7",
        "points at the first k7 too"
    );
}
