//! The OpenAPI 3.0 document of the JSON routes, served at
//! `/api/openapi.json`: made from one table (method, path, what, body,
//! query) that a test compares with the router, so the document cannot
//! drift from the routes.

use axum::Json;
use serde_json::{json, Map, Value};

/// The body an operation takes.
#[derive(Clone, Copy)]
pub enum Body {
    None,
    Json(&'static [(&'static str, &'static str)]),
    Upload,
}

/// (method, path, summary, body, query parameters, success status)
pub type Op = (
    &'static str,
    &'static str,
    &'static str,
    Body,
    &'static [&'static str],
    u16,
);

const QUEUE: &[&str] = &["plan", "status", "applicant", "reviewer", "from", "to", "q"];

/// Every JSON route.
pub const OPERATIONS: &[Op] = &[
    (
        "post",
        "/api/login",
        "Log in: sets the session cookie, returns the CSRF token",
        Body::Json(&[("name", "string"), ("password", "string")]),
        &[],
        200,
    ),
    (
        "post",
        "/api/logout",
        "Log out (cookie sessions: X-CSRF-Token)",
        Body::None,
        &[],
        200,
    ),
    (
        "get",
        "/api/me",
        "The user of the request and the session's CSRF token",
        Body::None,
        &[],
        200,
    ),
    (
        "post",
        "/api/tokens",
        "A new API token for the user (shown once)",
        Body::Json(&[("name", "string")]),
        &[],
        201,
    ),
    (
        "get",
        "/api/filings",
        "The queue (an applicant sees its organisation's filings only)",
        Body::None,
        QUEUE,
        200,
    ),
    (
        "post",
        "/api/filings",
        "Upload a submission (the body is the file): a new filing, or with ?filing= a new version",
        Body::Upload,
        &["filing", "org", "name"],
        201,
    ),
    (
        "get",
        "/api/filings/{id}",
        "A filing: its latest version's findings, waivers, comments, versions, decisions",
        Body::None,
        &[],
        200,
    ),
    (
        "get",
        "/api/filings/{id}/versions/{n}",
        "A filing as of version n",
        Body::None,
        &[],
        200,
    ),
    (
        "get",
        "/api/filings/{id}/versions/{n}/source",
        "The exact bytes of version n",
        Body::None,
        &[],
        200,
    ),
    (
        "post",
        "/api/filings/{id}/comments",
        "Comment on the filing or one finding (by fingerprint)",
        Body::Json(&[("body", "string"), ("finding", "string")]),
        &[],
        201,
    ),
    (
        "post",
        "/api/filings/{id}/waivers",
        "Grant a waiver (approver): one finding (fingerprint) or one rule",
        Body::Json(&[
            ("reason", "string"),
            ("expires", "string"),
            ("finding", "string"),
            ("rule", "string"),
        ]),
        &[],
        201,
    ),
    (
        "post",
        "/api/filings/{id}/decision",
        "Record a decision: approve (通过), correct (补正) or reject (不予通过)",
        Body::Json(&[("decision", "string"), ("opinion", "string")]),
        &[],
        201,
    ),
    (
        "get",
        "/api/filings/{id}/opinion",
        "The review opinion's data (审查意见书)",
        Body::None,
        &[],
        200,
    ),
    (
        "get",
        "/api/ledger",
        "Filings of a period (staff)",
        Body::None,
        QUEUE,
        200,
    ),
    (
        "get",
        "/api/admin/users",
        "Users (admin)",
        Body::None,
        &[],
        200,
    ),
    (
        "post",
        "/api/admin/users",
        "Create a user (admin)",
        Body::Json(&[
            ("name", "string"),
            ("password", "string"),
            ("role", "string"),
            ("org", "string"),
            ("display", "string"),
        ]),
        &[],
        201,
    ),
    (
        "patch",
        "/api/admin/users/{id}",
        "Change a user's role, activity or password (admin)",
        Body::Json(&[
            ("role", "string"),
            ("active", "boolean"),
            ("password", "string"),
        ]),
        &[],
        200,
    ),
    (
        "get",
        "/api/admin/audit",
        "The audit log (admin)",
        Body::None,
        &["from", "to"],
        200,
    ),
    (
        "get",
        "/api/openapi.json",
        "This document",
        Body::None,
        &[],
        200,
    ),
];

/// An object whose every property is required and no other is allowed:
/// the desk's own records, so that a field added or dropped in the code
/// and not here fails the test that validates real answers (tests/desk/desk_api.rs).
fn record(props: Value) -> Value {
    let required: Vec<String> = props
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    json!({"type": "object", "properties": props, "required": required,
        "additionalProperties": false})
}

fn r(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn list_of(name: &str) -> Value {
    json!({"type": "array", "items": r(name)})
}

/// The schemas of the answers (components/schemas).
fn schemas() -> Map<String, Value> {
    let int = json!({"type": "integer", "format": "int64"});
    let string = json!({"type": "string"});
    let boolean = json!({"type": "boolean"});
    let role = json!({"type": "string", "enum": ["applicant", "reviewer", "approver", "admin"]});
    let gate = json!({"type": "string", "enum": ["pass", "fail", "not_checked"]});
    let gate_or_empty = json!({"type": "string", "enum": ["pass", "fail", "not_checked", ""]});
    let any_list = json!({"type": "array", "items": {"type": "object"}});
    let mut m = Map::new();
    m.insert("Error".into(), error_schema());
    m.insert(
        "User".into(),
        record(
            json!({"id": int, "name": string, "display": string, "role": role,
            "org": string, "active": boolean, "created": int}),
        ),
    );
    m.insert(
        "Me".into(),
        record(
            json!({"id": int, "name": string, "role": role, "org": string,
            "display": string, "csrf": string}),
        ),
    );
    m.insert(
        "Login".into(),
        record(json!({"user": r("User"), "csrf": string})),
    );
    m.insert(
        "Ok".into(),
        record(json!({"ok": {"type": "boolean", "enum": [true]}})),
    );
    m.insert("Token".into(), record(json!({"token": string})));
    m.insert("Created".into(), record(json!({"id": int})));
    m.insert(
        "Filing".into(),
        record(json!({"id": int, "intake_no": string, "org": string, "plan": string,
            "project": string, "submission_id": string,
            "status": {"type": "string", "enum": ["submitted", "invalid", "approved", "correction", "rejected"]},
            "latest_version": int, "created": int, "updated": int, "created_by": string,
            "reviewer": string, "findings": int, "open_errors": int, "latest_valid": boolean,
            "latest_file_status": string, "gate": gate_or_empty})),
    );
    m.insert(
        "Filings".into(),
        record(json!({"filings": list_of("Filing")})),
    );
    m.insert(
        "Version".into(),
        record(
            json!({"id": int, "number": int, "file_name": string, "content_type": string,
            "sha256": string, "size": int, "file_status": string, "valid": boolean,
            "fixed": int, "new": int, "unchanged": int, "created": int, "created_by": string,
            "fixed_findings": any_list}),
        ),
    );
    m.insert(
        "VersionInfo".into(),
        record(
            json!({"id": int, "number": int, "file_name": string, "content_type": string,
            "sha256": string, "size": int, "file_status": string, "valid": boolean,
            "fixed": int, "new": int, "unchanged": int, "created": int, "created_by": string}),
        ),
    );
    m.insert(
        "Comment".into(),
        record(
            json!({"id": int, "filing": int, "finding": string, "user": string,
            "body": string, "created": int}),
        ),
    );
    m.insert(
        "Waiver".into(),
        record(json!({"id": int, "filing": int, "scope": {"type": "string", "enum": ["finding", "rule"]},
            "rule": string, "fingerprint": string, "subject": string, "reason": string,
            "expires": string, "approver": string, "created": int})),
    );
    m.insert(
        "Decision".into(),
        record(json!({"id": int, "filing": int, "version": int,
            "decision": {"type": "string", "enum": ["approve", "correct", "reject"]},
            "opinion": string, "user": string, "user_display": string, "created": int})),
    );
    // A finding: the JSON report's finding (`check --format json`), with
    // the desk's label number, waivers and comments.
    m.insert(
        "Finding".into(),
        json!({"type": "object", "properties": {
            "number": int, "rule": string, "severity": string, "message": string,
            "fingerprint": string, "desk_waivers": list_of("Waiver"),
            "comments": list_of("Comment")},
            "required": ["number", "rule", "severity", "message", "desk_waivers", "comments"]}),
    );
    m.insert(
        "FilingView".into(),
        record(
            json!({"filing": r("Filing"), "versions": list_of("Version"),
            "version": r("VersionInfo"), "report": {"type": "object"},
            "findings": list_of("Finding"), "fixed": any_list, "input_errors": any_list,
            "waivers": list_of("Waiver"), "comments": list_of("Comment"),
            "decisions": list_of("Decision"), "text": string, "gate": gate}),
        ),
    );
    m.insert(
        "Uploaded".into(),
        record(
            json!({"filing": int, "intake_no": string, "version": int, "status": string,
            "valid": boolean, "findings": int,
            "compare": record(json!({"fixed": int, "new": int, "unchanged": int}))}),
        ),
    );
    m.insert(
        "Opinion".into(),
        record(
            json!({"office": string, "date": string, "intake_no": string, "org": string,
            "project": string, "submission_id": string, "plan": string, "version": int,
            "decision": {"oneOf": [r("Decision"), {"enum": [null]}]},
            "reviewer": string, "findings": list_of("Finding"), "waivers": list_of("Waiver"),
            "fixed": any_list}),
        ),
    );
    m.insert("Users".into(), record(json!({"users": list_of("User")})));
    m.insert(
        "AuditEntry".into(),
        record(
            json!({"id": int, "at": int, "user": string, "request_id": string,
            "ip": string, "action": string, "target": string, "detail": string}),
        ),
    );
    m.insert(
        "Audit".into(),
        record(json!({"entries": list_of("AuditEntry")})),
    );
    m.insert(
        "OpenApi".into(),
        json!({"type": "object", "required": ["openapi", "info", "paths", "components"]}),
    );
    m
}

/// The schema of an operation's successful answer.
pub fn success_schema(method: &str, path: &str) -> Value {
    let name = match (method, path) {
        ("post", "/api/login") => "Login",
        ("post", "/api/logout") | ("patch", "/api/admin/users/{id}") => "Ok",
        ("get", "/api/me") => "Me",
        ("post", "/api/tokens") => "Token",
        ("get", "/api/filings") | ("get", "/api/ledger") => "Filings",
        ("post", "/api/filings") => "Uploaded",
        ("get", "/api/filings/{id}") | ("get", "/api/filings/{id}/versions/{n}") => "FilingView",
        ("get", "/api/filings/{id}/opinion") => "Opinion",
        ("get", "/api/admin/users") => "Users",
        ("get", "/api/admin/audit") => "Audit",
        ("get", "/api/openapi.json") => "OpenApi",
        _ => "Created",
    };
    r(name)
}

fn error_schema() -> Value {
    json!({"type": "object", "properties": {"error": {"type": "object",
        "properties": {"code": {"type": "string"}, "zh": {"type": "string"}, "en": {"type": "string"}},
        "required": ["code", "zh", "en"]}}, "required": ["error"]})
}

/// The document.
pub fn build() -> Value {
    let mut paths = Map::new();
    for &(method, path, summary, body, query, ok) in OPERATIONS {
        let mut params: Vec<Value> = Vec::new();
        for seg in path.split('/') {
            if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                params.push(json!({"name": name, "in": "path", "required": true,
                    "schema": {"type": "integer", "format": "int64"}}));
            }
        }
        for q in query {
            let schema = match *q {
                "filing" => json!({"type": "integer", "format": "int64"}),
                "from" | "to" => json!({"type": "string", "format": "date"}),
                _ => json!({"type": "string"}),
            };
            params.push(json!({"name": q, "in": "query", "required": false, "schema": schema}));
        }
        let mut responses = Map::new();
        let ok_body = if path.ends_with("/source") {
            json!({"description": "the file", "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}})
        } else {
            json!({"description": "success", "content": {"application/json": {"schema": success_schema(method, path)}}})
        };
        responses.insert(ok.to_string(), ok_body);
        let err = json!({"description": "refused (the error's code and words in Chinese and English)",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
        let mut codes: Vec<&str> = vec!["400", "401", "403", "404"];
        if matches!(body, Body::Upload) {
            codes.extend(["409", "415", "422"]);
        }
        if !matches!(body, Body::None) {
            codes.push("413");
        }
        if path == "/api/login" {
            codes.push("429");
        }
        if path == "/api/admin/users" && method == "post" {
            codes.push("409");
        }
        for c in codes {
            responses.insert(c.to_string(), err.clone());
        }
        let mut op = json!({
            "summary": summary,
            "operationId": format!("{method}{}", path.replace(['/', '{', '}', '.'], "_")),
            "parameters": params,
            "responses": responses,
        });
        match body {
            Body::None => {}
            Body::Json(fields) => {
                let props: Map<String, Value> = fields
                    .iter()
                    .map(|(n, t)| (n.to_string(), json!({"type": t})))
                    .collect();
                op["requestBody"] = json!({"required": true, "content": {"application/json":
                    {"schema": {"type": "object", "properties": props}}}});
            }
            Body::Upload => {
                let bin = json!({"schema": {"type": "string", "format": "binary"}});
                op["requestBody"] = json!({"required": true, "content": {
                    "application/yaml": bin.clone(),
                    "text/yaml": bin.clone(),
                    super::intake::XLSX_TYPE: bin,
                }});
            }
        }
        if !matches!(path, "/api/login" | "/api/openapi.json") {
            op["security"] = json!([{"cookie": []}, {"bearer": []}]);
        }
        paths
            .entry(path.to_string())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("an object")
            .insert(method.to_string(), op);
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "peitao review desk",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The JSON API of `peitao serve` (docs/desk.md). Cookie-authenticated writes need the X-CSRF-Token header; bearer tokens do not."
        },
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "cookie": {"type": "apiKey", "in": "cookie", "name": super::COOKIE},
                "bearer": {"type": "http", "scheme": "bearer"}
            }
        }
    })
}

pub async fn document() -> Json<Value> {
    Json(build())
}
