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
            json!({"description": "success", "content": {"application/json": {"schema": {"type": "object"}}}})
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
            "schemas": {"Error": error_schema()},
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
