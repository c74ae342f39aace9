//! Reading values out of parsed documents while keeping where they are: every value read
//! carries its file and its JSON/YAML path, so a finding can point at the setting to change.

use std::fmt;
use std::sync::Arc;

use serde_json::Value;

/// The key Pulumi marks a secret value with (`{"<this>": "1b47061264138c4ac30d75fd1eb44270",
/// "ciphertext": ...}`).
pub(crate) const PULUMI_SECRET_SIG: &str = "4dabf18193072939515e22adb298388d";

/// Where a value is: a file (as the environment file names it) and a path in it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Loc {
    pub file: Arc<str>,
    /// `spec.template.spec.containers[0].lifecycle.preStop`; empty for the document itself.
    pub path: String,
}

impl Loc {
    pub(crate) fn new(file: &Arc<str>, path: impl Into<String>) -> Loc {
        Loc {
            file: Arc::clone(file),
            path: path.into(),
        }
    }

    /// The location of `key` under this one.
    pub fn key(&self, key: &str) -> Loc {
        Loc {
            file: Arc::clone(&self.file),
            path: join_key(&self.path, key),
        }
    }

    /// The location of element `i` under this one.
    pub fn index(&self, i: usize) -> Loc {
        Loc {
            file: Arc::clone(&self.file),
            path: format!("{}[{i}]", self.path),
        }
    }

    /// A location under this one through a dotted path of plain keys: `a.b.c`.
    pub fn keys(&self, dotted: &str) -> Loc {
        dotted.split('.').fold(self.clone(), |at, key| at.key(key))
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.file)
        } else {
            write!(f, "{}: {}", self.file, self.path)
        }
    }
}

/// `path.key`, or `path["key"]` when the key is not a plain word (annotation names, keys with
/// dots or slashes).
fn join_key(path: &str, key: &str) -> String {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    match (plain, path.is_empty()) {
        (true, true) => key.to_owned(),
        (true, false) => format!("{path}.{key}"),
        (false, _) => format!("{path}[{}]", Value::String(key.to_owned())),
    }
}

/// What a setting holds.
#[derive(Debug, Clone, PartialEq)]
pub enum State<T> {
    Set(T),
    /// Absent (or null): the platform's default applies.
    Unset,
    /// A Pulumi secret exported without `--show-secrets`.
    Secret,
    /// Present but not of the expected type; the text says what was found.
    Invalid(String),
}

/// A setting and where it is (or would be, when unset).
#[derive(Debug, Clone, PartialEq)]
pub struct Field<T> {
    pub at: Loc,
    pub state: State<T>,
}

impl<T> Field<T> {
    pub(crate) fn unset(at: Loc) -> Field<T> {
        Field {
            at,
            state: State::Unset,
        }
    }

    pub(crate) fn set(at: Loc, value: T) -> Field<T> {
        Field {
            at,
            state: State::Set(value),
        }
    }

    pub fn value(&self) -> Option<&T> {
        match &self.state {
            State::Set(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_unset(&self) -> bool {
        matches!(self.state, State::Unset)
    }

    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        Field {
            at: self.at,
            state: match self.state {
                State::Set(v) => State::Set(f(v)),
                State::Unset => State::Unset,
                State::Secret => State::Secret,
                State::Invalid(why) => State::Invalid(why),
            },
        }
    }
}

/// What is at a path: a value, nothing, or a secret (whose parts cannot be read).
#[derive(Debug, Clone, Copy)]
enum Slot<'a> {
    Value(&'a Value),
    Missing,
    Secret,
}

/// A cursor into a parsed document that remembers its location.
#[derive(Debug, Clone)]
pub(crate) struct Node<'a> {
    slot: Slot<'a>,
    pub(crate) at: Loc,
}

impl<'a> Node<'a> {
    pub(crate) fn new(value: &'a Value, at: Loc) -> Node<'a> {
        Node {
            slot: classify(value),
            at,
        }
    }

    /// The value under `key`, matched exactly.
    pub(crate) fn get(&self, key: &str) -> Node<'a> {
        match self.slot {
            Slot::Value(Value::Object(map)) => match map.get(key) {
                Some(v) => Node::new(v, self.at.key(key)),
                None => self.missing(key),
            },
            Slot::Secret => Node {
                slot: Slot::Secret,
                at: self.at.key(key),
            },
            _ => self.missing(key),
        }
    }

    /// The value under `key`, matched regardless of case (AWS and Pulumi spell keys in
    /// several cases); the location names the key as the file spells it.
    pub(crate) fn get_ci(&self, key: &str) -> Node<'a> {
        match self.slot {
            Slot::Value(Value::Object(map)) => {
                let found = map
                    .get_key_value(key)
                    .or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)));
                match found {
                    Some((k, v)) => Node::new(v, self.at.key(k)),
                    None => self.missing(key),
                }
            }
            Slot::Secret => Node {
                slot: Slot::Secret,
                at: self.at.key(key),
            },
            _ => self.missing(key),
        }
    }

    /// A dotted path of [`Node::get_ci`] lookups: `"healthCheck.path"`.
    pub(crate) fn path_ci(&self, dotted: &str) -> Node<'a> {
        dotted
            .split('.')
            .fold(self.clone(), |node, key| node.get_ci(key))
    }

    /// An Azure resource's property: at the top, where az and Pulumi's azure-native flatten
    /// `properties`, else under `properties`, as the REST API returns it.
    pub(crate) fn arm(&self, key: &str) -> Node<'a> {
        let top = self.get_ci(key);
        if top.exists() {
            return top;
        }
        let nested = self.get_ci("properties").get_ci(key);
        if nested.exists() { nested } else { top }
    }

    /// A dotted path of [`Node::arm`] lookups: `"network.publicNetworkAccess"`.
    pub(crate) fn arm_path(&self, dotted: &str) -> Node<'a> {
        dotted
            .split('.')
            .fold(self.clone(), |node, key| node.arm(key))
    }

    /// A dotted path of exact lookups: `"spec.template.spec"`.
    pub(crate) fn path(&self, dotted: &str) -> Node<'a> {
        dotted
            .split('.')
            .fold(self.clone(), |node, key| node.get(key))
    }

    fn missing(&self, key: &str) -> Node<'a> {
        Node {
            slot: Slot::Missing,
            at: self.at.key(key),
        }
    }

    /// The elements of an array (none for anything else).
    pub(crate) fn items(&self) -> Vec<Node<'a>> {
        match self.slot {
            Slot::Value(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| Node::new(v, self.at.index(i)))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The entries of an object (none for anything else).
    pub(crate) fn entries(&self) -> Vec<(&'a str, Node<'a>)> {
        match self.slot {
            Slot::Value(Value::Object(map)) => map
                .iter()
                .map(|(k, v)| (k.as_str(), Node::new(v, self.at.key(k))))
                .collect(),
            _ => Vec::new(),
        }
    }

    pub(crate) fn value(&self) -> Option<&'a Value> {
        match self.slot {
            Slot::Value(v) => Some(v),
            _ => None,
        }
    }

    pub(crate) fn exists(&self) -> bool {
        !matches!(self.slot, Slot::Missing)
    }

    pub(crate) fn is_secret(&self) -> bool {
        matches!(self.slot, Slot::Secret)
    }

    pub(crate) fn is_object(&self) -> bool {
        matches!(self.slot, Slot::Value(Value::Object(_)))
    }

    fn field<T>(&self, read: impl FnOnce(&'a Value) -> Result<T, String>) -> Field<T> {
        Field {
            at: self.at.clone(),
            state: match self.slot {
                Slot::Missing => State::Unset,
                Slot::Secret => State::Secret,
                Slot::Value(v) => match read(v) {
                    Ok(t) => State::Set(t),
                    Err(why) => State::Invalid(why),
                },
            },
        }
    }

    /// A string (numbers and booleans are taken as their text).
    pub(crate) fn text(&self) -> Field<String> {
        self.field(|v| match v {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            other => Err(format!("{} instead of a string", describe(other))),
        })
    }

    /// The string here, if there is one.
    pub(crate) fn opt_text(&self) -> Option<String> {
        self.text().value().cloned()
    }

    /// A whole number of at least 0: a JSON number, or a string of digits (AWS attributes and
    /// some Pulumi outputs are strings).
    pub(crate) fn count(&self) -> Field<u64> {
        self.field(|v| match v {
            Value::Number(n) => n
                .as_u64()
                .or_else(|| {
                    n.as_f64()
                        .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 9e15)
                        .map(|f| f as u64)
                })
                .ok_or_else(|| format!("{n} instead of a whole number of at least 0")),
            Value::String(s) => s
                .trim()
                .parse::<u64>()
                .map_err(|_| format!("{s:?} instead of a whole number")),
            other => Err(format!("{} instead of a number", describe(other))),
        })
    }

    /// A number (a percentage, a target value).
    pub(crate) fn number(&self) -> Field<f64> {
        self.field(|v| match v {
            Value::Number(n) => n.as_f64().ok_or_else(|| format!("{n} instead of a number")),
            Value::String(s) => s
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .ok_or_else(|| format!("{s:?} instead of a number")),
            other => Err(format!("{} instead of a number", describe(other))),
        })
    }

    /// A boolean, or the strings "true"/"false" in any case.
    pub(crate) fn flag(&self) -> Field<bool> {
        self.field(|v| match v {
            Value::Bool(b) => Ok(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
            other => Err(format!("{} instead of true or false", describe(other))),
        })
    }

    /// A list of strings (a single string is taken as a list of one).
    pub(crate) fn texts(&self) -> Field<Vec<String>> {
        self.field(|v| match v {
            Value::Array(items) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s.clone()),
                    other => Err(format!("a list holding {}", describe(other))),
                })
                .collect(),
            Value::String(s) => Ok(vec![s.clone()]),
            other => Err(format!("{} instead of a list", describe(other))),
        })
    }

    /// A list of strings, empty when it is not one (for lists that only join resources).
    pub(crate) fn text_list(&self) -> Vec<String> {
        self.texts().value().cloned().unwrap_or_default()
    }
}

/// Null is absence; a Pulumi secret without its plaintext is a secret.
fn classify(value: &Value) -> Slot<'_> {
    match value {
        Value::Null => Slot::Missing,
        Value::Object(map) if map.contains_key(PULUMI_SECRET_SIG) => Slot::Secret,
        v => Slot::Value(v),
    }
}

/// "a list", "an object", ... for messages.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> Arc<str> {
        Arc::from("deploy/api.yaml")
    }

    #[test]
    fn paths_name_keys_as_the_file_spells_them() {
        let doc: Value = serde_json::json!({
            "metadata": {"annotations": {"alb.ingress.kubernetes.io/healthcheck-path": "/"}},
            "spec": {"containers": [{"name": "api"}, {"Name": "b", "stopTimeout": "130"}]},
        });
        let root = Node::new(&doc, Loc::new(&file(), ""));
        let ann = root
            .path("metadata.annotations")
            .get("alb.ingress.kubernetes.io/healthcheck-path");
        assert_eq!(
            ann.at.to_string(),
            "deploy/api.yaml: metadata.annotations[\"alb.ingress.kubernetes.io/healthcheck-path\"]"
        );
        let second = &root.path("spec.containers").items()[1];
        assert_eq!(
            second.get_ci("name").at.path,
            "spec.containers[1].Name",
            "case-insensitive lookups keep the file's spelling"
        );
        assert_eq!(second.get_ci("stoptimeout").count().value(), Some(&130));
        let missing = root.path("spec.template.spec.terminationGracePeriodSeconds");
        assert!(missing.count().is_unset());
        assert_eq!(
            missing.at.path,
            "spec.template.spec.terminationGracePeriodSeconds"
        );
    }

    #[test]
    fn values_of_the_wrong_type_are_invalid_not_defaults() {
        let doc: Value = serde_json::json!({"a": -3, "b": "x", "c": [1], "d": 2.5, "e": "TRUE"});
        let root = Node::new(&doc, Loc::new(&file(), ""));
        assert!(matches!(root.get("a").count().state, State::Invalid(_)));
        assert!(matches!(root.get("b").count().state, State::Invalid(_)));
        assert!(matches!(root.get("c").texts().state, State::Invalid(_)));
        assert!(matches!(root.get("d").count().state, State::Invalid(_)));
        assert_eq!(root.get("d").number().value(), Some(&2.5));
        assert_eq!(root.get("e").flag().value(), Some(&true));
    }

    #[test]
    fn secrets_are_not_values() {
        let doc: Value = serde_json::json!({
            "containerDefinitions": {PULUMI_SECRET_SIG: "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:abc"}
        });
        let root = Node::new(&doc, Loc::new(&file(), ""));
        let defs = root.get("containerDefinitions");
        assert!(defs.is_secret());
        assert_eq!(defs.text().state, State::Secret);
        assert_eq!(defs.get("x").count().state, State::Secret);
    }
}
