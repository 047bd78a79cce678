//! Content-stream operations, read by hand.
//!
//! lopdf's `Content::decode` (nom parser combinators, each operand tried against every kind of
//! object in turn) was over a third of PDF extraction time. This reader follows the same
//! grammar byte by byte, so it returns the same operations: white space (not comments) between
//! operands; comments only before an operation; reals before integers (with the producers'
//! `0.00-4142502` minus sign inside a fraction ignored); names with `#xx` escapes; literal
//! strings with escapes, line continuations and nested parentheses; hex strings; arrays and
//! dictionaries (where comments and references are allowed); inline images skipped by their
//! computed length, else to the next `EI` between white space. Like lopdf it stops at the
//! first operation it cannot read and keeps what came before; a broken inline image fails the
//! whole stream. A test compares the two on every content stream of the real corpus.

use lopdf::content::Operation;
use lopdf::{Dictionary, Object, Stream, StringFormat};

/// Nesting allowed for arrays, dictionaries and parentheses in strings (lopdf's limits).
const MAX_DEPTH: usize = 100;

/// The operations of a content stream.
pub fn decode(data: &[u8]) -> Result<Vec<Operation>, String> {
    decode_limited(data, usize::MAX)
}

/// The operations of a content stream, failing past `max` of them (250 MB of `q` would
/// otherwise become 250 million operations in memory before one is executed).
pub fn decode_limited(data: &[u8], max: usize) -> Result<Vec<Operation>, String> {
    let mut r = Reader { s: data, i: 0 };
    r.content_space();
    let mut ops = Vec::new();
    loop {
        let start = r.i;
        match r.operation() {
            Ok(Some(op)) if ops.len() < max => ops.push(op),
            Ok(Some(_)) => return Err(format!("more than {max} content operations")),
            Ok(None) => break,
            Err(e) => return Err(e),
        }
        if r.i == start {
            break;
        }
    }
    Ok(ops)
}

fn is_whitespace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\0' | b'\x0C')
}

fn is_delimiter(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(c: u8) -> bool {
    !is_whitespace(c) && !is_delimiter(c)
}

fn hex_value(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|v| v as u8)
}

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn rest(&self) -> &[u8] {
        &self.s[self.i..]
    }

    fn starts_with(&self, t: &[u8]) -> bool {
        self.rest().starts_with(t)
    }

    /// White space only (between operands and after operators).
    fn content_space(&mut self) {
        while self.peek().is_some_and(is_whitespace) {
            self.i += 1;
        }
    }

    /// An end of line: CR LF, LF or CR.
    fn eol(&mut self) -> bool {
        if self.starts_with(b"\r\n") {
            self.i += 2;
            true
        } else if matches!(self.peek(), Some(b'\n' | b'\r')) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    /// `%` to the end of the line, which must be there.
    fn comment(&mut self) -> bool {
        let start = self.i;
        if self.peek() != Some(b'%') {
            return false;
        }
        while self.peek().is_some_and(|c| c != b'\r' && c != b'\n') {
            self.i += 1;
        }
        if self.eol() {
            true
        } else {
            self.i = start;
            false
        }
    }

    /// White space and comments (inside arrays and dictionaries).
    fn space(&mut self) {
        loop {
            self.content_space();
            if !self.comment() {
                return;
            }
        }
    }

    /// One operation; `None` where lopdf's grammar would stop.
    fn operation(&mut self) -> Result<Option<Operation>, String> {
        while self.comment() {
            self.content_space();
        }
        if self.starts_with(b"BI") {
            self.i += 2;
            self.content_space();
            return self.inline_image().map(Some);
        }
        let mut operands = Vec::new();
        loop {
            let start = self.i;
            match self.operand() {
                Some(o) => {
                    operands.push(o);
                    self.content_space();
                }
                None => {
                    self.i = start;
                    break;
                }
            }
        }
        let start = self.i;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'*' | b'\'' | b'"'))
        {
            self.i += 1;
        }
        let op = &self.s[start..self.i];
        if op.is_empty() || op[0].is_ascii_digit() {
            return Ok(None);
        }
        let operator = String::from_utf8_lossy(op).into_owned();
        self.content_space();
        Ok(Some(Operation { operator, operands }))
    }

    /// An operand, in lopdf's order of trial.
    fn operand(&mut self) -> Option<Object> {
        let start = self.i;
        if self.starts_with(b"null") {
            self.i += 4;
            return Some(Object::Null);
        }
        if self.starts_with(b"true") {
            self.i += 4;
            return Some(Object::Boolean(true));
        }
        if self.starts_with(b"false") {
            self.i += 5;
            return Some(Object::Boolean(false));
        }
        if let Some(x) = self.real() {
            return Some(Object::Real(x));
        }
        self.i = start;
        if let Some(n) = self.integer() {
            return Some(Object::Integer(n));
        }
        self.i = start;
        self.delimited(MAX_DEPTH)
    }

    /// A name, string, array or dictionary (what its first byte says), containers nested up to
    /// `depth`.
    fn delimited(&mut self, depth: usize) -> Option<Object> {
        let start = self.i;
        match self.peek()? {
            b'/' => self.name().map(Object::Name),
            b'(' => self
                .literal_string(MAX_DEPTH)
                .map(|s| Object::String(s, StringFormat::Literal)),
            b'<' => self.hex_string().or_else(|| {
                self.i = start;
                self.dictionary(depth).map(Object::Dictionary)
            }),
            b'[' => self.array(depth).map(Object::Array),
            _ => None,
        }
    }

    fn sign(&mut self) {
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.i += 1;
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        self.i - start
    }

    /// `[+-](d+.d*|.d+)`, then any `-` or digits (a minus sign inside the fraction is dropped).
    fn real(&mut self) -> Option<f32> {
        let start = self.i;
        self.sign();
        if self.digits() > 0 {
            if self.peek() != Some(b'.') {
                return None;
            }
            self.i += 1;
            self.digits();
        } else {
            if self.peek() != Some(b'.') {
                return None;
            }
            self.i += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        let mut dash = false;
        while let Some(c) = self.peek().filter(|c| *c == b'-' || c.is_ascii_digit()) {
            dash |= c == b'-';
            self.i += 1;
        }
        let text = &self.s[start..self.i];
        if dash {
            let mut t = vec![text[0]];
            t.extend(text[1..].iter().filter(|&&c| c != b'-'));
            std::str::from_utf8(&t).ok()?.parse::<f32>().ok()
        } else {
            std::str::from_utf8(text).ok()?.parse::<f32>().ok()
        }
    }

    fn integer(&mut self) -> Option<i64> {
        let negative = self.peek() == Some(b'-');
        self.sign();
        let magnitude = self.unsigned::<u64>()?;
        if negative {
            0i64.checked_sub_unsigned(magnitude)
        } else {
            i64::try_from(magnitude).ok()
        }
    }

    /// A run of digits as a `T` (none when it does not fit).
    fn unsigned<T: TryFrom<u64>>(&mut self) -> Option<T> {
        let start = self.i;
        if self.digits() == 0 {
            return None;
        }
        let v = self.s[start..self.i].iter().try_fold(0u64, |v, &d| {
            v.checked_mul(10)?.checked_add(u64::from(d - b'0'))
        })?;
        T::try_from(v).ok()
    }

    fn name(&mut self) -> Option<Vec<u8>> {
        if self.peek() != Some(b'/') {
            return None;
        }
        self.i += 1;
        let mut out = Vec::new();
        loop {
            let start = self.i;
            while self.peek().is_some_and(|c| c != b'#' && is_regular(c)) {
                self.i += 1;
            }
            out.extend_from_slice(&self.s[start..self.i]);
            if self.peek() == Some(b'#') {
                let h = self.s.get(self.i + 1).copied().and_then(hex_value);
                let l = self.s.get(self.i + 2).copied().and_then(hex_value);
                if let (Some(h), Some(l)) = (h, l) {
                    out.push((h << 4) | l);
                    self.i += 3;
                    continue;
                }
            }
            return Some(out);
        }
    }

    /// `( ... )`, parentheses nested up to `depth`.
    fn literal_string(&mut self, depth: usize) -> Option<Vec<u8>> {
        if self.peek() != Some(b'(') {
            return None;
        }
        self.i += 1;
        let mut out = Vec::new();
        self.inner_literal(depth, &mut out);
        if self.peek() != Some(b')') {
            return None;
        }
        self.i += 1;
        Some(out)
    }

    fn inner_literal(&mut self, depth: usize, out: &mut Vec<u8>) {
        loop {
            let start = self.i;
            match self.peek() {
                None | Some(b')') => return,
                Some(b'\\') => {
                    self.i += 1;
                    let Some(c) = self.peek() else {
                        self.i = start;
                        return;
                    };
                    if (b'0'..=b'7').contains(&c) {
                        let mut v: u16 = 0;
                        let mut n = 0;
                        while n < 3 && self.peek().is_some_and(|c| (b'0'..=b'7').contains(&c)) {
                            v = v * 8 + u16::from(self.s[self.i] - b'0');
                            self.i += 1;
                            n += 1;
                        }
                        out.push(v as u8);
                    } else if self.eol() {
                        // A line continuation: nothing.
                    } else {
                        self.i += 1;
                        out.push(match c {
                            b'n' => b'\n',
                            b'r' => b'\r',
                            b't' => b'\t',
                            b'b' => b'\x08',
                            b'f' => b'\x0C',
                            other => other,
                        });
                    }
                }
                Some(b'\r' | b'\n') => {
                    self.eol();
                    out.push(b'\n');
                }
                Some(b'(') => {
                    if depth == 0 {
                        return;
                    }
                    let mut inner = Vec::new();
                    self.i += 1;
                    self.inner_literal(depth - 1, &mut inner);
                    if self.peek() != Some(b')') {
                        self.i = start;
                        return;
                    }
                    self.i += 1;
                    out.push(b'(');
                    out.extend_from_slice(&inner);
                    out.push(b')');
                }
                Some(_) => {
                    while self
                        .peek()
                        .is_some_and(|c| !matches!(c, b'(' | b')' | b'\\' | b'\r' | b'\n'))
                    {
                        self.i += 1;
                    }
                    out.extend_from_slice(&self.s[start..self.i]);
                }
            }
        }
    }

    /// `< hex digits and white space >`; an odd last digit is its high half.
    fn hex_string(&mut self) -> Option<Object> {
        if self.peek() != Some(b'<') {
            return None;
        }
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        let mut high = true;
        loop {
            let save = self.i;
            self.content_space();
            match self.peek().and_then(hex_value) {
                Some(v) => {
                    self.i += 1;
                    if high {
                        out.push(v << 4);
                    } else if let Some(last) = out.last_mut() {
                        *last |= v;
                    }
                    high = !high;
                }
                None => {
                    self.i = save;
                    break;
                }
            }
        }
        self.content_space();
        if self.peek() != Some(b'>') {
            return None;
        }
        self.i += 1;
        Some(Object::String(out, StringFormat::Hexadecimal))
    }

    /// An object inside an array or dictionary (references allowed), then white space and
    /// comments.
    fn direct_object(&mut self, depth: usize) -> Option<Object> {
        if depth == 0 {
            return None;
        }
        let depth = depth - 1;
        let start = self.i;
        let o = match self.peek()? {
            b'n' => self.starts_with(b"null").then(|| {
                self.i += 4;
                Object::Null
            }),
            b't' | b'f' => {
                if self.starts_with(b"true") {
                    self.i += 4;
                    Some(Object::Boolean(true))
                } else if self.starts_with(b"false") {
                    self.i += 5;
                    Some(Object::Boolean(false))
                } else {
                    None
                }
            }
            b'0'..=b'9' => self
                .reference()
                .or_else(|| {
                    self.i = start;
                    self.real().map(Object::Real)
                })
                .or_else(|| {
                    self.i = start;
                    self.integer().map(Object::Integer)
                }),
            b'+' | b'-' | b'.' => self.real().map(Object::Real).or_else(|| {
                self.i = start;
                self.integer().map(Object::Integer)
            }),
            _ => self.delimited(depth),
        };
        match o {
            Some(o) => {
                self.space();
                Some(o)
            }
            None => {
                self.i = start;
                None
            }
        }
    }

    /// `id gen R`.
    fn reference(&mut self) -> Option<Object> {
        let id: u32 = self.unsigned()?;
        self.space();
        let generation: u16 = self.unsigned()?;
        self.space();
        if self.peek() != Some(b'R') {
            return None;
        }
        self.i += 1;
        Some(Object::Reference((id, generation)))
    }

    fn array(&mut self, depth: usize) -> Option<Vec<Object>> {
        if self.peek() != Some(b'[') {
            return None;
        }
        self.i += 1;
        self.space();
        let mut out = Vec::new();
        while let Some(o) = self.direct_object(depth) {
            out.push(o);
        }
        if self.peek() != Some(b']') {
            return None;
        }
        self.i += 1;
        Some(out)
    }

    /// `/key value` pairs (what `<< >>` and an inline image's header hold).
    fn inner_dictionary(&mut self, depth: usize) -> Dictionary {
        let mut d = Dictionary::new();
        loop {
            let start = self.i;
            let Some(key) = self.name() else {
                self.i = start;
                return d;
            };
            self.space();
            let Some(value) = self.direct_object(depth) else {
                self.i = start;
                return d;
            };
            d.set(key, value);
        }
    }

    fn dictionary(&mut self, depth: usize) -> Option<Dictionary> {
        if !self.starts_with(b"<<") {
            return None;
        }
        self.i += 2;
        self.space();
        let d = self.inner_dictionary(depth);
        if !self.starts_with(b">>") {
            return None;
        }
        self.i += 2;
        Some(d)
    }

    /// After `BI`: the header, `ID`, the data, `EI`.
    fn inline_image(&mut self) -> Result<Operation, String> {
        let fail = || "inline image without its end (EI)".to_string();
        let dict = self.inner_dictionary(MAX_DEPTH);
        if !self.starts_with(b"ID") {
            return Err("inline image without ID".into());
        }
        self.i += 2;
        // One white-space character (CR LF counting as one) separates ID from the data.
        if !self.eol() && self.peek().is_some_and(is_whitespace) {
            self.i += 1;
        }
        // A length past the end of the stream is no length: look for EI (as lopdf does).
        match image_length(&dict).filter(|len| self.i + len <= self.s.len()) {
            Some(len) => {
                let data = self.s[self.i..self.i + len].to_vec();
                self.i += len;
                self.content_space();
                if !self.starts_with(b"EI") {
                    return Err(fail());
                }
                self.i += 2;
                self.content_space();
                Ok(Operation {
                    operator: "BI".into(),
                    operands: vec![Object::Stream(Stream::new(dict, data))],
                })
            }
            None => {
                let rest = self.rest();
                let at = rest
                    .windows(3)
                    .enumerate()
                    .find(|&(i, w)| {
                        is_whitespace(w[0])
                            && &w[1..] == b"EI"
                            && rest.get(i + 3).is_none_or(|&c| is_whitespace(c))
                    })
                    .map(|(i, _)| i)
                    .ok_or_else(fail)?;
                self.i += at + 3;
                self.content_space();
                Ok(Operation {
                    operator: "BI".into(),
                    operands: Vec::new(),
                })
            }
        }
    }
}

/// The byte length of an unfiltered inline image's data, when its header gives it (lopdf's
/// rule); `None` sends the reader looking for `EI`.
fn image_length(d: &Dictionary) -> Option<usize> {
    let get = |a: &[u8], b: &[u8]| d.get(a).or_else(|_| d.get(b)).ok();
    let size =
        |a: &[u8], b: &[u8]| -> Option<usize> { usize::try_from(get(a, b)?.as_i64().ok()?).ok() };
    let width = size(b"W", b"Width")?;
    let height = size(b"H", b"Height")?;
    let mask = get(b"IM", b"ImageMask").and_then(|x| x.as_bool().ok());
    let bpc = match (size(b"BPC", b"BitsPerComponent"), mask) {
        (Some(b), _) => b,
        (None, Some(true)) if get(b"BPC", b"BitsPerComponent").is_none() => 1,
        _ => return None,
    };
    let colors = if mask == Some(true) {
        1
    } else {
        match get(b"CS", b"ColorSpace")? {
            Object::Array(a)
                if matches!(a.first().map(Object::as_name), Some(Ok(b"Indexed" | b"I"))) =>
            {
                1
            }
            cs => match cs.as_name().ok()? {
                b"DeviceGray" | b"G" | b"Gray" => 1,
                b"DeviceRGB" | b"RGB" => 3,
                b"DeviceRGBA" | b"RGBA" | b"DeviceCMYK" | b"CMYK" => 4,
                _ => return None,
            },
        }
    };
    if get(b"F", b"Filter").is_some() {
        return None;
    }
    bpc.checked_mul(colors)
        .and_then(|bits| width.checked_mul(bits))
        .and_then(|row| row.div_ceil(8).checked_mul(height))
}

#[cfg(test)]
mod tests {
    use super::*;

    static OPS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    fn same_as_lopdf(data: &[u8]) {
        let ours = decode(data);
        let theirs = lopdf::content::Content::decode(data).map(|c| c.operations);
        match (ours, theirs) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.len(), b.len(), "{:?}", String::from_utf8_lossy(data));
                OPS.fetch_add(a.len(), std::sync::atomic::Ordering::Relaxed);
                for (x, y) in a.iter().zip(&b) {
                    assert_eq!(x.operator, y.operator);
                    assert_eq!(x.operands, y.operands, "{}", x.operator);
                }
            }
            (Err(_), Err(_)) => {}
            (a, b) => panic!(
                "{:?}: ours {:?}, lopdf {:?}",
                String::from_utf8_lossy(data),
                a.map(|v| v.len()),
                b.map(|v| v.len())
            ),
        }
    }

    #[test]
    fn reads_what_lopdf_reads() {
        for s in [
            "BT /F1 12 Tf 72 712 Td (Hello, \\(world\\)) Tj ET",
            "q 1 0 0 1 0 0 cm [(A) -250 (B) 120.5 (C)] TJ Q",
            "% a comment\n  BT (line\\\none) Tj\r\n(a\rb\r\nc) ' 1 2 (x) \" ET",
            "<48656C6C6F> Tj <4 8 6> Tj <> Tj",
            "/P <</MCID 3 /Lang (en)>> BDC EMC /Name#20with#41esc Do",
            "0.00-4142502 -.5 +3 5. .25 -12 Tc Tw Tz TL Ts",
            "(octal \\101\\60\\7 and \\q) Tj (nested (paren (deep)) ok) Tj",
            "null true false d0 T* f* B*",
            "[1 0 R (x)] TJ",
            "1 2 3 %comment inside an operation\n re",
            "BI /W 2 /H 1 /BPC 8 /CS /G ID \x01\x02 EI Q",
            "BI /W 1 /H 1 /F /AHx ID 00> EI q",
            "(unterminated Tj",
            "12abc 4 x",
            "1 2 }",
            "%only a comment",
            "BI /W 4 ID xx",
            "BI /W 40 /H 40 /BPC 8 /CS /G ID \x01 EI Q",
        ] {
            same_as_lopdf(s.as_bytes());
        }
    }

    /// Every page and form content stream of the real corpus (when `../shared/corpus` is
    /// there, as in CI) decodes to lopdf's operations.
    #[test]
    fn reads_every_stream_of_the_real_corpus_as_lopdf_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        let mut files = Vec::new();
        let mut dirs = vec![root];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "pdf") {
                    files.push(p);
                }
            }
        }
        let mut streams = 0;
        for f in &files {
            let Ok(doc) = lopdf::Document::load(f) else {
                continue;
            };
            for (_, obj) in doc.objects.iter() {
                let Ok(stream) = obj.as_stream() else {
                    continue;
                };
                let form =
                    stream.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form");
                let page_content = !stream.dict.has(b"Type") && !stream.dict.has(b"Subtype");
                if !form && !page_content {
                    continue;
                }
                let data = stream
                    .decompressed_content()
                    .unwrap_or_else(|_| stream.content.clone());
                same_as_lopdf(&data);
                streams += 1;
            }
        }
        // Measured: 74 files, 4,440 streams, 3.67 million operations.
        let ops = OPS.load(std::sync::atomic::Ordering::Relaxed);
        assert!(
            files.is_empty() || (streams > 1000 && ops > 1_000_000),
            "{streams} streams, {ops} operations"
        );
    }
}
