"""Company names and web addresses as people type them, reduced to comparable keys.

Vectorised with Arrow string kernels: Unicode folded (NFKD, accents dropped), lower case, "&" as
"and", punctuation as spaces, a leading "The" and trailing legal forms (Inc, LLC, Ltd, GmbH, SA,
Corp, Co, ...) removed. URLs and e-mail addresses reduce to the registrable domain
("https://www.acme.com/about" and "sales@acme.com" give "acme.com"; "shop.acme.co.uk" gives
"acme.co.uk").
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: Legal forms dropped from the end of a name (after punctuation became spaces), longest first.
#: ("Group" and "Holdings" are part of names: "Mosaic Group" and "Mosaic Co." are two companies.)
LEGAL_FORMS = (
    "incorporated", "corporation", "limited", "company", "gmbh and co kg", "gmbh co kg", "and co", "gmbh",
    "inc", "llc", "llp", "ltd", "plc", "corp", "co", "sa", "sas", "sarl", "ag", "kg", "bv", "nv", "srl",
    "spa", "pty", "oy", "ab", "as", "aps", "kk", "sl", "sro", "lp",
    "s a", "l l c", "b v", "n v", "p l c", "s r o",  # written with dots: S.A., L.L.C., B.V. ...
)
#: Public suffixes of two labels under which a company registers the third ("acme.co.uk").
TWO_LABEL_SUFFIXES = frozenset({
    "co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au", "co.nz", "co.jp", "co.kr", "co.in",
    "com.br", "com.mx", "com.ar", "com.cn", "com.sg", "com.hk", "com.tr", "co.za", "com.es", "co.il",
})

_LEGAL_RE = r"(\s+(" + "|".join(f.replace(" ", r"\s+") for f in LEGAL_FORMS) + r"))+$"
_SUFFIXES = pa.array(sorted(TWO_LABEL_SUFFIXES))
_THREE_RE = r"(?P<d>[a-z0-9-]+\.(?:" + "|".join(x.replace(".", r"\.") for x in sorted(TWO_LABEL_SUFFIXES)) + r"))$"
_TWO_RE = r"(?P<d>[a-z0-9-]+\.[a-z0-9-]*[a-z][a-z0-9-]*)$"
_DOMAIN_RE = r"^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/\s]+@)?(?:www\d?\.)?(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)+)\.?(?::\d+)?(?:[/?#].*)?$"


def _array(values) -> pa.Array:
    arr = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(list(values), pa.string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pc.cast(arr, pa.string())


def normalise_names(values) -> np.ndarray:
    """Comparable name keys (object array of str; "" where nothing is left)."""
    s = pc.utf8_normalize(pc.fill_null(_array(values), ""), "NFKD")
    s = pc.replace_substring_regex(s, r"\p{Mn}+", "")  # accents
    s = pc.utf8_lower(s)
    s = pc.replace_substring(s, "&", " and ")
    s = pc.replace_substring_regex(s, r"[^\p{L}\p{N}]+", " ")
    s = pc.utf8_trim_whitespace(s)
    s = pc.replace_substring_regex(s, r"^the\s+", "")
    s = pc.replace_substring_regex(s, _LEGAL_RE, "")
    s = pc.replace_substring_regex(s, r"\s+", " ")
    return np.asarray(pc.utf8_trim_whitespace(s).to_pylist(), dtype=object)


def registrable_domains(values) -> np.ndarray:
    """The registrable domain in a URL, e-mail address or bare domain; "" where there is none."""
    s = pc.utf8_lower(pc.utf8_trim_whitespace(pc.fill_null(_array(values), "")))
    hosts = pc.struct_field(pc.extract_regex(s, _DOMAIN_RE), "host")
    three = pc.struct_field(pc.extract_regex(hosts, _THREE_RE), "d")  # acme.co.uk
    two = pc.struct_field(pc.extract_regex(hosts, _TWO_RE), "d")  # acme.com (the last label has a letter)
    alone = pc.is_in(hosts, value_set=_SUFFIXES)  # "co.uk" on its own is nobody's domain
    out = pc.if_else(alone, "", pc.coalesce(three, two, ""))
    return np.asarray(pc.fill_null(out, "").to_pylist(), dtype=object)


def looks_like_address(values) -> np.ndarray:
    """True where the text is a URL, an e-mail address or a bare domain rather than a name."""
    s = pc.utf8_lower(pc.utf8_trim_whitespace(pc.fill_null(_array(values), "")))
    has_scheme_or_at = pc.match_substring_regex(s, r"^[a-z][a-z0-9+.-]*://|@")
    bare = pc.match_substring_regex(s, r"^(www\d?\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}\.?(/\S*)?$")
    return np.asarray(pc.or_(has_scheme_or_at, bare).to_numpy(zero_copy_only=False), dtype=bool)
