//! Completion: the keys of the mapping being typed and the values a field
//! allows, from the format table; jurisdictions from the loaded packs.

use super::context::{self, Typing};
use crate::engine::Catalog;
use crate::input::format::{self, Ty};
use crate::input::units;
use crate::input::Msg;
use crate::plan::Lang;
use crate::report::messages::say;
use lsp_types::{CompletionItem, CompletionItemKind};

fn item(
    label: &str,
    kind: CompletionItemKind,
    detail: String,
    insert: Option<String>,
) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: Some(detail),
        insert_text: insert,
        ..CompletionItem::default()
    }
}

/// The completions at `offset` of `text`.
pub fn at(catalog: &Catalog, text: &str, offset: usize, lang: Lang) -> Vec<CompletionItem> {
    let Some(typing) = context::typing(text, offset) else {
        return Vec::new();
    };
    let meaning =
        |zh: &str, en: &str| say(&Msg::new("lsp.names").arg("zh", zh).arg("en", en), lang);
    match typing {
        Typing::Key { parents } => {
            let parents: Vec<&str> = parents.iter().map(String::as_str).collect();
            let written = context::written_keys(text, offset);
            context::fields_of(&parents)
                .unwrap_or_default()
                .iter()
                .filter(|f| !written.iter().any(|w| w == f.name))
                .map(|f| {
                    item(
                        f.name,
                        CompletionItemKind::PROPERTY,
                        meaning(f.zh, f.en),
                        Some(format!("{}: ", f.name)),
                    )
                })
                .collect()
        }
        Typing::Value { parents, key } => {
            let parents: Vec<&str> = parents.iter().map(String::as_str).collect();
            let Some(field) =
                context::fields_of(&parents).and_then(|fs| fs.iter().find(|f| f.name == key))
            else {
                return Vec::new();
            };
            if parents == ["submission"] && key == "jurisdiction" {
                return catalog
                    .packs
                    .iter()
                    .flat_map(|p| {
                        let detail = p.citation();
                        std::iter::once(p.manifest.id.as_str())
                            .chain(
                                p.manifest
                                    .aliases
                                    .iter()
                                    .map(String::as_str)
                                    .filter(move |a| *a != p.manifest.id),
                            )
                            .map(move |name| {
                                item(name, CompletionItemKind::VALUE, detail.clone(), None)
                            })
                    })
                    .collect();
            }
            match field.ty {
                Ty::Enum(words) => words
                    .iter()
                    .map(|w| {
                        item(
                            w,
                            CompletionItemKind::ENUM_MEMBER,
                            meaning(field.zh, field.en),
                            None,
                        )
                    })
                    // The Chinese aliases (县级市), each saying the word it stands for.
                    .chain(format::aliases(words).into_iter().map(|(alias, word)| {
                        item(
                            alias,
                            CompletionItemKind::ENUM_MEMBER,
                            format!("= {word}"),
                            None,
                        )
                    }))
                    .collect(),
                // After a number: its unit (`200 ` → `200 m²`).
                Ty::Area | Ty::Distance if typed_number(text, offset) => {
                    units::unit_names(field.ty == Ty::Area)
                        .map(|u| {
                            item(
                                u,
                                CompletionItemKind::UNIT,
                                meaning(field.zh, field.en),
                                None,
                            )
                        })
                        .collect()
                }
                Ty::Bool => ["true", "false"]
                    .iter()
                    .map(|w| {
                        item(
                            w,
                            CompletionItemKind::VALUE,
                            meaning(field.zh, field.en),
                            None,
                        )
                    })
                    .collect(),
                _ => Vec::new(),
            }
        }
    }
}

/// Is the value typed before the cursor a number (with 万), waiting for
/// its unit?
fn typed_number(text: &str, offset: usize) -> bool {
    let line = &text[text[..offset].rfind('\n').map_or(0, |i| i + 1)..offset];
    let value = line.rsplit(':').next().unwrap_or("").trim();
    let value = value.strip_suffix('万').unwrap_or(value).trim_end();
    !value.is_empty() && value.parse::<f64>().is_ok()
}
