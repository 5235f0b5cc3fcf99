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
