//! A YAML document as a tree of nodes that each keep their byte span.
//!
//! The tree is built straight from the events of granit-parser, the
//! span-preserving parser serde-saphyr itself runs on ([`parse_direct`]):
//! one pass, no serde layer. Plain scalars resolve exactly as serde-saphyr
//! resolves them for an untyped value (YAML 1.1 booleans, decimal and
//! prefixed integers, YAML 1.2 floats, null). Whatever that builder does not
//! handle itself — a syntax error, a tag, an anchor or alias, a merge key, a
//! non-finite number, a second document, a file near a budget — goes through
//! serde-saphyr ([`parse_with_serde`]), which then gives the tree or the
//! exact error with its limits and locations. `tests/yaml_differential.rs`
//! and the `yaml_differential` fuzz target hold the two paths equal.
//!
//! Typed conversion happens in `validate`, which collects every problem
//! instead of stopping at the first (serde's `deny_unknown_fields` would).

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::borrow::Cow;
use std::fmt;

/// Byte range of a value in its file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub offset: usize,
    pub len: usize,
}

impl Span {
    pub fn new(offset: usize, len: usize) -> Self {
        Span { offset, len }
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        (s.offset, s.len).into()
    }
}

/// A value of the document; its strings borrow from the text where the
/// text holds them as written (plain and most quoted scalars).
#[derive(Clone, Debug, PartialEq)]
pub struct Node<'t> {
    pub span: Span,
    pub kind: NodeKind<'t>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind<'t> {
    Null,
    Bool(bool),
    Int(i128),
    /// A number with a fraction or an exponent, and where its digits are
    /// written (the anchored scalar, for an alias): the double is only the
    /// parser's reading; quantities are read exactly from the text.
    Float(f64, Span),
    Str(Cow<'t, str>),
    Seq(Vec<Node<'t>>),
    Map(Vec<(Node<'t>, Node<'t>)>),
}

impl NodeKind<'_> {
    /// What a user would call this kind of value, for "expected X, found
    /// Y": a phrase of the message catalogue (`report::messages`).
    pub fn describe(&self) -> &'static str {
        match self {
            NodeKind::Null => "kind-null",
            NodeKind::Bool(_) => "kind-bool",
            NodeKind::Int(_) => "kind-int",
            NodeKind::Float(..) => "kind-float",
            NodeKind::Str(_) => "kind-str",
            NodeKind::Seq(_) => "kind-seq",
            NodeKind::Map(_) => "kind-map",
        }
    }
}

fn span_of(loc: &serde_saphyr::Location) -> Span {
    let s = loc.span();
    match (s.byte_offset(), s.byte_len()) {
        (Some(o), Some(l)) => Span::new(o as usize, l as usize),
        _ => Span::default(),
    }
}

impl<'t> From<Spanned<NodeKind<'t>>> for Node<'t> {
    fn from(s: Spanned<NodeKind<'t>>) -> Self {
        let span = span_of(&s.referenced);
        let kind = match s.value {
            NodeKind::Float(x, _) => NodeKind::Float(x, span_of(&s.defined)),
            other => other,
        };
        Node { span, kind }
    }
}

impl<'de> Deserialize<'de> for NodeKind<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KindVisitor)
    }
}

struct KindVisitor;

impl<'de> Visitor<'de> for KindVisitor {
    type Value = NodeKind<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<NodeKind<'de>, E> {
        Ok(NodeKind::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<NodeKind<'de>, E> {
        Ok(NodeKind::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<NodeKind<'de>, D::Error> {
        NodeKind::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<NodeKind<'de>, E> {
        Ok(NodeKind::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<NodeKind<'de>, E> {
        Ok(NodeKind::Int(v as i128))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<NodeKind<'de>, E> {
        Ok(NodeKind::Int(v as i128))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<NodeKind<'de>, E> {
        Ok(NodeKind::Int(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<NodeKind<'de>, E> {
        Ok(NodeKind::Int(i128::try_from(v).unwrap_or(i128::MAX)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<NodeKind<'de>, E> {
        // Where it is written is known to the Spanned around it (above).
        Ok(NodeKind::Float(v, Span::default()))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<NodeKind<'de>, E> {
        Ok(NodeKind::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<NodeKind<'de>, E> {
        Ok(NodeKind::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<NodeKind<'de>, E> {
        Ok(NodeKind::Str(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NodeKind<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element::<Spanned<NodeKind<'de>>>()? {
            items.push(Node::from(item));
        }
        Ok(NodeKind::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NodeKind<'de>, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(key) = map.next_key::<Spanned<NodeKind<'de>>>()? {
            let value = map.next_value::<Spanned<NodeKind<'de>>>()?;
            entries.push((Node::from(key), Node::from(value)));
        }
        Ok(NodeKind::Map(entries))
    }
}

/// Parse one YAML document into a spanned tree: directly from the parser's
/// events when the document is plain data, else through serde-saphyr.
pub fn parse(text: &str, options: serde_saphyr::Options) -> Result<Node<'_>, serde_saphyr::Error> {
    match parse_direct(text, &options) {
        Some(root) => Ok(root),
        None => parse_with_serde(text, options),
    }
}

/// The reference path: serde-saphyr deserialising into `Spanned` nodes.
pub fn parse_with_serde(
    text: &str,
    options: serde_saphyr::Options,
) -> Result<Node<'_>, serde_saphyr::Error> {
    let root: Spanned<NodeKind<'_>> = serde_saphyr::from_str_with_options(text, options)?;
    Ok(Node::from(root))
}

/// The tree built directly from granit-parser's events, or `None` when the
/// document needs serde-saphyr: a parse error, a tag, an anchor or alias, a
/// `<<` key, a non-scalar key, a non-finite number, a `%YAML` directive, no
/// or several documents, or a count within reach of a budget (depth, nodes,
/// events). `None` is never a verdict, only "ask the reference path", so
/// every limit and error message stays serde-saphyr's.
pub fn parse_direct<'t>(text: &'t str, options: &serde_saphyr::Options) -> Option<Node<'t>> {
    use serde_saphyr::granit_parser::{self as granit, Event};

    let default_budget;
    let budget = match &options.budget {
        Some(b) => b,
        None => {
            default_budget = serde_saphyr::Budget::default();
            &default_budget
        }
    };
    // Leave every count that could reach a budget to serde-saphyr: its own
    // accounting decides there, with its own message.
    if text.len() >= budget.max_total_scalar_bytes / 2 {
        return None;
    }
    let max_depth = budget.max_depth.saturating_sub(1);
    let max_nodes = budget.max_nodes.saturating_sub(2);
    let max_events = budget.max_events.saturating_sub(4);
    // The parser exactly as serde-saphyr configures it (`Options::parser_options`;
    // serde-saphyr's `comments` feature is off, so comments are not captured).
    let parser_options = granit::options! {
        simple_key_max_lookahead: budget.simple_key_max_lookahead,
        flow_nesting_limit: budget.flow_nesting_limit,
        block_nesting_limit: granit::Options::default()
            .block_nesting_limit
            .max(budget.max_depth.saturating_add(1)),
        strict_indentation: options.strict_indentation,
        bom_inside_document_as_content: options.bom_inside_document_as_content,
    };
    if options.legacy_octal_numbers
        || options.leading_zero_numbers_as_strings
        || options.underscored_numbers_as_strings
        || options.strict_booleans
        || options.no_schema
    {
        return None; // resolution rules this builder does not mirror
    }

    // Open collections; their children wait in one shared buffer, so each
    // collection costs one allocation of its exact size when it closes.
    struct Open {
        span: Span,
        map: bool,
        first_child: usize,
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut children: Vec<Node<'t>> = Vec::new();
    let mut root: Option<Node<'t>> = None;
    let (mut documents, mut nodes, mut events) = (0usize, 0usize, 0usize);
    for item in granit::Parser::new_from_str_with_options(text, parser_options) {
        let (event, span) = item.ok()?;
        events += 1;
        if events > max_events {
            return None;
        }
        let node = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => continue,
            Event::DocumentStart(_, version) => {
                documents += 1;
                if documents > 1 || version.is_some() {
                    return None;
                }
                continue;
            }
            Event::Scalar(value, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return None;
                }
                nodes += 1;
                let span = parser_span(&span);
                let kind = match style {
                    granit::ScalarStyle::Plain => match resolve_plain(value)? {
                        NodeKind::Float(x, _) => NodeKind::Float(x, span),
                        kind => kind,
                    },
                    _ => NodeKind::Str(value),
                };
                Node { span, kind }
            }
            Event::SequenceStart(_, anchor, ref tag) | Event::MappingStart(_, anchor, ref tag) => {
                if anchor != 0 || tag.is_some() || stack.len() >= max_depth {
                    return None;
                }
                nodes += 1;
                stack.push(Open {
                    span: parser_span(&span),
                    map: matches!(event, Event::MappingStart(..)),
                    first_child: children.len(),
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let open = stack.pop()?;
                let map = matches!(event, Event::MappingEnd);
                if open.map != map {
                    return None;
                }
                let mut items = children.drain(open.first_child..);
                let kind = if map {
                    if !items.len().is_multiple_of(2) {
                        return None;
                    }
                    let mut entries = Vec::with_capacity(items.len() / 2);
                    while let (Some(k), Some(v)) = (items.next(), items.next()) {
                        entries.push((k, v));
                    }
                    NodeKind::Map(entries)
                } else {
                    NodeKind::Seq(items.collect())
                };
                Node {
                    span: open.span,
                    kind,
                }
            }
            // Anchors, aliases, comments (when emitted): the reference path.
            _ => return None,
        };
        if nodes > max_nodes {
            return None;
        }
        match stack.last() {
            None if root.is_none() => root = Some(node),
            None => return None,
            Some(open) => {
                let is_key = open.map && (children.len() - open.first_child).is_multiple_of(2);
                // Merge keys and complex keys: serde-saphyr's rules.
                if is_key {
                    match &node.kind {
                        NodeKind::Seq(_) | NodeKind::Map(_) => return None,
                        NodeKind::Str(s) if s == "<<" => return None,
                        _ => {}
                    }
                }
                children.push(node);
            }
        }
    }
    if !stack.is_empty() {
        return None;
    }
    root
}

/// Where two trees first differ (kind, value, span, with the path to it),
/// or `None` when they are the same; floats compare by their bits. For the
/// differential test and fuzz target that hold [`parse_direct`] equal to
/// [`parse_with_serde`].
pub fn first_difference(a: &Node<'_>, b: &Node<'_>) -> Option<String> {
    fn walk(a: &Node<'_>, b: &Node<'_>, path: &mut String) -> Option<String> {
        if a.span != b.span {
            return Some(format!("{path}: span {:?} vs {:?}", a.span, b.span));
        }
        let len = path.len();
        let found = match (&a.kind, &b.kind) {
            (NodeKind::Float(x, _), NodeKind::Float(y, _)) if x.to_bits() == y.to_bits() => None,
            (NodeKind::Seq(xs), NodeKind::Seq(ys)) if xs.len() == ys.len() => {
                xs.iter().zip(ys).enumerate().find_map(|(i, (x, y))| {
                    path.truncate(len);
                    path.push_str(&format!("[{i}]"));
                    walk(x, y, path)
                })
            }
            (NodeKind::Map(xs), NodeKind::Map(ys)) if xs.len() == ys.len() => xs
                .iter()
                .zip(ys)
                .enumerate()
                .find_map(|(i, ((xk, xv), (yk, yv)))| {
                    path.truncate(len);
                    path.push_str(&format!(".key{i}"));
                    walk(xk, yk, path).or_else(|| {
                        path.truncate(len);
                        path.push_str(&format!(".value{i}"));
                        walk(xv, yv, path)
                    })
                }),
            (NodeKind::Float(..), _) | (NodeKind::Seq(_), _) | (NodeKind::Map(_), _) => {
                Some(format!("{path}: {:?} vs {:?}", a.kind, b.kind))
            }
            (x, y) if x == y => None,
            (x, y) => Some(format!("{path}: {x:?} vs {y:?}")),
        };
        path.truncate(len);
        found
    }
    walk(a, b, &mut String::from("root"))
}

/// A parser span as a byte range, as serde-saphyr's `Location` gives it.
fn parser_span(span: &serde_saphyr::granit_parser::Span) -> Span {
    match (span.start.byte_offset(), span.end.byte_offset()) {
        (Some(start), Some(end)) => Span::new(start, end.saturating_sub(start)),
        _ => Span::default(),
    }
}

/// An untagged plain scalar resolved as serde-saphyr resolves it for an
/// untyped value (`deserialize_any` with the default options): null, then a
/// YAML 1.1 boolean, then an integer, then a YAML 1.2 float, else a string.
/// `None` for a non-finite number, which serde-saphyr rejects with its own
/// error.
fn resolve_plain(value: Cow<'_, str>) -> Option<NodeKind<'_>> {
    if matches!(&*value, "" | "~" | "null" | "Null" | "NULL") {
        return Some(NodeKind::Null);
    }
    let padding = [' ', '\t', '\r', '\n'];
    let t: &str = &value;
    let t = if t.starts_with(padding) || t.ends_with(padding) {
        t.trim_matches(padding)
    } else {
        t
    };
    // Most scalars are words: nothing numeric or boolean starts like them.
    let first = t.as_bytes().first().copied().unwrap_or(b' ');
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return Some(match yaml11_bool(t) {
            Some(b) => NodeKind::Bool(b),
            None => NodeKind::Str(value),
        });
    }
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    let uppercase_radix = matches!(unsigned.as_bytes(), [b'0', b'X' | b'O' | b'B', ..]);
    let signed_nan = t.len() > unsigned.len() && matches!(unsigned, ".nan" | ".NaN" | ".NAN");
    if uppercase_radix || signed_nan {
        return Some(NodeKind::Str(value));
    }
    let negative = t.starts_with('-');
    let leading_zero = unsigned.len() > 1
        && unsigned.starts_with('0')
        && unsigned.bytes().all(|b| b.is_ascii_digit());
    if !(negative && leading_zero) {
        if let Some(n) = yaml_int(unsigned, negative) {
            let fits = if negative {
                i64::try_from(n).is_ok()
            } else {
                u64::try_from(n).is_ok()
            };
            if fits {
                return Some(NodeKind::Int(n));
            }
        }
    }
    match unsigned {
        ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" => return None,
        _ => {}
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() => Some(NodeKind::Float(x, Span::default())),
        // `1e999`: serde-saphyr reports a non-finite number.
        Ok(_) if unsigned.as_bytes().first().is_some_and(u8::is_ascii_digit) => None,
        _ => Some(NodeKind::Str(value)),
    }
}

/// YAML 1.1 booleans, any ASCII case (serde-saphyr's default).
fn yaml11_bool(t: &str) -> Option<bool> {
    const TRUE: [&str; 4] = ["true", "yes", "y", "on"];
    const FALSE: [&str; 4] = ["false", "no", "n", "off"];
    if TRUE.iter().any(|w| t.eq_ignore_ascii_case(w)) {
        Some(true)
    } else if FALSE.iter().any(|w| t.eq_ignore_ascii_case(w)) {
        Some(false)
    } else {
        None
    }
}

/// An integer as serde-saphyr reads one: decimal without a redundant
/// leading zero, or `0x`/`0o`/`0b` in lower case; single `_` between digits.
fn yaml_int(unsigned: &str, negative: bool) -> Option<i128> {
    let (radix, digits) = if let Some(d) = unsigned.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = unsigned.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = unsigned.strip_prefix("0b") {
        (2, d)
    } else {
        if unsigned.starts_with('0') && unsigned != "0" {
            return None;
        }
        (10, unsigned)
    };
    let bytes = digits.as_bytes();
    let mut magnitude: u128 = 0;
    let mut saw = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let prev_ok = i > 0 && bytes[i - 1] != b'_';
            let next_ok = i + 1 < bytes.len() && bytes[i + 1] != b'_';
            if !prev_ok || !next_ok {
                return None;
            }
            continue;
        }
        let d = (b as char).to_digit(radix)?;
        magnitude = magnitude
            .checked_mul(u128::from(radix))?
            .checked_add(u128::from(d))?;
        saw = true;
    }
    if !saw {
        return None;
    }
    if negative {
        if magnitude == i128::MAX as u128 + 1 {
            Some(i128::MIN)
        } else {
            i128::try_from(magnitude).ok().map(|m| -m)
        }
    } else {
        i128::try_from(magnitude).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_keeps_its_byte_span() {
        let text = "version: 1\nestate:\n  name: 阳光花园\n  households: 2600\nfacilities:\n  - { id: F1, floor_area: 560 m² }\n";
        let root = parse(text, serde_saphyr::Options::default()).unwrap();
        let NodeKind::Map(top) = &root.kind else {
            panic!("not a map: {root:?}")
        };
        let (_, estate) = &top[1];
        let NodeKind::Map(est) = &estate.kind else {
            panic!()
        };
        let (k, v) = &est[1];
        assert_eq!(
            &text[k.span.offset..k.span.offset + k.span.len],
            "households"
        );
        assert_eq!(&text[v.span.offset..v.span.offset + v.span.len], "2600");
        let (_, name) = &est[0];
        assert_eq!(
            &text[name.span.offset..name.span.offset + name.span.len],
            "阳光花园"
        );
        let NodeKind::Seq(fs) = &top[2].1.kind else {
            panic!()
        };
        let NodeKind::Map(f) = &fs[0].kind else {
            panic!()
        };
        let area = &f[1].1;
        assert_eq!(area.kind, NodeKind::Str("560 m²".into()));
        assert_eq!(
            &text[area.span.offset..area.span.offset + area.span.len],
            "560 m²"
        );
    }
}
