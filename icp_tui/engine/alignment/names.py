"""Company names and web addresses as people type them, reduced to comparable keys.

Vectorised with Arrow string kernels: Unicode folded (NFKD, accents dropped), lower case, "&" as
"and", punctuation as spaces, a leading "The" and trailing legal forms (Inc, LLC, Ltd, GmbH, SA,
Corp, Co, ...) removed. URLs and e-mail addresses reduce to the registrable domain
("https://www.acme.com/about" and "sales@acme.com" give "acme.com"; "shop.acme.co.uk" gives
"acme.co.uk", by the public suffix list). A domain also spells a name ("acme-robotics.com" gives
"acme robotics"), for accounts that have no website to compare with.
"""

from __future__ import annotations

import functools

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: Legal forms dropped from the end of a name (after punctuation became spaces), longest first.
#: ("Group" and "Holdings" are part of names: "Mosaic Group" and "Mosaic Co." are two companies.)
LEGAL_FORMS = (
    "incorporated", "corporation", "limited", "company", "gmbh and co kg", "gmbh co kg", "and co", "gmbh",
    "s a de c v", "sa de cv", "sp z o o", "sp z oo", "private limited", "pvt ltd", "pte ltd", "sdn bhd",
    "inc", "llc", "llp", "ltd", "ltda", "plc", "corp", "co", "sa", "sas", "sarl", "ag", "kg", "bv", "nv", "srl",
    "spa", "pty", "oy", "ab", "as", "aps", "kk", "sl", "sro", "lp", "kft", "ooo", "pvt", "pte", "bhd", "zrt", "nyrt",
    "s a", "l l c", "b v", "n v", "p l c", "s r o", "s p a", "k k", "a s", "s r l",  # with dots: S.A., S.p.A., K.K.
)

_LEGAL_RE = r"(\s+(" + "|".join(f.replace(" ", r"\s+") for f in LEGAL_FORMS) + r"))+$"
_TLD_RE = r"\.[a-z0-9-]*[a-z][a-z0-9-]*$"  # the last label has a letter: 10.0.0.1 is no domain
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


@functools.lru_cache(maxsize=1)
def _suffix_list():
    """The public suffix list (publicsuffixlist's bundled copy, ICANN and private sections: two
    companies on github.io or on one hosting suffix are two companies)."""
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


def registrable_domains(values) -> np.ndarray:
    """The registrable domain in a URL, e-mail address or bare domain; "" where there is none.

    Hosts are found with Arrow kernels; the public suffix list is asked once per distinct host
    ("nowak.com.pl" and "kowalski.com.pl" are two domains under the suffix "com.pl")."""
    s = pc.utf8_lower(pc.utf8_trim_whitespace(pc.fill_null(_array(values), "")))
    hosts = pc.struct_field(pc.extract_regex(s, _DOMAIN_RE), "host")
    hosts = pc.if_else(pc.match_substring_regex(hosts, _TLD_RE), hosts, pa.scalar(None, pa.string()))
    coded = pc.dictionary_encode(hosts)
    psl = _suffix_list()
    table = np.asarray([psl.privatesuffix(h) or "" for h in coded.dictionary.to_pylist()] + [""], dtype=object)
    codes = pc.fill_null(coded.indices, len(coded.dictionary)).to_numpy(zero_copy_only=False)
    return table[codes]


def website_names(domains) -> np.ndarray:
    """The name a registrable domain spells, as a name key: its label before the public suffix
    ("acme-robotics.com" gives "acme robotics", "globex.co.uk" gives "globex", "acme-inc.com" gives
    "acme"); "" where there is no domain. ``domains`` are :func:`registrable_domains` results."""
    labels = pc.replace_substring_regex(pc.fill_null(_array(domains), ""), r"\..*$", "")
    return normalise_names(labels)


def looks_like_address(values) -> np.ndarray:
    """True where the text is a URL, an e-mail address or a bare domain rather than a name."""
    s = pc.utf8_lower(pc.utf8_trim_whitespace(pc.fill_null(_array(values), "")))
    has_scheme_or_at = pc.match_substring_regex(s, r"^[a-z][a-z0-9+.-]*://|@")
    bare = pc.match_substring_regex(s, r"^(www\d?\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}\.?(/\S*)?$")
    return np.asarray(pc.or_(has_scheme_or_at, bare).to_numpy(zero_copy_only=False), dtype=bool)
