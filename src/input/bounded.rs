//! Reading a settings file whole (`peitao.toml`, a `--baseline` report):
//! only a regular file, never opened when it is a FIFO or a device, and
//! never more than its limit, through a reader bounded at it (a file that
//! grows while it is read stops there too).

use super::Msg;
use std::io::Read;
use std::path::Path;

/// Largest `peitao.toml` read, in bytes: a config of many waivers is a few
/// kilobytes.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;
/// Largest `--baseline` report read, in bytes: the JSON report of a batch
/// of tens of thousands of findings.
pub const MAX_BASELINE_BYTES: u64 = 64 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub enum Refused {
    /// It is no regular file (a FIFO, a device, a directory, a socket).
    NotAFile,
    /// Larger than `limit` bytes (`size`, when known before reading).
    TooLarge { size: Option<u64>, limit: u64 },
    /// The system's error (no such file, permission …).
    Os(std::io::Error),
    /// Not UTF-8.
    NotUtf8,
}

impl Refused {
    /// Why, as a message of the catalogue.
    pub fn msg(&self) -> Msg {
        match self {
            Refused::NotAFile => Msg::new("file.not-a-file"),
            Refused::TooLarge {
                size: Some(size),
                limit,
            } => Msg::new("file.too-large")
                .arg("size", size)
                .arg("limit", limit),
            Refused::TooLarge { size: None, limit } => {
                Msg::new("file.grew-too-large").arg("limit", limit)
            }
            Refused::Os(e) => Msg::new("os-error").quote("os", e),
            Refused::NotUtf8 => Msg::new("file.not-utf8"),
        }
    }
}

/// The text of the regular file at `path` (links followed), if it is at
/// most `limit` bytes.
pub fn read_regular(path: &Path, limit: u64) -> Result<String, Refused> {
    let meta = std::fs::metadata(path).map_err(Refused::Os)?;
    if !meta.is_file() {
        return Err(Refused::NotAFile);
    }
    if meta.len() > limit {
        return Err(Refused::TooLarge {
            size: Some(meta.len()),
            limit,
        });
    }
    let file = std::fs::File::open(path).map_err(Refused::Os)?;
    // Swapped for something else between the look and the open?
    if !file.metadata().map_err(Refused::Os)?.is_file() {
        return Err(Refused::NotAFile);
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(Refused::Os)?;
    if bytes.len() as u64 > limit {
        return Err(Refused::TooLarge { size: None, limit });
    }
    String::from_utf8(bytes).map_err(|_| Refused::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_at_its_limit_is_read_and_one_byte_more_is_not() {
        let dir = std::env::temp_dir().join(format!("peitao-bounded-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("peitao.toml");
        std::fs::write(&file, "x".repeat(10)).unwrap();
        assert_eq!(read_regular(&file, 10).unwrap().len(), 10);
        assert!(matches!(
            read_regular(&file, 9),
            Err(Refused::TooLarge {
                size: Some(10),
                limit: 9
            })
        ));
        std::fs::write(&file, [0xff, 0xfe]).unwrap();
        assert!(matches!(read_regular(&file, 10), Err(Refused::NotUtf8)));
        assert!(matches!(read_regular(&dir, 10), Err(Refused::NotAFile)));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A file whose size says 0 and that yields more (as /proc's do, or
    /// one growing while read) stops at the limit.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_larger_than_its_size_says_stops_at_the_limit() {
        let status = Path::new("/proc/self/status");
        assert_eq!(std::fs::metadata(status).unwrap().len(), 0);
        assert!(matches!(
            read_regular(status, 16),
            Err(Refused::TooLarge {
                size: None,
                limit: 16
            })
        ));
        assert!(read_regular(status, 1 << 20).is_ok());
    }
}
