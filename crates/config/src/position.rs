//! Where a value is in its file: the line and column of a JSON/YAML path
//! (`spec.template.spec.containers[0].lifecycle.preStop`), for annotations in code review
//! (SARIF). JSON is read as YAML, whose parser keeps every node's place.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

/// A parsed document that remembers where each node starts.
#[derive(Debug)]
pub(crate) enum Tree {
    Map(Vec<(String, Spanned<Tree>)>),
    Seq(Vec<Spanned<Tree>>),
    Leaf,
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Tree, D::Error> {
        d.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML or JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let mut entries = Vec::new();
        while let Some(Key(key)) = map.next_key::<Key>()? {
            entries.push((key, map.next_value::<Spanned<Tree>>()?));
        }
        Ok(Tree::Map(entries))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Tree>>()? {
            items.push(item);
        }
        Ok(Tree::Seq(items))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Tree, E> {
        Ok(Tree::Leaf)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Tree, E> {
        Ok(Tree::Leaf)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Tree, E> {
        Ok(Tree::Leaf)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Tree, E> {
        Ok(Tree::Leaf)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Tree, E> {
        Ok(Tree::Leaf)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::Leaf)
    }
    fn visit_none<E: de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::Leaf)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Tree, D::Error> {
        Tree::deserialize(d)
    }
}

/// A mapping key of any scalar type, as text.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key(v.to_owned()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Key, E> {
                Ok(Key("null".to_owned()))
            }
        }
        d.deserialize_any(KeyVisitor)
    }
}

/// One step of a path.
#[derive(Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// `a.b[0]["c.d"]`, up to a `(JSON)` mark (a JSON document inside a string: its place is the
/// string's). `None` when the text is not a path.
fn steps(path: &str) -> Option<Vec<Step>> {
    let path = path.split("(JSON)").next().unwrap_or(path);
    let mut out = Vec::new();
    let chars: Vec<char> = path.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '.' => i += 1,
            '[' if chars.get(i + 1) == Some(&'"') => {
                // A quoted key, JSON-escaped, up to the closing `"]`.
                let start = i + 1;
                let mut j = start + 1;
                while j < chars.len() && !(chars[j] == '"' && chars.get(j + 1) == Some(&']')) {
                    j += if chars[j] == '\\' { 2 } else { 1 };
                }
                let quoted: String = chars.get(start..=j)?.iter().collect();
                out.push(Step::Key(serde_json::from_str(&quoted).ok()?));
                i = j + 2;
            }
            '[' => {
                let end = i + chars[i..].iter().position(|c| *c == ']')?;
                let n: String = chars[i + 1..end].iter().collect();
                out.push(Step::Index(n.parse().ok()?));
                i = end + 1;
            }
            _ => {
                let end = chars[i..]
                    .iter()
                    .position(|c| *c == '.' || *c == '[')
                    .map_or(chars.len(), |p| i + p);
                out.push(Step::Key(chars[i..end].iter().collect()));
                i = end;
            }
        }
    }
    Some(out)
}

/// The 1-based line and column where `path` starts in `doc`: the value's place, or (for a
/// path that ends at a key that is not written, such as an unset setting) the deepest node
/// that is there.
fn find(doc: &Spanned<Tree>, path: &[Step]) -> (usize, usize) {
    let here = (
        doc.referenced.line() as usize,
        doc.referenced.column() as usize,
    );
    let Some((first, rest)) = path.split_first() else {
        return here;
    };
    let next = match (&doc.value, first) {
        (Tree::Map(entries), Step::Key(k)) => {
            entries.iter().find(|(key, _)| key == k).map(|(_, v)| v)
        }
        (Tree::Seq(items), Step::Index(n)) => items.get(*n),
        _ => None,
    };
    next.map_or(here, |n| find(n, rest))
}

/// How many steps of `path` lead to nodes of `doc`.
fn depth(doc: &Spanned<Tree>, path: &[Step]) -> usize {
    let Some((first, rest)) = path.split_first() else {
        return 0;
    };
    let next = match (&doc.value, first) {
        (Tree::Map(entries), Step::Key(k)) => {
            entries.iter().find(|(key, _)| key == k).map(|(_, v)| v)
        }
        (Tree::Seq(items), Step::Index(n)) => items.get(*n),
        _ => None,
    };
    next.map_or(0, |n| 1 + depth(n, rest))
}

/// A file's documents, parsed for [`locate`]. `None` when it does not parse.
pub(crate) fn parse(text: &str) -> Option<Vec<Spanned<Tree>>> {
    serde_saphyr::from_multiple::<Spanned<Tree>>(text).ok()
}

/// The line and column of `path` in a file of `docs`: in the document it leads furthest into
/// (the first of those), at its value or the nearest node that is there.
pub(crate) fn locate(docs: &[Spanned<Tree>], path: &str) -> Option<(usize, usize)> {
    let steps = steps(path)?;
    let mut best: Option<(usize, &Spanned<Tree>)> = None;
    for doc in docs {
        let d = depth(doc, &steps);
        if best.is_none_or(|(b, _)| d > b) {
            best = Some((d, doc));
        }
    }
    best.map(|(_, doc)| find(doc, &steps))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_split_into_keys_and_indexes() {
        assert_eq!(
            steps("spec.containers[0][\"a.b/c\"].x(JSON)[1].y"),
            Some(vec![
                Step::Key("spec".into()),
                Step::Key("containers".into()),
                Step::Index(0),
                Step::Key("a.b/c".into()),
                Step::Key("x".into()),
            ])
        );
        assert_eq!(steps(""), Some(vec![]));
    }

    #[test]
    fn places_are_found_in_yaml_documents_and_json() {
        let yaml = "kind: Service\nspec:\n  type: ClusterIP\n---\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: pulumi/service\n";
        let docs = parse(yaml).unwrap();
        assert_eq!(
            locate(&docs, "spec.template.spec.containers[0].image"),
            Some((11, 18))
        );
        assert_eq!(locate(&docs, "spec.type"), Some((3, 9)));
        // An unset key points at the nearest node that is there.
        assert_eq!(
            locate(&docs, "spec.template.spec.terminationGracePeriodSeconds"),
            Some((9, 7))
        );
        let json = "{\n  \"Attributes\": [\n    {\"Key\": \"deletion_protection.enabled\", \"Value\": \"false\"}\n  ]\n}\n";
        let docs = parse(json).unwrap();
        assert_eq!(locate(&docs, "Attributes[0].Value"), Some((3, 53)));
        assert_eq!(locate(&docs, "metadata.annotations[\"x\"]"), Some((1, 1)));
    }
}
