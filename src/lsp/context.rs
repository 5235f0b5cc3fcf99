//! What the cursor is on: a field of the submission format (from the parsed
//! YAML tree, for hover and code actions), or the key or value being typed
//! (from the lines above, for completion, where the YAML is often broken
//! mid-edit).

use crate::input::format::{self, Field, Ty};
use crate::input::yaml::{self, Node, NodeKind};
use crate::input::{Limits, Span};

/// The fields a mapping may hold, by the keys leading to it
/// (`["facilities", "schedule"]`; list indices left out).
pub fn fields_of(parents: &[&str]) -> Option<&'static [Field]> {
    match parents {
        [] => Some(format::TOP),
        ["submission"] => Some(format::SUBMISSION),
        ["estate"] => Some(format::ESTATE),
        ["facilities"] => Some(format::FACILITY),
        ["institutions"] => Some(format::INSTITUTION),
        ["hospitals"] => Some(format::HOSPITAL),
        ["venues"] => Some(format::VENUE),
        ["region"] => Some(format::REGION),
        // A nested record (`schedule:`, `indicators:`): its field's table.
        _ => match format::field_at(&parents.join("."))?.ty {
            Ty::Nested(fields) => Some(fields),
            _ => None,
        },
    }
}

/// A field of the format under the cursor.
#[derive(Clone, Debug)]
pub struct FieldAt {
    /// `facilities[0].floor_area`.
    pub path: String,
    pub field: &'static Field,
    /// A section of the file (`estate:`), not a value.
    pub section: bool,
    pub value: Span,
    /// The value is a plain YAML number (a quantity without its unit).
    pub bare_number: bool,
}

/// The field whose key or (scalar) value holds `offset`, if the text is
/// well-formed YAML and the key is one of the format's.
pub fn field_at(text: &str, limits: &Limits, offset: usize) -> Option<FieldAt> {
    let root = yaml::parse(text, limits.yaml_options()).ok()?;
    let mut keys = Vec::new();
    walk(&root, &mut keys, "", offset)
}

fn holds(span: Span, offset: usize) -> bool {
    span.offset <= offset && offset <= span.offset + span.len
}

fn walk<'n>(
    node: &'n Node<'_>,
    keys: &mut Vec<&'n str>,
    path: &str,
    offset: usize,
) -> Option<FieldAt> {
    match &node.kind {
        NodeKind::Map(entries) => {
            for (k, v) in entries {
                let NodeKind::Str(name) = &k.kind else {
                    continue;
                };
                let field = fields_of(keys).and_then(|fs| fs.iter().find(|f| f.name == name));
                let name: &str = name;
                let child = if path.is_empty() {
                    name.to_string()
                } else {
                    format!("{path}.{name}")
                };
                let nested = matches!(v.kind, NodeKind::Map(_) | NodeKind::Seq(_));
                if holds(k.span, offset) || (!nested && holds(v.span, offset)) {
                    return field.map(|field| FieldAt {
                        path: child,
                        field,
                        section: keys.is_empty() && name != "version",
                        value: v.span,
                        bare_number: matches!(v.kind, NodeKind::Int(_) | NodeKind::Float(..)),
                    });
                }
                if nested {
                    keys.push(name);
                    let found = walk(v, keys, &child, offset);
                    keys.pop();
                    if found.is_some() {
                        return found;
                    }
                }
            }
            None
        }
        NodeKind::Seq(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| walk(item, keys, &format!("{path}[{i}]"), offset)),
        _ => None,
    }
}

/// What is being typed at the cursor, for completion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Typing {
    /// A key of the mapping reached through `parents`.
    Key { parents: Vec<String> },
    /// The value of `key` in that mapping.
    Value { parents: Vec<String>, key: String },
}

/// Column of the key on a line (after its indentation and any `- `
/// markers), and the rest of the line from there.
fn key_column(line: &str) -> (usize, &str) {
    let mut rest = line;
    let mut col = 0;
    loop {
        let trimmed = rest.trim_start_matches(' ');
        col += rest.len() - trimmed.len();
        rest = trimmed;
        match rest.strip_prefix('-') {
            Some(after) if after.is_empty() || after.starts_with(' ') => {
                col += 1;
                rest = after;
            }
            _ => return (col, rest),
        }
    }
}

/// The key a line sets (`floor_area` of `  - floor_area: 5`), if any.
fn key_of(rest: &str) -> Option<&str> {
    let (key, _) = rest.split_once(':')?;
    let key = key.trim().trim_matches(['"', '\'']);
    (!key.is_empty() && !key.starts_with('#') && !key.contains(['{', '['])).then_some(key)
}

/// The keys enclosing a key at `col`, read from the lines above `line_start`
/// by indentation (block style, as submissions are written).
fn parents(text: &str, line_start: usize, col: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut col = col;
    for line in text[..line_start].lines().rev() {
        if col == 0 {
            break;
        }
        let (c, rest) = key_column(line);
        if rest.is_empty() || rest.starts_with('#') || c >= col {
            continue;
        }
        match key_of(rest) {
            Some(key) => out.push(key.to_string()),
            None => return Vec::new(),
        }
        col = c;
    }
    out.reverse();
    out
}

/// What the cursor at `offset` is typing: a key, or the value after a key's
/// colon. None inside a comment.
pub fn typing(text: &str, offset: usize) -> Option<Typing> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    if before.contains(" #") || before.trim_start().starts_with('#') {
        return None;
    }
    let (col, rest) = key_column(before);
    // A one-line mapping `schedule: { planned: 2024-05, deli`.
    if let Some(open) = rest.rfind('{').filter(|&i| !rest[i..].contains('}')) {
        let mut outer = parents(text, line_start, col);
        if let Some(key) = key_of(&rest[..open]) {
            outer.push(key.to_string());
        }
        let inner = rest[open + 1..].rsplit(',').next().unwrap_or("");
        return Some(match inner.split_once(':') {
            Some((key, _)) => Typing::Value {
                parents: outer,
                key: key.trim().to_string(),
            },
            None => Typing::Key { parents: outer },
        });
    }
    let parents = parents(text, line_start, col);
    Some(match key_of(rest) {
        Some(key) => Typing::Value {
            parents,
            key: key.to_string(),
        },
        None => Typing::Key { parents },
    })
}

/// The key of the line the cursor at `offset` is on, anywhere on the line
/// (its key or its value), and the keys enclosing it; in a one-line
/// mapping (`params: { part: x, whole: y }`), the entry under the cursor.
/// For hover in pack.yaml, read by indentation like [`typing`].
pub fn key_at(text: &str, offset: usize) -> Option<(Vec<String>, String)> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    if line.trim_start().starts_with('#') {
        return None;
    }
    let (col, rest) = key_column(line);
    let mut outer = parents(text, line_start, col);
    let key = key_of(rest);
    let rest_at = line.len() - rest.len();
    let open = rest.find('{').map(|i| line_start + rest_at + i);
    match open.filter(|&o| o < offset) {
        Some(open) => {
            outer.extend(key.map(str::to_string));
            // The entry of the flow mapping the cursor is in.
            let from = text[open + 1..offset]
                .rfind(',')
                .map_or(open + 1, |i| open + 2 + i);
            let entry = &text[from..line_end];
            let name = entry.split([':', ',', '}']).next()?.trim();
            (!name.is_empty()).then(|| (outer, name.to_string()))
        }
        None => key.map(|k| (outer, k.to_string())),
    }
}

/// The keys already written in the mapping whose key the cursor at
/// `offset` is typing, so that completion leaves them out: the lines at the
/// same column above and below, within the same list item; or the keys
/// before the cursor in a one-line mapping.
pub fn written_keys(text: &str, offset: usize) -> Vec<String> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let (col, rest) = key_column(&text[line_start..offset]);
    if let Some(open) = rest.rfind('{').filter(|&i| !rest[i..].contains('}')) {
        let mut segments: Vec<&str> = rest[open + 1..].split(',').collect();
        segments.pop();
        return segments
            .iter()
            .filter_map(|s| key_of(s))
            .map(str::to_string)
            .collect();
    }
    let starts_item = text[line_start..offset].trim_start().starts_with("- ");
    let mut keys = Vec::new();
    let mut visit = |line: &str, up: bool| -> bool {
        let (c, rest) = key_column(line);
        if rest.is_empty() || rest.starts_with('#') || c > col {
            return true;
        }
        if c < col {
            return false;
        }
        let item = line.trim_start().starts_with("- ");
        if item && !up {
            return false;
        }
        if let Some(key) = key_of(rest) {
            keys.push(key.to_string());
        }
        !item
    };
    if !starts_item {
        for line in text[..line_start].lines().rev() {
            if !visit(line, true) {
                break;
            }
        }
    }
    for line in text[(line_end + 1).min(text.len())..].lines() {
        if !visit(line, false) {
            break;
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "version: 1\nsubmission:\n  jurisdiction: 十堰\nestate:\n  status: new\n  schedule:\n    planned: 2024-05\nfacilities:\n  - id: F1\n    floor_area: 200\n    schedule: { delivery: 2026-12 }\n";

    fn at(needle: &str) -> Option<FieldAt> {
        field_at(DOC, &Limits::default(), DOC.find(needle).unwrap() + 1)
    }

    #[test]
    fn the_field_under_the_cursor_has_its_path_and_format_entry() {
        let f = at("floor_area").unwrap();
        assert_eq!(
            (f.path.as_str(), f.field.name, f.bare_number),
            ("facilities[0].floor_area", "floor_area", true)
        );
        assert_eq!(at("200").unwrap().path, "facilities[0].floor_area");
        assert_eq!(at("planned").unwrap().path, "estate.schedule.planned");
        assert_eq!(
            at("delivery").unwrap().path,
            "facilities[0].schedule.delivery"
        );
        assert_eq!(at("十堰").unwrap().field.name, "jurisdiction");
        let estate = at("estate").unwrap();
        assert!(estate.section);
        assert!(!at("version").unwrap().section);
    }

    #[test]
    fn typing_a_key_or_value_knows_its_mapping() {
        let typed = |text: &str| typing(text, text.len());
        assert_eq!(
            typed("version: 1\nest"),
            Some(Typing::Key { parents: vec![] })
        );
        assert_eq!(
            typed("facilities:\n  - id: F1\n    flo"),
            Some(Typing::Key {
                parents: vec!["facilities".into()]
            })
        );
        assert_eq!(
            typed("facilities:\n  - id: F1\n  - ki"),
            Some(Typing::Key {
                parents: vec!["facilities".into()]
            })
        );
        assert_eq!(
            typed("estate:\n  schedule:\n    # note\n\n    pla"),
            Some(Typing::Key {
                parents: vec!["estate".into(), "schedule".into()]
            })
        );
        assert_eq!(
            typed("institutions:\n  - id: I1\n    operator: pu"),
            Some(Typing::Value {
                parents: vec!["institutions".into()],
                key: "operator".into()
            })
        );
        assert_eq!(
            typed("submission: { filed: 2025-03-01, jurisdiction: "),
            Some(Typing::Value {
                parents: vec!["submission".into()],
                key: "jurisdiction".into()
            })
        );
        assert_eq!(
            typed("facilities:\n  - { id: F1, ki"),
            Some(Typing::Key {
                parents: vec!["facilities".into()]
            })
        );
        assert_eq!(typed("estate:\n  status: new # ne"), None);
    }

    #[test]
    fn keys_already_written_in_the_same_mapping_are_known() {
        let text = "facilities:\n  - id: F1\n    kind: childcare\n    \n    slots: 3\n    schedule:\n      planned: 2024-05\n  - id: F2\n    name: x\nestate:\n  households: 1\n";
        let cursor = text.find("    \n").unwrap() + 4;
        assert_eq!(
            written_keys(text, cursor),
            ["kind", "id", "slots", "schedule"]
        );
        let new_item = "facilities:\n  - id: F1\n  - ki\n    slots: 3\n";
        assert_eq!(
            written_keys(new_item, new_item.find("ki").unwrap() + 2),
            ["slots"]
        );
        let flow = "submission: { filed: 2025-03-01, jurisdiction: 十堰, ";
        assert_eq!(written_keys(flow, flow.len()), ["filed", "jurisdiction"]);
    }
}
