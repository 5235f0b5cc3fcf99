//! A bureau's batch: a directory of 1,000 submissions, some invalid, some
//! unreadable (a dangling link, a link out of the directory, a FIFO), and
//! a link back to the top that is walked no further, checked in
//! parallel. Every file is accounted for, and the report is the same on
//! every run and with one thread or many.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn peitao(args: &[&str], threads: Option<&str>) -> (String, i32) {
    let env: Vec<(&str, &str)> = threads
        .map(|n| ("RAYON_NUM_THREADS", n))
        .into_iter()
        .collect();
    let (out, _, code) = common::peitao_with(args, &env);
    (out, code)
}

/// 1,000 files: mostly real submissions of every plan, every 10th invalid,
/// plus unreadable entries. Returns the directory and the expected counts
/// (clean + findings, invalid, unreadable).
fn corpus() -> (PathBuf, usize, usize, usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("peitao-batch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let examples: Vec<String> = {
        let mut v: Vec<PathBuf> = std::fs::read_dir(root.join("examples"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        v.sort();
        v.iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    };
    let (mut checked, mut invalid, mut unreadable) = (0, 0, 0);
    for i in 0..997 {
        let sub = dir
            .join(format!("d{}", i % 7))
            .join(format!("s{i:04}.yaml"));
        std::fs::create_dir_all(sub.parent().unwrap()).unwrap();
        if i % 10 == 3 {
            std::fs::write(&sub, "version: 1\nestate:\n  households: -1\n").unwrap();
            invalid += 1;
        } else if i % 97 == 5 {
            std::fs::write(&sub, [0xff, 0xfe, 0x00, 0x41]).unwrap(); // not UTF-8
            invalid += 1;
        } else {
            // Each copy its own submission.id: a batch refuses a second
            // file with an id already seen (input::duplicate-submission-id).
            let text =
                examples[i % examples.len()].replacen("\n  id: ", &format!("\n  id: B{i:04}-"), 1);
            std::fs::write(&sub, text).unwrap();
            checked += 1;
        }
    }
    // Three more entries that cannot be read: 1,000 in all. A link back to
    // the top is none: what it leads to is walked where it is, once.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.join("nowhere.yaml"), dir.join("dangling.yaml")).unwrap();
        std::os::unix::fs::symlink(&dir, dir.join("d0").join("loop")).unwrap();
        std::os::unix::fs::symlink(root.join("examples"), dir.join("d1").join("elsewhere"))
            .unwrap();
        let fifo = dir.join("fifo.yaml");
        let made = Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !made {
            std::fs::write(dir.join("missing-fifo-stand-in.yml"), [0xc3]).unwrap();
            invalid += 1;
            unreadable -= 1;
        }
        unreadable += 3;
    }
    (dir, checked, invalid, unreadable)
}

#[test]
fn every_file_of_a_large_batch_is_accounted_for_identically_every_run() {
    let (dir, checked, invalid, unreadable) = corpus();
    let d = dir.to_str().unwrap();
    let (first, code) = peitao(&["check", d, "--format", "json"], None);
    assert_eq!(code, 2, "invalid and unreadable files make the run exit 2");
    let doc: serde_json::Value = serde_json::from_str(&first).unwrap();
    let s = &doc["summary"];
    let n = |k: &str| s[k].as_u64().unwrap() as usize;
    assert_eq!(n("files"), checked + invalid + unreadable, "{s}");
    assert_eq!(n("files"), 1000);
    assert_eq!(
        n("clean") + n("with_findings") + n("no_rule_applies"),
        checked,
        "{s}"
    );
    assert_eq!(n("invalid"), invalid, "{s}");
    assert_eq!(n("unreadable"), unreadable, "{s}");
    assert_eq!(doc["files"].as_array().unwrap().len(), 1000);
    let paths: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "files are reported in path order");

    let (again, _) = peitao(&["check", d, "--format", "json"], None);
    assert!(first == again, "two runs differ");
    let (serial, _) = peitao(&["check", d, "--format", "json"], Some("1"));
    assert!(first == serial, "a serial run differs from a parallel one");
    let (human, _) = peitao(&["check", d, "--lang", "en"], None);
    assert!(human.trim_end().ends_with(&format!(
        "1000 files: {} clean, {} with findings, {} with no rule applying, {invalid} invalid, {unreadable} unreadable; {} errors, {} warnings, {} cannot be checked",
        n("clean"), n("with_findings"), n("no_rule_applies"), n("errors"), n("warnings"), n("cannot_be_checked")
    )), "{}", human.lines().last().unwrap());
}

/// A small xorshift generator: the "random" directories are the same on
/// every run, so a failure can be reproduced from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Build a random tree; return its root and how many entries peitao must
/// account for (submission-named files of any kind, and directory loops).
fn random_tree(seed: u64) -> (PathBuf, usize) {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let root = std::env::temp_dir().join(format!("peitao-prop-{}-{seed}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let examples: Vec<PathBuf> = {
        let mut v: Vec<PathBuf> =
            std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"))
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .collect();
        v.sort();
        v
    };
    let examples_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut dirs = vec![root.clone()];
    let mut expected = 0;
    for i in 0..(20 + rng.below(40)) {
        let parent = dirs[rng.below(dirs.len() as u64) as usize].clone();
        let ext = ["yaml", "yml", "txt"][rng.below(3) as usize];
        let path = parent.join(format!("e{i}.{ext}"));
        let counts = ext != "txt";
        match rng.below(8) {
            0 => {
                let d = parent.join(format!("dir{i}"));
                std::fs::create_dir_all(&d).unwrap();
                dirs.push(d);
                continue;
            }
            1 => std::fs::write(&path, "version: 1\nestate: { households: 1.5 }\n").unwrap(),
            2 => std::fs::write(&path, [0x80u8, 0x81, b'\n']).unwrap(),
            #[cfg(unix)]
            3 => std::os::unix::fs::symlink(parent.join("nowhere"), &path).unwrap(),
            #[cfg(unix)]
            4 if ext != "txt" => {
                // A link back to the root: inside the tree, so what it
                // leads to is walked where it is, and it is no entry.
                std::os::unix::fs::symlink(&root, parent.join(format!("loop{i}"))).unwrap();
                continue;
            }
            #[cfg(unix)]
            4 => {
                // A link out of the tree: an entry, not followed.
                std::os::unix::fs::symlink(&examples_dir, parent.join(format!("out{i}"))).unwrap();
                expected += 1;
                continue;
            }
            _ => std::fs::copy(&examples[rng.below(examples.len() as u64) as usize], &path)
                .map(|_| ())
                .unwrap(),
        }
        if counts {
            expected += 1;
        }
    }
    (root, expected)
}

#[test]
fn random_trees_are_accounted_for_and_serial_equals_parallel() {
    let catalog = peitao::engine::load_embedded().unwrap();
    let options = peitao::check::Options::default();
    for seed in 1..=12 {
        let (root, expected) = random_tree(seed);
        let render = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                // The command line's own path: streamed in path order through a sink.
                let (files, walk_errors) = peitao::check::collect(std::slice::from_ref(&root));
                let mut sink =
                    peitao::report::json::JsonSink::new(&catalog, peitao::plan::Lang::En);
                let mut out = Vec::new();
                use peitao::report::Sink;
                sink.begin(&mut out).unwrap();
                let summary = peitao::check::check_stream(
                    &catalog,
                    files,
                    walk_errors,
                    &options,
                    &|| {},
                    &mut |r| sink.file(r, &mut out),
                )
                .unwrap();
                sink.finish(&summary, &mut out).unwrap();
                (String::from_utf8(out).unwrap(), summary)
            })
        };
        let (serial, s) = render(1);
        let (parallel, _) = render(4);
        assert_eq!(s.files, expected, "seed {seed}: {s:?}");
        assert_eq!(
            s.clean + s.with_findings + s.no_rule_applies + s.invalid + s.unreadable,
            s.files,
            "seed {seed}"
        );
        assert!(
            serial == parallel,
            "seed {seed}: serial and parallel reports differ"
        );
    }
}

/// A batch renders each file's part of a report in the worker that
/// checked it (`Sink::renderer`) and writes the parts in path order
/// (`Sink::file_rendered`): for every format that streams, on one thread
/// and on four, the report is byte for byte the one written file by file
/// through `Sink::file`, including the files a batch refuses after they
/// were rendered (a second file with a submission id already seen, whose
/// part is then written anew).
#[test]
fn parts_rendered_in_the_workers_equal_the_report_written_in_order() {
    use peitao::report::{csv, github, human, json, sarif, Renderer, Sink};
    let catalog = peitao::engine::load_embedded().unwrap();
    let options = peitao::check::Options::default();
    let lang = peitao::plan::Lang::Zh;
    let style = human::Style {
        lang,
        color: false,
        width: 100,
    };
    type Make<'a> = Box<dyn Fn() -> (Box<dyn Sink + 'a>, Renderer<'a>) + Sync + 'a>;
    let formats: Vec<(&str, Make)> = vec![
        (
            "json",
            Box::new(|| {
                let s = json::JsonSink::new(&catalog, lang);
                let r = s.renderer();
                (Box::new(s) as Box<dyn Sink>, r)
            }),
        ),
        (
            "sarif",
            Box::new(|| {
                let s = sarif::SarifSink::new(&catalog, lang);
                let r = s.renderer();
                (Box::new(s) as Box<dyn Sink>, r)
            }),
        ),
        (
            "human",
            Box::new(|| {
                let s = human::HumanSink {
                    catalog: &catalog,
                    style,
                    verbosity: human::Verbosity::Normal,
                    signed: None,
                };
                let r = s.renderer();
                (Box::new(s) as Box<dyn Sink>, r)
            }),
        ),
        (
            "csv",
            Box::new(|| {
                let s = csv::CsvSink {
                    catalog: &catalog,
                    lang,
                    headers: peitao::report::ledger::Headers::new(lang, false),
                };
                let r = s.renderer();
                (Box::new(s) as Box<dyn Sink>, r)
            }),
        ),
        (
            "github",
            Box::new(|| {
                let s = github::GithubSink {
                    catalog: &catalog,
                    lang,
                };
                let r = s.renderer();
                (Box::new(s) as Box<dyn Sink>, r)
            }),
        ),
    ];
    let mut refused = 0;
    for seed in 1..=6 {
        let (root, _) = random_tree(seed);
        // Two files with one submission id: the second is refused.
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/shiyan-violating.yaml");
        std::fs::copy(&example, root.join("same-id-a.yaml")).unwrap();
        std::fs::copy(&example, root.join("same-id-b.yaml")).unwrap();
        for (name, make) in &formats {
            for threads in [1, 4] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                let (in_order, rendered) = pool.install(|| {
                    let (files, walk_errors) = peitao::check::collect(std::slice::from_ref(&root));
                    let (mut sink, _) = make();
                    let mut out = Vec::new();
                    sink.begin(&mut out).unwrap();
                    let summary = peitao::check::check_stream(
                        &catalog,
                        files.clone(),
                        walk_errors.clone(),
                        &options,
                        &|| {},
                        &mut |r| sink.file(r, &mut out),
                    )
                    .unwrap();
                    sink.finish(&summary, &mut out).unwrap();

                    let (mut sink, renderer) = make();
                    let mut parts = Vec::new();
                    sink.begin(&mut parts).unwrap();
                    let summary = peitao::check::check_stream_prepared(
                        &catalog,
                        files,
                        walk_errors,
                        &options,
                        &|| {},
                        &|r| renderer(r),
                        &mut |r, piece| match piece {
                            Some(piece) => sink.file_rendered(r, piece, &mut parts),
                            None => {
                                refused += 1;
                                sink.file(r, &mut parts)
                            }
                        },
                    )
                    .unwrap();
                    sink.finish(&summary, &mut parts).unwrap();
                    (out, parts)
                });
                assert!(
                    in_order == rendered,
                    "seed {seed}, {name}, {threads} threads: the report rendered in the workers differs:\n{}",
                    String::from_utf8_lossy(&rendered)
                );
            }
        }
        let _ = std::fs::remove_dir_all(&root);
    }
    assert!(
        refused >= 6 * 5 * 2,
        "the refused files' path was taken {refused} times"
    );
}
