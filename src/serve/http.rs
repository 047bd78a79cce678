//! Just enough HTTP/1.1 for a read-only application: one GET per connection, parsed by
//! `httparse` under size and time bounds, answered with the security headers on every
//! response and `Connection: close`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// The longest request head read (request line and headers); past it, 431.
pub const MAX_HEAD: usize = 16 * 1024;
/// The longest URL (path and query) accepted; past it, 414.
pub const MAX_URL: usize = 4 * 1024;
/// How long a client may take to send its request, or to take the answer.
pub const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// A request: method, path (percent-decoded) and query parameters (decoded, in order).
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// GET or HEAD (anything else is refused before a handler sees it).
    pub method: String,
    /// The path, decoded.
    pub path: String,
    /// The query string's pairs, decoded (`+` is a space).
    pub query: Vec<(String, String)>,
}

/// A response.
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Content type.
    pub content_type: &'static str,
    /// Extra headers.
    pub headers: Vec<(&'static str, String)>,
    /// Body.
    pub body: Vec<u8>,
}

impl Response {
    /// A response with a body.
    pub fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Response {
        Response {
            status,
            content_type,
            headers: Vec::new(),
            body,
        }
    }

    /// A plain-text error.
    pub fn text(status: u16, message: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            format!("{message}\n").into_bytes(),
        )
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// The headers every response carries: no script but our own file, no frame, no sniffing, no
/// referrer leaving the page.
const SECURITY: [(&str, &str); 5] = [
    (
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Cache-Control", "no-store"),
];

/// Reads one request head from `stream`, or the response that refuses it.
pub fn read_request(stream: &mut TcpStream) -> Result<Request, Response> {
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        let n = match stream.read(&mut chunk) {
            Ok(0) => return Err(Response::text(400, "the request ended early")),
            Ok(n) => n,
            Err(_) => return Err(Response::text(408, "the request took too long")),
        };
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut req = httparse::Request::new(&mut headers);
        match req.parse(&buf) {
            Ok(httparse::Status::Complete(_)) => {
                let method = req.method.unwrap_or("").to_string();
                let target = req.path.unwrap_or("/");
                if target.len() > MAX_URL {
                    return Err(Response::text(
                        414,
                        &format!("the address is longer than {MAX_URL} bytes"),
                    ));
                }
                if method != "GET" && method != "HEAD" {
                    let mut r = Response::text(405, "this application only reads: GET");
                    r.headers.push(("Allow", "GET, HEAD".into()));
                    return Err(r);
                }
                return parse_target(target)
                    .map(|(path, query)| Request {
                        method,
                        path,
                        query,
                    })
                    .ok_or_else(|| Response::text(400, "the address is not valid UTF-8"));
            }
            Ok(httparse::Status::Partial) if buf.len() < MAX_HEAD => continue,
            Ok(httparse::Status::Partial) => {
                return Err(Response::text(
                    431,
                    &format!("the request head is longer than {MAX_HEAD} bytes"),
                ));
            }
            Err(e) => return Err(Response::text(400, &format!("not an HTTP request: {e}"))),
        }
    }
}

/// Splits `/path?a=1&b=x+y` into the decoded path and pairs.
pub fn parse_target(target: &str) -> Option<(String, Vec<(String, String)>)> {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let decode = |s: &str| -> Option<String> {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8()
            .ok()
            .map(|c| c.into_owned())
    };
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?
        .into_owned();
    let mut pairs = Vec::new();
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        pairs.push((decode(k)?, decode(v)?));
    }
    Some((path, pairs))
}

/// Writes `r` (its body only for GET) and closes the exchange.
pub fn write_response(
    stream: &mut TcpStream,
    r: &Response,
    head_only: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        r.status,
        reason(r.status),
        r.content_type,
        r.body.len()
    );
    for (k, v) in SECURITY {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    for (k, v) in &r.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&r.body)?;
    }
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_decode_as_forms_send_them() {
        let (p, q) =
            parse_target("/kwic?doc=gcm-2018&term=local+authorities&x=%3Cb%3E&flag").unwrap();
        assert_eq!(p, "/kwic");
        assert_eq!(
            q,
            vec![
                ("doc".into(), "gcm-2018".into()),
                ("term".into(), "local authorities".into()),
                ("x".into(), "<b>".into()),
                ("flag".into(), String::new()),
            ]
        );
        assert_eq!(parse_target("/%2e%2e/etc").unwrap().0, "/../etc");
        assert!(parse_target("/a?b=%ff").is_none());
    }
}
