//! The generator's HTTP/1.1: requests written from bytes built once, responses read into a
//! reused buffer and parsed with httparse, bodies skipped (length, chunked, or until close).
//! No pool, no retry: every failure is the caller's to count.

use std::io::ErrorKind;

use tokio::io::{AsyncRead, AsyncReadExt};

/// Most headers a response may have.
const MAX_HEADERS: usize = 64;

/// How a response's body ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyKind {
    Length(u64),
    Chunked,
    UntilClose,
}

/// A parsed response head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Head {
    pub(crate) status: u16,
    /// The server will close the connection after this response.
    pub(crate) close: bool,
    pub(crate) body: BodyKind,
    /// Bytes of the head, the body follows.
    pub(crate) len: usize,
    /// The value of the instance header, when asked for and present.
    pub(crate) instance: Option<String>,
}

fn contains_ci(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// The head at the start of `buf`, `None` when it is not whole yet.
pub(crate) fn parse_head(
    buf: &[u8],
    instance_header: Option<&str>,
) -> Result<Option<Head>, httparse::Error> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut res = httparse::Response::new(&mut headers);
    let len = match res.parse(buf)? {
        httparse::Status::Partial => return Ok(None),
        httparse::Status::Complete(len) => len,
    };
    let status = res.code.unwrap_or(0);
    let mut close = res.version == Some(0);
    let mut body = BodyKind::UntilClose;
    let mut instance = None;
    for h in res.headers.iter() {
        let name = h.name.as_bytes();
        if name.eq_ignore_ascii_case(b"content-length") {
            if body != BodyKind::Chunked {
                let text = std::str::from_utf8(h.value).unwrap_or_default().trim();
                body = BodyKind::Length(text.parse().map_err(|_| httparse::Error::HeaderValue)?);
            }
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            if contains_ci(h.value, b"chunked") {
                body = BodyKind::Chunked;
            }
        } else if name.eq_ignore_ascii_case(b"connection") {
            if contains_ci(h.value, b"close") {
                close = true;
            } else if contains_ci(h.value, b"keep-alive") {
                close = false;
            }
        } else if instance_header.is_some_and(|want| h.name.eq_ignore_ascii_case(want)) {
            instance = Some(String::from_utf8_lossy(h.value).into_owned());
        }
    }
    if status == 204 || status == 304 || (100..200).contains(&status) {
        body = BodyKind::Length(0);
    }
    if body == BodyKind::UntilClose {
        close = true;
    }
    Ok(Some(Head {
        status,
        close,
        body,
        len,
        instance,
    }))
}

/// Skips a chunked body as it arrives.
#[derive(Debug, Default)]
pub(crate) struct Chunks {
    /// Data bytes of the current chunk still to skip, then its CRLF.
    data_left: u64,
    crlf_left: u8,
    in_trailer: bool,
}

impl Chunks {
    /// Consumes what it can of `buf`: (bytes consumed, whether the body ended).
    pub(crate) fn feed(&mut self, buf: &[u8]) -> Result<(usize, bool), ()> {
        let mut pos = 0;
        loop {
            if self.data_left > 0 {
                let take = usize::try_from(self.data_left)
                    .unwrap_or(usize::MAX)
                    .min(buf.len() - pos);
                pos += take;
                self.data_left -= take as u64;
                if self.data_left > 0 {
                    return Ok((pos, false));
                }
            }
            while self.crlf_left > 0 {
                if pos == buf.len() {
                    return Ok((pos, false));
                }
                pos += 1;
                self.crlf_left -= 1;
            }
            if self.in_trailer {
                let rest = &buf[pos..];
                match rest.windows(2).position(|w| w == b"\r\n") {
                    None => return Ok((pos, false)),
                    Some(0) => return Ok((pos + 2, true)),
                    Some(i) => {
                        pos += i + 2;
                        continue;
                    }
                }
            }
            match httparse::parse_chunk_size(&buf[pos..]) {
                Err(_) => return Err(()),
                Ok(httparse::Status::Partial) => return Ok((pos, false)),
                Ok(httparse::Status::Complete((n, 0))) => {
                    pos += n;
                    self.in_trailer = true;
                }
                Ok(httparse::Status::Complete((n, size))) => {
                    pos += n;
                    self.data_left = size;
                    self.crlf_left = 2;
                }
            }
        }
    }
}

/// Why no whole response came back.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The connection closed first; `got_head` when the head had arrived.
    Closed {
        got_head: bool,
    },
    Io(std::io::Error),
    Malformed(String),
}

/// A whole response: status, whether the connection closes after it, the instance header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) close: bool,
    pub(crate) instance: Option<String>,
}

async fn fill<S: AsyncRead + Unpin>(
    s: &mut S,
    buf: &mut Vec<u8>,
    filled: &mut usize,
    got_head: bool,
) -> Result<(), ReadError> {
    if *filled == buf.len() {
        buf.resize(buf.len() * 2, 0);
    }
    match s.read(&mut buf[*filled..]).await {
        Ok(0) => Err(ReadError::Closed { got_head }),
        Ok(n) => {
            *filled += n;
            Ok(())
        }
        Err(e) if e.kind() == ErrorKind::UnexpectedEof => Err(ReadError::Closed { got_head }),
        Err(e) => Err(ReadError::Io(e)),
    }
}

/// Reads one whole response from `s` into `buf` (reused, grown when needed).
pub(crate) async fn read_response<S: AsyncRead + Unpin>(
    s: &mut S,
    buf: &mut Vec<u8>,
    instance_header: Option<&str>,
) -> Result<Response, ReadError> {
    let mut filled = 0;
    let head = loop {
        fill(s, buf, &mut filled, false).await?;
        match parse_head(&buf[..filled], instance_header) {
            Ok(Some(head)) => break head,
            Ok(None) => {}
            Err(e) => {
                return Err(ReadError::Malformed(format!(
                    "the response head does not parse: {e}"
                )));
            }
        }
    };
    let response = Response {
        status: head.status,
        close: head.close,
        instance: head.instance.clone(),
    };
    let mut have = filled - head.len;
    match head.body {
        BodyKind::Length(len) => {
            let mut left = len.saturating_sub(have as u64);
            while left > 0 {
                filled = 0;
                fill(s, buf, &mut filled, true).await?;
                left = left.saturating_sub(filled as u64);
            }
        }
        BodyKind::Chunked => {
            let mut chunks = Chunks::default();
            let mut start = head.len;
            loop {
                let (used, done) = chunks
                    .feed(&buf[start..filled])
                    .map_err(|()| ReadError::Malformed("a chunk size does not parse".into()))?;
                if done {
                    break;
                }
                buf.copy_within(start + used..filled, 0);
                filled -= start + used;
                start = 0;
                fill(s, buf, &mut filled, true).await?;
            }
        }
        BodyKind::UntilClose => loop {
            match s.read(&mut buf[..]).await {
                Ok(0) => break,
                Ok(n) => have += n,
                Err(e) if e.kind() == ErrorKind::UnexpectedEof => break,
                Err(e) => return Err(ReadError::Io(e)),
            }
        },
    }
    let _ = have;
    Ok(response)
}

/// The request bytes for `path` on `host`, closing the connection after it or not.
pub(crate) fn request(path: &str, host: &str, close: bool) -> Vec<u8> {
    let mut req = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: netconform/{}\r\nAccept: */*\r\n",
        env!("CARGO_PKG_VERSION")
    );
    if close {
        req.push_str("Connection: close\r\n");
    }
    req.push_str("\r\n");
    req.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read(bytes: &[u8]) -> Result<Response, ReadError> {
        let mut reader = bytes;
        let mut buf = vec![0u8; 16];
        read_response(&mut reader, &mut buf, Some("x-instance")).await
    }

    #[tokio::test]
    async fn lengths_chunks_and_close() {
        let r =
            read(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Instance: zone-a/api-1\r\n\r\nhello")
                .await
                .unwrap();
        assert_eq!(
            r,
            Response {
                status: 200,
                close: false,
                instance: Some("zone-a/api-1".into())
            }
        );
        let r = read(b"HTTP/1.1 502 Bad Gateway\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n3\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n").await.unwrap();
        assert_eq!((r.status, r.close), (502, true));
        let r = read(b"HTTP/1.0 200 OK\r\n\r\nuntil the end").await.unwrap();
        assert_eq!((r.status, r.close), (200, true));
        let r = read(b"HTTP/1.1 204 No Content\r\n\r\n").await.unwrap();
        assert_eq!((r.status, r.close), (204, false));
        assert!(matches!(
            read(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhal").await,
            Err(ReadError::Closed { got_head: true })
        ));
        assert!(matches!(
            read(b"HTTP/1.1 200 O").await,
            Err(ReadError::Closed { got_head: false })
        ));
        assert!(matches!(
            read(b"").await,
            Err(ReadError::Closed { got_head: false })
        ));
        assert!(matches!(
            read(b"SSH-2.0-OpenSSH\r\n\r\n").await,
            Err(ReadError::Malformed(_))
        ));
    }

    #[test]
    fn chunks_split_anywhere() {
        let body = b"5\r\nhello\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n";
        for split in 1..body.len() {
            let mut chunks = Chunks::default();
            let (first, rest) = body.split_at(split);
            let mut pending = first.to_vec();
            let (used, done) = chunks.feed(&pending).unwrap();
            assert!(!done, "split {split}");
            pending.drain(..used);
            pending.extend_from_slice(rest);
            let (used, done) = chunks.feed(&pending).unwrap();
            assert!(done && used == pending.len(), "split {split}");
        }
    }
}
