//! The review desk under load and faults, on loopback (issue 24):
//! - 8 clients upload 500 filings at once (PEITAO_DESK_LOAD_FILINGS
//!   changes the number): every upload answered 201, every filing stored
//!   exactly once with its own intake number, every report present; the
//!   p50/p95 latency is printed (BENCHMARKS.md, "desk");
//! - the server is killed with SIGKILL in the middle of uploads and
//!   restarted on the same database: the database passes SQLite's integrity
//!   check, no filing is half-stored (each has all its versions, each
//!   version its report and exactly the report's findings as rows), and
//!   every upload that was answered 2xx is there.

use crate::desk_common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

const CLIENTS: usize = 8;

/// API tokens for `n` applicants of `n` organisations, made by the admin.
fn applicant_tokens(desk: &Desk, n: usize) -> Vec<String> {
    let admin = desk.login(ADMIN);
    (0..n)
        .map(|i| {
            let name = format!("load{i}");
            desk.create_user(&admin, &name, "applicant", &format!("负载测试单位{i}"));
            let c = desk.login(&name);
            let t = c.post_json("/api/tokens", &serde_json::json!({"name": "load"}));
            assert!(t.ok(), "token: {} {}", t.status, t.text());
            t.json()["token"].as_str().unwrap().to_string()
        })
        .collect()
}

/// Filing `i` of client `c`: every other one breaks the plan.
fn filing_of(c: usize, i: usize) -> (String, String) {
    let id = format!("HH-LOAD-{c}-{i:04}");
    let yaml = if i.is_multiple_of(2) {
        violating_filing(&id, &format!("负载托育点{c}-{i}"))
    } else {
        fixed_filing(&id, &format!("负载托育点{c}-{i}"))
    };
    (id, yaml)
}

#[test]
fn eight_clients_upload_at_once_and_lose_nothing() {
    let total: usize = std::env::var("PEITAO_DESK_LOAD_FILINGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let desk = Desk::start("load");
    let tokens = applicant_tokens(&desk, CLIENTS);
    let barrier = Arc::new(Barrier::new(CLIENTS));
    let start = Instant::now();
    let handles: Vec<_> = tokens
        .into_iter()
        .enumerate()
        .map(|(c, token)| {
            let base = desk.base.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let client = Client::with_token(&base, &token);
                let mine = (total + CLIENTS - 1 - c) / CLIENTS;
                barrier.wait();
                (0..mine)
                    .map(|i| {
                        let (id, yaml) = filing_of(c, i);
                        let r = client.upload(yaml.as_bytes(), None);
                        (id, r)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let results: Vec<(String, Resp)> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let wall = start.elapsed();
    assert_eq!(results.len(), total);

    let mut millis: Vec<f64> = results.iter().map(|(_, r)| r.millis).collect();
    millis.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let (p50, p95) = (percentile(&millis, 50.0), percentile(&millis, 95.0));
    eprintln!(
        "desk load: {total} filings from {CLIENTS} clients in {:.2} s ({:.0} uploads/s); latency p50 {p50:.1} ms, p95 {p95:.1} ms, max {:.1} ms",
        wall.as_secs_f64(),
        total as f64 / wall.as_secs_f64(),
        millis.last().unwrap()
    );

    // Every upload answered 201 with its own filing and intake number.
    let mut by_id: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut intakes = BTreeSet::new();
    for (sid, r) in &results {
        assert_eq!(r.status, 201, "{sid}: {} {}", r.status, r.text());
        let j = r.json();
        let filing = j["filing"].to_string();
        let intake = j["intake_no"].as_str().unwrap().to_string();
        assert!(
            intakes.insert(intake.clone()),
            "intake number {intake} given twice"
        );
        assert!(
            by_id
                .insert(filing.clone(), (sid.clone(), intake))
                .is_none(),
            "filing {filing} twice"
        );
    }
    // The queue holds each filing exactly once.
    let reviewer = desk.login(ADMIN);
    let list = reviewer.get("/api/filings").json();
    let listed = list["filings"].as_array().unwrap();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for f in listed {
        *seen
            .entry(f["submission_id"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    for (sid, _) in &results {
        assert_eq!(seen.get(sid), Some(&1), "{sid} is listed once");
    }
    assert_eq!(listed.len(), total, "no filing more");
    // Each has its report, with the findings the check gives (every other
    // filing breaks the fire-safety rule).
    for (filing, (sid, intake)) in &by_id {
        let v = reviewer.get(&format!("/api/filings/{filing}/versions/1"));
        assert_eq!(v.status, 200, "{sid}");
        let j = v.json();
        assert_eq!(j["filing"]["intake_no"].as_str(), Some(intake.as_str()));
        assert!(
            j["report"].is_object(),
            "{sid} has its report: {}",
            j["report"]
        );
        let violating =
            sid.ends_with(|c: char| c.to_digit(10).is_some_and(|d| d.is_multiple_of(2)));
        let n = j["findings"].as_array().unwrap().len();
        assert_eq!(n > 0, violating, "{sid}: {n} findings");
    }
}

/// What an uploading client saw.
enum Outcome {
    /// 2xx: the desk said it stored this filing.
    Stored { sid: String, filing: String },
    /// Refused, or the connection died (the kill): may or may not be there.
    Unknown,
}

#[test]
fn a_server_killed_during_uploads_restarts_consistent() {
    kill_during_uploads(Desk::start("sigkill"));
}

/// The same on PostgreSQL (a fresh database on 127.0.0.1:5432): what the
/// server committed survives its death there too.
#[test]
fn a_server_on_postgresql_killed_during_uploads_restarts_consistent() {
    let Some(db) = postgres_db("sigkill") else {
        return missing(
            "PostgreSQL on 127.0.0.1:5432 (or psql)",
            ".ci/run starts it; locally: service postgresql start",
        );
    };
    kill_during_uploads(Desk::start_with(tempdir("sigkill-pg"), db));
}

fn kill_during_uploads(desk: Desk) {
    let tokens = applicant_tokens(&desk, 4);
    let stop = Arc::new(AtomicBool::new(false));
    let stored = Arc::new(AtomicUsize::new(0));
    let outcomes = Arc::new(Mutex::new(Vec::new()));
    let handles: Vec<_> = tokens
        .into_iter()
        .enumerate()
        .map(|(c, token)| {
            let (base, stop, stored, outcomes) = (
                desk.base.clone(),
                stop.clone(),
                stored.clone(),
                outcomes.clone(),
            );
            std::thread::spawn(move || {
                let client = Client::with_token(&base, &token);
                let mut i = 0;
                while !stop.load(Ordering::SeqCst) {
                    let (sid, yaml) = filing_of(c, i);
                    i += 1;
                    let o = match client.try_request(
                        "POST",
                        "/api/filings",
                        &[],
                        Some(("application/yaml", yaml.into_bytes())),
                    ) {
                        Ok(r) if r.ok() => {
                            stored.fetch_add(1, Ordering::SeqCst);
                            Outcome::Stored {
                                sid,
                                filing: r.json()["filing"].to_string(),
                            }
                        }
                        _ => Outcome::Unknown,
                    };
                    outcomes.lock().unwrap().push(o);
                }
            })
        })
        .collect();
    // Kill once the uploads are well under way.
    let t0 = Instant::now();
    while stored.load(Ordering::SeqCst) < 40 {
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "uploads do not get going"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut desk = desk;
    desk.kill();
    stop.store(true, Ordering::SeqCst);
    for h in handles {
        h.join().unwrap();
    }
    let outcomes = std::mem::take(&mut *outcomes.lock().unwrap());
    let unknown = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Unknown))
        .count();
    let acked = outcomes.len() - unknown;
    eprintln!("killed after {acked} acknowledged uploads; {unknown} cut off or refused");

    // The database itself (SQLite's own checks; no half-stored filing).
    let (dir, db) = (desk.dir.clone(), desk.db.clone());
    drop(desk);
    let report = match &db {
        Db::Sqlite(path) => consistency(path),
        Db::Postgres(url) => pg_consistency(url),
    };
    assert_eq!(report.trim(), "ok", "the database after SIGKILL:\n{report}");

    // Restarted on the same database: every acknowledged upload is there.
    let desk = Desk::restart(dir, db);
    let admin = desk.login(ADMIN);
    for o in &outcomes {
        if let Outcome::Stored { sid, filing } = o {
            let r = admin.get(&format!("/api/filings/{filing}"));
            assert_eq!(
                r.status, 200,
                "acknowledged {sid} (filing {filing}) is gone"
            );
            assert_eq!(
                r.json()["filing"]["submission_id"].as_str(),
                Some(sid.as_str())
            );
        }
    }
    // And it takes new filings, with intake numbers not given before.
    let before: BTreeSet<String> = admin.get("/api/filings").json()["filings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["intake_no"].as_str().unwrap().to_string())
        .collect();
    let c = desk.login("load0");
    let r = c.upload(violating_filing("HH-AFTER-1", "重启后").as_bytes(), None);
    assert_eq!(r.status, 201, "after the restart: {}", r.text());
    let intake = r.json()["intake_no"].as_str().unwrap().to_string();
    assert!(
        !before.contains(&intake),
        "{intake} was given before the crash too"
    );
    let db = desk.db.clone();
    drop(desk);
    drop_postgres(&db);
}

/// SQLite's integrity and foreign-key checks, and the desk's own
/// invariants: every filing has versions 1..=latest_version, each version
/// a parseable report and exactly as many finding rows as its report has
/// findings. "ok", or what is wrong.
fn consistency(path: &std::path::Path) -> String {
    let script = r#"
import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
bad = []
ic = [r[0] for r in c.execute("PRAGMA integrity_check")]
if ic != ["ok"]: bad.append("integrity_check: %s" % ic)
fk = list(c.execute("PRAGMA foreign_key_check"))
if fk: bad.append("foreign_key_check: %s" % fk)
for fid, latest, intake in c.execute("SELECT id, latest_version, intake_no FROM filings"):
    nums = sorted(r[0] for r in c.execute("SELECT number FROM versions WHERE filing_id=?", (fid,)))
    if nums != list(range(1, latest + 1)): bad.append("%s: versions %s, latest %s" % (intake, nums, latest))
cols = [r[1] for r in c.execute("PRAGMA table_info(versions)")]
reports = [x for x in ("report", "report_other") if x in cols]
for row in c.execute("SELECT id, filing_id, %s FROM versions" % ", ".join(reports)):
    vid, fid = row[0], row[1]
    if not c.execute("SELECT 1 FROM filings WHERE id=?", (fid,)).fetchone(): bad.append("version %s of no filing" % vid)
    for report in row[2:]:
        try:
            r = json.loads(report)
        except Exception as e:
            bad.append("version %s: report %r: %s" % (vid, report[:80], e)); continue
        f = r["files"][0] if isinstance(r, dict) and "files" in r else r
        want = len(f.get("findings", []) or [])
        have = c.execute("SELECT count(*) FROM findings WHERE version_id=?", (vid,)).fetchone()[0]
        if want != have: bad.append("version %s: %s findings in its report, %s rows" % (vid, want, have))
orphans = c.execute("SELECT count(*) FROM findings WHERE version_id NOT IN (SELECT id FROM versions)").fetchone()[0]
if orphans: bad.append("%s findings of no version" % orphans)
print("\n".join(bad) if bad else "ok")
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The desk's invariants on PostgreSQL, in SQL: "ok", or what is wrong.
fn pg_consistency(url: &str) -> String {
    let queries = [
        (
            "filings whose versions are not 1..=latest_version",
            "SELECT f.intake_no FROM filings f WHERE (SELECT count(*) FROM versions v \
             WHERE v.filing_id = f.id) <> f.latest_version \
             OR (SELECT coalesce(max(number), 0) FROM versions v WHERE v.filing_id = f.id) <> f.latest_version",
        ),
        (
            "versions of no filing",
            "SELECT v.id FROM versions v WHERE NOT EXISTS (SELECT 1 FROM filings f WHERE f.id = v.filing_id)",
        ),
        (
            "versions whose finding rows differ from their report",
            "SELECT v.id FROM versions v WHERE (SELECT count(*) FROM findings x WHERE x.version_id = v.id) <> \
             coalesce(json_array_length((v.report::json)->'files'->0->'findings'), \
                      json_array_length((v.report::json)->'findings'), 0)",
        ),
        (
            "findings of no version",
            "SELECT x.id FROM findings x WHERE NOT EXISTS (SELECT 1 FROM versions v WHERE v.id = x.version_id)",
        ),
    ];
    let mut bad = Vec::new();
    for (what, q) in queries {
        let out = std::process::Command::new("psql")
            .args([url, "-At", "-v", "ON_ERROR_STOP=1", "-c", q])
            .output()
            .expect("psql runs");
        assert!(
            out.status.success(),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rows = String::from_utf8(out.stdout).unwrap();
        if !rows.trim().is_empty() {
            bad.push(format!("{what}: {}", rows.trim()));
        }
    }
    if bad.is_empty() {
        "ok".into()
    } else {
        bad.join("\n")
    }
}
