//! The spanned tree built directly from granit-parser's events must equal
//! serde-saphyr's (values, kinds, spans) on any input it builds one for; where
//! it defers, `parse` is serde-saphyr's answer by construction. See
//! tests/yaml_differential.rs and docs/fuzzing.md.
#![no_main]

use libfuzzer_sys::fuzz_target;
use peitao::input::yaml::{first_difference, parse_direct, parse_with_serde};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = peitao::input::Limits::default().yaml_options();
    let Some(tree) = parse_direct(text, &options) else {
        return;
    };
    match parse_with_serde(text, options) {
        Ok(expected) => {
            if let Some(d) = first_difference(&tree, &expected) {
                panic!("the direct tree differs from serde-saphyr's at {d}");
            }
        }
        Err(e) => panic!("a direct tree was built where serde-saphyr refuses: {e}"),
    }
});
