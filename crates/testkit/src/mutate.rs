//! Byte-level edits of a valid file, for the fuzz tests of the readers (the environment file,
//! the configuration exports): each test draws the edits with its own strategy (the bytes
//! that matter to its format) and applies them here.

/// One edit; positions wrap around the text's length, so any number is a valid one.
#[derive(Debug, Clone)]
pub enum Edit {
    Truncate(usize),
    Delete(usize, usize),
    Insert(usize, String),
    Replace(usize, u8),
}

/// `doc` with `edits` applied in order, read back as text (invalid UTF-8 replaced).
pub fn apply(doc: &str, edits: &[Edit]) -> String {
    let mut bytes = doc.as_bytes().to_vec();
    for e in edits {
        let len = bytes.len().max(1);
        match e {
            Edit::Truncate(at) => bytes.truncate(at % len),
            Edit::Delete(at, n) => {
                let start = (at % len).min(bytes.len());
                let end = (start + n).min(bytes.len());
                bytes.drain(start..end);
            }
            Edit::Insert(at, s) => {
                let at = (at % len).min(bytes.len());
                bytes.splice(at..at, s.bytes());
            }
            Edit::Replace(at, b) => {
                if !bytes.is_empty() {
                    let at = at % bytes.len();
                    bytes[at] = *b;
                }
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_wrap_around_and_apply_in_order() {
        let edits = [
            Edit::Insert(0, "x".into()), // "xabcdef"
            Edit::Replace(7, b'Z'),      // 7 wraps to 0: "Zabcdef"
            Edit::Delete(2, 1),          // "Zacdef"
            Edit::Truncate(103),         // 103 % 6 = 1: "Z"
        ];
        assert_eq!(apply("abcdef", &edits[..3]), "Zacdef");
        assert_eq!(apply("abcdef", &edits), "Z");
        assert_eq!(apply("", &[Edit::Replace(3, b'a'), Edit::Delete(9, 9)]), "");
    }
}
