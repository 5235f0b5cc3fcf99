//! The plans' texts are kept unchanged: each pack's seed.txt must be byte-identical to
//! what was published (shared/seeds, where present), and every rule's clause
//! must occur in its plan's seed verbatim.

use std::path::Path;

/// (project file, published file, FNV-1a 64 of its bytes, size in bytes)
const SEEDS: &[(&str, &str, u64, usize)] = &[
    (
        "shiyan.txt",
        "000_475e91889537568c.txt",
        0xb00bd7dfd3c592c1,
        32982,
    ),
    (
        "taizhou.txt",
        "001_0bd13fe18e2f9e93.txt",
        0xd0a4135ab3c0dec0,
        13490,
    ),
    (
        "kunming.txt",
        "002_0d367602859f58bf.txt",
        0xf0dfe15b5de55610,
        34906,
    ),
    (
        "honghe.txt",
        "003_311e494da490633c.txt",
        0x9a01ab0bdb169f9e,
        18495,
    ),
    (
        "jiamusi.txt",
        "004_c9aff43e9a432309.txt",
        0x6db06b357f530888,
        27990,
    ),
];

/// `shiyan.txt` → rules/shiyan/seed.txt: each pack holds its plan's text.
fn seed_path(root: &Path, name: &str) -> std::path::PathBuf {
    root.join("rules")
        .join(name.trim_end_matches(".txt"))
        .join("seed.txt")
}

fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[test]
fn seeds_are_unchanged() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/seeds");
    for &(name, published, hash, size) in SEEDS {
        let ours = std::fs::read(seed_path(root, name)).unwrap();
        // seeds/ keeps the project's copy of each plan beside the packs'.
        let kept = std::fs::read(root.join("seeds").join(name)).unwrap();
        assert!(
            ours == kept,
            "rules/*/seed.txt and seeds/{name} differ: keep them identical"
        );
        assert_eq!(
            (fnv1a64(&ours), ours.len()),
            (hash, size),
            "the seed of {name} differs from the recorded checksum"
        );
        if shared.is_dir() {
            let theirs = std::fs::read(shared.join(published)).unwrap();
            assert!(
                ours == theirs,
                "the seed of {name} is not byte-identical to shared/seeds/{published}"
            );
        } else {
            eprintln!(
                "note: ../shared/seeds not present; compared the seed of {name} with its checksum only"
            );
        }
    }
}

#[test]
fn every_clause_is_verbatim_in_its_seed() {
    let catalog = peitao::engine::load_embedded()
        .expect("packs load (the loader refuses clauses not in the seed)");
    assert!(!catalog.rules.is_empty());
    for rule in &catalog.rules {
        let seed = &catalog.packs[rule.pack].seed;
        assert!(
            peitao::plan::in_seed(seed, &rule.clause),
            "{}: clause not found verbatim in {}",
            rule.id,
            catalog.packs[rule.pack].seed_path
        );
    }
}

#[test]
fn every_input_error_code_is_documented() {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/submission-format.md"),
    )
    .unwrap();
    for code in peitao::input::INPUT_CODES {
        assert!(
            doc.contains(&format!("| `{code}` |")),
            "docs/submission-format.md does not list `{code}`"
        );
    }
    for field in peitao::input::format::TABLES.iter().copied().flatten() {
        assert!(
            doc.contains(&format!("{}:", field.name)),
            "docs/submission-format.md does not show `{}`",
            field.name
        );
    }
}
