//! The rule-authoring guide's tables of host functions and templates are
//! the engine's own lists: a function or parameter added without its line
//! in docs/writing-rules.md (or a line left behind) fails here.

use std::path::Path;

fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text.find(open).unwrap_or_else(|| panic!("no `{open}`"));
    let rest = &text[start..];
    let body = &rest[rest.find('\n').unwrap() + 1..];
    &body[..body.find(close).unwrap_or_else(|| panic!("no `{close}`"))]
}

#[test]
fn the_guide_lists_every_host_function_and_template() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/writing-rules.md");
    let guide = std::fs::read_to_string(&path).unwrap();
    let host = peitao::engine::host_functions_table();
    let templates = peitao::engine::templates_table();
    let listed_host = between(&guide, "<!-- host-functions", "<!-- /host-functions -->");
    let listed_templates = between(&guide, "<!-- templates", "<!-- /templates -->");
    if std::env::var_os("PEITAO_BLESS").is_some() {
        let updated =
            guide
                .replacen(listed_host, &host, 1)
                .replacen(listed_templates, &templates, 1);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        listed_host, host,
        "docs/writing-rules.md's host functions differ from engine::HOST_FUNCTIONS (PEITAO_BLESS=1 cargo test --test docs rewrites them)"
    );
    assert_eq!(
        listed_templates, templates,
        "docs/writing-rules.md's templates differ from the engine's templates (PEITAO_BLESS=1 cargo test --test docs rewrites them)"
    );
}
