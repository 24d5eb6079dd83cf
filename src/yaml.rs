//! YAML reading with positions: syntax and type errors become diagnostics at the right
//! line and column of the file, and unknown keys are reported (all of them) with the
//! closest known key as a suggestion.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diagnostics::{Code, Diagnostic, SourceSpan, closest, offset_of};

/// A YAML document inside a file: the file's text and where the YAML starts in it.
#[derive(Debug, Clone)]
pub struct YamlSource {
    /// The file, as shown to users.
    pub path: PathBuf,
    /// The whole file text.
    pub file_text: Arc<str>,
    /// Byte offset where the YAML starts in `file_text`.
    pub start: usize,
    /// Byte offset where the YAML ends in `file_text`.
    pub end: usize,
    /// Number of lines before the YAML in the file.
    pub line_offset: usize,
}

impl YamlSource {
    /// A whole YAML file.
    pub fn whole(path: impl Into<PathBuf>, text: Arc<str>) -> Self {
        let end = text.len();
        Self {
            path: path.into(),
            file_text: text,
            start: 0,
            end,
            line_offset: 0,
        }
    }

    /// The YAML text.
    pub fn yaml(&self) -> &str {
        &self.file_text[self.start..self.end]
    }

    /// A span at a 1-based line and column of the YAML text.
    pub fn span_at(&self, line: usize, column: usize) -> SourceSpan {
        let in_yaml = offset_of(self.yaml(), line, column);
        let start = self.start + in_yaml;
        let text = &self.file_text[start..];
        let mut end = start + text.find(['\n', '\r']).unwrap_or(text.len());
        // Underline one word (a key, a value) rather than the rest of the line.
        if let Some(stop) = self.file_text[start..end].find([':', ' ', ',', ']', '}'])
            && stop > 0
        {
            end = start + stop;
        }
        SourceSpan::new(self.path.clone(), self.file_text.clone(), start..end)
    }

    /// A span from a serde-saphyr location.
    pub fn span_of(&self, location: &serde_saphyr::Location) -> SourceSpan {
        self.span_at(location.line() as usize, location.column() as usize)
    }

    /// A span covering the first line of the YAML (for problems of the whole document).
    pub fn span_start(&self) -> SourceSpan {
        // Back over the opening `---` line, when there is one.
        let start = self.start.saturating_sub(4);
        let text = &self.file_text[start..];
        let end = start + text.find(['\n', '\r']).unwrap_or(text.len());
        SourceSpan::new(self.path.clone(), self.file_text.clone(), start..end)
    }

    /// The file path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Where each top-level key of a mapping stands, to point at a key in later checks.
#[derive(Debug, Default, Clone)]
pub struct KeySpans {
    spans: HashMap<String, SourceSpan>,
    order: Vec<String>,
}

impl KeySpans {
    /// The span of `key`, or the start of the document when the key is absent.
    pub fn get(&self, key: &str) -> Option<&SourceSpan> {
        self.spans.get(key)
    }

    /// Keys in document order.
    pub fn keys(&self) -> &[String] {
        &self.order
    }
}

/// The keys of a mapping, with their positions; values are skipped.
struct KeyList(Vec<Spanned<String>>);

impl<'de> de::Deserialize<'de> for KeyList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = KeyList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of keys to values (key: value)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyList, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.push(key);
                }
                Ok(KeyList(keys))
            }
            fn visit_unit<E: de::Error>(self) -> Result<KeyList, E> {
                Ok(KeyList(Vec::new()))
            }
        }
        deserializer.deserialize_map(KeyVisitor)
    }
}

/// The field names a struct deserializes, read from its `Deserialize` impl.
pub fn struct_fields<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Introspect<'a>(&'a mut &'static [&'static str]);
    #[derive(Debug)]
    struct Stop;
    impl fmt::Display for Stop {
        fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("introspection")
        }
    }
    impl std::error::Error for Stop {}
    impl de::Error for Stop {
        fn custom<M: fmt::Display>(_: M) -> Self {
            Stop
        }
    }
    impl<'de> Deserializer<'de> for Introspect<'_> {
        type Error = Stop;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            *self.0 = fields;
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Introspect(&mut fields));
    fields
}

fn yaml_error(source: &YamlSource, error: &serde_saphyr::Error, what: &str) -> Diagnostic {
    let options = serde_saphyr::render_options! { snippets: serde_saphyr::SnippetMode::Off };
    let mut message = error.without_snippet().render_with_options(options);
    // The location is shown by the diagnostic itself.
    if let Some(i) = message.rfind(" at line ") {
        message.truncate(i);
    }
    let missing_key = message.starts_with("missing field");
    let message = plain_serde_message(&message);
    let mut d = Diagnostic::error(Code::Yaml, format!("{what}: {message}"));
    match error.location() {
        // A missing key has no place of its own: point at the start of the block.
        Some(loc) if loc.line() > 0 && !missing_key => d = d.at(source.span_of(&loc)),
        _ => d = d.at(source.span_start()),
    }
    if missing_key {
        return d.hint("add the key with its value to the front matter; docs/writing-content.md lists the keys of each kind of page");
    }
    if message.contains("has no time") {
        return d
            .hint("give each activity its minutes; together they add up to the module's `hours`");
    }
    d.hint("Check the indentation and punctuation of this line. Text that contains a colon, a # or starts with a quote must be put in quotes.")
}

/// Rewrite serde's technical wording into plain words.
fn plain_serde_message(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some(field) = rest.split('`').next()
    {
        return format!("the required key `{field}` is missing");
    }
    let mut m = message
        .replace(", set DuplicateKeyPolicy in Options if acceptable", "")
        .replace("duplicate mapping key", "a key is written twice")
        .replace("invalid type: ", "wrong kind of value: found ")
        .replace("string \"", "the text \"")
        .replace("a sequence", "a list")
        .replace("sequence", "list");
    for (ty, plain) in [
        (
            "struct Activity",
            "a timed activity such as `{title: \"…\", minutes: 30}`",
        ),
        (
            "struct AgendaItem",
            "an agenda block such as `{title: \"…\", minutes: 15}`",
        ),
        ("u32", "a whole number"),
        ("u16", "a whole number"),
        ("u64", "a whole number"),
        ("i64", "a whole number"),
        ("f64", "a number"),
    ] {
        m = m.replace(&format!("expected {ty}"), &format!("expected {plain}"));
    }
    m
}

/// The keys of a YAML document at every depth of nested mappings, with where each
/// is written (values that are not mappings have no keys).
#[derive(Debug, Default)]
pub struct KeyTree(pub Vec<(Spanned<String>, KeyTree)>);

impl<'de> de::Deserialize<'de> for KeyTree {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TreeVisitor;
        impl<'de> Visitor<'de> for TreeVisitor {
            type Value = KeyTree;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyTree, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    let value = map.next_value::<KeyTree>()?;
                    keys.push((key, value));
                }
                Ok(KeyTree(keys))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<KeyTree, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(KeyTree::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<KeyTree, E> {
                Ok(KeyTree::default())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<KeyTree, E> {
                Ok(KeyTree::default())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<KeyTree, E> {
                Ok(KeyTree::default())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<KeyTree, E> {
                Ok(KeyTree::default())
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<KeyTree, E> {
                Ok(KeyTree::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<KeyTree, E> {
                Ok(KeyTree::default())
            }
            fn visit_none<E: de::Error>(self) -> Result<KeyTree, E> {
                Ok(KeyTree::default())
            }
        }
        deserializer.deserialize_any(TreeVisitor)
    }
}

impl KeyTree {
    /// The keys under `key` (an empty tree when it is missing or not a mapping).
    pub fn child(&self, key: &str) -> Option<&KeyTree> {
        self.0.iter().find(|(k, _)| k.value == key).map(|(_, t)| t)
    }
}

/// Every key of the mapping at `tree` that is not in `known`, reported with its
/// place and the closest known key. `what` names the mapping: "`branding`".
pub fn unknown_keys(
    source: &YamlSource,
    tree: &KeyTree,
    known: &[&str],
    what: &str,
) -> Vec<Diagnostic> {
    tree.0
        .iter()
        .filter(|(key, _)| !known.contains(&key.value.as_str()))
        .map(|(key, _)| {
            unknown_key(
                source.span_of(&key.referenced),
                &key.value,
                known,
                what,
                "not a key this part can have",
            )
        })
        .collect()
}

/// The error for `key`, written at `span`, which is not one of `known` in `what`:
/// with the closest known key, or the list of them.
fn unknown_key(span: SourceSpan, key: &str, known: &[&str], what: &str, label: &str) -> Diagnostic {
    let d = Diagnostic::error(Code::UnknownKey, format!("unknown key `{key}` in {what}"))
        .at(span)
        .label(label);
    match closest(key, known.iter().copied()) {
        Some(k) => d.hint(format!("did you mean `{k}`?")),
        None => d.hint(format!("the keys allowed here are: {}", known.join(", "))),
    }
}

/// Deserialize a YAML mapping into `T`, reporting every unknown key (not in `known`)
/// with a suggestion, and syntax or type errors at their position.
///
/// The value is `None` only when the YAML could not be read into `T`; unknown keys
/// are reported but do not prevent reading the rest.
pub fn parse_mapping<T: DeserializeOwned>(
    source: &YamlSource,
    known: &[&str],
    what: &str,
) -> (Option<T>, KeySpans, Vec<Diagnostic>) {
    let yaml = source.yaml();
    let keys: KeyList = match serde_saphyr::from_str(yaml) {
        Ok(keys) => keys,
        Err(e) => {
            return (
                None,
                KeySpans::default(),
                vec![yaml_error(source, &e, what)],
            );
        }
    };
    let mut spans = KeySpans::default();
    let mut problems = Vec::new();
    for key in keys.0 {
        let span = source.span_of(&key.referenced);
        if !known.contains(&key.value.as_str()) {
            problems.push(unknown_key(
                span.clone(),
                &key.value,
                known,
                what,
                "not a key this file can have",
            ));
        }
        spans.order.push(key.value.clone());
        spans.spans.insert(key.value, span);
    }
    let value = match serde_saphyr::from_str::<T>(if yaml.trim().is_empty() { "{}" } else { yaml })
    {
        Ok(v) => Some(v),
        Err(e) => {
            let d = yaml_error(source, &e, what);
            // A missing key has no position of its own: point at the start.
            problems.push(d);
            None
        }
    };
    (value, spans, problems)
}

/// Deserialize a whole YAML file without key checks (data files with free-form keys).
pub fn parse<T: DeserializeOwned>(source: &YamlSource, what: &str) -> Result<T, Diagnostic> {
    serde_saphyr::from_str::<T>(source.yaml()).map_err(|e| yaml_error(source, &e, what))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Sample {
        title: String,
        weight: Option<i64>,
    }

    #[test]
    fn introspects_fields() {
        assert_eq!(struct_fields::<Sample>(), &["title", "weight"]);
    }

    #[test]
    fn reports_every_unknown_key_with_position() {
        let text: Arc<str> = Arc::from("---\ntitle: A\ntitel: B\nwieght: 3\n---\n");
        let source = YamlSource {
            path: "a.md".into(),
            file_text: text.clone(),
            start: 4,
            end: 30,
            line_offset: 1,
        };
        let (value, _, errors) =
            parse_mapping::<Sample>(&source, &["title", "weight"], "front matter");
        assert!(value.is_some());
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].span.as_ref().unwrap().line_col(), (3, 1));
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `title`?"));
        assert_eq!(errors[1].hint.as_deref(), Some("did you mean `weight`?"));
    }
}
