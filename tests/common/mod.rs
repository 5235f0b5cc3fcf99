//! What the integration tests share: running the `peitao` binary.
#![allow(dead_code)] // each test binary uses its own part

use std::process::Command;

/// Run `peitao ARGS` from the project's top level, with no colour and no
/// language from the environment; stdout, stderr and the exit code.
pub fn peitao(args: &[&str]) -> (String, String, i32) {
    peitao_with(args, &[])
}

/// `peitao` with extra environment variables.
pub fn peitao_with(args: &[&str], env: &[(&str, &str)]) -> (String, String, i32) {
    run(args, std::path::Path::new(env!("CARGO_MANIFEST_DIR")), env)
}

/// `peitao ARGS` run in `dir`, with no colour and no language from the
/// environment: stdout, stderr and the exit code.
pub fn peitao_in(dir: &std::path::Path, args: &[&str]) -> (String, String, i32) {
    run(args, dir, &[])
}

fn run(args: &[&str], dir: &std::path::Path, env: &[(&str, &str)]) -> (String, String, i32) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_peitao"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("peitao runs");
    (
        String::from_utf8(out.stdout).expect("UTF-8 output"),
        String::from_utf8(out.stderr).expect("UTF-8 errors"),
        out.status.code().unwrap_or(-1),
    )
}

/// A fresh temporary directory for one test.
pub fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("peitao-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The cases of the hostile pack corpus (tests/hostile-packs): each
/// directory with an `expect` file, in order.
pub fn hostile_pack_cases() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile-packs");
    let mut cases: Vec<std::path::PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("expect").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() >= 17, "{} cases", cases.len());
    cases
}

/// `f` of every item, in the items' order, computed on every core (at
/// least two threads): for tests that start the debug binary many times,
/// or load many packs.
/// A panic in `f` fails the test with its own message.
pub fn on_every_core<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::Mutex::new((0..items.len()).map(|_| None).collect::<Vec<_>>());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let r = f(item);
                done.lock().unwrap()[i] = Some(r);
            });
        }
    });
    done.into_inner()
        .unwrap()
        .into_iter()
        .map(|r| r.expect("every item done"))
        .collect()
}
