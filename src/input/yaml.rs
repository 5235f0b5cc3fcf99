//! A YAML document as a tree of nodes that each keep their byte span.
//!
//! serde-saphyr parses the text once; every scalar, sequence and mapping is
//! captured through `Spanned`, so later stages can underline any value.
//! Typed conversion happens in `validate`, which collects every problem
//! instead of stopping at the first (serde's `deny_unknown_fields` would).

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
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

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    pub kind: NodeKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl NodeKind {
    /// What a user would call this kind of value, for "expected X, found
    /// Y": a phrase of the message catalogue (`report::messages`).
    pub fn describe(&self) -> &'static str {
        match self {
            NodeKind::Null => "kind-null",
            NodeKind::Bool(_) => "kind-bool",
            NodeKind::Int(_) => "kind-int",
            NodeKind::Float(_) => "kind-float",
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

impl From<Spanned<NodeKind>> for Node {
    fn from(s: Spanned<NodeKind>) -> Self {
        let span = span_of(&s.referenced);
        Node {
            span,
            kind: s.value,
        }
    }
}

impl<'de> Deserialize<'de> for NodeKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KindVisitor)
    }
}

struct KindVisitor;

impl<'de> Visitor<'de> for KindVisitor {
    type Value = NodeKind;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<NodeKind, E> {
        Ok(NodeKind::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<NodeKind, E> {
        Ok(NodeKind::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<NodeKind, D::Error> {
        NodeKind::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<NodeKind, E> {
        Ok(NodeKind::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<NodeKind, E> {
        Ok(NodeKind::Int(v as i128))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<NodeKind, E> {
        Ok(NodeKind::Int(v as i128))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<NodeKind, E> {
        Ok(NodeKind::Int(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<NodeKind, E> {
        Ok(NodeKind::Int(i128::try_from(v).unwrap_or(i128::MAX)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<NodeKind, E> {
        Ok(NodeKind::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<NodeKind, E> {
        Ok(NodeKind::Str(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<NodeKind, E> {
        Ok(NodeKind::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NodeKind, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element::<Spanned<NodeKind>>()? {
            items.push(Node::from(item));
        }
        Ok(NodeKind::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NodeKind, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(key) = map.next_key::<Spanned<NodeKind>>()? {
            let value = map.next_value::<Spanned<NodeKind>>()?;
            entries.push((Node::from(key), Node::from(value)));
        }
        Ok(NodeKind::Map(entries))
    }
}

/// Parse one YAML document into a spanned tree.
pub fn parse(text: &str, options: serde_saphyr::Options) -> Result<Node, serde_saphyr::Error> {
    let root: Spanned<NodeKind> = serde_saphyr::from_str_with_options(text, options)?;
    Ok(Node::from(root))
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
