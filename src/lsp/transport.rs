//! Standard input and output as an LSP connection, framed here rather than
//! by lsp-server, whose reader allocates whatever `Content-Length` a header
//! claims (3,000,000,000 bytes at once; 10¹⁴ aborts the process). Each
//! header line and each message is measured before any of it is kept: a
//! message over [`MAX_MESSAGE_BYTES`] is read past in small pieces, never
//! held, and the client is told in its log; the server goes on with the
//! next message.

use crate::input::Msg;
use crate::plan::Lang;
use crossbeam_channel::{bounded, Sender};
use lsp_server::{Connection, Message, Notification};
use std::io::{self, BufRead, Read, Write};
use std::thread;

/// The largest message read: 64 MiB, four times the largest submission
/// peitao checks (16 MiB by default), room for JSON's escapes.
pub const MAX_MESSAGE_BYTES: u64 = 64 << 20;

/// The longest header line (`Content-Length: …`, `Content-Type: …`).
const MAX_HEADER_LINE: u64 = 1024;
/// The most header lines of one message.
const MAX_HEADERS: usize = 16;

/// What one frame of the input held.
#[derive(Debug)]
pub enum Frame {
    Message(Message),
    /// A message of this many bytes, over the cap: read past, not kept.
    TooLarge(u64),
    /// The input ended (between messages, or inside one).
    End,
}

fn invalid(why: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, why.into())
}

/// Read the next frame: headers, then a body of at most `max` bytes.
pub fn read_frame(input: &mut impl BufRead, max: u64) -> io::Result<Frame> {
    let mut size: Option<u64> = None;
    let mut headers = 0;
    loop {
        let mut line = Vec::new();
        input
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)?;
        if line.is_empty() {
            return Ok(Frame::End);
        }
        if !line.ends_with(b"\n") {
            return Err(invalid(if line.len() as u64 >= MAX_HEADER_LINE {
                "a header line longer than 1024 bytes"
            } else {
                "the input ended inside a header"
            }));
        }
        let line = std::str::from_utf8(&line).map_err(|_| invalid("a header that is not text"))?;
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        headers += 1;
        if headers > MAX_HEADERS {
            return Err(invalid("more than 16 header lines"));
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| invalid(format!("a malformed header: {line:?}")))?;
        if name.trim().eq_ignore_ascii_case("Content-Length") {
            let value = value.trim();
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid(format!("a malformed Content-Length: {value:?}")));
            }
            // More digits than u64 holds is as much over the cap as u64::MAX.
            size = Some(value.parse().unwrap_or(u64::MAX));
        }
    }
    let size = size.ok_or_else(|| invalid("a message without Content-Length"))?;
    if size > max {
        let skipped = io::copy(&mut input.by_ref().take(size), &mut io::sink())?;
        return Ok(if skipped < size {
            Frame::End
        } else {
            Frame::TooLarge(size)
        });
    }
    let mut body = Vec::new();
    input.by_ref().take(size).read_to_end(&mut body)?;
    if (body.len() as u64) < size {
        return Ok(Frame::End);
    }
    let message = serde_json::from_slice(&body).map_err(|e| invalid(e.to_string()))?;
    Ok(Frame::Message(message))
}

/// The threads that move messages between the connection and stdio.
pub struct IoThreads {
    reader: thread::JoinHandle<io::Result<()>>,
    writer: thread::JoinHandle<io::Result<()>>,
}

impl IoThreads {
    /// Wait for both; the first error of either.
    pub fn join(self) -> io::Result<()> {
        let reader = self
            .reader
            .join()
            .map_err(|_| io::Error::other("reader panicked"))?;
        let writer = self
            .writer
            .join()
            .map_err(|_| io::Error::other("writer panicked"))?;
        reader.and(writer)
    }
}

/// A connection over standard input and output, messages capped at
/// [`MAX_MESSAGE_BYTES`]; what is said of a skipped one is in `lang`.
/// Besides the connection's messages, the writer takes messages the server
/// has already made into JSON-RPC text (the returned sender; see
/// `diagnostics::publish_text`), written as they are. Both channels hand
/// over only when the writer takes the message, so what the server sends
/// is written in the order sent, whichever channel carries it.
pub fn stdio(lang: Lang) -> (Connection, Sender<Vec<u8>>, IoThreads) {
    let (to_writer, from_server) = bounded::<Message>(0);
    let (to_writer_text, from_server_text) = bounded::<Vec<u8>>(0);
    let writer = thread::Builder::new()
        .name("peitao-lsp-writer".into())
        .spawn(move || {
            let stdout = io::stdout();
            let mut stdout = stdout.lock();
            let (mut messages, mut texts) = (Some(from_server), Some(from_server_text));
            // Until both channels are closed; a closed one is not waited on.
            loop {
                let m = messages.clone().unwrap_or_else(crossbeam_channel::never);
                let t = texts.clone().unwrap_or_else(crossbeam_channel::never);
                crossbeam_channel::select! {
                    recv(m) -> message => match message {
                        Ok(message) => message.write(&mut stdout)?,
                        Err(_) => messages = None,
                    },
                    recv(t) -> text => match text {
                        Ok(text) => {
                            write!(stdout, "Content-Length: {}\r\n\r\n", text.len())?;
                            stdout.write_all(&text)?;
                        }
                        Err(_) => texts = None,
                    },
                }
                if messages.is_none() && texts.is_none() {
                    return Ok(());
                }
                stdout.flush()?;
            }
        })
        .expect("a thread to write to the editor");
    let (to_server, from_reader) = bounded::<Message>(0);
    let log = to_writer.clone();
    let reader = thread::Builder::new()
        .name("peitao-lsp-reader".into())
        .spawn(move || {
            read_loop(
                &mut io::stdin().lock(),
                MAX_MESSAGE_BYTES,
                &to_server,
                &log,
                lang,
            )
        })
        .expect("a thread to read from the editor");
    (
        Connection {
            sender: to_writer,
            receiver: from_reader,
        },
        to_writer_text,
        IoThreads { reader, writer },
    )
}

/// Pass each message of `input` to the server until `exit` or the end; a
/// message over `max` is logged to the client (`window/logMessage`, an
/// error) and to standard error, and skipped.
fn read_loop(
    input: &mut impl BufRead,
    max: u64,
    server: &Sender<Message>,
    log: &Sender<Message>,
    lang: Lang,
) -> io::Result<()> {
    loop {
        match read_frame(input, max)? {
            Frame::End => return Ok(()),
            Frame::TooLarge(size) => {
                let text = crate::report::messages::say(
                    &Msg::new("lsp.message-too-large")
                        .arg("size", size)
                        .arg("max", max),
                    lang,
                );
                let _ = writeln!(io::stderr().lock(), "peitao lsp: {text}");
                let note = Notification::new(
                    "window/logMessage".into(),
                    serde_json::json!({ "type": 1, "message": format!("peitao: {text}") }),
                );
                // The writer ends only with the server: then so does this.
                if log.send(note.into()).is_err() {
                    return Ok(());
                }
            }
            Frame::Message(message) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if server.send(message).is_err() || exit {
                    return Ok(());
                }
            }
        }
    }
}

/// A receiver that never yields, for tests of [`read_loop`].
#[cfg(test)]
fn channels() -> (Sender<Message>, crossbeam_channel::Receiver<Message>) {
    crossbeam_channel::unbounded()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    const PING: &str = r#"{"jsonrpc":"2.0","method":"ping","params":null}"#;

    #[test]
    fn a_message_over_the_cap_is_read_past_and_the_next_one_served() {
        let big = format!(
            r#"{{"jsonrpc":"2.0","method":"big","params":"{}"}}"#,
            "x".repeat(500)
        );
        let text = format!("{}{}", framed(&big), framed(PING));
        let mut input = text.as_bytes();
        match read_frame(&mut input, 100).unwrap() {
            Frame::TooLarge(n) => assert_eq!(n, big.len() as u64),
            other => panic!("{other:?}"),
        }
        match read_frame(&mut input, 100).unwrap() {
            Frame::Message(Message::Notification(n)) => assert_eq!(n.method, "ping"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(read_frame(&mut input, 100).unwrap(), Frame::End));
    }

    #[test]
    fn a_huge_length_is_never_allocated() {
        for claim in [
            "3000000000",
            "100000000000000",
            "99999999999999999999999999",
        ] {
            // The header alone, then the input ends: nothing was held.
            let text = format!("Content-Length: {claim}\r\n\r\n{{\"jsonrpc\"");
            let mut input = text.as_bytes();
            assert!(matches!(
                read_frame(&mut input, MAX_MESSAGE_BYTES).unwrap(),
                Frame::End
            ));
        }
    }

    #[test]
    fn malformed_framing_is_an_error_not_a_guess() {
        for text in [
            "Content-Length: -5\r\n\r\n",
            "Content-Length: 12abc\r\n\r\n",
            "Content-Type: x\r\n\r\n{}",
            "no colon\r\n\r\n",
            "Content-Length: 2\r\n\r\nno",
        ] {
            let mut input = text.as_bytes();
            assert!(read_frame(&mut input, 100).is_err(), "{text:?}");
        }
        let long = format!("X-Padding: {}\r\n", "x".repeat(2000));
        assert!(read_frame(&mut long.as_bytes(), 100).is_err());
        let many = "A: b\r\n".repeat(17);
        assert!(read_frame(&mut many.as_bytes(), 100).is_err());
        // Lower-case names and LF-only lines, as lenient clients write them.
        let lenient = format!("content-length: {}\n\n{PING}", PING.len());
        assert!(matches!(
            read_frame(&mut lenient.as_bytes(), 100).unwrap(),
            Frame::Message(_)
        ));
    }

    #[test]
    fn the_loop_logs_a_skipped_message_and_serves_on() {
        let big = format!(
            r#"{{"jsonrpc":"2.0","method":"big","params":"{}"}}"#,
            "x".repeat(500)
        );
        let exit = r#"{"jsonrpc":"2.0","method":"exit"}"#;
        let text = format!(
            "{}{}{}{}",
            framed(&big),
            framed(PING),
            framed(exit),
            framed(PING)
        );
        let (server, served) = channels();
        let (log, logged) = channels();
        read_loop(&mut text.as_bytes(), 100, &server, &log, Lang::En).unwrap();
        let methods: Vec<String> = served
            .try_iter()
            .map(|m| match m {
                Message::Notification(n) => n.method,
                other => panic!("{other:?}"),
            })
            .collect();
        // Nothing after `exit` is read.
        assert_eq!(methods, ["ping", "exit"]);
        let Ok(Message::Notification(note)) = logged.try_recv() else {
            panic!("no log message")
        };
        assert_eq!(note.method, "window/logMessage");
        assert_eq!(note.params["type"], 1);
        let said = note.params["message"].as_str().unwrap();
        assert!(
            said.contains(&big.len().to_string()) && said.contains("100"),
            "{said}"
        );
    }
}
