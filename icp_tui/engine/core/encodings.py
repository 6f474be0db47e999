"""Which encoding a text file is in, for files that are not UTF-8.

A UTF-16 or UTF-32 file announces itself with a byte order mark (Excel's "Unicode text" is UTF-16 LE
with one). Anything else that does not read as UTF-8 is one of the code pages spreadsheets and CRMs
write in (cp1252 in Western Europe and the Americas, cp1250 in Central Europe, cp1251 for Cyrillic,
...): charset-normalizer ranks the candidates on a sample of the lines that hold non-ASCII bytes,
and a check of our own breaks its ties and overrules it on the short samples it cannot judge (a
name or two). That check counts what a wrong code page typically produces inside words: a symbol
between letters ("£ódŸ" for cp1250 "Łódź" read as cp1252), a capital after a small letter, three
accented letters in a row, Latin letters run together with Cyrillic or Greek ones, control characters. When the winner reads the
sample exactly as cp1252 does, the file is called cp1252 (the two share most letters).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

from icp_tui.engine.core.texts import some

#: Byte order marks, longest first (UTF-32 LE starts with the UTF-16 LE mark).
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

#: The code pages a non-UTF-8 export is realistically written in: Windows ("ANSI") code pages of each
#: region, Mac Roman, and the East Asian ones. Obscure DOS and Mac pages are left out on purpose: on a
#: short sample they decode anything without a visible fault.
CANDIDATES = (
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "cp874",
    "cp932", "gb18030", "cp949", "big5", "mac_roman",
)
SAMPLE_BYTES = 65536
_CHUNK = 1 << 20

# typography that sits against letters in real text: apostrophes, quotes, dashes, marks
_TYPOGRAPHY = set("\u2019\u2018\u201c\u201d\u201e\u201a\u00ab\u00bb\u2039\u203a\u2013\u2014\u2026\u00b7\u00ae\u00a9\u2122\u00b0\u00ad")
_ALPHABETS = ("CYRILLIC", "GREEK", "HEBREW", "ARABIC", "THAI", "ARMENIAN", "GEORGIAN")


def bom_encoding(head: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) of a UTF-16/UTF-32 byte order mark at the start, else None."""
    for mark, codec in BOMS:
        if head.startswith(mark):
            return codec, len(mark)
    return None


def non_ascii_sample(data: bytes, limit: int = SAMPLE_BYTES) -> bytes:
    """The first lines (up to ``limit`` bytes) that hold a byte above 0x7f: the evidence about a code page."""
    view = np.frombuffer(data, np.uint8)
    out: list[bytes] = []
    size = pos = last = 0
    while pos < len(data) and size < limit:  # a megabyte at a time, then a line per hit
        hits = np.flatnonzero(view[pos: pos + _CHUNK] >= 0x80) + pos
        i = 0
        while i < len(hits) and size < limit:
            at = int(hits[i])
            start = data.rfind(b"\n", 0, at) + 1
            last = data.find(b"\n", at)
            last = len(data) if last < 0 else last + 1
            piece = _around(data, start, at, last)
            out.append(piece)
            size += len(piece)
            i = int(np.searchsorted(hits, last))
        pos = max(pos + _CHUNK, last)
    return b"".join(out)


def _around(data: bytes, start: int, at: int, end: int, width: int = 2048) -> bytes:
    """The line data[start:end] holding byte ``at``, or only about ``width`` bytes each side of it in a
    long one (a file with no line breaks), cut after a separator so that no character is cut (in the
    East Asian code pages a separator is never part of a character)."""
    if end - start <= 2 * width:
        return data[start:end]
    lo, hi = max(start, at - width), min(end, at + width)
    if lo > start:
        lo = min((i + 1 for i in (data.find(c, lo, at) for c in b" ,;\t\r") if i >= 0), default=at)
    if hi < end:
        hi = max((i for i in (data.rfind(c, at, hi) for c in b" ,;\t\r") if i >= 0), default=hi)
    return data[lo:hi]


def _decodes(data: bytes, codec: str) -> str | None:
    """``data`` as text, allowing a character cut at the very end of a sample; None if it is not in ``codec``."""
    for cut in range(4):
        try:
            return data[: len(data) - cut].decode(codec)
        except UnicodeDecodeError as e:
            if e.end < len(data) - 4:
                return None
    return None


def _strict(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _cls(chars) -> str:
    return "".join(re.escape(c) for c in sorted(chars))


def oddities(text: str) -> int:
    """How many places in ``text`` look like a wrong code page (see the module docstring); 0 for clean text.

    Works on the distinct non-ASCII characters: each is classified once, then regular expressions
    count the suspicious neighbourhoods.
    """
    chars = {c for c in set(text) if c >= "\x80"}
    if not chars:
        return 0
    cats = {c: unicodedata.category(c) for c in chars}
    letters = {c for c, k in cats.items() if k[0] == "L"}
    lower = {c for c in letters if cats[c] == "Ll"}
    upper = {c for c in letters if cats[c] in ("Lu", "Lt")}
    marks = {c for c, k in cats.items() if k[0] == "M"}
    symbols = {c for c, k in cats.items() if k[0] in "SPN" and c not in _TYPOGRAPHY}
    controls = {c for c, k in cats.items() if k[0] == "C" and c not in _TYPOGRAPHY}
    alphabet = {c for c in letters if unicodedata.name(c, "").startswith(_ALPHABETS)}
    latin = {c for c in letters if unicodedata.name(c, "").startswith("LATIN")}
    score = 10 * sum(text.count(c) for c in controls)
    letter_cls = "a-zA-Z" + _cls(letters)
    if symbols:
        sym = _cls(symbols)
        score += len(re.findall(f"[{letter_cls}][{sym}]|[{sym}][{letter_cls}]", text))
    if marks:
        score += len(re.findall(f"(?<![{letter_cls}{_cls(marks)}])[{_cls(marks)}]", text))
    if upper:
        score += len(re.findall(f"[a-z{_cls(lower)}][{_cls(upper)}]", text))
    if len(latin) > 1:  # Cyrillic read as cp1252 is words of accented letters only ("Ãàçïðîì")
        score += len(re.findall(f"[{_cls(latin)}]{{3,}}", text))
    if alphabet:
        lat, alp = "a-zA-Z" + _cls(latin), _cls(alphabet)
        score += len(re.findall(f"[{lat}][{alp}]|[{alp}][{lat}]", text))
    return score


def detect_encoding(sample: bytes, whole: bytes | None = None) -> str:
    """The code page of ``sample`` (non-UTF-8 bytes); with ``whole``, only one that decodes all of it.

    Falls back to latin-1, which decodes any byte.
    """
    import charset_normalizer  # imported here: only files that are not UTF-8 need it

    results = charset_normalizer.from_bytes(sample, cp_isolation=list(CANDIDATES))
    ranked = [m.encoding for m in results if m.encoding in CANDIDATES]
    coherence = {m.encoding: m.coherence for m in results}
    ranked += [c for c in ("cp1252", "cp1250") if c not in ranked]
    texts = {c: t for c in ranked if (t := _decodes(sample, c)) is not None}
    if whole is not None:
        texts = {c: t for c, t in texts.items() if _strict(whole, c)}
    if not texts:
        return "latin-1"
    best = min(texts, key=lambda c: (oddities(texts[c]), -coherence.get(c, 0.0), c != "cp1252", ranked.index(c)))
    if best != "cp1252" and texts[best] == texts.get("cp1252"):
        return "cp1252"
    return best


def decode_text(data: bytes) -> tuple[str, str]:
    """Text that is not UTF-8, decoded with the detected code page: (text, codec). A UTF-8 BOM (a file
    that is UTF-8 only in part) is left out of the evidence and of the text."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    codec = detect_encoding(non_ascii_sample(data))
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError:  # a byte past the sample that this code page does not have
        codec = detect_encoding(non_ascii_sample(data), whole=data)
        return data.decode(codec), codec


_NOT_UTF8 = re.compile("[\udc80-\udcff]+")  # bytes that are not UTF-8, as surrogateescape decodes them
_UTF8_CHAR = re.compile("[^\x00-\x7f\udc80-\udcff]")
_NAMES = {"cp1252": "Windows Western European", "cp1250": "Windows Central European", "cp1251": "Windows Cyrillic",
          "mac_roman": "Mac Roman", "latin-1": "Latin-1"}


def decode_export(data: bytes) -> tuple[str, str, list[str]]:
    """Bytes that are not all UTF-8, as (text, codec, notes for the import warnings).

    A file that is UTF-8 but for a few bytes (one Latin-1 word pasted into a UTF-8 export) stays UTF-8:
    those bytes become U+FFFD and the note names their lines, so that "€80.9m" elsewhere is still read
    as written. It stays UTF-8 when it has at least as many UTF-8 characters beyond ASCII as places
    that are not UTF-8; otherwise the file is in a code page (:func:`decode_text`), and the note names it.
    """
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    text = body.decode("utf-8", errors="surrogateescape")
    bad = [m.start() for m in _NOT_UTF8.finditer(text)]
    if bad and len(_UTF8_CHAR.findall(text)) >= len(bad):
        lines = sorted({text.count("\n", 0, at) + 1 for at in bad[:10]})
        n = len(bad)
        shown = some(lines, n if n > 10 else len(lines))
        note = (f"read as UTF-8, but {n:,} place{'s' * (n != 1)} {'are' if n != 1 else 'is'} not UTF-8 and "
                f"{'were' if n != 1 else 'was'} replaced with '\ufffd' (line{'s' * (len(lines) != 1)} {shown}): text pasted "
                "from another program, probably; correct it there and save the file as UTF-8")
        return _NOT_UTF8.sub("\ufffd", text), "utf-8", [note]
    text, codec = decode_text(data)
    name = f" ({_NAMES[codec]})" if codec in _NAMES else ""
    return text, codec, [f"read as {codec}{name}, not UTF-8: if letters look wrong (Ã© for é), save the file as CSV UTF-8"]
