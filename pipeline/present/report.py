"""Pure: a run's view (``pipeline.output.view.OutputView``) → one self-contained HTML page of charts (inline SVG).

The page is built from aggregates only (counts, top-N lists), so a run of
100,000 documents draws the same few dozen SVG shapes as a run of three; rows
per table and the columns with empty cells come from the view's profiles, every
other count from its tallies, the mean coverage and the lowest-coverage list
from the view as it is. A list cut at its bound says how much it left out.
Every piece of text that comes from the data
(titles, file names, reason codes) is HTML-escaped; a Content-Security-Policy
forbids scripts and every fetch, so the page opens offline and a missed escape
could still run nothing.

Sections, in page order:
  1. Overview: headline numbers and rows per table.
  2. Documents by layout and status; rejections by reason code.
  3. Field completeness: persons' dates by precision, places by detail, other fields; columns per table.
  4. Timeline of births and deaths.
  5. Top reasons: quarantine, drops, warnings.
  6. Documents with the lowest coverage.

The page holds nothing run-specific (no run id, time or output folder: they are
in manifest.json), so the same inputs render the same bytes.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from itertools import accumulate
from typing import Any

from pipeline.output.view import CoveredDocument, OutputView, TableProfile, Tally

TOP_REASONS = 10
MAX_TIMELINE_BINS = 48
LABEL_CHARS = 38

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
BLUE, SKY, ORANGE, GREEN, VERMILLION, PINK, GREY = (
    "#0072B2", "#56B4E9", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#BBBBBB",
)  # fmt: skip
STATUS_COLOURS = {"parsed": GREEN, "parsed_with_warnings": ORANGE, "rejected": VERMILLION}
PRECISION_COLOURS = {"day": BLUE, "month": SKY, "year": "#A8D5F2", "missing": "#E4E4E4"}
PLACE_COLOURS = {"3+ parts": BLUE, "2 parts": SKY, "1 part": "#A8D5F2", "missing": "#E4E4E4"}
PRESENT_COLOURS = {"present": BLUE, "missing": "#E4E4E4"}
BIN_WIDTHS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)

CSS = """
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: #1d1d1f; background: #f6f7f9; margin: 0; }
main { max-width: 1080px; margin: 0 auto; padding: 24px 28px 48px; }
header h1 { font-size: 26px; margin: 8px 0 2px; }
header p { margin: 0; color: #555; }
section { background: #fff; border: 1px solid #e3e5e8; border-radius: 10px; padding: 14px 22px 18px;
          margin: 18px 0; }
h2 { font-size: 19px; margin: 4px 0 10px; }
h3 { font-size: 15px; margin: 16px 0 6px; color: #333; }
p.note, p.empty { color: #666; margin: 4px 0 8px; font-size: 13.5px; }
p.empty { font-style: italic; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 6px 0 4px; }
.card { flex: 1 1 100px; border: 1px solid #e3e5e8; border-radius: 8px; padding: 8px 12px; background: #fbfbfc; }
.card b { display: block; font-size: 24px; font-variant-numeric: tabular-nums; }
.card span { color: #555; font-size: 13px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(310px, 1fr)); gap: 4px 28px; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eceef1; vertical-align: top; }
th { color: #444; font-weight: 600; background: #f8f9fa; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.bar { width: 34%; }
td.title { min-width: 200px; }
td.src code { white-space: nowrap; }
.meter { display: inline-block; height: 10px; border-radius: 2px; background: #0072B2; vertical-align: middle; }
.track { display: inline-block; width: 100%; background: #eef0f3; border-radius: 2px; line-height: 0; }
code { font-size: 12.5px; background: #f1f2f4; padding: 0 3px; border-radius: 3px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 13px; color: #333; margin: 2px 0 6px; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 5px;
          vertical-align: -1px; }
svg text { font-family: inherit; }
.chip { display: inline-block; margin: 2px 6px 2px 0; padding: 2px 7px 3px; border: 1px solid #e3e5e8;
        border-radius: 6px; background: #fbfbfc; font-size: 12.5px; min-width: 120px; }
.chip .track { display: block; margin-top: 2px; }
.chip .meter { height: 4px; }
.chip.full { color: #666; }
footer { color: #777; font-size: 12.5px; text-align: center; }
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


# ---------------------------------------------------------------- small helpers


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _text(value: Any) -> str:
    """A cell as display text; null is empty."""
    return "" if value is None else str(value)


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _n(value: int | float) -> str:
    return f"{int(value):,}"


def _pct(part: int | float, whole: int | float) -> str:
    if not whole:
        return "–"
    share = 100 * part / whole
    return f"{share:.0f}%" if share >= 10 or share == 0 else f"{share:.1f}%"


def _largest_first(tally: Tally, missing: str | None = None) -> list[tuple[str, int]]:
    """(key, count) pairs, the key's parts joined ``a / b``, largest first, ties by key; a null part
    reads ``missing`` (with ``None``, keys with a null part are left out)."""
    pairs = ((" / ".join(key), n) for key, n in tally.as_text(missing).items())
    return sorted(pairs, key=lambda kv: (-kv[1], kv[0]))


def _more(rows: Sequence[tuple[str, int]], shown: int) -> str:
    """The note under a list cut at ``shown`` rows: how many rows it left out and their sum."""
    if len(rows) <= shown:
        return ""
    rest = sum(c for _, c in rows[shown:])
    return f'<p class="note">and {_n(len(rows) - shown)} more, {_n(rest)} in all.</p>'


def _legend(colours: dict[str, str], labels: dict[str, str] | None = None) -> str:
    items = "".join(
        f'<span><span class="swatch" style="background:{c}"></span>{_e((labels or {}).get(k, k))}</span>'
        for k, c in colours.items()
    )
    return f'<div class="legend">{items}</div>'


def _empty(text: str) -> str:
    return f'<p class="empty">{_e(text)}</p>'


def _meter(value: float, of: float, colour: str = BLUE) -> str:
    width = 0.0 if not of else max(0.0, min(1.0, value / of)) * 100
    return (
        f'<span class="track"><span class="meter" style="width:{width:.1f}%;background:{colour}">'
        "</span></span>"
    )


# ---------------------------------------------------------------- SVG charts


def svg_bars(rows: Sequence[tuple[str, int]], label: str, colour: str = BLUE) -> str:
    """Horizontal bars, one per (label, count), each with its label on the left and its count on the right."""
    if not rows:
        return ""
    bar_h, gap, left, right, width = 20, 6, 270, 70, 760
    top = 4
    height = top + len(rows) * (bar_h + gap)
    biggest = max(c for _, c in rows) or 1
    span = width - left - right
    parts = []
    for i, (name, count) in enumerate(rows):
        y = top + i * (bar_h + gap)
        w = max(1.0, span * count / biggest) if count else 0.0
        parts.append(
            f"<g><title>{_e(name)}: {_n(count)}</title>"
            f'<text x="{left - 8}" y="{y + bar_h - 5}" text-anchor="end" font-size="13" fill="#222">'
            f"{_e(_short(name))}</text>"
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="2" fill="{colour}"/>'
            f'<text x="{left + w + 6:.1f}" y="{y + bar_h - 5}" font-size="13" fill="#222">{_n(count)}</text></g>'
        )
    return (
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{_e(label)}" '
        f'xmlns="http://www.w3.org/2000/svg" style="max-width:{width}px">{"".join(parts)}</svg>'
    )


def svg_stacked(
    rows: Sequence[tuple[str, dict[str, int]]], colours: dict[str, str], label: str, absolute: bool = False
) -> str:
    """Horizontal stacked bars: one per row label, segments in ``colours`` order, total on the right.

    Each bar fills the width (shares) unless ``absolute``, where bar lengths compare the rows' totals.
    """
    if not rows:
        return ""
    bar_h, gap, left, right, width = 24, 8, 200, 80, 760
    top = 4
    height = top + len(rows) * (bar_h + gap)
    span = width - left - right
    biggest = max((sum(segments.values()) for _, segments in rows), default=0) or 1
    parts = []
    for i, (name, segments) in enumerate(rows):
        y = top + i * (bar_h + gap)
        total = sum(segments.values())
        length = span * total / biggest if absolute else span
        parts.append(
            f'<text x="{left - 8}" y="{y + bar_h - 7}" text-anchor="end" font-size="13" fill="#222">'
            f"<title>{_e(name)}</title>{_e(_short(name, 26))}</text>"
        )
        x = float(left)
        for key, colour in colours.items():
            count = segments.get(key, 0)
            if not count or not total:
                continue
            w = length * count / total
            dark = colour in (BLUE, GREEN, VERMILLION)
            text = ""
            inside = f"{_n(count)}" if w < 70 else f"{_e(key)} {_n(count)}"
            if w >= 8 * len(inside) + 6:
                text = (
                    f'<text x="{x + w / 2:.1f}" y="{y + bar_h - 7}" text-anchor="middle" font-size="12" '
                    f'fill="{"#fff" if dark else "#1d1d1f"}">{inside}</text>'
                )
            parts.append(
                f"<g><title>{_e(name)} — {_e(key)}: {_n(count)} of {_n(total)} ({_pct(count, total)})</title>"
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}" '
                f'stroke="#fff" stroke-width="1"/>{text}</g>'
            )
            x += w
        parts.append(
            f'<text x="{left + length + 8:.1f}" y="{y + bar_h - 7}" font-size="13" fill="#444">{_n(total)}</text>'
        )
    return (
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{_e(label)}" '
        f'xmlns="http://www.w3.org/2000/svg" style="max-width:{width}px">{"".join(parts)}</svg>'
    )


def bin_width(first: int, last: int, max_bins: int = MAX_TIMELINE_BINS) -> int:
    """The smallest round bin width (1, 2, 5, 10, … years) that covers first..last in at most ``max_bins`` bins."""
    for width in BIN_WIDTHS:
        if last // width - first // width + 1 <= max_bins:
            return width
    return int(10 ** math.ceil(math.log10(max(1, last - first + 1) / max_bins)))


def _bin_label(start: int, width: int) -> str:
    era = "" if start >= 0 else " BCE"
    year = abs(start)
    if width == 10 and start >= 0:
        return f"{year}s"
    return f"{year}{era}"


def svg_timeline(births: Mapping[int, int], deaths: Mapping[int, int]) -> str:
    """Births above the axis, deaths below it, counted per round bin of years, with the bins labelled.

    ``births`` and ``deaths`` map a year to the persons born (or dead) in it."""
    years = [year for year, n in (*births.items(), *deaths.items()) if n]
    if not years:
        return ""
    first, last = min(years), max(years)
    width_years = bin_width(first, last)
    lo = (first // width_years) * width_years
    n_bins = (last // width_years) - (first // width_years) + 1

    def binned(per_year: Mapping[int, int]) -> list[int]:
        counts = [0] * n_bins
        for year, n in per_year.items():
            counts[(year // width_years) - (first // width_years)] += n
        return counts

    up, down = binned(births), binned(deaths)
    peak = max(max(up), max(down), 1)
    width, left, right = 1000, 56, 16
    half, top, axis_gap = 120, 22, 26
    mid = top + half
    height = top + 2 * half + axis_gap + 28
    step = (width - left - right) / n_bins
    bar = max(1.0, step * 0.82)
    parts = [
        f'<text x="{left}" y="14" font-size="13" fill="{BLUE}">▲ births</text>',
        f'<text x="{left}" y="{height - 6}" font-size="13" fill="{VERMILLION}">▼ deaths</text>',
        f'<text x="{left - 8}" y="{top + 10}" text-anchor="end" font-size="11" fill="#666">{_n(peak)}</text>',
        f'<text x="{left - 8}" y="{mid + axis_gap + half}" text-anchor="end" font-size="11" '
        f'fill="#666">{_n(peak)}</text>',
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{mid}" stroke="#ccc"/>',
        f'<line x1="{left}" x2="{left}" y1="{mid + axis_gap}" y2="{mid + axis_gap + half}" stroke="#ccc"/>',
    ]
    label_every = max(1, math.ceil(n_bins / 12))
    for i in range(n_bins):
        x = left + i * step + (step - bar) / 2
        start = lo + i * width_years
        span = (
            _bin_label(start, width_years)
            if width_years == 1
            else (f"{_bin_label(start, width_years)}–{_bin_label(start + width_years - 1, 1)}")
        )
        if up[i]:
            h = half * up[i] / peak
            parts.append(
                f'<rect x="{x:.1f}" y="{mid - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{BLUE}">'
                f"<title>born {_e(span)}: {_n(up[i])}</title></rect>"
            )
        if down[i]:
            h = half * down[i] / peak
            parts.append(
                f'<rect x="{x:.1f}" y="{mid + axis_gap}" width="{bar:.1f}" height="{h:.1f}" fill="{VERMILLION}">'
                f"<title>died {_e(span)}: {_n(down[i])}</title></rect>"
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{left + i * step + step / 2:.1f}" y="{mid + 17}" text-anchor="middle" font-size="11.5" '
                f'fill="#333">{_e(_bin_label(start, width_years))}</text>'
            )
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{mid}" y2="{mid}" stroke="#999"/>')
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{mid + axis_gap}" y2="{mid + axis_gap}" stroke="#999"/>'
    )
    label = f"Births and deaths per {width_years} year{'s' if width_years > 1 else ''}, {first} to {last}"
    return (
        f'<p class="note">{_e(label)}; bar heights share one scale (tallest bar: {_n(peak)} persons).</p>'
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{_e(label)}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )


# ---------------------------------------------------------------- sections


def _section(anchor: str, title: str, body: str) -> str:
    return f'<section id="{anchor}"><h2>{_e(title)}</h2>{body}</section>'


def _overview(view: OutputView) -> str:
    status = view.tallies["documents"].of("status")
    mean = view.coverage.mean
    cards = [
        ("documents", _n(view.profiles["documents"].rows)),
        ("parsed", _n(status.count("parsed"))),
        ("with warnings", _n(status.count("parsed_with_warnings"))),
        ("rejected", _n(status.count("rejected"))),
        ("persons", _n(view.profiles["persons"].rows)),
        ("quarantined rows", _n(view.profiles["quarantine"].rows)),
        ("mean coverage", "–" if mean is None else f"{mean:.1%}"),
    ]
    body = (
        '<div class="cards">'
        + "".join(f'<div class="card"><b>{_e(v)}</b><span>{_e(k)}</span></div>' for k, v in cards)
        + "</div>"
    )
    rows = sorted((name, profile.rows) for name, profile in view.profiles.items())
    biggest = max((c for _, c in rows), default=0)
    body += "<h3>Rows per table</h3><table><thead><tr><th>table</th><th class=num>rows</th><th></th></tr></thead><tbody>"
    body += "".join(
        f"<tr><td><code>{_e(name)}</code></td><td class=num>{_n(count)}</td>"
        f'<td class="bar">{_meter(count, biggest, SKY)}</td></tr>'
        for name, count in rows
    )
    return body + "</tbody></table>"


def _documents(view: OutputView) -> str:
    if not view.profiles["documents"].rows:
        return _empty("No documents in this run.")
    documents = view.tallies["documents"]
    grouped = documents.of("format", "status").filled(format="none (rejected)", status="unknown")
    pairs = grouped.as_text(None)
    statuses = sorted({s for _, s in pairs})
    colours = {s: STATUS_COLOURS.get(s, GREY) for s in [*STATUS_COLOURS, *statuses] if s in statuses}
    cells = {layout: dict.fromkeys(statuses, 0) for layout, _ in pairs}
    for (layout, s), n in pairs.items():
        cells[layout][s] = n
    rows = sorted(cells.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    body = '<p class="note">Layout as detected; colour is the status.</p>' + _legend(colours)
    body += svg_stacked(rows, colours, "Documents by layout, split by status", absolute=True)
    body += "<h3>Rejected documents by reason code</h3>"
    codes = _largest_first(documents.where("status", "rejected").of("reject_code"), missing="(no code)")
    body += (
        svg_bars(codes[:TOP_REASONS], "Rejected documents by reason code", VERMILLION)
        + _more(codes, TOP_REASONS)
        if codes
        else _empty("No document was rejected.")
    )
    return body


def _date_segments(precision: Tally) -> dict[str, int]:
    counts = dict(_largest_first(precision, missing="missing"))
    return {k: counts.get(k, 0) for k in PRECISION_COLOURS} | {
        k: v for k, v in counts.items() if k not in PRECISION_COLOURS
    }


def _place_segments(parts: Tally) -> dict[str, int]:
    """Persons by the number of parts of a place (``view.place_detail``: null is a missing place)."""
    return {
        "3+ parts": parts.count(3),
        "2 parts": parts.count(2),
        "1 part": parts.count(1) + parts.count(0),
        "missing": parts.count(None),
    }


def _qualifier_note(tallies: dict[str, Tally]) -> str:
    notes = []
    for field in ("birth_date", "death_date"):
        for column, text in ((f"{field}_qualifier", None), (f"{field}_calendar_note", "julian-converted")):
            for value, count in _largest_first(tallies[column]):
                label = text if text and value == text else value
                notes.append(f"{field.replace('_', ' ')}: {_n(count)} {label}")
    return f'<p class="note">Qualified dates — {_e("; ".join(notes))}.</p>' if notes else ""


def _completeness(view: OutputView) -> str:
    body = ""
    persons = view.profiles["persons"]
    if not persons.rows:
        body += _empty("No persons in this run.")
    else:
        tallies = view.tallies
        n = persons.rows
        subjects = tallies["birth_date_precision"].of("is_subject").count(True)
        body += (
            f'<p class="note">{_n(n)} persons: {_n(subjects)} document subjects and '
            f"{_n(n - subjects)} known from other documents, link glosses or prose. A date is counted at the precision "
            "the text gives; nothing is filled in.</p>"
        )
        dates = [
            (label, _date_segments(tally.of(f"{field}_precision")))
            for field in ("birth_date", "death_date")
            for label, tally in (
                (f"{field.replace('_', ' ')} (all)", tallies[f"{field}_precision"]),
                (
                    f"{field.replace('_', ' ')} (subjects)",
                    tallies[f"{field}_precision"].where("is_subject", True),
                ),
            )
        ]
        extra = {k for _, seg in dates for k in seg if k not in PRECISION_COLOURS}
        colours = PRECISION_COLOURS | {k: PINK for k in sorted(extra)}
        body += "<h3>Persons' dates by precision</h3>" + _legend(colours)
        body += svg_stacked(dates, colours, "Persons' birth and death dates by precision")
        body += _qualifier_note(tallies)
        places = [
            (label, _place_segments(tallies[f"{field}_parts"]))
            for field, label in (("birth_place", "birth place"), ("death_place", "death place"))
        ]
        body += "<h3>Persons' places by detail</h3>" + _legend(
            PLACE_COLOURS,
            {
                "3+ parts": "3+ parts (town, region, country)",
                "2 parts": "2 parts",
                "1 part": "1 part",
                "missing": "missing",
            },
        )
        body += svg_stacked(places, PLACE_COLOURS, "Persons' birth and death places by number of parts")
        others = [
            (field.replace("_", " "), {"present": filled, "missing": n - filled})
            for field in ("full_name", "sort_name", "description")
            for filled in [persons.filled[field]]
        ]
        body += "<h3>Other person fields</h3>" + _legend(PRESENT_COLOURS)
        body += svg_stacked(others, PRESENT_COLOURS, "Other person fields: present or missing")
    return body + _column_fill(view.profiles)


def _fill_row(name: str, profile: TableProfile) -> str:
    """One table's line: the columns that are not always filled, emptiest first."""
    rows = profile.rows
    gaps = sorted((count / rows, column, count) for column, count in profile.filled.items() if count < rows)
    never = [column for share, column, _ in gaps if share == 0]
    chips = "".join(
        f'<span class="chip" title="{_e(column)}: {_n(count)} of {_n(rows)} rows">'
        f"<code>{_e(column)}</code> {_pct(count, rows)}{_meter(share, 1.0, _fill_colour(share))}</span>"
        for share, column, count in gaps
        if share > 0
    )
    if never:
        chips += (
            '<span class="chip full">never filled: '
            + ", ".join(f"<code>{_e(column)}</code>" for column in never)
            + "</span>"
        )
    if not gaps:
        chips = '<span class="chip full">every column filled</span>'
    return f"<tr><td><code>{_e(name)}</code></td><td class=num>{_n(rows)}</td><td>{chips}</td></tr>"


def _column_fill(profiles: dict[str, TableProfile]) -> str:
    """Per non-empty table, one line listing the columns that are not always filled."""
    lines = [_fill_row(name, profile) for name, profile in sorted(profiles.items()) if profile.rows]
    body = (
        "<h3>Columns with empty cells, per table</h3>"
        '<p class="note">Each column that is not filled in every row, with the share of rows that have a value '
        "(emptiest first). Many are empty by design: a rejected document has no title, a link to a "
        "non-person has no <code>person_id</code>.</p>"
    )
    if not lines:
        return body + _empty("Every table is empty.")
    return (
        body + "<table><thead><tr><th>table</th><th class=num>rows</th><th>columns with empty cells</th></tr>"
        "</thead><tbody>" + "".join(lines) + "</tbody></table>"
    )


def _fill_colour(share: float) -> str:
    return BLUE if share >= 0.9 else SKY if share >= 0.5 else ORANGE


def _per_value(tally: Tally) -> dict[int, int]:
    """Rows per non-null value of a one-part tally of whole numbers (years)."""
    return {int(key[0]): n for key, n in tally.rows.items() if key[0] is not None}


def median(counts: Mapping[int, int]) -> float:
    """The median of the values counted in ``counts`` (value → how many times it occurs): the middle value,
    or the mean of the two middle ones when there are evenly many."""
    values = sorted(v for v, n in counts.items() if n)
    ends = list(accumulate(counts[v] for v in values))  # position after each value's last occurrence

    def at(position: int) -> int:
        return values[bisect_right(ends, position)]

    return (at((ends[-1] - 1) // 2) + at(ends[-1] // 2)) / 2


def _timeline(tallies: dict[str, Tally]) -> str:
    births, deaths = _per_value(tallies["birth_date_year"]), _per_value(tallies["death_date_year"])
    chart = svg_timeline(births, deaths)
    if not chart:
        return _empty("No person has a birth or death year.")
    ages = _per_value(tallies["lifespan"])
    note = ""
    if ages:
        note = (
            f'<p class="note">{_n(sum(births.values()))} birth years, {_n(sum(deaths.values()))} death years; '
            f"{_n(sum(ages.values()))} persons have both, with a median lifespan of about {median(ages):.0f} years "
            f"(from years only).</p>"
        )
    return chart + note


def _reason_table(title: str, rows: list[tuple[str, int]], colour: str, empty: str, heading: str) -> str:
    body = f"<h3>{_e(title)}</h3>"
    if not rows:
        return body + _empty(empty)
    total = sum(c for _, c in rows)
    shown = rows[:TOP_REASONS]
    biggest = shown[0][1]
    body += (
        f"<table><thead><tr><th>{_e(heading)}</th><th class=num>count</th><th class=num>share</th><th></th>"
        "</tr></thead><tbody>"
    )
    body += "".join(
        f"<tr><td><code>{_e(name)}</code></td><td class=num>{_n(count)}</td><td class=num>{_pct(count, total)}</td>"
        f'<td class="bar">{_meter(count, biggest, colour)}</td></tr>'
        for name, count in shown
    )
    return body + "</tbody></table>" + _more(rows, len(shown))


def _reasons(tallies: dict[str, Tally]) -> str:
    return (
        _reason_table(
            "Quarantined rows by table and reason",
            _largest_first(tallies["quarantine"], "∅"),
            VERMILLION,
            "No row was quarantined: every row passed validation.",
            "table / reason code",
        )
        + _reason_table(
            "Text dropped by the cleaners, by rule",
            _largest_first(tallies["dropped"], "∅"),
            ORANGE,
            "The cleaners removed nothing.",
            "rule",
        )
        + _reason_table(
            "Warnings by code",
            _largest_first(tallies["warnings"], "∅"),
            PINK,
            "No warnings.",
            "warning code",
        )
    )


def _coverage(lowest: Sequence[CoveredDocument]) -> str:
    if not lowest:
        return _empty("No parsed document, so no coverage to show.")
    body = (
        '<p class="note">Coverage is the share of a document\'s non-whitespace characters that some output '
        "row's span covers; 100% is the goal. Rejected documents have no coverage and are listed above.</p>"
        "<table><thead><tr><th>#</th><th>title</th><th>source file</th><th>layout</th><th>status</th>"
        "<th class=num>warnings</th><th class=num>coverage</th><th></th></tr></thead><tbody>"
    )
    for i, doc in enumerate(lowest, start=1):
        cov = doc.coverage
        colour = GREEN if cov >= 0.99 else ORANGE if cov >= 0.9 else VERMILLION
        warnings = "" if doc.n_warnings is None else _n(doc.n_warnings)
        body += (
            f'<tr><td class=num>{i}</td><td class="title">{_e(_short(_text(doc.title), 60))}</td>'
            f'<td class="src"><code>{_e(_short(_text(doc.source_name), 40))}</code></td>'
            f"<td>{_e(_text(doc.format))}</td><td>{_e(_text(doc.status))}</td>"
            f"<td class=num>{warnings}</td>"
            f"<td class=num>{cov:.1%}</td>"
            f'<td class="bar">{_meter(cov, 1.0, colour)}</td></tr>'
        )
    return body + "</tbody></table>"


SECTIONS = (
    ("overview", "Overview"),
    ("documents", "Documents by layout and status"),
    ("completeness", "Field completeness"),
    ("timeline", "Timeline of births and deaths"),
    ("reasons", "Top quarantine, drop and warning reasons"),
    ("coverage", "Documents with the lowest coverage"),
)


def _nav(items: Iterable[tuple[str, str]]) -> str:
    links = " · ".join(f'<a href="#{_e(a)}">{_e(t)}</a>' for a, t in items)
    return f'<nav><p class="note">{links}</p></nav>'


def render_report(view: OutputView, manifest: dict[str, Any]) -> str:
    """The run's report as one self-contained HTML page (inline CSS and SVG; no script, no external fetch)."""
    bodies = {
        "overview": _overview(view),
        "documents": _documents(view),
        "completeness": _completeness(view),
        "timeline": _timeline(view.tallies),
        "reasons": _reasons(view.tallies),
        "coverage": _coverage(view.lowest_coverage),
    }
    sections = "".join(_section(anchor, title, bodies[anchor]) for anchor, title in SECTIONS)
    version = manifest.get("pipeline_version", "?")
    schema = manifest.get("schema_version", "?")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Biography datasets — run report</title>"
        f"<style>{CSS}</style></head><body><main>"
        "<header><h1>Biography datasets — run report</h1>"
        f"<p>Pipeline {_e(version)}, schema {_e(schema)}. Run id and time, inputs and file checksums are in "
        "<code>manifest.json</code> beside this page.</p></header>"
        f"{_nav(SECTIONS)}{sections}"
        "<footer>Generated by <code>pipeline/present/report.py</code> from the validated tables; "
        "hover a bar for its exact count.</footer>"
        "</main></body></html>\n"
    )
