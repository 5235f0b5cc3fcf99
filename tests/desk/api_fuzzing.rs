//! schemathesis fuzzes the desk's API from its OpenAPI document, against a
//! real `peitao serve` on loopback: no answer is a server error. The
//! desk's longest test (about 9 s); its module's name sorts first, so that
//! libtest (which starts tests in the order of their names) starts it
//! first and the other desk tests run beside it.

use crate::desk_common::*;

/// schemathesis against the OpenAPI document, authenticated with an API
/// token: no answer is a server error.
#[test]
fn schemathesis_finds_no_server_error() {
    let st = ["st", "schemathesis"].into_iter().find(|b| {
        std::process::Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(st) = st else {
        return missing("schemathesis", "pip install schemathesis");
    };
    let desk = Desk::start("schemathesis");
    let admin = desk.login(ADMIN);
    desk.create_user(&admin, "a_app", "applicant", "甲单位");
    let a = desk.login("a_app");
    let up = a.upload(violating_filing("HH-ST-1", "x").as_bytes(), None);
    assert_eq!(up.status, 201);
    // An admin's token reaches every operation.
    let tok = admin
        .post_json("/api/tokens", &serde_json::json!({"name": "st"}))
        .json();
    let t = tok["token"].as_str().unwrap();
    let out = std::process::Command::new(st)
        .args(["run", &format!("{}/api/openapi.json", desk.base)])
        .args(["--checks", "not_a_server_error"])
        .args(["-H", &format!("Authorization: Bearer {t}")])
        .args(["--max-examples", "25", "--workers", "2"])
        .args(["--phases", "examples,coverage,fuzzing"])
        // Not the login routes: they would throttle or end the token's use.
        .args(["--exclude-path", "/api/logout"])
        // The exact uploaded bytes come back under the upload's own content
        // type; schemathesis then parses them as YAML and crashes on a
        // control character it generated itself (its error, not the desk's).
        // The routes are covered by the cross-organisation and escaping tests.
        .args(["--exclude-path-regex", "/source$"])
        .current_dir(&desk.dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("schemathesis runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    // A check that failed (a 5xx, a dropped connection) is listed under
    // FAILURES; schemathesis's own crashes (hypothesis on Python 3.11 fails
    // to describe a lambda now and then: "AST constructor recursion depth
    // mismatch") are listed under ERRORS as a "Runtime Error" raised inside
    // its site-packages, and say nothing of the desk.
    let failures = stdout.contains("= FAILURES =")
        || stdout.contains("Server error")
        || stdout.contains("Network Error");
    let tool_errors_only =
        stdout.contains("Runtime Error") && stdout.contains("site-packages/") && !failures;
    assert!(
        out.status.success() || tool_errors_only,
        "schemathesis found failures:\n{stdout}\n{}\nthe desk's log:\n{}",
        String::from_utf8_lossy(&out.stderr),
        desk.log()
    );
    // It did fuzz: the fuzzing phase ran and passed operations.
    assert!(
        stdout.contains("Fuzzing") && stdout.contains("passed"),
        "{stdout}"
    );
    assert!(
        !desk.log().contains("panicked"),
        "the desk panicked:\n{}",
        desk.log()
    );
}
