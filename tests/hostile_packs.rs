//! Rule packs written by an attacker: each escape, hijack, hang and memory
//! case gets its exact error (or the correct result), fast.
//!
//! tests/hostile-packs/<case>/ holds a pack (`pack/`) and `expect`: the
//! command (`args:`, with `{pack}` and `{dir}` standing for the two
//! directories), the exit code, and lines that must (`stdout:`, `stderr:`)
//! or must not (`not-stdout:`, `not-stderr:`, `not-stdout-line:` for a line
//! start) appear. Cases that need a FIFO, a link or a huge file are built
//! here at run time.

mod common;

use common::{peitao, tempdir};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Far below the 5 s the issue allows, on a debug build.
const BOUND: Duration = Duration::from_secs(3);

fn unescape(s: &str) -> String {
    s.replace("\\x1b", "\u{1b}")
}

fn run_case(dir: &Path) {
    let expect = std::fs::read_to_string(dir.join("expect")).unwrap();
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let rel = dir
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(dir)
        .to_string_lossy()
        .into_owned();
    let field = |key: &str| -> Vec<String> {
        expect
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("{key}: ")))
            .map(unescape)
            .collect()
    };
    let args = field("args")[0]
        .replace("{pack}", &format!("{rel}/pack"))
        .replace("{dir}", &rel);
    let args: Vec<&str> = args.split_whitespace().collect();
    let t = Instant::now();
    let (out, err, code) = peitao(&args);
    let took = t.elapsed();
    assert!(took < BOUND, "{name} took {took:?}");
    let exit: i32 = field("exit")[0].parse().unwrap();
    assert_eq!(code, exit, "{name}: exit {code}\n{out}{err}");
    for want in field("stdout") {
        assert!(out.contains(&want), "{name}: stdout lacks {want:?}:\n{out}");
    }
    for want in field("stderr") {
        // miette wraps long messages: compare with the wrap undone.
        let flat = err.replace("\n  │ ", " ");
        assert!(
            flat.contains(&want),
            "{name}: stderr lacks {want:?}:\n{err}"
        );
    }
    for not in field("not-stdout") {
        assert!(!out.contains(&not), "{name}: stdout has {not:?}:\n{out}");
    }
    for not in field("not-stderr") {
        assert!(!err.contains(&not), "{name}: stderr has {not:?}:\n{err}");
    }
    for not in field("not-stdout-line") {
        assert!(
            !out.lines().any(|l| l.starts_with(&not)),
            "{name}: a line starts with {not:?}:\n{out}"
        );
    }
}

#[test]
fn the_corpus_of_hostile_packs() {
    // Two cases at a time (each is one run of the debug binary, bounded
    // alone by BOUND).
    common::on_every_core(&common::hostile_pack_cases(), |case| run_case(case));
}

const SEED: &str = "恶意市方案。新建住宅小区应配建养老服务用房。\n";

fn rule(name: &str, body: &str) -> String {
    format!(
        "#{{ id: \"evil.{name}\", severity: \"error\", title: #{{ zh: \"规则\", en: \"rule\" }}, clause: \"新建住宅小区应配建养老服务用房\" }};\n{body}\n"
    )
}

/// A pack `evil` in a fresh directory, its seed named `seed`.
fn pack(name: &str, seed: &str) -> PathBuf {
    let dir = tempdir(&format!("hostile-{name}")).join("evil");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("pack.yaml"),
        format!("id: evil\ntitle: 恶意市方案\nseed: {seed}\naliases: [恶意]\n"),
    )
    .unwrap();
    std::fs::write(dir.join("r.rhai"), rule("r", "fn estate(s) { holds() }")).unwrap();
    dir
}

/// `peitao plans --no-builtin-rules --rules DIR`, timed: (stderr, exit).
fn load(dir: &Path) -> (String, i32) {
    let t = Instant::now();
    let (_, err, code) = peitao(&[
        "plans",
        "--no-builtin-rules",
        "--rules",
        dir.to_str().unwrap(),
    ]);
    assert!(t.elapsed() < BOUND, "took {:?}", t.elapsed());
    (err.replace("\n  │ ", " "), code)
}

#[cfg(unix)]
#[test]
fn seeds_that_are_fifos_devices_or_links_out_are_refused_unopened() {
    use std::os::unix::fs::symlink;
    // A FIFO would block every command if it were opened.
    let dir = pack("fifo", "seed.txt");
    let fifo = dir.join("seed.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let (err, code) = load(&dir);
    assert_eq!(code, 2);
    assert!(
        err.contains("plan::not-a-file") && err.contains("not a regular file"),
        "{err}"
    );
    // /dev/zero would be read without end.
    let dir = pack("zero", "seed.txt");
    symlink("/dev/zero", dir.join("seed.txt")).unwrap();
    let (err, code) = load(&dir);
    assert_eq!(code, 2);
    assert!(
        err.contains("plan::outside-pack") && err.contains("links to /dev/zero"),
        "{err}"
    );
    // A link to a file outside the pack: its contents never reach a report.
    let dir = pack("passwd", "seed.txt");
    symlink("/etc/passwd", dir.join("seed.txt")).unwrap();
    let (err, code) = load(&dir);
    assert_eq!(code, 2);
    assert!(err.contains("links to /etc/passwd"), "{err}");
    assert!(!err.contains("root:"), "{err}");
    // A link from one pack into its sibling's directory.
    let parent = tempdir("hostile-sibling");
    for p in ["a", "b"] {
        std::fs::create_dir_all(parent.join(p)).unwrap();
        std::fs::write(parent.join(p).join("seed.txt"), SEED).unwrap();
    }
    std::fs::write(
        parent.join("a/pack.yaml"),
        "id: a\ntitle: 恶意市方案\nseed: seed.txt\naliases: [甲]\n",
    )
    .unwrap();
    symlink(parent.join("b/rule.rhai"), parent.join("a/r.rhai")).unwrap();
    std::fs::write(
        parent.join("b/rule.rhai"),
        rule("r", "fn estate(s) { holds() }").replace("evil.", "a."),
    )
    .unwrap();
    let (err, code) = load(&parent);
    assert_eq!(code, 2);
    assert!(
        err.contains("plan::outside-pack") && err.contains("outside the pack's directory"),
        "{err}"
    );
}

#[test]
fn oversized_and_overgrown_pack_files_are_refused_fast() {
    // A seed over its size limit: read no further than the limit.
    let dir = pack("big-seed", "seed.txt");
    let big = format!("{SEED}{}", "字".repeat(1_500_000));
    std::fs::write(dir.join("seed.txt"), big).unwrap();
    let (err, code) = load(&dir);
    assert_eq!(code, 2);
    assert!(
        err.contains("plan::too-large") && err.contains("larger than the limit of 4194304 bytes"),
        "{err}"
    );
    // 20,000 switch cases would compile in quadratic time.
    let dir = pack("switch", "seed.txt");
    std::fs::write(dir.join("seed.txt"), SEED).unwrap();
    let cases: String = (0..20_000).map(|i| format!("{i}=>{i},")).collect();
    std::fs::write(
        dir.join("r.rhai"),
        rule(
            "r",
            &format!("fn estate(s) {{ let x = switch 1 {{ {cases} _ => 0 }}; holds() }}"),
        ),
    )
    .unwrap();
    let (err, code) = load(&dir);
    assert_eq!(code, 2);
    assert!(
        err.contains("plan::too-complex")
            && err.contains("20001 switch cases (`=>`), over the limit of 1000 per script"),
        "{err}"
    );
    // A fixture file of 45,000 cases would take gigabytes to split.
    let dir = pack("fixtures", "seed.txt");
    std::fs::write(dir.join("seed.txt"), SEED).unwrap();
    std::fs::create_dir_all(dir.join("tests")).unwrap();
    std::fs::write(dir.join("tests/r.yaml"), "version: 1\n---\n".repeat(45_000)).unwrap();
    let (err, code) = load(&dir);
    assert_eq!(code, 2);
    assert!(
        err.contains("plan::too-large")
            && err.contains("45001 cases, over the limit of 1000 per fixture file"),
        "{err}"
    );
}
