"""The wiki-fragment parser: the seed, invented variations, coverage and provenance invariants."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.formats.wiki_fragment import parse
from pipeline.records import Parsed, Span

SEED = Path(__file__).resolve().parent.parent / "seeds" / "002_5f5ad1bcc6a4ea67.txt"
_TOKEN_RE = re.compile(r"\w+")
_ELLIPSIS_RE = re.compile(r"\s*(?:\.\.\.|…)$")


# ---------------------------------------------------------------- invariant helpers


def all_spans(parsed: Parsed) -> list[Span]:
    spans: list[Span] = [*parsed.claimed]
    if parsed.sort_key_span:
        spans.append(parsed.sort_key_span)
    for section in parsed.sections:
        spans.extend(section.pieces)
    for link in parsed.links:
        spans.append(link.span)
        if link.gloss_span:
            spans.append(link.gloss_span)
    spans.extend(b.span for b in parsed.bibliography)
    spans.extend(c.span for c in parsed.categories)
    spans.extend(d.span for d in parsed.dropped)
    return spans


def assert_covered(text: str, parsed: Parsed) -> None:
    """Every non-whitespace character of the input is inside some span of the result."""
    mask = bytearray(len(text))
    for span in all_spans(parsed):
        assert 0 <= span.start <= span.end <= len(text)
        mask[span.start : span.end] = b"\x01" * (span.end - span.start)
    missing = [i for i, ch in enumerate(text) if not ch.isspace() and not mask[i]]
    assert not missing, f"uncovered: {[text[i] for i in missing][:40]} at {missing[:10]}"


def assert_spans_reproduce(text: str, parsed: Parsed) -> None:
    """Each record's span reproduces the surface text it claims."""
    for link in parsed.links:
        assert text[link.span.start : link.span.end].strip() == link.anchor
        if link.gloss_span is None:
            assert link.gloss is None
            continue
        assert link.gloss is not None
        surface = " ".join(text[link.gloss_span.start : link.gloss_span.end].split())
        assert surface.startswith(" ".join(link.gloss.split()))
        rest = surface[len(" ".join(link.gloss.split())) :].strip()
        assert rest in ("", "...", "…")
        assert (rest != "") <= link.gloss_truncated
        assert link.gloss_span.start >= link.span.end
    for entry in parsed.bibliography:
        surface = text[entry.span.start : entry.span.end]
        assert surface[0] in "*#" or surface[0] == entry.raw[0]
        assert Counter(_TOKEN_RE.findall(entry.raw)) <= Counter(_TOKEN_RE.findall(surface))
    for category in parsed.categories:
        assert text[category.span.start : category.span.end] == category.category
    if parsed.sort_key is not None:
        assert parsed.sort_key_span is not None
        assert text[parsed.sort_key_span.start : parsed.sort_key_span.end] == parsed.sort_key
    for drop in parsed.dropped:
        assert text[drop.span.start : drop.span.end] == drop.text
        assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", drop.rule)
    for section in parsed.sections:
        if section.heading is not None:
            assert section.heading_span is not None
            assert text[section.heading_span.start : section.heading_span.end] == section.heading
        for piece in section.pieces:
            assert section.span.start <= piece.start <= piece.end <= section.span.end
        from_pieces = Counter(tok for p in section.pieces for tok in _TOKEN_RE.findall(text[p.start : p.end]))
        assert Counter(_TOKEN_RE.findall(section.text)) <= from_pieces
        assert "  " not in section.text and not re.search(r" [,.;:)!?]|\( ", section.text)
    for notice in parsed.warnings:
        assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", notice.code)
    assert [link.link_no for link in parsed.links] == list(range(len(parsed.links)))
    assert [b.entry_no for b in parsed.bibliography] == list(range(len(parsed.bibliography)))
    assert [s.section_no for s in parsed.sections] == list(range(len(parsed.sections)))


def check_invariants(text: str) -> Parsed:
    parsed = parse(text)
    assert parsed.format == "wiki_fragment" and parsed.evidence == ""
    assert parsed.title is None and parsed.title_span is None
    assert_covered(text, parsed)
    assert_spans_reproduce(text, parsed)
    return parsed


# ---------------------------------------------------------------- the seed

SEED_ANCHORS = [
    "Soviet", "NKVD", "Jewish", "Belarus", "Warsaw", "Moscow University", "October Revolution", "Cheka",
    "Mongolia", "Yakov Blumkin", "China", "Japan", "OGPU", "NKVD", "Paris", "Trotskyist", "Mark Zborowski",
    "Nadezhda Plevitskaya", "Abram Slutsky", "Yevhen Konovalets", "Ignace Reiss",
    "Russian All-Military Union",
    "Fourth International", "Nikolai Yezhov", "Lavrenti Beria", "Lev Sedov", "Pavel Sudoplatov",
    "Walter Krivitsky",
]  # fmt: skip
# (first line, last line) of every gloss, 1-based line numbers of the seed file.
SEED_GLOSS_LINES = [
    (3, 3), (6, 6), (11, 11), (16, 16), (19, 19), (22, 22), (25, 25), (28, 28), (31, 31), (34, 36), (39, 39),
    (42, 42), (46, 46), (49, 49), (52, 52), (56, 56), (59, 59), (63, 65), (69, 70), (73, 73), (76, 82),
    (85, 85), (89, 89), (94, 94), (98, 98), (102, 102), (107, 107), (113, 113),
]  # fmt: skip


@pytest.fixture(scope="module")
def seed() -> tuple[str, Parsed]:
    text = SEED.read_text(encoding="utf-8")
    return text, parse(text)


def test_seed_invariants(seed: tuple[str, Parsed]) -> None:
    check_invariants(seed[0])


def test_seed_anchors_and_glosses(seed: tuple[str, Parsed]) -> None:
    text, parsed = seed
    lines = text.split("\n")
    assert [link.anchor for link in parsed.links] == SEED_ANCHORS
    assert all(link.target == link.anchor for link in parsed.links)
    expected = [_ELLIPSIS_RE.sub("", " ".join(lines[a - 1 : b])).strip() for a, b in SEED_GLOSS_LINES]
    assert [link.gloss for link in parsed.links] == expected
    assert all(link.gloss_truncated for link in parsed.links)
    assert [link.kind for link in parsed.links] == ["inline"] * 27 + ["bibliography"]
    assert [link.section_no for link in parsed.links] == [0] * 27 + [1]
    blumkin = parsed.links[9]
    assert blumkin.gloss is not None and blumkin.gloss.endswith(
        "Early life Blumkin was born into a Jewish sho"
    )
    slutsky = parsed.links[18]
    assert (
        slutsky.gloss_span is not None and text[slutsky.gloss_span.end - 3 : slutsky.gloss_span.end] == "..."
    )


def test_seed_body_text(seed: tuple[str, Parsed]) -> None:
    _, parsed = seed
    body = parsed.sections[0]
    assert (body.section_no, body.level, body.heading, body.parent_no) == (0, 1, None, None)
    assert (
        "was the acting head of the Soviet foreign intelligence service and then part of the NKVD, "
        "from February to June 1938." in body.text
    )
    for gloss_words in (
        "transcontinental country",
        "Early life",
        "ethnoreligious",
        "Plevitskay ...",
        "TULIP",
    ):
        assert gloss_words not in body.text
    assert "Roland Abbiate. He successfully recruited the double agent Nikolai Skoblin" in body.text
    assert (
        "born into the family of a Jewish bookkeeper in Mosty, in present-day Hrodna Voblast, Belarus."
        in body.text
    )
    assert body.text.startswith(
        "Sergey Mikhailovich Spigelglas or Spiegelglass or Shpigelglas (29 April 1897"
    )
    assert "the ''liternoye''" not in body.text and "the liternoye (top secret)" in body.text
    assert body.text.count("\n\n") == 5
    assert "June 1938.\n\nSpigelglas was born" in body.text


def test_seed_end_matter(seed: tuple[str, Parsed]) -> None:
    text, parsed = seed
    assert [(s.heading, s.level, s.parent_no) for s in parsed.sections[1:]] == [
        ("Further reading", 2, 0),
        ("References", 2, 0),
    ]
    assert [b.raw for b in parsed.bibliography] == [
        "John Costello and Oleg Tsarev, ''Deadly Illusions'', Crown, 1993",
        "Walter Krivitsky, ''In Stalin's Secret Service'', Enigma Books, 2000",
        "Alexander Orlov, ''The March of Time'', St. Ermins Press, 2004.",
        "Pavel Sudoplatov, ''Special Tasks'', Little, Brown and Company, 1994.",
    ]
    krivitsky = parsed.bibliography[1]
    assert text[krivitsky.span.start] == "*" and text[krivitsky.span.end - 4 : krivitsky.span.end] == "2000"
    assert (krivitsky.authors, krivitsky.title, krivitsky.publisher, krivitsky.year) == (
        ("Walter Krivitsky",), "In Stalin's Secret Service", "Enigma Books", 2000,
    )  # fmt: skip
    assert parsed.sort_key == "Spigelglas, Sergey"
    assert [(d.text, d.rule) for d in parsed.dropped if d.rule == "defaultsort-markup"] == [
        ("{{DEFAULTSORT:", "defaultsort-markup")
    ]
    cats = parsed.categories
    assert len(cats) == 14
    assert (cats[0].category, cats[0].kind, cats[0].year) == ("1897 births", "births", 1897)
    assert (cats[1].category, cats[1].kind, cats[1].year) == ("1941 deaths", "deaths", 1941)
    assert cats[-1].category == "Majors of State Security" and all(c.kind == "other" for c in cats[2:])
    references = parsed.sections[2]
    assert references.text == "" and references.span == references.heading_span


def test_seed_warnings(seed: tuple[str, Parsed]) -> None:
    _, parsed = seed
    assert [w.code for w in parsed.warnings] == ["gloss-end-uncertain"]
    assert parsed.warnings[0].span == parsed.links[16].gloss_span


def test_seed_crlf_gives_the_same_records() -> None:
    text = SEED.read_text(encoding="utf-8")
    crlf = text.replace("\n", "\r\n")
    a, b = parse(text), check_invariants(crlf)
    assert [(lk.anchor, lk.gloss, lk.kind) for lk in a.links] == [
        (lk.anchor, lk.gloss, lk.kind) for lk in b.links
    ]
    assert [s.text for s in a.sections] == [s.text for s in b.sections]
    assert [e.raw for e in a.bibliography] == [e.raw for e in b.bibliography]
    assert [c.category for c in a.categories] == [c.category for c in b.categories]
    assert "\r" not in "".join(lk.gloss or "" for lk in b.links)


def test_seed_without_defaultsort_keeps_its_categories() -> None:
    text = SEED.read_text(encoding="utf-8").replace("{{DEFAULTSORT:Spigelglas, Sergey\n", "")
    parsed = check_invariants(text)
    assert parsed.sort_key is None
    assert len(parsed.categories) == 14 and parsed.categories[0].category == "1897 births"


def test_seed_parses_fast(seed: tuple[str, Parsed]) -> None:
    text = seed[0]  # ≈ 10 KB
    parse(text)
    runs = 20
    start = time.perf_counter()
    for _ in range(runs):
        parse(text)
    per_doc = (time.perf_counter() - start) / runs
    assert per_doc < 0.025, f"{per_doc * 1000:.1f} ms per 10 KB document"


# ---------------------------------------------------------------- invented variations

CASES: list[dict[str, Any]] = [
    {
        "id": "anchor-without-gloss",
        "text": "He joined the\nCheka\n, the secret police, in 1918.\n",
        "anchors": ["Cheka"],
        "glosses": [None],
        "body": "He joined the Cheka, the secret police, in 1918.",
    },
    {
        "id": "ellipsis-on-its-own-line",
        "text": "He reported to\nAbram Slutsky\n"
        "Abram Aronovich Slutsky (1898 – 1938) was a Soviet intelligence officer.\n...\n. He was promoted.\n",
        "anchors": ["Abram Slutsky"],
        "glosses": ["Abram Aronovich Slutsky (1898 – 1938) was a Soviet intelligence officer."],
        "truncated": [True],
        "body": "He reported to Abram Slutsky. He was promoted.",
    },
    {
        "id": "multi-line-gloss-with-heading",
        "text": "He met\nIvan Petrov\n"
        "Ivan Ivanovich Petrov (1 May 1900 – 2 June 1950) was a Soviet diplomat.\n"
        "Early life\nPetrov was born in Tula and stud ...\nin Berlin in 1931.\n",
        "anchors": ["Ivan Petrov"],
        "glosses": [
            "Ivan Ivanovich Petrov (1 May 1900 – 2 June 1950) was a Soviet diplomat. "
            "Early life Petrov was born in Tula and stud"
        ],
        "body": "He met Ivan Petrov in Berlin in 1931.",
    },
    {
        "id": "gloss-cut-mid-sentence",
        "text": "She ran the agents\nAnna Kowalska\n"
        "Anna Kowalska (3 March 1910 – 1 May 1985) was a courier and an NKVD agent (codenames LARK and\n"
        "Piotr Nowak. They worked in Warsaw for years.\n",
        "anchors": ["Anna Kowalska"],
        "glosses": [
            "Anna Kowalska (3 March 1910 – 1 May 1985) was a courier and an NKVD agent (codenames LARK and"
        ],
        "truncated": [True],
        "body": "She ran the agents Anna Kowalska Piotr Nowak. They worked in Warsaw for years.",
        "warnings": ["gloss-end-uncertain"],
    },
    {
        "id": "complete-gloss-without-terminator",
        "text": "He lived in\nTula\nTula is a city in Russia.\n, south of Moscow.\n",
        "anchors": ["Tula"],
        "glosses": ["Tula is a city in Russia."],
        "truncated": [False],
        "body": "He lived in Tula, south of Moscow.",
        "warnings": [],
    },
    {
        "id": "two-anchors-in-a-row",
        "text": "He served in the\nRed Army\n"
        "The Red Army was the army and air force of the Russian SFSR ...\n"
        "General Staff\nThe General Staff is the main military command body ...\nuntil 1935.\n",
        "anchors": ["Red Army", "General Staff"],
        "glosses": [
            "The Red Army was the army and air force of the Russian SFSR",
            "The General Staff is the main military command body",
        ],
        "body": "He served in the Red Army General Staff until 1935.",
    },
    {
        "id": "anchor-at-the-very-start",
        "text": "Moscow\nMoscow is the capital and largest city of Russia ...\nwas where he studied law.\n",
        "anchors": ["Moscow"],
        "body": "Moscow was where he studied law.",
    },
    {
        "id": "no-end-matter",
        "text": "He was born in\nKyiv\nKyiv is the capital and most populous city of Ukraine ...\n"
        "in 1901. He died in 1960.",
        "anchors": ["Kyiv"],
        "body": "He was born in Kyiv in 1901. He died in 1960.",
        "headings": [],
        "categories": [],
        "sort_key": None,
    },
    {
        "id": "closed-defaultsort",
        "text": "He was a spy.\nReferences\n{{DEFAULTSORT:Doe, John}}\n"
        "1901 births\n1960 deaths\nSoviet spies\n",
        "headings": ["References"],
        "sort_key": "Doe, John",
        "categories": [
            ("1901 births", "births", 1901),
            ("1960 deaths", "deaths", 1960),
            ("Soviet spies", "other", None),
        ],
        "dropped": [("{{DEFAULTSORT:", "defaultsort-markup"), ("}}", "defaultsort-markup")],
    },
    {
        "id": "categories-without-defaultsort",
        "text": "He was a spy.\nReferences\n1901 births\n1960 deaths\nPeople from Tula\n",
        "headings": ["References"],
        "sort_key": None,
        "categories": [
            ("1901 births", "births", 1901),
            ("1960 deaths", "deaths", 1960),
            ("People from Tula", "other", None),
        ],
        "section_texts": ["He was a spy.", ""],
    },
    {
        "id": "categories-without-any-heading-need-births-or-deaths",
        "text": "He was a spy.\n1901 births\nSoviet spies\n",
        "categories": [("1901 births", "births", 1901), ("Soviet spies", "other", None)],
        "body": "He was a spy.",
    },
    {
        "id": "short-last-line-without-heading-is-body",
        "text": "He was a spy.\nSoviet spies\n",
        "categories": [],
        "body": "He was a spy.\n\nSoviet spies",
    },
    {
        "id": "bibliography-entry-with-linked-author",
        "text": "He wrote memoirs.\nFurther reading\n*Smith, John. ''Red Spies''. London: Penguin, 1999.\n*\n"
        "Anna Kowalska\nAnna Kowalska (1910 – 1985) was a Polish historian ...\n"
        ", ''Moscow Nights'', Verso, 2005\n",
        "anchors": ["Anna Kowalska"],
        "kinds": ["bibliography"],
        "bib": [
            (
                "Smith, John. ''Red Spies''. London: Penguin, 1999.",
                ("Smith, John",),
                "Red Spies",
                "London: Penguin",
                1999,
            ),
            (
                "Anna Kowalska, ''Moscow Nights'', Verso, 2005",
                ("Anna Kowalska",),
                "Moscow Nights",
                "Verso",
                2005,
            ),
        ],
        "section_texts": [
            "He wrote memoirs.",
            "Smith, John. Red Spies. London: Penguin, 1999.\nAnna Kowalska, Moscow Nights, Verso, 2005",
        ],
    },
    {
        "id": "linked-publisher-inside-entry",
        "text": "Text.\nSources\n*Doe, Jane. ''Moles''. London:\nFaber and Faber\n"
        "Faber and Faber Limited is an independent publishing house in London ...\n, 1987.\n",
        "anchors": ["Faber and Faber"],
        "kinds": ["bibliography"],
        "bib": [
            (
                "Doe, Jane. ''Moles''. London: Faber and Faber, 1987.",
                ("Doe, Jane",),
                "Moles",
                "London: Faber and Faber",
                1987,
            )
        ],
    },
    {
        "id": "gloss-in-cyrillic",
        "text": "Он работал в\nМосква\n"
        "Москва́ — столица и крупнейший по численности населения город России ...\n"
        "до 1938 года.\n",
        "anchors": ["Москва"],
        "glosses": ["Москва́ — столица и крупнейший по численности населения город России"],
        "body": "Он работал в Москва до 1938 года.",
    },
    {
        "id": "gloss-in-georgian-and-caseless-script",
        "text": "He was born in\nTbilisi\nთბილისი საქართველოს დედაქალაქია ...\nand studied in\n東京\n"
        "東京都（とうきょうと）は、日本の首都 ...\nin 1920.\n",
        "anchors": ["Tbilisi", "東京"],
        "glosses": ["თბილისი საქართველოს დედაქალაქია", "東京都（とうきょうと）は、日本の首都"],
        "body": "He was born in Tbilisi and studied in 東京 in 1920.",
    },
    {
        "id": "unicode-ellipsis-terminator",
        "text": "He fled to\nParis\nParis is the capital of France…\nin 1937.\n",
        "glosses": ["Paris is the capital of France"],
        "truncated": [True],
        "body": "He fled to Paris in 1937.",
    },
    {
        "id": "orphan-ellipsis",
        "text": "He fled.\n...\nHe returned in 1940.\n",
        "anchors": [],
        "body": "He fled. He returned in 1940.",
        "dropped": [("...", "orphan-ellipsis")],
    },
    {
        "id": "empty-bullet",
        "text": "He wrote books.\nFurther reading\n*\n*Doe, Jane. ''Spies''. Penguin, 2001.\n",
        "bib": [("Doe, Jane. ''Spies''. Penguin, 2001.", ("Doe, Jane",), "Spies", "Penguin", 2001)],
        "dropped": [
            ("*", "empty-bullet"),
            ("*", "list-bullet"),
            ("''", "wiki-italics"),
            ("''", "wiki-italics"),
        ],
    },
    {
        "id": "end-matter-word-used-as-anchor",
        "text": "He studied Russian\nLiterature\n"
        "Literature is any collection of written work ...\nat university.\n",
        "anchors": ["Literature"],
        "headings": [],
        "body": "He studied Russian Literature at university.",
    },
    {
        "id": "end-matter-word-inside-a-sentence-is-not-a-heading",
        "text": "He kept\nNotes\n, a diary, for years.\n",
        "anchors": ["Notes"],
        "glosses": [None],
        "headings": [],
        "body": "He kept Notes, a diary, for years.",
    },
    {
        "id": "preview-less-link-at-line-start-stays-text",
        "text": "He was born in\nPinsk, then part of the\nMinsk Governorate,\nRussia\n"
        "Russia is a country spanning Eastern Europe and North Asia ...\n. He moved away.\n",
        "anchors": ["Russia"],
        "body": "He was born in Pinsk, then part of the Minsk Governorate, Russia. He moved away.",
    },
    {
        "id": "paragraph-break-between-text-lines",
        "text": "He retired in 1950.\nIn 1955 he died.\n",
        "body": "He retired in 1950.\n\nIn 1955 he died.",
    },
    {
        "id": "see-also-links",
        "text": "He was a spy.\nSee also\nIvan Petrov\nIvan Petrov (1900 – 1950) was a Soviet diplomat ...\n"
        "Anna Kowalska\nAnna Kowalska (1910 – 1985) was a courier ...\n",
        "anchors": ["Ivan Petrov", "Anna Kowalska"],
        "kinds": ["see_also", "see_also"],
        "headings": ["See also"],
        "section_texts": ["He was a spy.", "Ivan Petrov\nAnna Kowalska"],
        "bib": [],
    },
    {
        "id": "century-and-decade-categories",
        "text": "He was a monk.\nReferences\n{{DEFAULTSORT:Monk, A}}\n4th-century BC births\n1890s births\n"
        "350 deaths\nMonks\n",
        "categories": [
            ("4th-century BC births", "births", None),
            ("1890s births", "births", None),
            ("350 deaths", "deaths", 350),
            ("Monks", "other", None),
        ],
        "sort_key": "Monk, A",
    },
    {
        "id": "template-debris-and-empty-parentheses",
        "text": "{{Use dmy dates}}\nIvan Petrov () (1900 – 1950) was a ''Soviet'' spy.\n",
        "body": "Ivan Petrov (1900 – 1950) was a Soviet spy.",
        "dropped": [
            ("{{Use dmy dates}}", "template-markup"),
            (" ()", "empty-parentheses"),
            ("''", "wiki-italics"),
            ("''", "wiki-italics"),
        ],
    },
    {
        "id": "blank-lines-and-indentation",
        "text": "  He joined the  \n\n  Cheka  \n"
        "  The Cheka was the first Soviet secret police ...  \n\n, in 1918.\n\n",
        "anchors": ["Cheka"],
        "body": "He joined the Cheka, in 1918.",
    },
    {
        "id": "body-heading-whose-prose-runs-into-a-link",
        "text": "He was born in 1900.\nCareer\nIn 1930 he joined the\nCheka\nThe Cheka was a secret police ...\n.\n",
        "body": "He was born in 1900.",
        "sections": [("Career", 2, 0, "In 1930 he joined the Cheka.")],
    },
    {
        "id": "short-line-starting-the-text-is-not-a-heading",
        "text": "Anna Ivanova was a\nSoviet ethnographer.\n",
        "body": "Anna Ivanova was a Soviet ethnographer.",
    },
    {
        "id": "works-list-is-not-categories",
        "text": "He wrote.\nWorks\nThe Red Road\nMoscow Nights\n",
        "categories": [],
        "bib": [
            ("The Red Road", (), "The Red Road", None, None),
            ("Moscow Nights", (), "Moscow Nights", None, None),
        ],
    },
    {
        "id": "abbreviation-ending-anchor",
        "text": "He moved to\nWashington, D.C.\n"
        "Washington, D.C., formally the District of Columbia, is the capital of the United States ...\n"
        "in 1950.\n",
        "anchors": ["Washington, D.C."],
        "body": "He moved to Washington, D.C. in 1950.",
    },
    {"id": "empty-document", "text": "", "anchors": [], "body": "", "headings": []},
    # ------------------------------------------- body headings vs anchors, in-gloss headings, nav boxes
    {
        "id": "body-headings-become-sections",
        "text": "Mara Delcheva (1890 – 1961) was a weaver.\nEarly years\nShe was born in Gabrovo.\n"
        "Looms and guilds\nIn 1920 she opened a workshop. It closed in 1944.\nReferences\n",
        "body": "Mara Delcheva (1890 – 1961) was a weaver.",
        "sections": [
            ("Early years", 2, 0, "She was born in Gabrovo."),
            ("Looms and guilds", 2, 0, "In 1920 she opened a workshop. It closed in 1944."),
            ("References", 2, 0, ""),
        ],
    },
    {
        "id": "anchor-opening-a-sentence-is-not-a-heading",
        "text": "He left school in 1917.\nCheka\n"
        "The All-Russian Extraordinary Commission was the first Soviet secret police.\n"
        "recruited him a year later.\n",
        "anchors": ["Cheka"],
        "glosses": ["The All-Russian Extraordinary Commission was the first Soviet secret police."],
        "headings": [],
        "body": "He left school in 1917. Cheka recruited him a year later.",
        "warnings": [],
    },
    {
        "id": "heading-sharing-a-word-with-its-prose-is-not-an-anchor",
        "text": "He retired in 1950.\nLater years\nIn his last years he was a beekeeper.\nHe died in 1960.\n",
        "anchors": [],
        "headings": ["Later years"],
        "section_texts": ["He retired in 1950.", "In his last years he was a beekeeper.\n\nHe died in 1960."],
    },
    {
        "id": "heading-inside-an-unterminated-gloss",
        "text": "He met\nIvan Petrov\nIvan Petrov (1900 – 1950) was a Soviet diplomat.\nEarly life\n"
        "Petrov was born in Tula and studied law\nin Berlin in 1931.\n",
        "anchors": ["Ivan Petrov"],
        "glosses": [
            "Ivan Petrov (1900 – 1950) was a Soviet diplomat. Early life Petrov was born in Tula and studied law"
        ],
        "headings": [],
        "body": "He met Ivan Petrov in Berlin in 1931.",
    },
    {
        "id": "heading-inside-a-terminated-gloss",
        "text": "He met\nIvan Petrov\nIvan Petrov (1900 – 1950) was a Soviet diplomat.\nEarly life\n"
        "Petrov was born in Tula and stu ...\nin Berlin.\nLater life\nHe died in Tula.\n",
        "anchors": ["Ivan Petrov"],
        "sections": [("Later life", 2, 0, "He died in Tula.")],
        "body": "He met Ivan Petrov in Berlin.",
    },
    {
        "id": "navigation-box-is-not-a-heading",
        "text": "He died in 1950.\nSoviet diplomats\nIvan Petrov\nAnna Kowalska\nPiotr Nowak\n"
        "References\n",
        "headings": ["References"],
    },
    {
        "id": "navigation-box-before-prose-is-not-a-heading",
        "text": "He died in 1950.\nPeople of Tula\nIvan Petrov\nAnna Kowalska\nHe is buried in Tula.\n",
        "headings": [],
    },
    {
        "id": "date-line-is-not-a-heading",
        "text": "He fled in 1937.\nJune 1938\nHe returned to Kyiv.\n",
        "headings": [],
    },
    {
        "id": "line-with-a-comma-is-not-a-heading",
        "text": "He fled in 1937.\nParis, France\nHe returned to Kyiv.\n",
        "headings": [],
    },
    {
        "id": "short-line-before-a-preview-less-link-is-not-a-heading",
        "text": "He left in 1919.\nFollowing the\n1921 famine, he moved to Kazan.\n",
        "headings": [],
        "body": "He left in 1919.\n\nFollowing the 1921 famine, he moved to Kazan.",
    },
    {
        "id": "short-line-mid-sentence-is-not-a-heading",
        "text": "He joined the\nRed Guards\nIn 1917 they took the city.\n",
        "headings": [],
    },
    # ------------------------------------------- glosses the sentence resumes after
    {
        "id": "terminated-gloss-then-new-sentence",
        "text": "She married\nIvo Marinov\nIvo Marinov (c. 1870 – 1931) was a Bulgarian painter and ...\n"
        ". She was his pupil.\n",
        "anchors": ["Ivo Marinov"],
        "glosses": ["Ivo Marinov (c. 1870 – 1931) was a Bulgarian painter and"],
        "body": "She married Ivo Marinov. She was his pupil.",
    },
    {
        "id": "unterminated-gloss-then-comma",
        "text": "Prior to the\nFirst Balkan War\n"
        "The First Balkan War was fought from October 1912 to May 1913 by the Balkan League\n"
        ", he won two medals.\n",
        "anchors": ["First Balkan War"],
        "truncated": [True],
        "body": "Prior to the First Balkan War, he won two medals.",
        "warnings": [],
    },
    {
        "id": "unterminated-gloss-then-lowercase",
        "text": "He worked at a mill in\nPernik\nPernik is a city in western Bulgaria\nnear Sofia after the war.\n",
        "anchors": ["Pernik"],
        "glosses": ["Pernik is a city in western Bulgaria"],
        "body": "He worked at a mill in Pernik near Sofia after the war.",
        "warnings": [],
    },
]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_variation(case: dict[str, Any]) -> None:
    text: str = case["text"]
    parsed = check_invariants(text)
    if "anchors" in case:
        assert [lk.anchor for lk in parsed.links] == case["anchors"]
    if "glosses" in case:
        assert [lk.gloss for lk in parsed.links] == case["glosses"]
    if "truncated" in case:
        assert [lk.gloss_truncated for lk in parsed.links] == case["truncated"]
    if "kinds" in case:
        assert [lk.kind for lk in parsed.links] == case["kinds"]
    if "body" in case:
        assert parsed.sections[0].text == case["body"]
    if "headings" in case:
        assert [s.heading for s in parsed.sections[1:]] == case["headings"]
    if "section_texts" in case:
        assert [s.text for s in parsed.sections] == case["section_texts"]
    if "categories" in case:
        assert [(c.category, c.kind, c.year) for c in parsed.categories] == case["categories"]
    if "sort_key" in case:
        assert parsed.sort_key == case["sort_key"]
    if "bib" in case:
        assert [(b.raw, b.authors, b.title, b.publisher, b.year) for b in parsed.bibliography] == case["bib"]
    if "dropped" in case:
        assert [(d.text, d.rule) for d in parsed.dropped] == case["dropped"]
    if "warnings" in case:
        assert [w.code for w in parsed.warnings] == case["warnings"]
    if "sections" in case:
        assert [(s.heading, s.level, s.parent_no, s.text) for s in parsed.sections[1:]] == case["sections"]


VARIATIONS = Path(__file__).resolve().parent / "cases" / "variations"


@pytest.mark.parametrize(
    ("name", "sections", "anchors"),
    [
        (
            "v18_fragment_body_headings.txt",
            ["Childhood and schooling", "Studio in Plovdiv", "Later years", "References"],
            ["Plovdiv", "Rhodope Mountains", "American Board", "Kiril Stoev"],
        ),
        (
            "v19_fragment_unterminated_glosses.txt",
            ["Athletic career", "Coaching"],
            ["1912 Summer Olympics", "Balaton Cup", "Kaposvár", "Ferencváros"],
        ),
    ],
)
def test_variation_file_sections(name: str, sections: list[str], anchors: list[str]) -> None:
    """Body headings become level-2 sections under the lead; glossed anchors are not headings."""
    text = (VARIATIONS / name).read_text(encoding="utf-8")
    parsed = check_invariants(text)
    assert [(s.heading, s.level, s.parent_no) for s in parsed.sections[1:]] == [(h, 2, 0) for h in sections]
    assert [lk.anchor for lk in parsed.links if lk.gloss] == anchors
    by_heading = {s.heading: s.text for s in parsed.sections}
    for heading in sections:
        assert heading not in parsed.sections[0].text
    for gloss_words in ("History", "Williams College", "Somogy County", "ninth district"):
        assert not [t for t in by_heading.values() if gloss_words in t]
    assert not [w.code for w in parsed.warnings]


def test_v18_navigation_box_stays_text() -> None:
    parsed = parse((VARIATIONS / "v18_fragment_body_headings.txt").read_text(encoding="utf-8"))
    later = next(s for s in parsed.sections if s.heading == "Later years")
    assert later.text.endswith("Ivanka Gerova\n\nPetar Dzhurov\n\nRadka Mincheva")


def test_gloss_span_covers_the_dots() -> None:
    text = "He met\nIvan Petrov\nIvan Petrov (1900 – 1950) was a Soviet diplomat ...\n, later.\n"
    link = parse(text).links[0]
    assert link.gloss_span is not None
    assert text[link.gloss_span.start : link.gloss_span.end].endswith("diplomat ...")
    assert link.gloss == "Ivan Petrov (1900 – 1950) was a Soviet diplomat"


def test_long_gloss_run_without_terminator_is_not_swallowed() -> None:
    """A cut gloss is its first line: the body after it is not eaten up to the next '...'."""
    filler = "and then he went on to do many other things in many other places " * 3
    text = (
        "He ran\nAnna Kowalska\nAnna Kowalska (1910 – 1985) was a courier and\n"
        f"Piotr Nowak. {filler}with\nOttawa\nOttawa is the capital city of Canada ...\n.\n"
    )
    parsed = check_invariants(text)
    assert [lk.anchor for lk in parsed.links] == ["Anna Kowalska", "Ottawa"]
    assert "Piotr Nowak." in parsed.sections[0].text


# ---------------------------------------------------------------- properties

_LINE_POOL = [
    "He joined the",
    "Cheka",
    "The All-Russian Extraordinary Commission (Cheka) was a secret police ...",
    "Early life",
    "Blumkin was born in Odessa ...",
    "...",
    "…",
    ", where he worked.",
    ". He left.",
    "In 1930 he moved to Paris.",
    "Further reading",
    "See also",
    "References",
    "*",
    "*Doe, Jane. ''Spies''. Penguin, 2001.",
    "#Smith, ''Moles'', 1999",
    "{{DEFAULTSORT:Doe, Jane",
    "{{DEFAULTSORT:Doe, Jane}}",
    "{{Authority control}}",
    "{{",
    "1897 births",
    "4th-century BC deaths",
    "Soviet spies",
    "Ivan () Petrov (1900 – 1950) was a ''Soviet'' spy.",
    "Москва́ — столица России ...",
    "(",
    ")",
    "''",
    "   ",
    "",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_LINE_POOL), max_size=25),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_any_line_mix_parses_with_full_coverage(lines: list[str], newline: str) -> None:
    check_invariants(newline.join(lines))
