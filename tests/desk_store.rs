//! The review desk's store: one suite, run against a SQLite file and
//! against a real PostgreSQL server (127.0.0.1:5432, trust auth, database
//! `test`, or PEITAO_TEST_POSTGRES). Each PostgreSQL run makes its own
//! database and drops it after, so parallel runs never meet. Under CI=true
//! a PostgreSQL that cannot be reached fails the test; elsewhere it says
//! SKIPPED on stderr.

use peitao::desk::store::{
    AuditContext, NewFinding, NewUser, NewVersion, NewWaiver, Query, Role, Store, Stored,
};
use std::io::Write;

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap()
}

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{prefix}_{}_{nanos}", std::process::id())
}

fn ctx(user: i64, name: &str) -> AuditContext {
    AuditContext {
        user_id: Some(user),
        user_name: name.into(),
        request_id: format!("req-{user}"),
        ip: "127.0.0.1".into(),
    }
}

fn finding(rule: &str, subject: &str, fp: &str) -> NewFinding {
    NewFinding {
        rule: rule.into(),
        severity: "error".into(),
        status: "violated".into(),
        subject: subject.into(),
        message: format!("{rule} on {subject}"),
        fingerprint: fp.into(),
        baseline: String::new(),
        waived: false,
    }
}

fn upload(user: i64, org: &str, filing: Option<(i64, i64)>, bytes: &[u8], year: i32) -> NewVersion {
    NewVersion {
        filing: filing.map(|f| f.0),
        expected_latest: filing.map_or(0, |f| f.1),
        org: org.into(),
        plan: "honghe".into(),
        project: format!("项目 {}", bytes.len()),
        submission_id: "HH-1".into(),
        file_name: "a.yaml".into(),
        content_type: "application/yaml".into(),
        bytes: bytes.to_vec(),
        sha256: format!("sha256:{}", bytes.len()),
        text: String::from_utf8_lossy(bytes).into_owned(),
        valid: true,
        file_status: "findings".into(),
        report: "{}".into(),
        report_other: "{}".into(),
        findings: vec![
            finding("r.one", "estate", "fp1"),
            finding("r.two", "institutions[0]", "fp2"),
        ],
        fixed: 0,
        new: 2,
        unchanged: 0,
        user_id: user,
        now: 1_780_000_000,
        year,
        audit: ctx(user, "alice"),
    }
}

/// The suite every backend must pass.
async fn suite(store: &Store) {
    assert_eq!(store.schema_version().await.unwrap(), 1);
    // Migrating again changes nothing.
    store.migrate().await.unwrap();
    assert_eq!(store.schema_version().await.unwrap(), 1);

    // ---- users ----
    let new = |name: &'static str, role, org: &'static str| NewUser {
        name,
        display: name,
        role,
        org,
        password_hash: "h",
    };
    let alice = store
        .create_user(&new("alice", Role::Applicant, "甲公司"), 1)
        .await
        .unwrap()
        .unwrap();
    let bob = store
        .create_user(&new("bob", Role::Applicant, "乙公司"), 1)
        .await
        .unwrap()
        .unwrap();
    let rita = store
        .create_user(&new("rita", Role::Reviewer, ""), 1)
        .await
        .unwrap()
        .unwrap();
    let abe = store
        .create_user(&new("abe", Role::Approver, ""), 1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        store
            .create_user(&new("alice", Role::Admin, ""), 2)
            .await
            .unwrap(),
        None,
        "a taken name"
    );
    let (u, hash) = store.user_by_name("alice").await.unwrap().unwrap();
    assert_eq!(
        (u.id, u.role, u.org.as_str(), hash.as_str()),
        (alice, Role::Applicant, "甲公司", "h")
    );
    assert!(store.user_by_name("nobody").await.unwrap().is_none());
    assert_eq!(store.users().await.unwrap().len(), 4);

    // ---- sessions and tokens ----
    store.create_session("s1", alice, "c1", 1000).await.unwrap();
    let (u, csrf) = store.session("s1", 999).await.unwrap().unwrap();
    assert_eq!((u.name.as_str(), csrf.as_str()), ("alice", "c1"));
    assert!(
        store.session("s1", 1000).await.unwrap().is_none(),
        "expired at its time"
    );
    assert!(store.session("nope", 0).await.unwrap().is_none());
    store.create_token("t1", bob, "ci", 5).await.unwrap();
    assert_eq!(store.token_user("t1").await.unwrap().unwrap().name, "bob");
    // Deactivating a user ends their sessions and tokens.
    store.create_session("s2", bob, "c2", 10_000).await.unwrap();
    assert!(store
        .update_user(bob, None, Some(false), None)
        .await
        .unwrap());
    assert!(store.session("s2", 0).await.unwrap().is_none());
    assert!(store.token_user("t1").await.unwrap().is_none());
    assert!(!store.user(bob).await.unwrap().unwrap().active);
    assert!(store
        .update_user(bob, Some(Role::Applicant), Some(true), Some("h2"))
        .await
        .unwrap());
    assert!(!store
        .update_user(9_999_999, Some(Role::Admin), None, None)
        .await
        .unwrap());
    store.delete_session("s1").await.unwrap();
    assert!(store.session("s1", 0).await.unwrap().is_none());

    // ---- login throttling ----
    for t in 0..3 {
        store
            .record_login_failure("alice", "10.0.0.1", 100 + t)
            .await
            .unwrap();
    }
    store
        .record_login_failure("alice", "10.0.0.2", 101)
        .await
        .unwrap();
    assert_eq!(
        store
            .login_failures_since("alice", "10.0.0.1", 0)
            .await
            .unwrap(),
        3
    );
    assert_eq!(
        store
            .login_failures_since("alice", "10.0.0.1", 102)
            .await
            .unwrap(),
        1
    );
    store
        .clear_login_failures("alice", "10.0.0.1")
        .await
        .unwrap();
    assert_eq!(
        store
            .login_failures_since("alice", "10.0.0.1", 0)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .login_failures_since("alice", "10.0.0.2", 0)
            .await
            .unwrap(),
        1
    );

    // ---- intake: numbers, versions, findings, audit ----
    let audit_before = store.count("audit").await.unwrap();
    let Stored::Done {
        filing: f1,
        intake_no,
        version,
    } = store
        .store_version(&upload(alice, "甲公司", None, b"one", 2026))
        .await
        .unwrap()
    else {
        panic!("stored")
    };
    assert_eq!((intake_no.as_str(), version), ("PT-2026-000001", 1));
    let Stored::Done {
        filing: f2,
        intake_no,
        ..
    } = store
        .store_version(&upload(bob, "乙公司", None, b"two!", 2026))
        .await
        .unwrap()
    else {
        panic!("stored")
    };
    assert_eq!(intake_no, "PT-2026-000002");
    // Numbers run per year.
    let Stored::Done { intake_no, .. } = store
        .store_version(&upload(bob, "乙公司", None, b"y27", 2027))
        .await
        .unwrap()
    else {
        panic!("stored")
    };
    assert_eq!(intake_no, "PT-2027-000001");
    assert_eq!(
        store.count("audit").await.unwrap(),
        audit_before + 6,
        "upload + check each"
    );

    // The exact bytes come back, with the findings in order.
    let v = store.version(f1, 1).await.unwrap().unwrap();
    assert_eq!(v.bytes, b"one");
    assert_eq!(v.info.size, 3);
    let rows = store.findings(v.info.id).await.unwrap();
    assert_eq!(
        rows.iter().map(|r| r.rule.as_str()).collect::<Vec<_>>(),
        ["r.one", "r.two"]
    );
    assert_eq!(rows[1].idx, 1);

    // A resubmission against a stale latest stores nothing.
    let before = (
        store.count("versions").await.unwrap(),
        store.count("findings").await.unwrap(),
    );
    assert_eq!(
        store
            .store_version(&upload(alice, "甲公司", Some((f1, 0)), b"stale", 2026))
            .await
            .unwrap(),
        Stored::Stale
    );
    assert_eq!(
        store
            .store_version(&upload(alice, "甲公司", Some((9_999_999, 1)), b"x", 2026))
            .await
            .unwrap(),
        Stored::NoFiling
    );
    assert_eq!(
        (
            store.count("versions").await.unwrap(),
            store.count("findings").await.unwrap()
        ),
        before
    );
    let mut second = upload(alice, "甲公司", Some((f1, 1)), b"one, fixed", 2026);
    second.findings.truncate(1);
    second.fixed = 1;
    assert_eq!(
        store.store_version(&second).await.unwrap(),
        Stored::Done {
            filing: f1,
            intake_no: "PT-2026-000001".into(),
            version: 2
        }
    );
    let f = store.filing(f1).await.unwrap().unwrap();
    assert_eq!(
        (f.latest_version, f.findings, f.status.as_str()),
        (2, 1, "submitted")
    );
    let versions = store.versions(f1).await.unwrap();
    assert_eq!(
        versions
            .iter()
            .map(|v| (v.number, v.fixed))
            .collect::<Vec<_>>(),
        [(1, 0), (2, 1)]
    );

    // ---- all or nothing: a failure inside the upload's transaction ----
    let counts = |s: &'static str| async move { store.count(s).await.unwrap() };
    let before = (
        counts("filings").await,
        counts("versions").await,
        counts("audit").await,
    );
    store.raw_execute("DROP TABLE findings").await.unwrap();
    assert!(store
        .store_version(&upload(alice, "甲公司", None, b"half", 2026))
        .await
        .is_err());
    store.migrate().await.unwrap();
    assert_eq!(
        (
            counts("filings").await,
            counts("versions").await,
            counts("audit").await
        ),
        before,
        "nothing half-stored"
    );
    // The number the failed upload drew was rolled back with it.
    let Stored::Done { intake_no, .. } = store
        .store_version(&upload(alice, "甲公司", None, b"after", 2026))
        .await
        .unwrap()
    else {
        panic!("stored")
    };
    assert_eq!(intake_no, "PT-2026-000003");

    // ---- the queue ----
    let all = store.filings(&Query::default()).await.unwrap();
    assert_eq!(all.len(), 4);
    assert!(all.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    let only = Query {
        only_org: Some("乙公司".into()),
        ..Query::default()
    };
    let theirs = store.filings(&only).await.unwrap();
    assert_eq!(theirs.len(), 2);
    assert!(theirs.iter().all(|f| f.org == "乙公司"));
    // An applicant's restriction holds whatever else the query says.
    let sneaky = Query {
        only_org: Some("乙公司".into()),
        applicant: "甲公司".into(),
        ..Query::default()
    };
    assert!(store.filings(&sneaky).await.unwrap().is_empty());
    let by_no = Query {
        q: "000002".into(),
        ..Query::default()
    };
    assert_eq!(
        store
            .filings(&by_no)
            .await
            .unwrap()
            .iter()
            .map(|f| f.id)
            .collect::<Vec<_>>(),
        [f2]
    );
    // LIKE's wildcards are taken literally.
    assert!(store
        .filings(&Query {
            q: "%".into(),
            ..Query::default()
        })
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .filings(&Query {
            q: "_".into(),
            ..Query::default()
        })
        .await
        .unwrap()
        .is_empty());
    let by_project = Query {
        q: "项目 10".into(),
        ..Query::default()
    };
    assert_eq!(store.filings(&by_project).await.unwrap().len(), 1);
    let window = Query {
        from: 1_780_000_000,
        to: 1_780_000_001,
        ..Query::default()
    };
    assert_eq!(store.filings(&window).await.unwrap().len(), 4);
    let later = Query {
        from: 1_780_000_001,
        ..Query::default()
    };
    assert!(store.filings(&later).await.unwrap().is_empty());

    // ---- comments, waivers, decisions ----
    store
        .add_comment(f1, "fp1", "请补充 <b>说明</b>", 7, &ctx(rita, "rita"))
        .await
        .unwrap();
    let comments = store.comments(f1).await.unwrap();
    assert_eq!(
        (comments[0].user.as_str(), comments[0].body.as_str()),
        ("rita", "请补充 <b>说明</b>")
    );
    let w = NewWaiver {
        filing: f1,
        scope: "rule",
        rule: "r.one",
        fingerprint: "",
        subject: "",
        reason: "历史遗留",
        expires: "2027-01-01",
        approver: abe,
        now: 8,
    };
    store.add_waiver(&w, &ctx(abe, "abe")).await.unwrap();
    let ws = store.waivers(f1).await.unwrap();
    assert_eq!(
        (ws[0].approver.as_str(), ws[0].expires.as_str()),
        ("abe", "2027-01-01")
    );
    assert_eq!(
        store
            .decide(f1, "maybe", "", 9, &ctx(rita, "rita"))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .decide(9_999_999, "approve", "", 9, &ctx(rita, "rita"))
            .await
            .unwrap(),
        None
    );
    store
        .decide(f1, "correct", "请补正", 9, &ctx(rita, "rita"))
        .await
        .unwrap()
        .unwrap();
    let f = store.filing(f1).await.unwrap().unwrap();
    assert_eq!(
        (f.status.as_str(), f.reviewer.as_str()),
        ("correction", "rita")
    );
    let ds = store.decisions(f1).await.unwrap();
    assert_eq!(
        (
            ds[0].decision.as_str(),
            ds[0].version,
            ds[0].opinion.as_str()
        ),
        ("correct", 2, "请补正")
    );
    let by_reviewer = Query {
        reviewer: "rita".into(),
        ..Query::default()
    };
    assert_eq!(store.filings(&by_reviewer).await.unwrap().len(), 1);
    let by_status = Query {
        status: "correction".into(),
        ..Query::default()
    };
    assert_eq!(store.filings(&by_status).await.unwrap()[0].id, f1);

    // ---- a NUL, which PostgreSQL's text cannot hold, never fails a request ----
    store
        .add_comment(f2, "", "a\0b", 10, &ctx(rita, "ri\0ta"))
        .await
        .unwrap();
    let last = store.comments(f2).await.unwrap().pop().unwrap();
    assert_eq!(last.body, "a\u{FFFD}b");
    assert!(store.user_by_name("ali\0ce").await.unwrap().is_none());
    store.record_login_failure("x\0", "\0", 1).await.unwrap();
    let nul = Query {
        q: "\0".into(),
        plan: "\0".into(),
        ..Query::default()
    };
    assert!(store.filings(&nul).await.unwrap().is_empty());

    // ---- the audit log: appended, never changed ----
    let entries = store.audit_entries(0, 0).await.unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    for a in ["upload", "check", "comment", "waiver", "decision"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
    assert!(entries
        .iter()
        .all(|e| !e.request_id.is_empty() && !e.user.is_empty()));
    let n = store.count("audit").await.unwrap();
    assert!(store
        .raw_execute("UPDATE audit SET detail = 'forged'")
        .await
        .is_err());
    assert!(store.raw_execute("DELETE FROM audit").await.is_err());
    assert_eq!(store.count("audit").await.unwrap(), n);
    assert!(store
        .audit_entries(0, 0)
        .await
        .unwrap()
        .iter()
        .all(|e| e.detail != "forged"));
    assert_eq!(
        store
            .audit_entries(1_780_000_000, 1_780_000_001)
            .await
            .unwrap()
            .len(),
        10
    );

    // ---- concurrent uploads: each stored once, numbers distinct ----
    let before = store.count("filings").await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..16 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let body = format!("concurrent {i}");
            store
                .store_version(&upload(alice, "甲公司", None, body.as_bytes(), 2030))
                .await
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        match t.await.unwrap().unwrap() {
            Stored::Done { intake_no, .. } => numbers.push(intake_no),
            other => panic!("{other:?}"),
        }
    }
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 16);
    assert_eq!(numbers.first().unwrap(), "PT-2030-000001");
    assert_eq!(numbers.last().unwrap(), "PT-2030-000016");
    assert_eq!(store.count("filings").await.unwrap(), before + 16);
}

#[test]
fn the_store_suite_on_sqlite() {
    let dir = std::env::temp_dir().join(unique("peitao-desk-store"));
    std::fs::create_dir_all(&dir).unwrap();
    // A file name with what a URL would read otherwise.
    let file = dir.join("desk #1?%20.sqlite3");
    let db = file.to_str().unwrap().to_string();
    rt().block_on(async {
        let store = Store::open(&db).await.unwrap();
        suite(&store).await;
        store.close().await;
        // Reopened: migrated already, the data kept.
        let store = Store::open(&db).await.unwrap();
        assert_eq!(store.count("users").await.unwrap(), 4);
        store.close().await;
    });
    assert!(file.is_file(), "the database is the file named");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The server's address, or None (said on stderr) when there is none
/// outside CI.
pub fn postgres_base() -> Option<String> {
    let url = std::env::var("PEITAO_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let reachable = std::net::TcpStream::connect_timeout(
        &"127.0.0.1:5432".parse().unwrap(),
        std::time::Duration::from_secs(2),
    )
    .is_ok()
        || std::env::var("PEITAO_TEST_POSTGRES").is_ok();
    if reachable {
        return Some(url);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("PostgreSQL is not reachable on 127.0.0.1:5432 (CI=true: .ci/run starts it)");
    }
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: PostgreSQL is not reachable on 127.0.0.1:5432"
    );
    None
}

#[test]
fn the_store_suite_on_postgres() {
    let Some(base) = postgres_base() else { return };
    let name = unique("peitao_store");
    rt().block_on(async {
        use sqlx::Executor;
        sqlx::any::install_default_drivers();
        let admin = sqlx::AnyPool::connect(&base)
            .await
            .expect("connect to PostgreSQL");
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap();
        let url = match base.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{name}"),
            None => unreachable!(),
        };
        let result = async move {
            // Two instances starting on one new database at once both start.
            let (a, b) = tokio::join!(Store::open(&url), Store::open(&url));
            let (a, b) = (a.unwrap(), b.unwrap());
            assert_eq!(a.schema_version().await.unwrap(), 1);
            suite(&a).await;
            // The second instance sees what the first stored.
            assert_eq!(b.count("users").await.unwrap(), 4);
            a.close().await;
            b.close().await;
        };
        let outcome = tokio::spawn(result).await;
        admin
            .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await
            .unwrap();
        admin.close().await;
        if let Err(e) = outcome {
            std::panic::resume_unwind(e.into_panic());
        }
    });
}
