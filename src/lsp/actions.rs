//! Code actions: the fixes the validator found (the key a typo meant, the
//! unit a mistyped one meant, the word an unknown value meant), and writing
//! the unit of a bare quantity.

use super::context;
use super::position::Lines;
use crate::check::{FileResult, Outcome};
use crate::input::format::Ty;
use crate::input::{Limits, Msg, Span};
use crate::plan::Lang;
use lsp_types::{
    CodeAction, CodeActionKind, Diagnostic, NumberOrString, Range, TextEdit, Uri, WorkspaceEdit,
};
use std::collections::HashMap;

fn overlaps(a: Span, from: usize, to: usize) -> bool {
    a.offset <= to && from <= a.offset + a.len
}

fn edit(uri: &Uri, range: Range, text: String) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(
            uri.clone(),
            vec![TextEdit::new(range, text)],
        )])),
        ..WorkspaceEdit::default()
    }
}

/// The actions for the byte range `from..to` of the file. `sent` are the
/// diagnostics the client attached; a fix names the one it resolves.
#[allow(clippy::too_many_arguments)]
pub fn at(
    file: &FileResult,
    lines: &Lines,
    limits: &Limits,
    uri: &Uri,
    from: usize,
    to: usize,
    sent: &[Diagnostic],
    lang: Lang,
) -> Vec<CodeAction> {
    let say = |m: Msg| crate::report::messages::say(&m, lang);
    let text = &file.source;
    let mut out = Vec::new();
    if let Outcome::Invalid(errors) = &file.outcome {
        for e in errors.iter().filter(|e| overlaps(e.span, from, to)) {
            let Some(fix) = &e.fix else { continue };
            let old = text
                .get(fix.span.offset..fix.span.offset + fix.span.len)
                .unwrap_or("");
            let code = format!("input::{}", e.code);
            let range = lines.range(text, e.span);
            let diagnostics: Vec<Diagnostic> = sent
                .iter()
                .filter(|d| {
                    d.range == range && d.code == Some(NumberOrString::String(code.clone()))
                })
                .cloned()
                .collect();
            out.push(CodeAction {
                title: say(Msg::new("lsp.replace")
                    .arg("old", old)
                    .arg("new", &fix.text)),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
                edit: Some(edit(uri, lines.range(text, fix.span), fix.text.clone())),
                is_preferred: Some(true),
                ..CodeAction::default()
            });
        }
    }
    // A quantity written as a bare number: say its unit.
    if let Some(at) = context::field_at(text, limits, from) {
        let unit = match at.field.ty {
            Ty::Area => Some("m²"),
            Ty::Distance => Some("m"),
            _ => None,
        };
        if let (Some(unit), true) = (unit, at.bare_number) {
            let number = text
                .get(at.value.offset..at.value.offset + at.value.len)
                .unwrap_or("");
            let end = lines.position(text, at.value.offset + at.value.len);
            out.push(CodeAction {
                title: say(Msg::new("lsp.write-unit")
                    .arg("number", number)
                    .arg("unit", unit)),
                kind: Some(CodeActionKind::REFACTOR_REWRITE),
                edit: Some(edit(uri, Range::new(end, end), format!(" {unit}"))),
                ..CodeAction::default()
            });
        }
    }
    out
}
