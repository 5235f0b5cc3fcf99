//! Writing a report file atomically: into a temporary file beside it, then
//! renamed over it, so a reader (or a crash half-way) never sees half a
//! report and an old report stays whole until the new one is complete.

use crate::input::Msg;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

fn shown(p: &Path) -> String {
    super::human::sanitize_line(&crate::check::display_path(p))
}

/// Where a report named on the command line is written.
#[derive(Debug, PartialEq, Eq)]
pub enum Destination {
    /// The process's own standard output or error (`/dev/stdout`,
    /// `/dev/fd/2`, `/proc/self/fd/1` …): written through the descriptor it
    /// already holds, so `>> log` appends and `2>&1` interleaves as the
    /// shell set them up.
    Stdout,
    Stderr,
    /// Something that is not a regular file (a device such as /dev/null, a
    /// named pipe, another open descriptor): written in place, since it
    /// cannot be replaced.
    InPlace(PathBuf),
    /// A regular file, or none yet: written beside it and renamed over it.
    /// Links are followed to the file they name, however many and even if
    /// it does not exist yet; that file is the one replaced and checked.
    File(PathBuf),
}

/// Links followed before giving up (as the kernel does).
const MAX_LINKS: usize = 40;

/// Resolve a report path to where the report really goes.
pub fn destination(path: &Path) -> std::io::Result<Destination> {
    let mut p = path.to_path_buf();
    for _ in 0..=MAX_LINKS {
        match p.to_str() {
            Some("/dev/stdout" | "/dev/fd/1" | "/proc/self/fd/1") => {
                return Ok(Destination::Stdout)
            }
            Some("/dev/stderr" | "/dev/fd/2" | "/proc/self/fd/2") => {
                return Ok(Destination::Stderr)
            }
            _ => {}
        }
        // An open descriptor's entry links to whatever it is open on; a
        // file found through it must not be replaced behind its owner.
        if p.starts_with("/proc") || p.starts_with("/dev/fd") {
            return Ok(Destination::InPlace(p));
        }
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&p)?;
                p = parent_of(&p).join(target);
            }
            Ok(m) if m.is_file() || m.is_dir() => {
                // A directory is refused by `check_destination`.
                return Ok(Destination::File(std::fs::canonicalize(&p)?));
            }
            Ok(_) => return Ok(Destination::InPlace(p)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let name = p
                    .file_name()
                    .ok_or_else(|| std::io::Error::other("not a file name"))?
                    .to_owned();
                return Ok(Destination::File(
                    std::fs::canonicalize(parent_of(&p))?.join(name),
                ));
            }
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

fn parent_of(p: &Path) -> &Path {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Where the report named `path` goes, refused if that is one of the
/// `inputs`, a directory, or a file a later run over the same inputs would
/// take for a submission (`*.yaml` inside a checked directory). A report of
/// another name inside a checked directory is fine: the walk never reads
/// it. A link is judged by the file it leads to. The refusal is a message
/// of the catalogue.
pub fn check_destination(path: &Path, inputs: &[PathBuf]) -> Result<Destination, Msg> {
    if path.file_name().is_none() {
        return Err(Msg::new("write.not-a-file-name").arg("path", shown(path)));
    }
    let dest = destination(path).map_err(|e| {
        Msg::new("write.unreachable")
            .arg("path", shown(path))
            .quote("os", e)
    })?;
    let Destination::File(real) = &dest else {
        return Ok(dest);
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
            && crate::check::is_submission_name(real);
        if checked == *real || (walked && real.is_file()) {
            return Err(Msg::new("write.is-input").arg("path", shown(path)));
        }
        if walked {
            return Err(Msg::new("write.in-checked-dir")
                .arg("path", shown(path))
                .arg("dir", shown(input)));
        }
    }
    Ok(dest)
}

/// What a report is written into.
enum Out {
    File(std::fs::File),
    Stdout(std::io::Stdout),
    Stderr(std::io::Stderr),
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Out::File(f) => f.write(buf),
            Out::Stdout(o) => o.write(buf),
            Out::Stderr(e) => e.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Out::File(f) => f.flush(),
            Out::Stdout(o) => o.flush(),
            Out::Stderr(e) => e.flush(),
        }
    }
}

/// A report being written; [`AtomicFile::commit`] puts it in place.
/// Dropped without committing, it leaves the destination untouched.
pub struct AtomicFile {
    dest: PathBuf,
    /// The temporary renamed over `dest`; `None` when the report goes
    /// straight to its destination (a stream, a device, a pipe).
    tmp: Option<PathBuf>,
    file: Option<BufWriter<Out>>,
}

impl AtomicFile {
    /// A report to be written to `path`, wherever [`destination`] says it
    /// goes.
    pub fn create(path: &Path) -> std::io::Result<AtomicFile> {
        AtomicFile::create_at(destination(path)?)
    }

    /// A report to be written to a resolved destination.
    pub fn create_at(dest: Destination) -> std::io::Result<AtomicFile> {
        let direct = |dest: PathBuf, out: Out| AtomicFile {
            dest,
            tmp: None,
            file: Some(BufWriter::new(out)),
        };
        let dest = match dest {
            Destination::Stdout => {
                return Ok(direct("/dev/stdout".into(), Out::Stdout(std::io::stdout())))
            }
            Destination::Stderr => {
                return Ok(direct("/dev/stderr".into(), Out::Stderr(std::io::stderr())))
            }
            Destination::InPlace(p) => {
                let f = std::fs::OpenOptions::new().write(true).open(&p)?;
                return Ok(direct(p, Out::File(f)));
            }
            Destination::File(p) => p,
        };
        let dir = parent_of(&dest);
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
                        tmp: Some(tmp),
                        dest,
                        file: Some(BufWriter::new(Out::File(f))),
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
        let out = file.into_inner().map_err(|e| e.into_error())?;
        let (Some(tmp), Out::File(file)) = (self.tmp.take(), out) else {
            return Ok(()); // written straight to a stream, device or pipe
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

    /// Where a report path leads: the process's own streams, descriptors
    /// in place, links followed to the file they name (even one not
    /// written yet, through a chain).
    #[cfg(unix)]
    #[test]
    fn destinations() {
        use Destination::*;
        assert_eq!(destination(Path::new("/dev/stdout")).unwrap(), Stdout);
        assert_eq!(destination(Path::new("/proc/self/fd/1")).unwrap(), Stdout);
        assert_eq!(destination(Path::new("/dev/fd/2")).unwrap(), Stderr);
        assert_eq!(
            destination(Path::new("/proc/self/fd/7")).unwrap(),
            InPlace("/proc/self/fd/7".into())
        );
        assert_eq!(
            destination(Path::new("/dev/null")).unwrap(),
            InPlace("/dev/null".into())
        );
        let dir = std::env::temp_dir().join(format!("peitao-dest-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let dir = std::fs::canonicalize(&dir).unwrap();
        std::os::unix::fs::symlink("b", dir.join("a")).unwrap();
        std::os::unix::fs::symlink("c.json", dir.join("b")).unwrap();
        assert_eq!(
            destination(&dir.join("a")).unwrap(),
            File(dir.join("c.json"))
        );
        std::fs::write(dir.join("c.json"), "x").unwrap();
        assert_eq!(
            destination(&dir.join("a")).unwrap(),
            File(dir.join("c.json"))
        );
        std::os::unix::fs::symlink("loop", dir.join("loop")).unwrap();
        assert!(destination(&dir.join("loop")).is_err());
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
