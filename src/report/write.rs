//! Writing a report file atomically: into a temporary file beside it, then
//! renamed over it, so a reader (or a crash half-way) never sees half a
//! report and an old report stays whole until the new one is complete.

use crate::input::Msg;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

fn shown(p: &Path) -> String {
    super::human::sanitize_line(&crate::check::display_path(p))
}

/// Refuse a report file that is one of the `inputs`, or that a later run
/// over the same inputs would take for a submission (`*.yaml` inside a
/// checked directory). A report of another name inside a checked
/// directory is fine: the walk never reads it. The refusal is a message
/// of the catalogue.
pub fn check_destination(path: &Path, inputs: &[PathBuf]) -> Result<(), Msg> {
    let name = path
        .file_name()
        .ok_or_else(|| Msg::new("write.not-a-file-name").arg("path", shown(path)))?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let real = match std::fs::canonicalize(path) {
        Ok(real) => real,
        Err(_) => std::fs::canonicalize(parent)
            .map_err(|e| {
                Msg::new("write.unreachable")
                    .arg("path", shown(path))
                    .quote("os", e)
            })?
            .join(name),
    };
    if real.is_dir() {
        return Err(Msg::new("write.is-dir").arg("path", shown(path)));
    }
    for input in inputs {
        let Ok(checked) = std::fs::canonicalize(input) else {
            continue;
        };
        let walked = checked.is_dir()
            && real.starts_with(&checked)
            && crate::check::is_submission_name(&real);
        if checked == real || (walked && real.is_file()) {
            return Err(Msg::new("write.is-input").arg("path", shown(path)));
        }
        if walked {
            return Err(Msg::new("write.in-checked-dir")
                .arg("path", shown(path))
                .arg("dir", shown(input)));
        }
    }
    Ok(())
}

/// A report being written; [`AtomicFile::commit`] puts it in place.
/// Dropped without committing, it leaves the destination untouched.
pub struct AtomicFile {
    dest: PathBuf,
    /// The temporary renamed over `dest`; `None` when the report goes
    /// straight to `dest` (a device or a pipe, which cannot be replaced).
    tmp: Option<PathBuf>,
    file: Option<BufWriter<std::fs::File>>,
}

impl AtomicFile {
    /// A report to be written to `dest`. A `dest` that is a symbolic link is
    /// written through: the file it points to is replaced, the link stays.
    /// A `dest` that is not a regular file (`/dev/null`, `/dev/stdout`, a
    /// named pipe) is written to directly: replacing it would put a file
    /// where the device was.
    pub fn create(dest: &Path) -> std::io::Result<AtomicFile> {
        if std::fs::metadata(dest).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            let f = std::fs::OpenOptions::new().write(true).open(dest)?;
            return Ok(AtomicFile {
                dest: dest.to_path_buf(),
                tmp: None,
                file: Some(BufWriter::new(f)),
            });
        }
        let linked;
        let dest = match std::fs::symlink_metadata(dest) {
            Ok(m) if m.file_type().is_symlink() => {
                linked = std::fs::canonicalize(dest).or_else(|_| dangling_target(dest))?;
                linked.as_path()
            }
            _ => dest,
        };
        let dir = match dest.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = dest
            .file_name()
            .ok_or_else(|| std::io::Error::other("not a file name"))?
            .to_string_lossy();
        let mut n = 0u32;
        loop {
            let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&tmp)
            {
                Ok(f) => {
                    return Ok(AtomicFile {
                        dest: dest.to_path_buf(),
                        tmp: Some(tmp),
                        file: Some(BufWriter::new(f)),
                    })
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
                Err(e) => return Err(e),
            }
        }
    }

    /// Flush, sync and rename over the destination.
    pub fn commit(mut self) -> std::io::Result<()> {
        let file = self.file.take().expect("committed once");
        let file = file.into_inner().map_err(|e| e.into_error())?;
        let Some(tmp) = self.tmp.take() else {
            return Ok(()); // written straight to a device or pipe
        };
        let moved = file.sync_all().and_then(|()| {
            drop(file);
            std::fs::rename(&tmp, &self.dest)
        });
        if moved.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        moved
    }
}

/// Where a link that points at no file yet leads (a report path linked
/// ahead of its first run).
fn dangling_target(link: &Path) -> std::io::Result<PathBuf> {
    let target = std::fs::read_link(link)?;
    let base = match link.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let target = base.join(target);
    let dir = target.parent().unwrap_or(base);
    let name = target
        .file_name()
        .ok_or_else(|| std::io::Error::other("the link points at no file name"))?;
    Ok(std::fs::canonicalize(dir)?.join(name))
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.as_mut().expect("not committed").write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.as_mut().expect("not committed").flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let (Some(_), Some(tmp)) = (self.file.take(), &self.tmp) {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_on_commit_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("peitao-atomic-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let dest = dir.join("r.json");
        std::fs::write(&dest, "old").unwrap();
        let mut f = AtomicFile::create(&dest).unwrap();
        f.write_all(b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "old");
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "new");
        let mut g = AtomicFile::create(&dest).unwrap();
        g.write_all(b"half").unwrap();
        drop(g);
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "new");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// `-o /dev/null` (or a named pipe) gets the report; the device stays a
    /// device. (Replacing it, as root, would have put a file in /dev.)
    #[cfg(unix)]
    #[test]
    fn writes_into_a_device_or_a_pipe() {
        use std::os::unix::fs::FileTypeExt;
        let mut f = AtomicFile::create(Path::new("/dev/null")).unwrap();
        f.write_all(b"report").unwrap();
        f.commit().unwrap();
        assert!(std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device());
        assert_eq!(std::fs::read("/dev/null").unwrap(), b"");

        let dir = std::env::temp_dir().join(format!("peitao-atomic-fifo-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("report.pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        let mut g = AtomicFile::create(&fifo).unwrap();
        g.write_all(b"through the pipe").unwrap();
        g.commit().unwrap();
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A report path that is a link (to a shared folder, say) keeps being
    /// a link: the file it points to gets the report.
    #[cfg(unix)]
    #[test]
    fn writes_through_a_symbolic_link() {
        let dir = std::env::temp_dir().join(format!("peitao-atomic-link-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("shared")).unwrap();
        let real = dir.join("shared/report.json");
        std::fs::write(&real, "old").unwrap();
        let link = dir.join("report.json");
        std::os::unix::fs::symlink("shared/report.json", &link).unwrap();
        let mut f = AtomicFile::create(&link).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        // A link to a file not written yet.
        let later = dir.join("later.json");
        std::os::unix::fs::symlink("shared/first.json", &later).unwrap();
        let mut g = AtomicFile::create(&later).unwrap();
        g.write_all(b"first").unwrap();
        g.commit().unwrap();
        assert!(std::fs::symlink_metadata(&later)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(
            std::fs::read_to_string(dir.join("shared/first.json")).unwrap(),
            "first"
        );
        assert_eq!(std::fs::read_dir(dir.join("shared")).unwrap().count(), 2);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
