//! Paths of claims, and JSON pointers (RFC 6901) to name them.

use serde_json::Value;

use super::SdJwtError;

/// One step of a claim's path: an object member or an array position.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

/// A path as a JSON pointer: `/address/street_address`,
/// `/nationalities/1`; `~` and `/` in names escaped as `~0` and `~1`.
pub fn pointer(path: &[PathSegment]) -> String {
    let mut out = String::new();
    for segment in path {
        out.push('/');
        match segment {
            PathSegment::Key(key) => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            PathSegment::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

/// The reference tokens of a JSON pointer, unescaped. The empty pointer
/// (the whole document) names no claim, so it is refused here.
pub(crate) fn tokens(pointer: &str) -> Result<Vec<String>, SdJwtError> {
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(SdJwtError::BadPointer);
    };
    rest.split('/')
        .map(|token| {
            // `~` must be followed by 0 or 1 (RFC 6901 section 3).
            let mut out = String::with_capacity(token.len());
            let mut chars = token.chars();
            while let Some(c) = chars.next() {
                if c == '~' {
                    match chars.next() {
                        Some('0') => out.push('~'),
                        Some('1') => out.push('/'),
                        _ => return Err(SdJwtError::BadPointer),
                    }
                } else {
                    out.push(c);
                }
            }
            Ok(out)
        })
        .collect()
}

/// Whether a token names array position `index`: decimal, no leading
/// zero (RFC 6901 section 4), so `/a/01` never means `/a/1`.
fn names_index(token: &str, index: usize) -> bool {
    parse_index(token) == Some(index)
}

fn parse_index(token: &str) -> Option<usize> {
    if token.is_empty()
        || !token.bytes().all(|b| b.is_ascii_digit())
        || (token.len() > 1 && token.starts_with('0'))
    {
        return None;
    }
    token.parse().ok()
}

fn segment_matches(token: &str, segment: &PathSegment) -> bool {
    match segment {
        PathSegment::Key(key) => key == token,
        PathSegment::Index(i) => names_index(token, *i),
    }
}

/// Resolves a pointer against a document: the path of what it names, or
/// `BadPointer` when it names nothing.
pub(crate) fn resolve(document: &Value, pointer: &str) -> Result<Vec<PathSegment>, SdJwtError> {
    let mut here = document;
    let mut path = Vec::new();
    for token in tokens(pointer)? {
        match here {
            Value::Object(map) => {
                here = map.get(&token).ok_or(SdJwtError::BadPointer)?;
                path.push(PathSegment::Key(token));
            }
            Value::Array(items) => {
                let i = parse_index(&token).ok_or(SdJwtError::BadPointer)?;
                here = items.get(i).ok_or(SdJwtError::BadPointer)?;
                path.push(PathSegment::Index(i));
            }
            _ => return Err(SdJwtError::BadPointer),
        }
    }
    Ok(path)
}

/// A selection for [`super::present`] from JSON pointers: a disclosure is
/// kept when its path is one of the pointers or leads to one, so
/// `/address/street_address` also discloses `address` itself when that is
/// disclosable (without its other disclosable members). A pointer that
/// names nothing disclosable discloses nothing: a typo hides rather than
/// reveals. Array positions are those at issuance (see
/// [`super::Disclosure::path`]).
pub fn by_pointers(
    pointers: &[&str],
) -> Result<impl Fn(&[PathSegment]) -> bool + use<>, SdJwtError> {
    let wanted = pointers
        .iter()
        .map(|p| tokens(p))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(move |path: &[PathSegment]| {
        wanted.iter().any(|tokens| {
            path.len() <= tokens.len()
                && path
                    .iter()
                    .zip(tokens)
                    .all(|(segment, token)| segment_matches(token, segment))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(k: &str) -> PathSegment {
        PathSegment::Key(k.into())
    }

    #[test]
    fn pointers_escape_and_resolve() {
        let doc = json!({"a/b": {"c~d": [0, {"e": 1}]}, "": 2});
        let path = resolve(&doc, "/a~1b/c~0d/1/e").unwrap();
        assert_eq!(
            path,
            vec![key("a/b"), key("c~d"), PathSegment::Index(1), key("e")]
        );
        assert_eq!(pointer(&path), "/a~1b/c~0d/1/e");
        assert_eq!(resolve(&doc, "/").unwrap(), vec![key("")]);
        for bad in [
            "",
            "a",
            "/a~1b/c~0d/01",
            "/a~1b/c~0d/2",
            "/x",
            "/a~2b",
            "/a~",
            "/a~1b/c~0d/-",
        ] {
            assert_eq!(resolve(&doc, bad), Err(SdJwtError::BadPointer), "{bad}");
        }
    }

    #[test]
    fn selection_includes_the_way_there() {
        let select = by_pointers(&["/address/street_address", "/nationalities/1"]).unwrap();
        assert!(select(&[key("address")]));
        assert!(select(&[key("address"), key("street_address")]));
        assert!(!select(&[key("address"), key("locality")]));
        assert!(select(&[key("nationalities"), PathSegment::Index(1)]));
        assert!(!select(&[key("nationalities"), PathSegment::Index(0)]));
        // `1` names position 1, not a member called "01".
        assert!(!by_pointers(&["/n/01"]).unwrap()(&[
            key("n"),
            PathSegment::Index(1)
        ]));
        assert!(by_pointers(&["/n/1"]).unwrap()(&[key("n"), key("1")]));
        assert!(by_pointers(&["nope"]).is_err());
    }
}
