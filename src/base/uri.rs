//! `file:` URIs ↔ paths. Editors percent-encode paths (Chinese names
//! included); peitao shows paths as the user wrote them.

use std::path::{Path, PathBuf};

/// `file:///abs/path` for an absolute path, percent-encoded: on Unix the
/// name's own bytes, UTF-8 or not.
pub fn from_path(path: &Path) -> String {
    // SARIF's URIs are the same: `/x` → `file:///x`, `C:/x` → `file:///C%3A/x`.
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        uri_of_bytes(path.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        let text = path.to_string_lossy().replace('\\', "/");
        uri_of_bytes(text.as_bytes())
    }
}

/// A path's bytes as a `file:` URI (SARIF's and the editor's).
pub fn uri_of_bytes(path: &[u8]) -> String {
    let mut out = String::new();
    if path.starts_with(b"/") {
        out.push_str("file://");
    } else if path.get(1) == Some(&b':') {
        // C:/… on Windows.
        out.push_str("file:///");
    }
    for &b in path {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The path of a `file:` URI; None for other schemes (`untitled:` …).
pub fn to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // Drop a host (`file://localhost/x`); keep the path.
    let path = &rest[rest.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(out)))
    }
    #[cfg(not(unix))]
    {
        let mut text = String::from_utf8_lossy(&out).into_owned();
        // `/C:/x` is a Windows drive path.
        if text.as_bytes().get(2) == Some(&b':') {
            text.remove(0);
        }
        Some(PathBuf::from(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_with_chinese_and_spaces_round_trip() {
        let p = Path::new("/home/审图/一老一小 申报/十堰.yaml");
        let uri = from_path(p);
        assert_eq!(
            uri,
            "file:///home/%E5%AE%A1%E5%9B%BE/%E4%B8%80%E8%80%81%E4%B8%80%E5%B0%8F%20%E7%94%B3%E6%8A%A5/%E5%8D%81%E5%A0%B0.yaml"
        );
        assert_eq!(to_path(&uri).as_deref(), Some(p));
        assert_eq!(
            to_path("file://localhost/tmp/a%2Fb.yaml#L3").as_deref(),
            Some(Path::new("/tmp/a/b.yaml"))
        );
        assert_eq!(to_path("untitled:Untitled-1"), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_name_that_is_not_utf8_keeps_its_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let p = Path::new(std::ffi::OsStr::from_bytes(b"/tmp/\xB2\xE2 a\\b.yaml"));
        let uri = from_path(p);
        assert_eq!(uri, "file:///tmp/%B2%E2%20a%5Cb.yaml");
        assert_eq!(to_path(&uri).as_deref(), Some(p));
    }
}
