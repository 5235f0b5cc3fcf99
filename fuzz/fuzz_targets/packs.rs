//! Load any pack (a pack.yaml, one rule script and one CSV table, split
//! from the input at lines `=====`), then check a submission with it and
//! render the reports: loading either fails with plan errors or gives a
//! catalogue that runs; nothing may panic, hang or exhaust memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use peitao::plan::{Files, Lang};
use peitao::report::human::{self, Style};
use std::sync::Arc;

const SEED: &str = "模糊市方案。新建住宅小区应配建养老服务用房。\n";
const SUBMISSION: &str = "version: 1\nsubmission: { jurisdiction: fuzz, filed: 2025-03-01 }\nestate: { status: new, households: 100 }\nfacilities:\n  - { id: F1, kind: elderly_service, floor_area: 30 }\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(3, "\n=====\n");
    let manifest = parts.next().unwrap_or("");
    let script = parts.next().unwrap_or("");
    let csv = parts.next().unwrap_or("");
    let mut files = Files::new();
    for (path, body) in [
        ("fuzz/pack.yaml", manifest),
        ("fuzz/rule.rhai", script),
        ("fuzz/table.csv", csv),
        ("fuzz/seed.txt", SEED),
    ] {
        files.insert(path.to_string(), Arc::from(body));
    }
    let Ok(catalog) = peitao::engine::load_files(&files) else {
        return;
    };
    let options = peitao::check::Options {
        selection: peitao::plan::Selection {
            plans: catalog
                .packs
                .iter()
                .map(|p| p.manifest.id.clone())
                .collect(),
            as_of: None,
        },
        ..Default::default()
    };
    let result = peitao::check::check_text(&catalog, "fuzz.yaml", SUBMISSION.into(), &options);
    let mut out = String::new();
    human::render_file(
        &catalog,
        &result,
        &Style {
            lang: Lang::En,
            color: false,
            width: 80,
        },
        &mut out,
    );
    let _ = peitao::report::json::render(&catalog, std::slice::from_ref(&result), Lang::En);
    let _ = peitao::report::junit::render(&catalog, std::slice::from_ref(&result), Lang::En);
    let _ = peitao::report::catalog::plans(&catalog, Lang::Zh);
});
