//! peitao's speed, measured against the floor of reading and parsing the
//! same YAML with the same library. Run with `cargo bench`; BENCHMARKS.md
//! explains the figures. Ratios, not seconds, are what to compare across
//! machines: both sides are measured in the same run, on one thread.

use peitao::check::{self, Options};
use peitao::corpus;
use peitao::engine;
use peitao::plan::{self, Lang};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FILES: u64 = 10_000;

fn write_corpus(dir: &Path) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    (0..FILES)
        .map(|i| {
            let p = dir.join(format!("{:02}/s{i:05}.yaml", i % 50));
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, corpus::submission(i)).unwrap();
            p
        })
        .collect()
}

/// The floor: read a file and parse it once into a generic value with
/// serde-saphyr, nothing else.
fn parse_only(files: &[PathBuf]) -> usize {
    // peitao's own node limit, so that both sides accept the same files.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = peitao::input::Limits::default().max_nodes;
    budget.max_events = budget.max_nodes * 2;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    let mut nodes = 0;
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        let v: serde_json::Value =
            serde_saphyr::from_str_with_options(&text, options.clone()).unwrap();
        nodes += v.as_object().map_or(0, |o| o.len());
    }
    nodes
}

/// Everything: read, parse with spans, validate, run every rule of the
/// plan, and render the JSON report of the file to a sink.
fn full_check(catalog: &plan::Catalog, files: &[PathBuf]) -> usize {
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

/// The best of `runs` timings: the least disturbed by other load.
fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
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
    let root = std::env::temp_dir().join("peitao-bench");
    let _ = std::fs::remove_dir_all(&root);
    let files = write_corpus(&root.join("corpus"));
    let bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .sum();
    let catalog = engine::load_embedded().unwrap();

    println!(
        "peitao benchmark: {FILES} submissions, {:.1} MB, mean {} bytes",
        bytes as f64 / 1e6,
        bytes / FILES
    );
    // Warm the page cache and both code paths once.
    parse_only(&files);
    full_check(&catalog, &files);
    let floor = best(3, || parse_only(&files));
    let full = best(3, || full_check(&catalog, &files));
    println!("\n## 10,000 files, one thread");
    println!("| measure | time | per file | files/s |");
    println!("|---|---|---|---|");
    for (name, d) in [
        ("(a) read + parse to a generic value", floor),
        ("(b) full check + JSON to a sink", full),
    ] {
        println!(
            "| {name} | {:.0} ms | {:.1} µs | {:.0} |",
            ms(d),
            ms(d) * 1000.0 / FILES as f64,
            FILES as f64 / d.as_secs_f64()
        );
    }
    println!(
        "| (c) ratio b / a | {:.2}× | | |",
        full.as_secs_f64() / floor.as_secs_f64()
    );

    println!("\n## One file with many facilities");
    println!("| facilities | parse only | full check | ratio |");
    println!("|---|---|---|---|");
    let mut previous = None;
    for n in [10_000, 20_000] {
        let path = root.join(format!("many-{n}.yaml"));
        std::fs::write(&path, corpus::many_facilities(n)).unwrap();
        let one = [path];
        parse_only(&one);
        let p = best(5, || parse_only(&one));
        let f = best(5, || full_check(&catalog, &one));
        println!(
            "| {n} | {:.1} ms | {:.1} ms | {:.2}× |",
            ms(p),
            ms(f),
            f.as_secs_f64() / p.as_secs_f64()
        );
        if let Some(prev) = previous {
            println!(
                "| doubling: full check time × | | {:.2} | |",
                f.as_secs_f64() / prev
            );
        }
        previous = Some(f.as_secs_f64());
    }

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
    println!("\n## (d) cold `peitao check FILE` (process start, rule compilation, check, JSON)");
    println!(
        "median {:.1} ms, fastest {:.1} ms, of 21 runs",
        ms(cold[10]),
        ms(cold[0])
    );

    println!("\n## (e) peak memory of `peitao check DIR --format json` (VmHWM)");
    println!("| files | peak RSS |");
    println!("|---|---|");
    let half = root.join("half");
    std::fs::create_dir_all(&half).unwrap();
    for f in files.iter().take(FILES as usize / 2) {
        let to = half.join(f.strip_prefix(root.join("corpus")).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(f, to).unwrap();
    }
    for (n, dir) in [(FILES / 2, &half), (FILES, &root.join("corpus"))] {
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
}
