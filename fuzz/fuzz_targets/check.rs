//! Parse, validate, check and render any bytes as a submission: nothing may
//! panic, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use peitao::engine::Catalog;
use peitao::plan::Lang;
use peitao::report::human::{self, Style};
use std::sync::OnceLock;

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| peitao::engine::load_embedded().expect("shipped packs load"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let catalog = catalog();
    let result = peitao::check::check_text(catalog, "fuzz.yaml", text.into(), &Default::default());
    let mut out = String::new();
    human::render_file(
        catalog,
        &result,
        &Style {
            lang: Lang::Zh,
            color: false,
            width: 80,
        },
        &mut out,
    );
    let json = peitao::report::json::file(catalog, &result, Lang::En);
    let _ = serde_json::to_string(&json).unwrap();
    let _ = peitao::report::sarif::render(catalog, std::slice::from_ref(&result), Lang::En);
    let _ = peitao::report::html::render(catalog, std::slice::from_ref(&result), Lang::En);
    let _ = peitao::report::junit::render(catalog, std::slice::from_ref(&result), Lang::En);
});
