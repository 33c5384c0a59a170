"""Person-name values: script detection, name variants, sort keys, slugs and a person-name test.

Pure functions on strings; no spans into the source except the offsets
``split_name_variants`` reports relative to the string it was given.

Why the ``regex`` module for scripts: its ``\\p{Script=...}`` classes carry the
Unicode Character Database of the installed version (every block, the Latin and
Cyrillic extension blocks, supplementary planes), so no hand-kept table of code
point ranges can drift or miss a block. The tuple below only names which ISO 15924
codes we ask about; the ranges come from Unicode.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from functools import lru_cache

import iuliia
import regex
from slugify import slugify


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# ISO 15924 codes asked about, in the order used to break ties (then first seen).
# Letters of any other script count as ``Zzzz`` (unknown / other).
SCRIPTS: tuple[str, ...] = _words(
    """
    Latn Cyrl Grek Geor Armn Hebr Arab Syrc Thaa Deva Beng Guru Gujr Orya Taml Telu Knda
    Mlym Sinh Thai Laoo Tibt Mymr Khmr Mong Ethi Cher Hani Hira Kana Hang Bopo Yiii Copt
    Glag Runr Ogam Goth Tfng Cans Nkoo Vaii Adlm Java Bali
    """
)
_SCRIPT_RE = regex.compile(
    "|".join(f"(?P<{code}>\\p{{Script={code}}})" for code in SCRIPTS) + r"|(?P<Zzzz>\p{L})"
)
_LETTER_RE = regex.compile(r"\p{L}")

# Lower-case name particles. Iberian connectives join two surnames into one.
PARTICLES: frozenset[str] = frozenset(
    _words(
        """
    van von der den de del della delle dei degli di da das do dos du des la le les lo ten
    ter te zu zur y e i bin ibn bint al el af av op 't
    """
    )
)
IBERIAN_CONNECTIVES: frozenset[str] = frozenset({"del", "y", "i", "da", "das", "do", "dos", "e"})
SUFFIXES: frozenset[str] = frozenset(
    {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v", "vi", "esq", "esq.", "phd", "ph.d."}
)

ORGANISATION_WORDS: frozenset[str] = frozenset(
    w.casefold()
    for w in _words(
        """
    Union Republic Republics Commission University Party Army Directorate International
    Revolution Department Ministry Committee Council Commissariat Bureau Office Agency
    Service Services Institute Academy College School Society Company Corporation Bank
    Museum Library Association Federation League Alliance Organization Organisation
    Movement Front Brigade Division Regiment Corps Navy Force Forces Police Guard Militia
    War Battle Treaty Trial Trials Plot Purge Crisis Affair Operation Conference Congress
    Assembly Parliament Senate Court Group Order Award Prize Medal Empire Kingdom State
    States Province Oblast Governorate Voblast County District Region City Town River Sea
    Ocean Lake Mountains Island Islands Street Square Avenue Road Bridge Park Prison
    Church Cathedral Palace Hospital Hotel Theatre Theater Stadium Club Station Railway
    Airport Times News Press Journal Gazette Review Records Inc. Ltd. Co. Dynasty Uprising
    Rebellion Massacre Campaign Offensive Convention Declaration Act Pact Accords Festival
    Games Olympics Cup Championship Foundation Fund Institution Centre Center Network
    Television Radio Soviet Socialist Communist Ministries Administration Commonwealth
    """
    )
)
LEADING_ARTICLES: frozenset[str] = frozenset(
    {"the", "a", "an", "la", "le", "les", "el", "los", "las", "der", "die", "das", "il"}
)

_VARIANT_SEP_RE = regex.compile(r",?\s+or\s+")
_STRESS_MARKS_RE = regex.compile("[\u0300\u0301]")
_CYRILLIC_RE = regex.compile(r"\p{Script=Cyrl}")
_NAME_TOKEN_RE = regex.compile(
    r"""
    (?:\p{Lu}\.){1,3}                          # initials: M. or J.R.R.
    | (?:(?:d|l|O|D)['’]|[ʿʾ]|(?:al|el|ad|an|ar|as|at|az|ash|ul)-)?  # d'Estaing, ʿAmr, al-Ḥārith
      \p{Lu}[\p{L}\p{M}'’ʿʾ]*[\p{Ll}\p{M}ʿʾ]   # Capitalised, McNeil, O'Brien, al-Khansāʾ
      (?:-(?:\p{Lu}|\p{Ll})[\p{L}\p{M}'’ʿʾ]*)*    # hyphenated parts
    | \p{Lu}                                   # a bare initial without a dot
    """,
    regex.VERBOSE,
)
_ROMAN_RE = regex.compile(r"[IVX]{1,4}")


@lru_cache(maxsize=65536)
def script_of(s: str) -> str:
    """ISO 15924 code of the script most letters of ``s`` are in; ``Zyyy`` without letters.

    Ties go to the script listed first in ``SCRIPTS``; letters of scripts not
    listed count as ``Zzzz``. Combining marks and digits are not letters.
    """
    counts: Counter[str] = Counter()
    for m in _SCRIPT_RE.finditer(s):
        if m.lastgroup is not None:
            counts[m.lastgroup] += 1
    if not counts:
        return "Zyyy"
    order = {code: i for i, code in enumerate((*SCRIPTS, "Zzzz"))}
    return min(counts, key=lambda code: (-counts[code], order[code]))


def split_name_variants(s: str) -> list[tuple[str, int, int]]:
    """Split ``X or Y or Z`` (also ``X, or Y``) into the names as written, with spans in ``s``.

    Pieces are trimmed of surrounding whitespace; empty pieces are skipped.
    """
    out: list[tuple[str, int, int]] = []
    pos = 0
    bounds: list[tuple[int, int]] = []
    for m in _VARIANT_SEP_RE.finditer(s):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(s)))
    for start, end in bounds:
        piece = s[start:end]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        if trail > lead:
            out.append((piece[lead:trail], start + lead, start + trail))
    return out


def _tokens(full: str) -> list[str]:
    return full.split()


def _split_suffix(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Split trailing generational/academic suffixes (``Jr.``, ``III``) off the tokens."""
    end = len(tokens)
    while end > 1 and tokens[end - 1].rstrip(",").casefold() in SUFFIXES:
        end -= 1
    core = [t.rstrip(",") for t in tokens[:end]]
    return core, tokens[end:]


def _surname_start(core: list[str]) -> int:
    """Index where the surname begins in ``core`` (see ``sort_name`` for the rule)."""
    i = len(core) - 1
    while i - 1 >= 1 and core[i - 1].casefold() in PARTICLES:
        i -= 1
    # An Iberian connective between two capitalised names joins them into one surname,
    # provided a given name still precedes the compound.
    if i < len(core) - 1 and core[i].casefold() in IBERIAN_CONNECTIVES and i - 1 >= 1:
        return i - 1
    return i


def _has_no_surname(core: list[str]) -> bool:
    """A byname (``of`` after the given name) or an Icelandic patronymic: no surname to invert."""
    if any(t == "of" for t in core[1:-1]):
        return True
    return unicodedata.normalize("NFC", core[-1]).casefold().endswith(("dóttir", "dottir"))


def sort_name(full_name: str) -> str:
    """``Surname, Given Names[ particles][, Suffix]`` for a personal name in given-name-first order.

    Rule: the surname is the last token. Lower-case particles right before it
    (``van``, ``von``, ``de``, ``du``...) go after the given names, as in
    Wikipedia's DEFAULTSORT and Chicago style (``Ludwig van Beethoven`` →
    ``Beethoven, Ludwig van``). An Iberian connective (``del``, ``y``, ``da``,
    ``dos``...) preceded by a capitalised name that is not the first token makes a
    compound surname (``Caridad Mercader del Rio`` → ``Mercader del Rio, Caridad``;
    ``José Ortega y Gasset`` → ``Ortega y Gasset, José``). Suffixes (``Jr.``,
    ``III``) follow after a comma. One token is returned as is. Double surnames
    without a connective (``Gabriel García Márquez``) and family-name-first orders
    cannot be told apart from given names here and get the last-token rule.
    A name with no surname is returned as is: a byname ``X of Y`` (``Nikandros of
    Kolophon``, ``Adam of Bremen``) or an Icelandic patronymic in ``-dóttir``
    (``Sigríður Jónsdóttir``), both sorted under the given name.
    """
    tokens = _tokens(full_name)
    if not tokens:
        return ""
    core, suffix = _split_suffix(tokens)
    if len(core) == 1 or _has_no_surname(core):
        return " ".join(tokens)
    start = _surname_start(core)
    surname = core[start:]
    given = core[:start]
    particles: list[str] = []
    while len(surname) > 1 and surname[0].casefold() in PARTICLES:
        particles.append(surname.pop(0))
    head = " ".join(surname)
    tail = " ".join(given + particles)
    out = f"{head}, {tail}"
    if suffix:
        out += ", " + " ".join(suffix)
    return out


def person_slug(name: str) -> str:
    """Deterministic kebab-case ASCII slug of a name (``Nahum Eitingon`` → ``nahum-eitingon``).

    Cyrillic is romanised with iuliia's Wikipedia scheme first (stress accents
    removed), every other script through python-slugify's transliteration with text-unidecode
    (named, not left to ``auto``: that would take Unidecode wherever another package installed
    it, so ids would depend on the machine, and it tries that import on every call). Apostrophes
    vanish (``O'Brien`` → ``obrien``). A name that leaves no ASCII letters or digits
    gets ``x-`` plus 10 hex digits of the SHA-256 of its NFC form, so ids never come
    out empty for a non-empty name; an empty or blank name gives ``""``.
    """
    text = unicodedata.normalize("NFC", name)
    if not text.strip():
        return ""
    if _CYRILLIC_RE.search(text):
        text = iuliia.WIKIPEDIA.translate(_STRESS_MARKS_RE.sub("", text))
    slug = slugify(
        text, separator="-", lowercase=True, replacements=[["'", ""], ["’", ""]], backend="text-unidecode"
    )
    if not slug:
        digest = hashlib.sha256(unicodedata.normalize("NFC", name).encode("utf-8")).hexdigest()
        slug = f"x-{digest[:10]}"
    return slug


def _is_name_token(token: str) -> bool:
    if _NAME_TOKEN_RE.fullmatch(token):
        return True
    return bool(_ROMAN_RE.fullmatch(token))


def looks_like_person_name(s: str) -> bool:
    """Conservative test: 2-6 capitalised name tokens, no leading article, no organisation word.

    Allowed tokens: capitalised words (with hyphens and apostrophes; an Arabic
    ``al-``/ayin/hamza head as in ``ʿAmr``, ``al-Ḥārith``), initials, lower-case
    particles between names (not counted: an Arabic ``X bint Y ibn Z`` chain may be
    up to ten tokens), Roman numerals and suffixes at the end.
    Rejected: digits, all-capital acronyms, a leading ``The``/``La``..., any word
    from ``ORGANISATION_WORDS`` (``Union``, ``University``, ``Army``...).
    """
    tokens = s.split()
    if not 2 <= len(tokens) <= 10:
        return False
    if tokens[0].casefold() in LEADING_ARTICLES:
        return False
    core, _suffix = _split_suffix(tokens)
    n_names = 0
    for i, token in enumerate(core):
        folded = token.casefold()
        if folded in ORGANISATION_WORDS:
            return False
        if folded in PARTICLES and 0 < i < len(core) - 1:
            continue
        if not _is_name_token(token):
            return False
        is_acronym = len(token) > 1 and token.isupper() and not token.endswith(".")
        if is_acronym and not (_ROMAN_RE.fullmatch(token) and i > 0):
            return False
        n_names += 1
    return 2 <= n_names <= 6 and bool(_LETTER_RE.search(s))


@lru_cache(maxsize=65536)
def looks_like_byname(s: str) -> bool:
    """``Given of Place``: a single name with a byname (``Adam of Bremen``, ``Hipparchia of Maroneia``).

    One capitalised name token, ``of``, then one or two capitalised tokens; no
    organisation word (``Bank of England``, ``Battle of Kursk`` are not names). Whether
    it names a person is the caller's question (a lead's description or dates).
    """
    tokens = s.split()
    if not 3 <= len(tokens) <= 4 or tokens[1] != "of":
        return False
    words = [tokens[0], *tokens[2:]]
    return all(
        _is_name_token(t) and not t.isupper() and t.casefold() not in ORGANISATION_WORDS for t in words
    )


_PATRONYMIC_RE = re.compile(
    r"\w+(?:ovich|evich|yevich|ievich|ovych|ovna|evna|yevna|ievna|ivna|ichna|inichna)"
)
"""East Slavic patronymics (``Vasilyevna``, ``Gurgenovich``, ``Bohdanivna``): the middle of a full name."""


def common_name(full_name: str) -> str | None:
    """``Given Patronymic Surname`` → ``Given Surname``, the form a page is titled by; else None.

    Names with an East Slavic patronymic are cited without it (``Anna Petrovna
    Orlova`` → ``Anna Orlova``); any other name has no shorter common form we can tell.
    """
    words = full_name.split()
    if len(words) != 3 or not _PATRONYMIC_RE.fullmatch(words[1]) or _PATRONYMIC_RE.fullmatch(words[2]):
        return None
    return f"{words[0]} {words[2]}"


_APOSTROPHES = "'’‘ʼʻʾʿ`´"


@lru_cache(maxsize=4096)
def spelling_pattern(name: str) -> re.Pattern[str] | None:
    """A pattern for ``name`` spelt with or without its diacritics and with any apostrophe
    (``Ichiyō Higuchi`` ~ ``Ichiyo Higuchi``, ``Al-Khansa'`` ~ ``Al-Khansa’``), as whole words;
    None when the name has no letter such a spelling could vary."""
    pieces, varies = [], False
    for ch in name:
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if ch in _APOSTROPHES:
            pieces.append(f"[{re.escape(_APOSTROPHES)}]?")
            varies = True
        elif base and base != ch:
            pieces.append(f"(?:{re.escape(ch)}|{re.escape(base)})")
            varies = True
        elif ch.isspace():
            pieces.append(r"\s+")
        else:
            pieces.append(re.escape(ch))
    return re.compile(rf"(?<!\w){''.join(pieces)}(?!\w)") if varies else None
