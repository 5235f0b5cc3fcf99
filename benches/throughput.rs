//! peitao's speed, against the floors of reading and parsing the same YAML.
//! Run with `cargo bench`; BENCHMARKS.md explains the figures. Ratios, not
//! seconds, are what to compare across machines: every side is measured in
//! the same run, interleaved, on one thread.
//!
//! Before timing anything, the benchmark checks its answers: every file's
//! outcomes must be free of rule errors and equal the committed expectation
//! in `benches/expected-outcomes.txt` (counts per rule and outcome, and a
//! digest of the findings). A difference fails the run with a diff. When
//! rules change the answers on purpose, re-bless after reading the diff:
//!
//! ```sh
//! PEITAO_BLESS=1 cargo bench
//! ```
//!
//! `PEITAO_BENCH_CONTINUE=1` times even after wrong answers (the run still
//! fails). `PEITAO_BENCH_ANSWERS=1` checks the answers and stops, without
//! timing. `PEITAO_BENCH_FILES=N` checks and times N corpus files instead of 10,000
//! (the expectation then is not compared); `PEITAO_BENCH_STAGES=1` runs each
//! stage once over the corpus and exits, `PEITAO_BENCH_STAGES=10000` the
//! floor and the full check of the 10,000-facility file, for
//! `valgrind --tool=callgrind` (benches/stages.sh, BENCHMARKS.md).

/// The allocator the `peitao` binary uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use peitao::answers::{self, Answers};
use peitao::check::{self, Options};
use peitao::corpus;
use peitao::engine;
use peitao::engine::Catalog;
use peitao::input::yaml;
use peitao::plan::Lang;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FILES: u64 = 10_000;
const FACILITIES: [usize; 4] = [2_500, 5_000, 10_000, 20_000];
const EXPECTED: &str = "benches/expected-outcomes.txt";
const BOUNDARIES: &str = "benches/boundaries.txt";

fn write_corpus(dir: &Path, files: u64) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    (0..files)
        .map(|i| {
            let p = dir.join(format!("{:02}/s{i:05}.yaml", i % 50));
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, corpus::submission(i)).unwrap();
            p
        })
        .collect()
}

// ---------------------------------------------------------------- answers

/// The answers for a set of files (src/answers.rs): files per status,
/// outcomes per rule and outcome, digests of the findings by block, and
/// the rule errors.
fn answers(
    catalog: &Catalog,
    title: &str,
    files: &[PathBuf],
) -> (String, Vec<String>, BTreeMap<(String, &'static str), usize>) {
    let options = Options::default();
    let mut a = Answers::new(title);
    for (i, f) in files.iter().enumerate() {
        let r = check::check_file(catalog, f, &options);
        a.add(catalog, &r, &format!("file {i}"));
    }
    a.render()
}

/// Lines only in `expected` (-) and only in `actual` (+), in file order.
fn diff(expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.lines().collect();
    let new: Vec<&str> = actual.lines().collect();
    let mut out = String::new();
    for l in &old {
        if !new.contains(l) {
            let _ = writeln!(out, "- {l}");
        }
    }
    for l in &new {
        if !old.contains(l) {
            let _ = writeln!(out, "+ {l}");
        }
    }
    out
}

/// Check every answer against the committed expectation; false on a rule
/// error or a difference, which fail the run. `PEITAO_BLESS=1` writes the
/// expectation as found (rule errors still fail).
fn verify(catalog: &Catalog, corpus: &[PathBuf], many: &[(usize, PathBuf)], compare: bool) -> bool {
    let mut actual = String::from(
        "# What `cargo bench` must find before it times anything (benches/throughput.rs).\n\
         # Regenerate after a deliberate change of the rules' answers, having read the diff:\n\
         #   PEITAO_BLESS=1 cargo bench\n",
    );
    let mut rule_errors = Vec::new();
    // Every rule's outcomes over the whole answer corpus.
    let mut all: BTreeMap<(String, &'static str), usize> = BTreeMap::new();
    let mut merge = |outcomes: BTreeMap<(String, &'static str), usize>| {
        for (k, n) in outcomes {
            *all.entry(k).or_default() += n;
        }
    };
    let (text, errors, outcomes) = answers(
        catalog,
        &format!("corpus of {} submissions", corpus.len()),
        corpus,
    );
    actual.push_str(&text);
    rule_errors.extend(errors);
    merge(outcomes);
    for (n, path) in many {
        let (text, errors, outcomes) = answers(
            catalog,
            &format!("one file of {n} facilities"),
            std::slice::from_ref(path),
        );
        actual.push_str(&text);
        rule_errors.extend(errors);
        merge(outcomes);
    }

    // Every fixture case of every pack, as `peitao test` runs it.
    let mut fixtures = Answers::new("fixture cases of every pack");
    answers::fixture_answers(catalog, &mut fixtures, None);
    let (text, errors, outcomes) = fixtures.render();
    actual.push_str(&text);
    rule_errors.extend(errors);
    merge(outcomes);

    // Each rule either side of each figure the fixtures reach: found anew
    // when blessing, else read from the committed list (so that a rule
    // moved since reads differently there).
    let bless = std::env::var_os("PEITAO_BLESS").is_some_and(|v| v != "0");
    let subjects = answers::fixture_subjects(catalog, None);
    let boundaries_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(BOUNDARIES);
    if bless {
        let found = answers::find_boundaries(catalog, &subjects);
        std::fs::write(&boundaries_path, answers::render_boundaries(&found)).unwrap();
        println!("{} boundaries written to {BOUNDARIES}", found.len());
    }
    let boundaries = std::fs::read_to_string(&boundaries_path)
        .map_err(|e| vec![format!("{BOUNDARIES}: {e}")])
        .and_then(|t| answers::parse_boundaries(&t));
    let mut ok = true;
    match boundaries {
        Err(bad) => {
            eprintln!(
                "\nFAIL: {BOUNDARIES} cannot be read:\n  {}",
                bad.join("\n  ")
            );
            ok = false;
        }
        Ok(boundaries) => {
            let run = answers::run_boundaries(catalog, &subjects, &boundaries);
            let _ = writeln!(
                actual,
                "## {} boundaries of {BOUNDARIES}, either side",
                boundaries.len()
            );
            for ((rule, side), n) in &run.outcomes {
                let _ = writeln!(actual, "{rule} {side}: {n}");
            }
            if !run.wrong.is_empty() {
                eprintln!(
                    "\nFAIL: {} side(s) of a boundary read otherwise than {BOUNDARIES} says:",
                    run.wrong.len()
                );
                for w in run.wrong.iter().take(40) {
                    eprintln!("  {w}");
                }
                eprintln!("If the rules changed on purpose, re-bless: PEITAO_BLESS=1 cargo bench");
                ok = false;
            }
            merge(run.outcomes);
        }
    }

    // Every rule both held and violated somewhere in the answer corpus.
    let one_sided = answers::one_sided(catalog, &all);
    let _ = writeln!(
        actual,
        "## both sides\nrules held and violated somewhere: {} of {}",
        catalog.rules.len() - one_sided.len(),
        catalog.rules.len()
    );
    for r in &one_sided {
        let _ = writeln!(actual, "one-sided: {r}");
    }
    if !one_sided.is_empty() {
        eprintln!(
            "\nFAIL: {} rule(s) not both held and violated in the answer corpus:\n  {}",
            one_sided.len(),
            one_sided.join("\n  ")
        );
        ok = false;
    }

    if !rule_errors.is_empty() {
        eprintln!(
            "\nFAIL: {} rule error(s); the benchmark would time an aborted rule:",
            rule_errors.len()
        );
        for e in rule_errors.iter().take(20) {
            eprintln!("  {e}");
        }
        ok = false;
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(EXPECTED);
    if bless {
        std::fs::write(&path, &actual).unwrap();
        println!("answers blessed into {EXPECTED}");
    } else if !compare {
        println!("answers: expectation not compared (not the standard corpus)");
    } else {
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if expected == actual {
            println!("answers: as expected in {EXPECTED}");
        } else {
            eprintln!(
                "\nFAIL: the answers differ from {EXPECTED} (- expected, + found):\n{}",
                diff(&expected, &actual)
            );
            eprintln!("If the rules changed on purpose, re-bless: PEITAO_BLESS=1 cargo bench");
            ok = false;
        }
    }
    ok
}

// ----------------------------------------------------------------- stages

fn yaml_options() -> serde_saphyr::Options {
    peitao::input::Limits::default().yaml_options()
}

/// Read each file, nothing else.
#[inline(never)]
fn stage_read(files: &[PathBuf]) -> usize {
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap().len())
        .sum()
}

/// Read each file and take its `sha256:` identity (`review::digest`, part
/// of every check): natively the CPU's SHA instructions where it has them,
/// which valgrind does not run (under callgrind the hash is software).
#[inline(never)]
fn stage_digest(files: &[PathBuf]) -> usize {
    files
        .iter()
        .map(|f| peitao::review::digest(&std::fs::read(f).unwrap()).len())
        .sum()
}

/// The parser's events with their byte spans, not kept.
#[inline(never)]
fn stage_events(files: &[PathBuf]) -> usize {
    use serde_saphyr::granit_parser::Parser;
    let mut events = 0;
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        let options = serde_saphyr::granit_parser::options! { emit_comments: false };
        for e in Parser::new_from_str_with_options(&text, options) {
            let (_, span) = e.unwrap();
            events += span.end.index() & 1;
        }
    }
    events
}

/// The physical floor: the same events into peitao's spanned tree.
#[inline(never)]
fn stage_tree(files: &[PathBuf]) -> usize {
    let options = yaml_options();
    let mut n = 0;
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        let root = yaml::parse_direct(&text, &options).expect("plain data");
        n += root.span.len;
    }
    n
}

/// serde-saphyr into a generic value (peitao's budget).
#[inline(never)]
fn stage_saphyr(files: &[PathBuf]) -> usize {
    let options = yaml_options();
    let mut n = 0;
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        let v: serde_json::Value =
            serde_saphyr::from_str_with_options(&text, options.clone()).unwrap();
        n += v.as_object().map_or(0, |o| o.len());
    }
    n
}

/// serde-saphyr into peitao's spanned tree through `Spanned`: the input
/// stage before the direct builder, and still its fallback.
#[inline(never)]
fn stage_saphyr_tree(files: &[PathBuf]) -> usize {
    let options = yaml_options();
    let mut n = 0;
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        let root = yaml::parse_with_serde(&text, options.clone()).unwrap();
        n += root.span.len;
    }
    n
}

/// serde_yaml_ng (libyaml) into a generic value: the reference floor.
#[inline(never)]
fn stage_yaml_ng(files: &[PathBuf]) -> usize {
    let mut n = 0;
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        let v: serde_json::Value = serde_yaml_ng::from_str(&text).unwrap();
        n += v.as_object().map_or(0, |o| o.len());
    }
    n
}

/// Everything: read, parse with spans, validate, run every rule of the
/// plan, and render the JSON report of the file to a sink.
#[inline(never)]
fn stage_full(catalog: &Catalog, files: &[PathBuf]) -> usize {
    let options = Options::default();
    let mut findings = 0;
    for f in files {
        let r = check::check_file(catalog, f, &options);
        let json = peitao::report::json::file(catalog, &r, Lang::En);
        findings += json.findings.len();
        serde_json::to_writer(std::io::sink(), &json).unwrap();
    }
    findings
}

// ----------------------------------------------------------------- timing

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Best of `rounds` for each of several measures, taken in turns (a, b, c,
/// a, b, c …) so that a change of machine load falls on all of them.
fn interleaved(rounds: usize, measures: &mut [&mut dyn FnMut() -> usize]) -> Vec<Duration> {
    let mut best = vec![Duration::MAX; measures.len()];
    for _ in 0..rounds {
        for (i, m) in measures.iter_mut().enumerate() {
            let t = Instant::now();
            std::hint::black_box(m());
            best[i] = best[i].min(t.elapsed());
        }
    }
    best
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "**not met**"
    }
}

/// Peak resident memory (VmHWM) of a command, in MiB, sampled from /proc.
fn peak_rss_mib(cmd: &mut Command) -> Option<f64> {
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0.0f64;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status) {
            if let Some(kb) = s
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            {
                peak = peak.max(kb / 1024.0);
            }
        }
        if child.try_wait().ok()?.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Some(peak)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not: then
    // there is nothing to measure.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let count: u64 = std::env::var("PEITAO_BENCH_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(FILES);
    let root = std::env::temp_dir().join(format!("peitao-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let files = write_corpus(&root.join("corpus"), count);
    let many: Vec<(usize, PathBuf)> = FACILITIES
        .iter()
        .map(|&n| {
            let path = root.join(format!("many-{n}.yaml"));
            std::fs::write(&path, corpus::many_facilities(n)).unwrap();
            (n, path)
        })
        .collect();
    // The corpus alone, written where it is asked, for measuring the
    // binary by hand (PEITAO_BENCH_WRITE=DIR).
    if let Some(dir) = std::env::var_os("PEITAO_BENCH_WRITE") {
        let dir = PathBuf::from(dir);
        write_corpus(&dir.join("corpus"), count);
        for (n, path) in &many {
            std::fs::copy(path, dir.join(format!("many-{n}.yaml"))).unwrap();
        }
        let _ = std::fs::remove_dir_all(&root);
        return;
    }
    let catalog = engine::load_embedded().unwrap();

    if let Ok(stages) = std::env::var("PEITAO_BENCH_STAGES") {
        // One pass of each stage, for callgrind's per-function counts: over
        // the corpus, or (PEITAO_BENCH_STAGES=N) over the N-facility file.
        match many.iter().find(|(n, _)| n.to_string() == stages) {
            Some((_, path)) => {
                let one = std::slice::from_ref(path);
                stage_tree(one);
                stage_full(&catalog, one);
            }
            None => {
                stage_read(&files);
                stage_events(&files);
                stage_tree(&files);
                stage_saphyr(&files);
                stage_saphyr_tree(&files);
                stage_yaml_ng(&files);
                stage_full(&catalog, &files);
            }
        }
        let _ = std::fs::remove_dir_all(&root);
        return;
    }

    let bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .sum();
    println!(
        "peitao benchmark: {count} submissions, {:.1} MB, mean {} bytes",
        bytes as f64 / 1e6,
        bytes / count.max(1)
    );
    let answers_ok = verify(&catalog, &files, &many, count == FILES);
    // To measure a branch whose answers are known to be wrong (the run
    // still fails at the end): PEITAO_BENCH_CONTINUE=1.
    if !answers_ok && std::env::var_os("PEITAO_BENCH_CONTINUE").is_none() {
        std::process::exit(1);
    }
    // The answers alone, for a change that must not change them.
    if std::env::var_os("PEITAO_BENCH_ANSWERS").is_some() {
        let _ = std::fs::remove_dir_all(&root);
        return;
    }

    // Warm the page cache and every code path once.
    stage_full(&catalog, &files);
    let t = interleaved(
        3,
        &mut [
            &mut || stage_read(&files),
            &mut || stage_events(&files),
            &mut || stage_tree(&files),
            &mut || stage_saphyr(&files),
            &mut || stage_saphyr_tree(&files),
            &mut || stage_yaml_ng(&files),
            &mut || stage_full(&catalog, &files),
            &mut || stage_digest(&files),
        ],
    );
    let (yaml_ng, tree, full) = (t[5], t[2], t[6]);
    println!("\n## {count} files, one thread, best of 3 interleaved");
    println!("| measure | time | per file | vs serde_yaml_ng | vs physical floor |");
    println!("|---|---|---|---|---|");
    let names = [
        "read only",
        "granit-parser events with spans (no tree)",
        "**physical floor**: events → peitao's spanned tree",
        "serde-saphyr → generic value",
        "serde-saphyr → peitao's spanned tree (the previous input path)",
        "**serde_yaml_ng → generic value** (reference floor)",
        "**peitao full check** + JSON report",
    ];
    for (name, d) in names.iter().zip(&t) {
        println!(
            "| {name} | {:.0} ms | {:.1} µs | {:.2}× | {:.2}× |",
            ms(*d),
            ms(*d) * 1000.0 / count as f64,
            d.as_secs_f64() / yaml_ng.as_secs_f64(),
            d.as_secs_f64() / tree.as_secs_f64()
        );
    }
    let digest = t[7].saturating_sub(t[0]);
    println!(
        "\nthe files' sha256 digests (read and hash, less read only): {:.1} µs per file, {:.1} % of the full check",
        ms(digest) * 1000.0 / count as f64,
        100.0 * digest.as_secs_f64() / full.as_secs_f64()
    );
    let ratio = full.as_secs_f64() / yaml_ng.as_secs_f64();
    println!(
        "\nfull check / serde_yaml_ng floor: **{ratio:.2}×** (target ≤ 1.5×: {})",
        verdict(ratio <= 1.5)
    );

    println!("\n## One file with many facilities, best of 5 interleaved");
    println!("| facilities | physical floor | serde_yaml_ng | full check | full / physical | full / serde_yaml_ng | doubling × |");
    println!("|---|---|---|---|---|---|---|");
    let mut previous: Option<Duration> = None;
    let mut worst_doubling = 0.0f64;
    let mut worst_ratio = 0.0f64;
    for (n, path) in &many {
        let one = std::slice::from_ref(path);
        let t = interleaved(
            5,
            &mut [
                &mut || stage_tree(one),
                &mut || stage_yaml_ng(one),
                &mut || stage_full(&catalog, one),
            ],
        );
        let doubling = previous.map(|p| t[2].as_secs_f64() / p.as_secs_f64());
        worst_doubling = worst_doubling.max(doubling.unwrap_or(0.0));
        let r = t[2].as_secs_f64() / t[0].as_secs_f64();
        if *n == 10_000 {
            worst_ratio = r;
        }
        println!(
            "| {n} | {:.1} ms | {:.1} ms | {:.1} ms | {r:.2}× | {:.2}× | {} |",
            ms(t[0]),
            ms(t[1]),
            ms(t[2]),
            t[2].as_secs_f64() / t[1].as_secs_f64(),
            doubling.map_or(String::new(), |d| format!("{d:.2}"))
        );
        previous = Some(t[2]);
    }
    println!(
        "\nlinear (each doubling ≤ 2.1×): {}; 10,000 facilities ≤ 2× the physical floor: {}",
        verdict(worst_doubling <= 2.1),
        verdict(worst_ratio <= 2.0)
    );

    let exe = env!("CARGO_BIN_EXE_peitao");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/shiyan-violating.yaml");
    let mut cold: Vec<Duration> = (0..21)
        .map(|_| {
            let t = Instant::now();
            Command::new(exe)
                .args(["check", example.to_str().unwrap(), "--format", "json"])
                .stdout(Stdio::null())
                .status()
                .unwrap();
            t.elapsed()
        })
        .collect();
    cold.sort();
    println!("\n## Cold `peitao check FILE --format json` (start, compile its plan's rules, check, JSON)");
    println!(
        "median {:.1} ms, fastest {:.1} ms, of 21 runs (target < 10 ms: {})",
        ms(cold[10]),
        ms(cold[0]),
        verdict(cold[10] < Duration::from_millis(10))
    );

    // The binary over the whole corpus with one thread and with two,
    // interleaved: what a second core gives a batch (target ≥ 1.85×).
    let corpus_dir = root.join("corpus");
    let batch = |threads: &str| {
        Command::new(exe)
            .args(["check", corpus_dir.to_str().unwrap(), "--format", "json"])
            .env("RAYON_NUM_THREADS", threads)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        0
    };
    let t = interleaved(3, &mut [&mut || batch("1"), &mut || batch("2")]);
    let speedup = t[0].as_secs_f64() / t[1].as_secs_f64();
    println!("\n## `peitao check DIR --format json` over the {count} files, best of 3 interleaved");
    println!(
        "one thread {:.0} ms, two threads {:.0} ms: **{speedup:.2}×** (target ≥ 1.85×: {})",
        ms(t[0]),
        ms(t[1]),
        verdict(speedup >= 1.85)
    );

    println!("\n## Peak memory of `peitao check DIR --format json` (VmHWM)");
    println!("| files | peak RSS |");
    println!("|---|---|");
    let half = root.join("half");
    std::fs::create_dir_all(&half).unwrap();
    for f in files.iter().take(files.len() / 2) {
        let to = half.join(f.strip_prefix(root.join("corpus")).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(f, to).unwrap();
    }
    for (n, dir) in [
        (files.len() / 2, &half),
        (files.len(), &root.join("corpus")),
    ] {
        let rss = peak_rss_mib(Command::new(exe).args([
            "check",
            dir.to_str().unwrap(),
            "--format",
            "json",
        ]));
        println!(
            "| {n} | {} |",
            rss.map_or("n/a".into(), |m| format!("{m:.1} MiB"))
        );
    }
    let _ = std::fs::remove_dir_all(&root);
    if !answers_ok {
        eprintln!("\nFAIL: the answers were wrong (see the top): these timings are not valid");
        std::process::exit(1);
    }
}
