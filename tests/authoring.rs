//! The worked example of docs/writing-rules.md, run for real: its files are
//! written to a temporary directory, loaded with `--rules`, tested with
//! `peitao test`, and broken on purpose to see each refusal.

mod common;

use common::peitao;
use std::path::{Path, PathBuf};

/// The guide's `<!-- file: PATH -->` blocks, written under a fresh directory.
fn guide_files(name: &str) -> PathBuf {
    let guide = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/writing-rules.md"),
    )
    .unwrap();
    let dir = std::env::temp_dir().join(format!("peitao-guide-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut written = 0;
    for part in guide.split("<!-- file: ").skip(1) {
        let (path, rest) = part.split_once(" -->").unwrap();
        let body = rest.split_once("```").unwrap().1; // opening fence
        let body = body.split_once('\n').unwrap().1; // its language tag
        let body = body.split_once("```").unwrap().0;
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, body).unwrap();
        written += 1;
    }
    assert_eq!(written, 6, "the guide's worked example has six files");
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn the_worked_example_is_tested_and_checked_like_a_shipped_pack() {
    let dir = guide_files("ok");
    let pack = dir.join("beichen");
    let (out, err, code) = peitao(&["test", s(&pack), "--coverage"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("ok     ") && out.contains("elderly-space-new.yaml (3 cases)"),
        "{out}"
    );
    assert!(
        out.contains("coverage: 2 of 2 rules fire and hold"),
        "{out}"
    );

    let (out, err, code) = peitao(&[
        "check",
        "--rules",
        s(&pack),
        s(&dir.join("submission.yaml")),
        "--lang",
        "en",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("elderly-service space 90 m² < 100 m² required = 25 m² ×"),
        "{out}"
    );
    assert!(out.contains("北辰政发〔2025〕3号"), "{out}");

    // The built-in packs are still there beside it.
    let builtin = peitao::engine::load_embedded().unwrap().rules.len();
    let (out, _, _) = peitao(&["rules", "--rules", s(&pack)]);
    assert!(out.ends_with(&format!("{} rules\n", builtin + 2)), "{out}");
    let (out, _, _) = peitao(&[
        "plans",
        "--rules",
        s(&pack),
        "--no-builtin-rules",
        "--lang",
        "en",
    ]);
    assert!(out.contains("dated      unknown"), "{out}");
}

#[test]
fn a_changed_expectation_fails_with_a_diff() {
    let dir = guide_files("diff");
    let fixture = dir.join("beichen/tests/elderly-space-new.yaml");
    let text = std::fs::read_to_string(&fixture).unwrap();
    std::fs::write(
        &fixture,
        text.replace("floor_area: 99 }", "floor_area: 100 }"),
    )
    .unwrap();
    let (out, _, code) = peitao(&["test", s(&dir.join("beichen"))]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAILED"), "{out}");
    assert!(
        out.contains("- line 7: expect: beichen.elderly-space-new   (expected, not found)"),
        "{out}"
    );
}

/// Break the pack one way, and expect it refused with `code`, pointing into `file`.
fn refused(name: &str, breakage: impl FnOnce(&Path), code: &str, file: &str) {
    let dir = guide_files(name);
    breakage(&dir.join("beichen"));
    let (out, err, status) = peitao(&["test", s(&dir.join("beichen"))]);
    assert_eq!(status, 2, "{name}: {out}{err}");
    assert!(err.contains(code), "{name}: expected {code}: {err}");
    assert!(
        err.contains(&format!("beichen/{file}:")),
        "{name}: expected a pointer into {file}: {err}"
    );
}

fn edit(path: PathBuf, from: &str, to: &str) {
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{} lacks {from}", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}

#[test]
fn broken_packs_are_refused_pointing_into_the_file() {
    refused(
        "clause",
        |p| {
            edit(
                p.join("pack.yaml"),
                "clause: 新建住宅小区按照每百户不低于25",
                "clause: 新建住宅小区按照每百户不少于25",
            )
        },
        "plan::clause-not-in-seed",
        "pack.yaml",
    );
    refused(
        "script-clause",
        |p| {
            edit(
                p.join("medical-room.rhai"),
                "clause: \"150张以上",
                "clause: \"151张以上",
            )
        },
        "plan::clause-not-in-seed",
        "medical-room.rhai",
    );
    refused(
        "syntax",
        |p| {
            edit(
                p.join("medical-room.rhai"),
                "fn institution(i) {",
                "fn institution(i) {{",
            )
        },
        "plan::script-syntax",
        "medical-room.rhai",
    );
    refused(
        "meta",
        |p| {
            edit(
                p.join("medical-room.rhai"),
                "    severity:",
                "    severty: 1,\n    severity:",
            )
        },
        "plan::bad-metadata",
        "medical-room.rhai",
    );
    refused(
        "template-param",
        |p| edit(p.join("pack.yaml"), "      amount: 25", "      amuont: 25"),
        "plan::bad-template",
        "pack.yaml",
    );
    refused(
        "prefix",
        |p| {
            edit(
                p.join("medical-room.rhai"),
                "id: \"beichen.",
                "id: \"shiyan.",
            )
        },
        "plan::bad-metadata",
        "medical-room.rhai",
    );
    refused(
        "duplicate",
        |p| {
            std::fs::copy(p.join("medical-room.rhai"), p.join("again.rhai"))
                .map(|_| ())
                .unwrap()
        },
        "plan::duplicate-rule",
        "medical-room.rhai",
    );
    refused(
        "manifest",
        |p| {
            edit(
                p.join("pack.yaml"),
                "seed: seed.txt",
                "seed: seed.txt\nissued_by: 北辰市",
            )
        },
        "plan::bad-manifest",
        "pack.yaml",
    );
    refused(
        "seed",
        |p| edit(p.join("pack.yaml"), "seed: seed.txt", "seed: missing.txt"),
        "plan::missing-seed",
        "pack.yaml",
    );
}

#[test]
fn a_pack_may_not_reuse_a_built_in_id() {
    // A copy of the shipped 十堰 pack, elsewhere, beside the built-in one.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("peitao-dupid-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rules/shiyan")).unwrap();
    std::fs::create_dir_all(dir.join("seeds")).unwrap();
    std::fs::copy(root.join("seeds/shiyan.txt"), dir.join("seeds/shiyan.txt")).unwrap();
    for f in std::fs::read_dir(root.join("rules/shiyan"))
        .unwrap()
        .flatten()
        .filter(|f| f.path().is_file())
    {
        std::fs::copy(f.path(), dir.join("rules/shiyan").join(f.file_name())).unwrap();
    }
    let (_, err, code) = peitao(&[
        "check",
        "--rules",
        s(&dir.join("rules")),
        s(&root.join("examples/shiyan-compliant.yaml")),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("plan::duplicate-pack") && err.contains("pack `shiyan` is also defined"),
        "{err}"
    );
    // Alone, the copy works like the original.
    let (out, err, code) = peitao(&[
        "check",
        "--no-builtin-rules",
        "--rules",
        s(&dir.join("rules")),
        s(&root.join("examples/shiyan-violating.yaml")),
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("shiyan.elderly-space-new"), "{out}");
}
