//! Where a report goes: `--output FILE` written atomically (a temporary
//! file beside it, renamed over it once complete) and never onto a file
//! being checked; standard output that may close early (`| head`).

use std::io::Write;
use std::path::{Path, PathBuf};

/// A writer that treats a closed pipe as the end of the reader's interest:
/// the rest of the report is discarded and the run goes on, so the exit
/// code still reflects every file. Other errors pass through.
pub struct Quiet<W: Write> {
    inner: W,
    closed: bool,
}

impl<W: Write> Quiet<W> {
    pub fn new(inner: W) -> Self {
        Quiet {
            inner,
            closed: false,
        }
    }

    /// Did the reader go away?
    pub fn closed(&self) -> bool {
        self.closed
    }

    fn absorb(&mut self, r: std::io::Result<()>) -> std::io::Result<()> {
        match r {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            r => r,
        }
    }
}

impl<W: Write> Write for Quiet<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if !self.closed {
            let r = self.inner.write_all(buf);
            self.absorb(r)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let r = self.inner.flush();
        self.absorb(r)
    }
}

/// `--output FILE`, checked against the inputs before anything is written.
#[derive(Debug)]
pub struct Target {
    /// The file as given.
    pub path: PathBuf,
    /// Where it really goes (links resolved).
    real: PathBuf,
    temp: PathBuf,
    done: std::cell::Cell<bool>,
}

fn shown(p: &Path) -> String {
    super::human::sanitize_line(&crate::check::display_path(p))
}

impl Target {
    /// Refuse an output that is one of the `inputs`, or that a later run
    /// over the same inputs would take for a submission (`*.yaml` inside a
    /// checked directory). A report of another name inside a checked
    /// directory is fine: the walk never reads it.
    pub fn new(path: &Path, inputs: &[PathBuf]) -> Result<Target, String> {
        let name = path
            .file_name()
            .ok_or_else(|| format!("--output {}: not a file name", shown(path)))?;
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let real = match std::fs::canonicalize(path) {
            Ok(real) => real,
            Err(_) => std::fs::canonicalize(parent)
                .map_err(|e| format!("--output {}: {e}", shown(path)))?
                .join(name),
        };
        if real.is_dir() {
            return Err(format!("--output {} is a directory", shown(path)));
        }
        for input in inputs {
            let Ok(checked) = std::fs::canonicalize(input) else {
                continue;
            };
            let walked = checked.is_dir()
                && real.starts_with(&checked)
                && crate::check::is_submission_name(&real);
            if checked == real || (walked && real.is_file()) {
                return Err(format!(
                    "--output {} is one of the files being checked: it would be overwritten before it is read",
                    shown(path)
                ));
            }
            if walked {
                return Err(format!(
                    "--output {} is a *.yaml file inside {}, which is being checked: the next run would check the report; write it elsewhere or under another extension",
                    shown(path),
                    shown(input)
                ));
            }
        }
        let dir = real.parent().unwrap_or(Path::new(".")).to_path_buf();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let temp = dir.join(format!(
            ".{}.{}-{nanos}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        Ok(Target {
            path: path.to_path_buf(),
            real,
            temp,
            done: std::cell::Cell::new(false),
        })
    }

    /// The temporary file the report is written to.
    pub fn create(&self) -> std::io::Result<std::fs::File> {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&self.temp)
    }

    /// Put the complete report in place, in one step: a concurrent run or
    /// a reader sees the old report or the new one, never half of one.
    pub fn commit(&self) -> std::io::Result<()> {
        std::fs::rename(&self.temp, &self.real)?;
        self.done.set(true);
        Ok(())
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        if !self.done.get() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Closed;
    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
    }

    #[test]
    fn a_closed_pipe_swallows_the_rest_of_the_report() {
        let mut q = Quiet::new(Closed);
        assert!(q.write_all(b"report").is_ok());
        assert!(q.flush().is_ok());
        assert!(q.closed());
    }
}
