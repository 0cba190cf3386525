"""``annotator report``: one self-contained HTML page of a project's progress.

The page holds the tables of :func:`statistics.figures` and charts drawn by matplotlib as
SVG, written into the page itself. Nothing is fetched: no script runs, and no stylesheet,
font or image comes from elsewhere (a Content-Security-Policy says so to the browser). Text in
the charts is drawn as outlines (``svg.fonttype = "path"``), so they look the same without
any font installed. The figures themselves are in the page as JSON
(``<script type="application/json" id="figures">``, data a browser does not run), and each
table cell names the figure it shows (``data-key``, its path in that JSON), so a program can
check the page against ``annotator stats --json``. People read the figures rounded to what
they mean (durations in minutes and hours, rates to a decimal, F1 to three places); a cell
that shows a figure rounded holds it whole too (``data-value``, as JSON).
"""

from __future__ import annotations

import html
import io
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.destinations import output
from annotator.model import STATUS_NAMES, utc_now
from annotator.printable import printable
from annotator.progress.statistics import curators_only, f1_text, person, rate_text, share
from annotator.progress.statistics import figures as gather
from annotator.store import activity
from annotator.store.activity import format_seconds

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from annotator.progress.charts import Chart
    from annotator.store.project import Store


class ReportError(Exception):
    """A report that could not be written; nothing was left under its name."""


def write_report(
    store: Store,
    path: str | os.PathLike[str],
    *,
    break_after: float = activity.DEFAULT_BREAK,
    period: str = "day",
) -> Path:
    """Write the report of ``store`` to ``path`` (whole, or not at all)."""
    figures = gather(store, break_after=break_after, period=period)
    page = render(figures, project=store.path.name, made_at=utc_now())
    target = Path(path)
    try:
        with output(target) as out:
            out.write(page)
    except OSError as e:
        raise ReportError(
            f"{printable(target)}: the report could not be written ({e.strerror or e})"
        ) from None
    return target


# -- the page --------------------------------------------------------------------------------

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; padding: 0 1em;
       color: #1d232b; background: #fff; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #d5dae1; }
p.note { color: #56606d; font-size: 0.9em; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { border: 1px solid #d5dae1; padding: 0.25em 0.6em; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #f2f4f7; }
figure { margin: 1em 0; }
figure svg { max-width: 100%; height: auto; }
"""

_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def render(
    figures: Mapping[str, Any],
    *,
    project: str,
    made_at: str,
    draw: Callable[[Chart], str] | None = None,
    with_data: bool = True,
) -> str:
    """The whole page as text. ``draw`` gives each chart's markup (inline SVG by default; the
    window's Statistics view puts images of its own there), and ``with_data=False`` leaves
    the figures' JSON out."""
    from annotator.progress.charts import charts

    drawn = {chart.key: chart for chart in charts(figures)}
    markup = draw or (lambda chart: svg_of(chart.figure, chart.key))

    def chart(key: str) -> list[str]:
        if key not in drawn:
            return []
        return [
            f'<figure id="chart-{key}"><figcaption>{_e(drawn[key].title)}</figcaption>'
            f"{markup(drawn[key])}</figure>"
        ]

    body: list[str] = [
        f"<h1>Progress of {_e(project)}</h1>",
        f'<p class="note">Made {_e(_when(made_at))}. The same figures as '
        "<code>annotator stats --json</code>.</p>",
    ]
    for section in (_statuses, _labels, _curated, _done, _active, _rates, _agreement, _gold):
        body += section(figures, chart)

    if not with_data:
        return "<html><body>" + "\n".join(body) + "</body></html>"
    data = json.dumps(figures, ensure_ascii=False, indent=1, allow_nan=False)
    # Data, not script: "<" is escaped so nothing in a title can end the element.
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Progress of {_e(project)}</title>\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + f'\n<script type="application/json" id="figures">\n{data}\n</script>\n'
        "</body>\n</html>\n"
    )


Charted = Callable[[str], list[str]]  # a chart's markup by key (nothing when not drawn)


def _statuses(figures: Mapping[str, Any], chart: Charted) -> list[str]:
    statuses = list(figures["documents_by_status"])
    body = ["<h2>Documents by status</h2>", *chart("status")]
    body.append(_table("documents-by-status", ["status", "documents"], [
        [_th(_status(s)), _num(("documents_by_status", s), figures)] for s in statuses
    ] + [[_th("all"), _num(("documents",), figures)]]))  # fmt: skip
    per_analyst = figures["documents_by_status_by_analyst"]
    if len(per_analyst) > 1:
        body.append(_table("documents-by-status-by-analyst",
                           ["analyst", *(_status(s) for s in statuses)], [
            [_th(who), *(_num(("documents_by_status_by_analyst", who, s), figures)
                         for s in statuses)]
            for who in per_analyst
        ]))  # fmt: skip
    if curators_only(figures):
        body.append(
            '<p class="note">Each analyst\'s own status; the statuses a curator gave, as '
            "curator, are not counted here.</p>"
        )
    return body


def _labels(figures: Mapping[str, Any], chart: Charted) -> list[str]:
    labels = list(figures["spans_by_label"])
    body = ["<h2>Spans by label</h2>"]
    if figures["curated"]["spans"]:
        body.append(
            '<p class="note">The analysts\' own spans (made or imported); the curated layer '
            "is counted apart, below.</p>"
        )
    body += chart("labels")
    body.append(_table("spans-by-label", ["label", "spans"], [
        [_th(lab), _num(("spans_by_label", lab), figures)] for lab in labels
    ] + [[_th("all"), _num(("spans",), figures)]]))  # fmt: skip
    by_analyst = figures["spans_by_label_by_analyst"]
    if by_analyst:
        body.append(_table("spans-by-label-by-analyst", ["analyst", *labels, "all"], [
            [_th(who), *(_num(("spans_by_label_by_analyst", who, lab), figures) for lab in labels),
             _num(("spans_by_annotator", who), figures)]
            for who in by_analyst
        ]))  # fmt: skip
    if figures["suggestions"]:
        body.append(
            f"<p>Suggestions not yet accepted or rejected: {_span(('suggestions',), figures)}.</p>"
        )
    return body


def _curated(figures: Mapping[str, Any], chart: Charted) -> list[str]:
    layer = figures["curated"]
    if not layer["spans"] and not layer["settled"]:
        return []
    body = [
        "<h2>Curated layer</h2>",
        f"<p>Settled by a curator: {_span(('curated', 'settled'), figures)} of "
        f"{_span(('curated', 'documents'), figures)} documents "
        f"({_e(share(layer['settled'], layer['documents']))}).</p>",
        '<p class="note">The spans curators put in the curated layer, by accepting the '
        "analysts' spans or drawing their own: counted apart from the analysts' work.</p>",
    ]
    body.append(_table("curated-by-label", ["label", "curated spans"], [
        [_th(lab), _num(("curated", "spans_by_label", lab), figures)]
        for lab in layer["spans_by_label"]
    ] + [[_th("all"), _num(("curated", "spans"), figures)]]))  # fmt: skip
    body.append(_table("curated-by-curator", ["curator", "documents settled", "curated spans"], [
        [_th(who), _num(("curated", "by_curator", who, "settled"), figures),
         _num(("curated", "by_curator", who, "spans"), figures)]
        for who in layer["by_curator"]
    ]))  # fmt: skip
    return body


def _done(figures: Mapping[str, Any], chart: Charted) -> list[str]:
    done = figures["done"]
    body = [
        f"<h2>Documents done per {_e(done['period'])}</h2>",
        '<p class="note">Counted on the UTC ' + _e(done["period"]) + " each became done; a "
        "document is done overall once the last of its analysts has finished it.</p>",
        *chart("done"),
    ]
    periods = sorted(set(done["overall"]).union(*(set(c) for c in done["by_analyst"].values())))
    if not periods:
        return [*body, "<p>No document is done yet.</p>"]
    analysts = list(done["by_analyst"])
    body.append(_table("done", [done["period"], "overall", *analysts], [
        [_th(p), _num(("done", "overall", p), figures, 0),
         *(_num(("done", "by_analyst", who, p), figures, 0) for who in analysts)]
        for p in periods
    ]))  # fmt: skip
    return body


def _active(figures: Mapping[str, Any], chart: Charted) -> list[str]:
    active = figures["active_time"]
    people = [("by_analyst", who) for who in active["by_analyst"]]
    people += [("by_curator", who) for who in active["by_curator"]]
    body = [
        "<h2>Active time</h2>",
        '<p class="note">From the change history: the gaps between a person\'s consecutive '
        "changes on a document, added up; a gap longer than "
        f"{_span(('active_time', 'break_after'), figures, format_seconds)} is a break and "
        "counts nothing. The first change on a document, and the first after a break, count "
        "nothing either.</p>",
        *chart("active"),
    ]
    body.append(_table("active-time", ["", "active time"], [
        [_th("everyone"), _time(("active_time", "total"), figures)],
        *([_th(person(who, figures)), _time(("active_time", part, who), figures)]
          for part, who in people),
        [_th("median per document"), _time(("active_time", "median_per_document"), figures)],
    ]))  # fmt: skip
    body.append(f"<p>Documents worked on: {_span(('active_time', 'documents'), figures)}.</p>")
    if active["slowest"]:
        body.append(_table("slowest", ["document", "title", "active time"], [
            [_cell(("active_time", "slowest", i, "id"), figures),
             _cell(("active_time", "slowest", i, "title"), figures),
             _time(("active_time", "slowest", i, "seconds"), figures)]
            for i in range(len(active["slowest"]))
        ]))  # fmt: skip
    return body


def _rates(figures: Mapping[str, Any], chart: Charted) -> list[str]:
    rates = figures["spans_per_hour"]
    body = [
        "<h2>Spans per hour (tagged one at a time)</h2>",
        '<p class="note">The spans each person made one at a time (drawn, or a suggestion or '
        "an analyst's span accepted on its own) per hour of their active time. Spans accepted "
        "many at once (every suggestion of a label, every agreed span, every span of a label "
        "from an analyst, <code>curate --agreed</code>) are counted apart and left out of the "
        "rate. Imported spans count in neither.</p>",
        *chart("rate"),
    ]
    if rates:
        body.append(_table("spans-per-hour", [
            "", "tagged one at a time", "curated one at a time", "accepted in bulk",
            "active time", "spans per hour (one at a time)"], [
            [_th(person(who, figures)),
             _num(("spans_per_hour", who, "tagged"), figures),
             _num(("spans_per_hour", who, "curated"), figures),
             _num(("spans_per_hour", who, "in_bulk"), figures),
             _time(("spans_per_hour", who, "active_seconds"), figures),
             _num(("spans_per_hour", who, "spans_per_hour"), figures, show=rate_text)]
            for who in rates
        ]))  # fmt: skip
    return body


def _agreement(figures: Mapping[str, Any], chart: Charted) -> list[str]:
    pairs = figures["agreement_over_time"]
    if not pairs:
        return []
    period = figures["done"]["period"]
    body = [
        f"<h2>Agreement over time (per {_e(period)})</h2>",
        '<p class="note">For each pair of analysts, at the end of each period: exact F1 '
        "per label over every document both had done by then (a document counts from the "
        "period in which the later of the two finished it), as <code>annotator "
        "agreement</code> measures it. The last row is their agreement now.</p>",
    ]
    for i, pair in enumerate(pairs):
        body.append(f"<h3>{_e(pair['a'])} and {_e(pair['b'])}</h3>")
        body += chart(f"agreement-{i}")
        if not pair["points"]:
            body.append("<p>No document both have done yet.</p>")
            continue
        names = list(pair["points"][-1]["labels"])
        point = ("agreement_over_time", i, "points")
        body.append(_table(f"agreement-{i}", [period, "documents", "all labels", *names], [
            [_th(p["period"]),
             _num((*point, j, "documents"), figures),
             _num((*point, j, "all", "exact_f1"), figures, show=f1_text),
             *(_num((*point, j, "labels", lab, "exact_f1"), figures, show=f1_text)
               for lab in names)]
            for j, p in enumerate(pair["points"])
        ]))  # fmt: skip
    return body


def _gold(figures: Mapping[str, Any], chart: Charted) -> list[str]:
    gold = figures.get("gold") or {}
    rows = gold.get("analysts") or []
    if not rows:
        return []
    period = gold["period"]
    body = [
        "<h2>Against gold</h2>",
        f'<p class="note">Each analyst against the curated layer of the '
        f"{_span(('gold', 'documents'), figures)} gold documents, on those they marked done "
        "(their spans the prediction, gold the reference): over all of them, then per "
        f"{_e(period)}, over the gold documents done in it, as <code>annotator agreement "
        "--against gold</code> measures them.</p>",
        *chart("gold"),
    ]
    figures_shown = (("exact_precision", "exact P"), ("exact_recall", "exact R"),
                     ("exact_f1", "exact F1"), ("overlap_f1", "overlap F1"))  # fmt: skip
    body.append(_table("gold", ["analyst", "gold documents done",
                                *(name for _, name in figures_shown)], [
        [_th(row["analyst"]), _num(("gold", "analysts", i, "documents"), figures),
         *(_num(("gold", "analysts", i, "all", key), figures, show=f1_text)
           for key, _ in figures_shown)]
        for i, row in enumerate(rows)
    ]))  # fmt: skip
    for i, row in enumerate(rows):
        if not row["points"]:
            continue
        body.append(f"<h3>{_e(row['analyst'])} per {_e(period)}</h3>")
        point = ("gold", "analysts", i, "points")
        body.append(_table(f"gold-{i}", [period, "documents", "exact F1", "overlap F1"], [
            [_th(p["period"]), _num((*point, j, "documents"), figures),
             _num((*point, j, "all", "exact_f1"), figures, show=f1_text),
             _num((*point, j, "all", "overlap_f1"), figures, show=f1_text)]
            for j, p in enumerate(row["points"])
        ]))  # fmt: skip
    return body


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _when(at: str) -> str:
    """A time as people read it ("2026-12-03 09:41 UTC"); as given when it is not one."""
    when = activity.parse_time(at)
    return at if when is None else when.strftime("%Y-%m-%d %H:%M UTC")


def _status(key: str) -> str:
    return STATUS_NAMES.get(key, key)


def value_at(figures: Any, key: Sequence[str | int]) -> Any:
    """The figure at a path of keys (and list indexes) into the figures."""
    for part in key:
        figures = figures[part]
    return figures


def cell_text(value: Any) -> str:
    """How a figure is written exactly: as JSON writes it ("–" for none)."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    return json.dumps(value)


def shown_text(value: Any) -> str:
    """How a table shows a figure by default: a count with its thousands grouped, anything
    else as written (a cell that shows a figure otherwise says how, with ``show``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return cell_text(value)


Show = Callable[[Any], str]


def _cell(
    key: Sequence[str | int],
    figures: Mapping[str, Any],
    missing: Any = None,
    kind: str = "",
    show: Show = shown_text,
) -> str:
    """A table cell showing a figure as people read it (``show``), naming it (``data-key``)
    and, where it is shown rounded, holding it whole (``data-value``)."""
    try:
        value = value_at(figures, key)
        path = list(key)
    except (KeyError, IndexError):
        value, path = missing, None  # an empty cell of a sparse table: no figure of its own
    return f"<td{_attributes(kind, path, value, show)}>{_e(show(value))}</td>"


def _attributes(kind: str, path: list[str | int] | None, value: Any, show: Show) -> str:
    attrs = f' class="{kind}"' if kind else ""
    if path is not None:
        attrs += f' data-key="{_e(json.dumps(path, ensure_ascii=False))}"'
        exact = cell_text(value)
        if show(value) != exact:
            attrs += f' data-value="{_e(json.dumps(value, ensure_ascii=False))}"'
    return attrs


def _num(
    key: Sequence[str | int],
    figures: Mapping[str, Any],
    missing: Any = None,
    show: Show = shown_text,
) -> str:
    return _cell(key, figures, missing, "n", show)


def _time(key: Sequence[str | int], figures: Mapping[str, Any]) -> str:
    """A cell of seconds, shown as a duration."""
    return _num(key, figures, show=format_seconds)


def _span(key: Sequence[str | int], figures: Mapping[str, Any], show: Show = shown_text) -> str:
    value = value_at(figures, key)
    return f"<span{_attributes('', list(key), value, show)}>{_e(show(value))}</span>"


def _th(text: object) -> str:
    return f"<th>{_e(text)}</th>"


def _table(name: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    lines = "".join(f"<tr>{''.join(row)}</tr>" for row in rows)
    return (
        f'<table id="table-{_e(name)}"><thead><tr>{head}</tr></thead><tbody>{lines}</tbody></table>'
    )


# -- charts as inline SVG ----------------------------------------------------------------------

_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_IDS = re.compile(r'\bid="([^"]+)"')
_REFERENCES = re.compile(r'(url\(#|href="#)([^)"]+)')


def svg_of(figure: Figure, prefix: str) -> str:
    """A chart as an ``<svg>`` element for an HTML page: glyphs drawn as paths, no XML
    prologue, metadata or namespace declarations (HTML gives inline SVG its namespace), and
    every id prefixed so that several charts share a page without clashing."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": f"annotator-{prefix}"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = _PROLOGUE.sub("", buffer.getvalue(), count=1)
    svg = _METADATA.sub("", svg)
    svg = _NAMESPACES.sub("", svg)
    svg = _IDS.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _REFERENCES.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)
    svg = svg.replace("<svg ", '<svg role="img" ', 1)
    return svg.strip()
