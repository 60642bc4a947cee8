//! The fast lane of the JUnit reader: the plain `<testcase>` elements that
//! make up nearly all of a conformance report, read in one forward pass.
//!
//! A Ginkgo report holds thousands of specs written the same way: a
//! `<testcase>` start tag with a few quoted attributes, then nothing, or one
//! empty `<skipped>` element, then `</testcase>`. quick-xml reads those as
//! four to six events, each with its own UTF-8 check and dispatch. Here one
//! element is matched against that narrow shape byte by byte; the first byte
//! that does not fit (a comment, text, a `<failure>`, an odd name, an
//! unquoted value, a form feed...) makes [`plain_case`] answer `None`, and
//! quick-xml reads the element instead, so every error is still reported by
//! quick-xml with its position. Nothing here decides what a well-formed
//! document is; it only recognises a shape that certainly is one.

/// One attribute value: as written between the quotes, and whether it
/// holds an `&` (so it needs unescaping).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Value<'a> {
    /// The value between the quotes, as written.
    pub raw: &'a str,
    /// Whether the value holds an entity or character reference.
    pub escaped: bool,
}

/// The attributes the reader uses of one element, by key. Other keys are
/// passed over; a key given twice sends the element to quick-xml.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Wanted<'a, const N: usize> {
    /// The values, in the order of the keys asked for.
    pub values: [Option<Value<'a>>; N],
}

impl<const N: usize> Default for Wanted<'_, N> {
    fn default() -> Self {
        Wanted { values: [None; N] }
    }
}

/// A plain testcase element read by the fast lane.
#[derive(Clone, Copy, Debug)]
pub(super) struct PlainCase<'a> {
    /// The `<testcase>` element's `name`, `time` and `status`.
    pub case: Wanted<'a, 3>,
    /// The `message` and `type` of its `<skipped>` child, when it has one.
    pub skipped: Option<Wanted<'a, 2>>,
    /// Bytes taken from the start of the input: leading whitespace and the
    /// whole element, up to and including its last `>`.
    pub len: usize,
}

/// An attribute key as the fast lane compares it: its length and its first
/// eight bytes packed in a number, so asking "is this `name`?" costs two
/// integer compares rather than a string comparison. Only keys of at most
/// eight bytes are ever asked for, so two equal `Key`s are the same key.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Key {
    len: usize,
    packed: u64,
}

impl Key {
    const fn of(key: &[u8]) -> Key {
        let mut packed = 0u64;
        let mut i = 0;
        while i < key.len() && i < 8 {
            packed |= (key[i] as u64) << (8 * i);
            i += 1;
        }
        Key {
            len: key.len(),
            packed,
        }
    }
}

/// The keys read off a `<testcase>`, in [`PlainCase::case`] order.
pub(super) const CASE_KEYS: [Key; 3] = [Key::of(b"name"), Key::of(b"time"), Key::of(b"status")];
/// The keys read off a `<skipped>`, in [`PlainCase::skipped`] order.
pub(super) const SKIPPED_KEYS: [Key; 2] = [Key::of(b"message"), Key::of(b"type")];

/// Byte classes, one table lookup per byte: XML's four whitespace bytes
/// (not form feed, which ASCII counts), the bytes an attribute name may
/// start with, and the bytes it may go on with (ASCII only; anything else
/// goes to quick-xml).
const SPACE: u8 = 1;
const NAME_START: u8 = 2;
const NAME: u8 = 4;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
            t[b] = SPACE;
        } else if c.is_ascii_alphabetic() || c == b'_' || c == b':' {
            t[b] = NAME_START | NAME;
        } else if c.is_ascii_digit() || c == b'.' || c == b'-' {
            t[b] = NAME;
        }
        b += 1;
    }
    t
};

fn is(class: u8, b: u8) -> bool {
    CLASS[usize::from(b)] & class != 0
}

/// A cursor over the input that fails (with `None`) at the first surprise.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.at).copied()
    }

    /// Skip whitespace; say how much there was.
    fn space(&mut self) -> usize {
        let n = self.bytes()[self.at..]
            .iter()
            .take_while(|&&b| is(SPACE, b))
            .count();
        self.at += n;
        n
    }

    /// Take `lit` if the input goes on with it.
    fn eat(&mut self, lit: &[u8]) -> bool {
        if self.bytes()[self.at..].starts_with(lit) {
            self.at += lit.len();
            true
        } else {
            false
        }
    }

    /// Take the element name `tag` (after its `<` or `</`), which must end
    /// there: a `<testcases>` is not a `<testcase>`.
    fn tag(&mut self, tag: &[u8]) -> bool {
        let rest = &self.bytes()[self.at..];
        if rest.starts_with(tag)
            && rest
                .get(tag.len())
                .is_some_and(|&b| is(SPACE, b) || b == b'>' || b == b'/')
        {
            self.at += tag.len();
            true
        } else {
            false
        }
    }

    /// Read attributes up to the end of a start tag, keeping the values of
    /// `keys`. Returns whether the tag was empty (`/>`).
    #[inline]
    fn attrs<const N: usize>(&mut self, keys: &[Key; N], out: &mut Wanted<'a, N>) -> Option<bool> {
        loop {
            let spaced = self.space() > 0;
            match self.peek()? {
                b'>' => {
                    self.at += 1;
                    return Some(false);
                }
                b'/' => {
                    self.at += 1;
                    return self.eat(b">").then_some(true);
                }
                b if spaced && is(NAME_START, b) => {
                    let (key, value) = self.attr()?;
                    if let Some(i) = keys.iter().position(|k| *k == key) {
                        if out.values[i].is_some() {
                            return None;
                        }
                        out.values[i] = Some(value);
                    }
                }
                _ => return None,
            }
        }
    }

    /// One `key="value"` (or single-quoted) pair.
    #[inline(always)]
    fn attr(&mut self) -> Option<(Key, Value<'a>)> {
        let rest = &self.bytes()[self.at..];
        if let Some((key, taken)) = ginkgo_key(rest) {
            self.at += taken;
            return self.value(key, b'"');
        }
        let len = rest.iter().take_while(|&&b| is(NAME, b)).count();
        let mut packed = 0u64;
        if len <= 8 {
            for (i, &b) in rest[..len].iter().enumerate() {
                packed |= u64::from(b) << (8 * i);
            }
        }
        let key = Key { len, packed };
        self.at += len;
        // Ginkgo writes `key="`; spaces around the `=` are allowed too.
        let quote = match rest[len..] {
            [b'=', q @ (b'"' | b'\''), ..] => {
                self.at += 1;
                q
            }
            _ => {
                self.space();
                if !self.eat(b"=") {
                    return None;
                }
                self.space();
                self.peek().filter(|&q| q == b'"' || q == b'\'')?
            }
        };
        self.value(key, quote)
    }

    /// The value after its opening `quote` (the cursor is on the quote).
    #[inline(always)]
    fn value(&mut self, key: Key, quote: u8) -> Option<(Key, Value<'a>)> {
        let from = self.at + 1;
        let mut at = from;
        let mut escaped = false;
        let close = loop {
            let off = memchr::memchr3(quote, b'<', b'&', &self.bytes()[at..])?;
            match self.bytes()[at + off] {
                b'&' => {
                    escaped = true;
                    at += off + 1;
                }
                b'<' => return None,
                _ => break at + off,
            }
        };
        self.at = close + 1;
        let raw = self.text.get(from..close)?;
        Some((key, Value { raw, escaped }))
    }

    /// The close tag `</tag>` (whitespace allowed before the `>`).
    fn close(&mut self, tag: &[u8]) -> bool {
        if !(self.eat(b"</") && self.tag(tag)) {
            return false;
        }
        self.space();
        self.eat(b">")
    }
}

/// The keys Ginkgo writes, each as it appears with its `="`: one compare
/// instead of a walk over the key.
const GINKGO_KEYS: [(&[u8], Key); 6] = [
    (b"name=\"", Key::of(b"name")),
    (b"classname=\"", Key::of(b"classname")),
    (b"status=\"", Key::of(b"status")),
    (b"time=\"", Key::of(b"time")),
    (b"message=\"", Key::of(b"message")),
    (b"type=\"", Key::of(b"type")),
];

/// A key Ginkgo writes, written its way, at the start of `rest`: the key
/// and the bytes up to its value's opening quote.
#[inline]
fn ginkgo_key(rest: &[u8]) -> Option<(Key, usize)> {
    let first = *rest.first()?;
    GINKGO_KEYS
        .iter()
        .find(|(lit, _)| lit[0] == first && rest.starts_with(lit))
        .map(|(lit, key)| (*key, lit.len() - 1))
}

/// Read one plain testcase element (after optional whitespace) from the
/// start of `text`, or `None` when it is anything else.
pub(super) fn plain_case(text: &str) -> Option<PlainCase<'_>> {
    let mut c = Cursor { text, at: 0 };
    c.space();
    if !(c.eat(b"<") && c.tag(b"testcase")) {
        return None;
    }
    let mut case = Wanted::default();
    let empty = c.attrs(&CASE_KEYS, &mut case)?;
    let mut skipped = None;
    if !empty {
        loop {
            c.space();
            if c.bytes()[c.at..].starts_with(b"</") {
                if !c.close(b"testcase") {
                    return None;
                }
                break;
            }
            if skipped.is_some() || !(c.eat(b"<") && c.tag(b"skipped")) {
                return None;
            }
            let mut attrs = Wanted::default();
            if !c.attrs(&SKIPPED_KEYS, &mut attrs)? {
                c.space();
                if !c.close(b"skipped") {
                    return None;
                }
            }
            skipped = Some(attrs);
        }
    }
    Some(PlainCase {
        case,
        skipped,
        len: c.at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(raw: &str, escaped: bool) -> Option<Value<'_>> {
        Some(Value { raw, escaped })
    }

    #[test]
    fn reads_the_shapes_ginkgo_writes() {
        let v2 = "\n   <testcase name=\"[It] a &amp; b\" classname=\"K\" status=\"skipped\" time=\"0\">\n      <skipped message=\"skipped\"></skipped>\n   </testcase>\n<next/>";
        let c = plain_case(v2).unwrap();
        assert_eq!(
            c.case.values,
            [
                v("[It] a &amp; b", true),
                v("0", false),
                v("skipped", false)
            ]
        );
        assert_eq!(c.skipped.unwrap().values, [v("skipped", false), None]);
        assert_eq!(&v2[c.len..], "\n<next/>");

        let v1 = "<testcase name='x > y' time=\"1.5\"><skipped/></testcase >";
        let c = plain_case(v1).unwrap();
        assert_eq!(c.case.values, [v("x > y", false), v("1.5", false), None]);
        assert_eq!(c.skipped.unwrap().values, [None, None]);
        assert_eq!(c.len, v1.len());

        for s in ["<testcase name=\"e\"/>", "<testcase name=\"p\"></testcase>"] {
            let c = plain_case(s).unwrap();
            assert!(c.skipped.is_none() && c.len == s.len(), "{s}");
        }
    }

    #[test]
    fn leaves_everything_else_to_quick_xml() {
        for s in [
            "<testcases>",
            "<testcase name=\"a\"time=\"0\"/>",
            "<testcase name=a/>",
            "<testcase name=\"a<b\"/>",
            "<testcase name=\"a\">text</testcase>",
            "<testcase name=\"a\"><failure>x</failure></testcase>",
            "<testcase name=\"a\"><skipped/><skipped/></testcase>",
            "<testcase name=\"a\"><skipped>why</skipped></testcase>",
            "<testcase name=\"a\"><!-- c --></testcase>",
            "<testcase name=\"a\"></testcas>",
            "<testcase name=\"a\"></testcase",
            "<testcase\x0cname=\"a\"/>",
            "<testcase name=\"a\" time=\"1\" name=\"b\"/>",
            "<testcase name=\"a\"><skipped message=\"a\" message=\"b\"/></testcase>",
            "<testcase name=\"unterminated",
            "",
            "text",
        ] {
            assert!(plain_case(s).is_none(), "{s}");
        }
    }
}
