"""A single-file HTML report an analyst can open in any browser (no network, no assets).

Sections: provenance, summary counts per status, a sortable table of alerts (a few
lines of inline JavaScript; click a header to sort), one inline SVG diagram per
affiliate showing every stake that contributes to its aggregate (the whole graph of
contributions from the listed roots down, laid out by depth, each edge labelled with
its stake; unknown and banded stakes drawn dashed) with the same edges as a text list,
rows that could not be screened, re-opened decisions and changes since the previous
run. Every value from the input is HTML-escaped.
"""

from __future__ import annotations

import datetime as _dt
import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..io.write import write_text_atomic
from ..lists.cache import CACHE_NOTICE, stale_list_warning
from ..screening import STATUSES

if TYPE_CHECKING:
    from ..screening import AffiliateLink, RowResult, ScreeningRun

__all__ = ["contribution_svg", "list_warnings", "ownership_svg", "render_html", "write_html"]

_CSS = """
body{font:14px/1.45 system-ui,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1d2433}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d8dde6}
.meta{color:#555;font-size:12.5px}.meta td{padding:1px 10px 1px 0;vertical-align:top}
.cards{display:flex;gap:10px;flex-wrap:wrap;margin:14px 0}
.card{border-radius:8px;padding:10px 16px;min-width:92px;background:#f3f5f9;
 border:1px solid #dde2ea}
.card b{display:block;font-size:24px}.card.hit{background:#fde8e8;border-color:#f3b4b4}
.card.affiliate{background:#fff0e0;border-color:#f5c48f}.card.possible{background:#fff9db;border-color:#eedc82}
.card.clear{background:#e8f6ec;border-color:#a9dbb6}.card.error{background:#eceaf7;border-color:#bdb6e6}
table.alerts{border-collapse:collapse;width:100%;font-size:13px}
.alerts th{background:#eef1f6;text-align:left;cursor:pointer;user-select:none;position:sticky;top:0}
.alerts th,.alerts td{border:1px solid #d8dde6;padding:5px 7px;vertical-align:top}
.alerts th[aria-sort=ascending]::after{content:" \\25B2"}
.alerts th[aria-sort=descending]::after{content:" \\25BC"}
.st{font-weight:600;border-radius:4px;padding:1px 6px;white-space:nowrap}
.st.hit{background:#f8c9c9}.st.affiliate{background:#fbd7ad}.st.possible{background:#f6eba4}
.st.clear{background:#c6ecd0}.st.error{background:#d6d0f3}
.reason{color:#3b4254;font-size:12px;max-width:520px}
.aff{border:1px solid #d8dde6;border-radius:8px;padding:10px 12px;margin:10px 0}
.aff h3{font-size:14px;margin:0 0 6px}.muted{color:#666}
ul.notes li{margin:2px 0}
.unsettled{background:#fff4d6;border-left:4px solid #d9a400;padding:4px 8px}
.stale{background:#fff4d6;border:2px solid #e0a800;border-radius:8px;padding:10px 14px;
 margin:12px 0;font-weight:600;color:#5a4200}
"""

_JS = """
document.querySelectorAll('table.alerts').forEach(function(t){
  t.querySelectorAll('th').forEach(function(th,i){
    th.addEventListener('click',function(){
      var asc=th.getAttribute('aria-sort')!=='ascending';
      t.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort')});
      th.setAttribute('aria-sort',asc?'ascending':'descending');
      var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows);
      rows.sort(function(a,c){
        var x=a.cells[i].getAttribute('data-v')||a.cells[i].textContent,
            y=c.cells[i].getAttribute('data-v')||c.cells[i].textContent,
            nx=parseFloat(x),ny=parseFloat(y),r;
        r=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);
        return asc?r:-r;});
      rows.forEach(function(r){b.appendChild(r)});});});});
"""

_SEVERITY_ORDER = {"hit": 0, "affiliate": 1, "possible": 2, "clear": 3, "error": 4}


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    if len(lines) > 3:
        lines = [*lines[:2], lines[2][: width - 1] + "…"]
    return lines or [""]


def ownership_svg(link: AffiliateLink, supplier_name: str = "") -> str:
    """Inline SVG of the path: listed root on top, the stake on each edge, supplier last."""
    steps = list(link.path)
    box_w, box_h, gap, pad = 470, 64, 46, 10
    height = pad * 2 + len(steps) * box_h + (len(steps) - 1) * gap
    width = box_w + 190
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="ownership path">',
        '<defs><marker id="arr" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="#55607a"/></marker></defs>',
    ]
    for index, step in enumerate(steps):
        y = pad + index * (box_h + gap)
        last = index == len(steps) - 1
        listed = step.listed_entry_id is not None
        fill = "#fde2e2" if listed else ("#fff0e0" if last else "#f3f5f9")
        stroke = "#d05555" if listed else ("#e39a4a" if last else "#9aa5b8")
        parts.append(f'<rect x="{pad}" y="{y}" width="{box_w}" height="{box_h}" rx="7" '
                     f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>')
        title = step.name or step.entity_id
        if last and supplier_name and supplier_name != title:
            title = f"{title} (supplier: {supplier_name})"
        for number, text in enumerate(_wrap(title, 58)[:2]):
            parts.append(f'<text x="{pad + 10}" y="{y + 19 + number * 16}" font-size="13" '
                         f'font-weight="600" fill="#1d2433">{_e(text)}</text>')
        tag = f"[{step.entity_id}]" + (f" {step.country}" if step.country else "")
        if step.listed_entry_id is not None:
            tag += f" · listed: entry {step.listed_entry_id[:12]}"
        elif last:
            tag += f" · {link.finding_status}"
        parts.append(f'<text x="{pad + 10}" y="{y + box_h - 8}" font-size="11" '
                     f'fill="#555">{_e(tag)}</text>')
        if not last:
            x = pad + box_w / 2
            y1, y2 = y + box_h, y + box_h + gap
            parts.append(f'<line x1="{x}" y1="{y1 + 2}" x2="{x}" y2="{y2 - 3}" stroke="#55607a" '
                         f'stroke-width="1.8" marker-end="url(#arr)"/>')
            stake = step.stake_text()
            label = "stake unknown" if stake in ("", "unknown stake") else f"{stake} owned"
            parts.append(f'<text x="{x + 12}" y="{(y1 + y2) / 2 + 5}" font-size="13" '
                         f'font-weight="700" fill="#8a3b12">{_e(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


_NODE_STYLE = {  # owner status -> (fill, stroke)
    "listed": ("#fde2e2", "#d05555"),
    "covered": ("#fff0e0", "#e39a4a"),
    "undetermined": ("#fff9db", "#c9a227"),
    "possibly_covered": ("#fff9db", "#c9a227"),
    "out_of_scope": ("#eef1f6", "#8a94a8"),
}


def _stake_label(low: float | None, high: float | None, relation: str) -> tuple[str, str]:
    """(label, kind): kind is exact, band, unknown or tie (control/branch)."""
    if relation != "ownership":
        return relation, "tie"
    if low is None or high is None or (low == 0 and high == 100):
        return "unknown stake", "unknown"
    if low == high:
        return f"{low:g} %", "exact"
    return f"{low:g}–{high:g} % (band)", "band"


def _edge_sentences(link: AffiliateLink) -> list[str]:
    out = []
    for owner, owner_name, owned, low, high, relation, status in link.contribution_edges:
        label, kind = _stake_label(low, high, relation)
        what = (f"holds {label} of" if kind in ("exact", "band") else
                f"holds an {label} in" if kind == "unknown" else f"has a {relation} tie to")
        out.append(f"{owner_name or owner} [{owner}] ({status.replace('_', ' ')}) {what} "
                   f"[{owned}]")
    return out


def contribution_svg(link: AffiliateLink, supplier_name: str = "") -> str:
    """Inline SVG of every stake that contributes to the finding's aggregate: listed roots
    on top, the supplier's entity at the bottom, one row per depth, each edge labelled
    with its stake (dashed: unknown or banded). Accessible without script: a ``title`` and
    a ``desc`` carry the same facts as text."""
    edges = link.contribution_edges
    target = link.entity_id
    names: dict[str, str] = {target: link.entity_name}
    status: dict[str, str] = {target: link.finding_status}
    for owner, owner_name, _owned, _lo, _hi, _rel, owner_status in edges:
        names.setdefault(owner, owner_name or owner)
        status.setdefault(owner, owner_status)
    nodes = sorted(names)
    level = {n: 0 for n in nodes}
    for _ in range(len(nodes)):  # longest distance above the target (cycles: capped)
        changed = False
        for owner, _n, owned, _lo, _hi, _rel, _st in edges:
            if owner != target and level[owner] < level[owned] + 1 <= len(nodes):
                level[owner] = level[owned] + 1
                changed = True
        if not changed:
            break
    top = max(level.values())
    rows: dict[int, list[str]] = {}
    for n in nodes:
        rows.setdefault(level[n], []).append(n)
    box_w, box_h, hgap, vgap, pad = 250, 54, 40, 78, 12
    widest = max(len(r) for r in rows.values())
    spans = [level[o] - level[t] for o, _n, t, _lo, _hi, _rel, _st in edges]
    bend = 90 + 25 * max(spans, default=1)  # room on the right for edges that skip a row
    width = pad * 2 + widest * box_w + (widest - 1) * hgap + bend
    height = pad * 2 + (top + 1) * box_h + top * vgap
    pos: dict[str, tuple[float, float]] = {}
    for lv, members in rows.items():
        row_w = len(members) * box_w + (len(members) - 1) * hgap
        x0 = (width - bend - row_w) / 2
        row_y = float(pad + (top - lv) * (box_h + vgap))
        for k, n in enumerate(members):
            pos[n] = (x0 + k * (box_w + hgap), row_y)
    key = "".join(ch if ch.isalnum() else "-" for ch in target)[:40]
    title = f"Stakes contributing to {link.entity_name or target} [{target}]"
    desc = "; ".join(_edge_sentences(link)) + "."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-labelledby="t-{_e(key)} d-{_e(key)}">',
        f'<title id="t-{_e(key)}">{_e(title)}</title><desc id="d-{_e(key)}">{_e(desc)}</desc>',
        f'<defs><marker id="arr-{_e(key)}" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" '
        'fill="#55607a"/></marker></defs>',
    ]
    for owner, _n, owned, low, high, relation, _st in edges:
        (ox, oy), (tx, ty) = pos[owner], pos[owned]
        x1, y1 = ox + box_w / 2, oy + box_h
        x2, y2 = tx + box_w / 2, ty
        if y2 <= y1:  # an upward tie (a cycle): from the owner's top to the owned's bottom
            y1, y2 = oy, ty + box_h
        label, kind = _stake_label(low, high, relation)
        dash = {"unknown": ' stroke-dasharray="3 4"', "band": ' stroke-dasharray="8 4"',
                "tie": ' stroke-dasharray="1 3"'}.get(kind, "")
        span = level[owner] - level[owned]
        if span > 1:  # skips a row: from side to side, bending around the boxes between
            x1, y1 = ox + box_w, oy + box_h / 2
            x2, y2 = tx + box_w + 4, ty + box_h / 2
            cx = max(x1, x2) + 50 * span
            cy = (y1 + y2) / 2
            parts.append(f'<path d="M{x1:g},{y1:g} Q{cx:g},{cy:g} {x2:g},{y2:g}" '
                         f'fill="none" stroke="#55607a" stroke-width="1.8"{dash} '
                         f'marker-end="url(#arr-{_e(key)})"/>')
            mx, my = 0.25 * x1 + 0.5 * cx + 0.25 * x2, cy
        else:
            parts.append(f'<line x1="{x1:g}" y1="{y1 + 2:g}" x2="{x2:g}" y2="{y2 - 3:g}" '
                         f'stroke="#55607a" stroke-width="1.8"{dash} '
                         f'marker-end="url(#arr-{_e(key)})"/>')
            mx, my = x1 + (x2 - x1) * 0.55, y1 + (y2 - y1) * 0.55
        parts.append(f'<text x="{mx + 6:g}" y="{my + 4:g}" font-size="12.5" font-weight="700" '
                     f'fill="#8a3b12">{_e(label)}</text>')
    for n in nodes:
        x, y = pos[n]
        fill, stroke = _NODE_STYLE.get(status.get(n, ""), ("#f3f5f9", "#9aa5b8"))
        if n == target:
            fill, stroke = "#fff0e0", "#e39a4a"
        parts.append(f'<rect x="{x:g}" y="{y:g}" width="{box_w}" height="{box_h}" rx="7" '
                     f'fill="{fill}" stroke="{stroke}" '
                     f'stroke-width="{2.2 if n == target else 1.5}"/>')
        label = names[n]
        if n == target and supplier_name and supplier_name != label:
            label = f"{label} (supplier: {supplier_name})"
        for number, text in enumerate(_wrap(label, 32)[:2]):
            parts.append(f'<text x="{x + 8:g}" y="{y + 17 + number * 15:g}" font-size="12" '
                         f'font-weight="600" fill="#1d2433">{_e(text)}</text>')
        tag = f"[{n}] {status.get(n, '').replace('_', ' ')}"
        parts.append(f'<text x="{x + 8:g}" y="{y + box_h - 7:g}" font-size="10.5" '
                     f'fill="#555">{_e(tag)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _diagram(link: AffiliateLink, supplier_name: str) -> str:
    if not link.contribution_edges:
        return ownership_svg(link, supplier_name)
    items = "".join(f"<li>{_e(t)}</li>" for t in _edge_sentences(link))
    return (contribution_svg(link, supplier_name)
            + f'<ul class="notes edges" aria-label="stakes in the diagram">{items}</ul>')


def _contributions_text(link: AffiliateLink) -> str:
    if not link.contributions:
        return ""
    parts = []
    for owner_id, owner_name, low, high, owner_status in link.contributions:
        if low is None or high is None or (low == 0 and high == 100):
            stake = "unknown stake"
        elif low == high:
            stake = f"{low:g} %"
        else:
            stake = f"{low:g}–{high:g} %"
        parts.append(f"{owner_name or owner_id} [{owner_id}] {stake} ({owner_status})")
    return "Stakes held by listed or covered owners: " + "; ".join(parts) + ". "


def _alert_row(result: RowResult) -> str:
    top = result.top
    score = "" if top is None else f"{top.score:.1f}"
    severity = _SEVERITY_ORDER[result.status]
    detail = result.reason
    if top is not None and top.affiliate is not None:
        link = top.affiliate
        detail = (f"{link.finding_status} under the rule"
                  f"{'' if link.certain else ' (NOT SETTLED: see the ownership section)'}; "
                  f"linked by {link.link}; path: {link.path_text()}")
    decision = result.decision or ("re-opened" if result.reopened else "open")
    return (
        f'<tr><td data-v="{result.row}">{result.row}</td>'
        f'<td data-v="{severity}"><span class="st {result.status}">{result.status}</span></td>'
        f'<td data-v="{score or -1}">{score}</td><td>{_e(result.name)}</td>'
        f'<td>{_e(result.country)}</td><td>{_e("" if top is None else top.entry_name)}</td>'
        f'<td>{_e("" if top is None else top.source)}</td>'
        f'<td>{_e("" if top is None else top.entry_id[:12])}</td>'
        f'<td>{_e("" if top is None else top.license_requirement)}</td>'
        f'<td>{_e(decision)}</td><td class="reason">{_e(detail)}</td></tr>'
    )


def list_warnings(run: ScreeningRun, *, today: _dt.date | None = None,
                  max_list_age_days: int | None = None) -> list[str]:
    """Warnings about the list screened against: older than the age limit (default 7 days,
    ``EXPORTSCREEN_MAX_LIST_AGE_DAYS``) or undated, and a cached list that could not be used."""

    lst = run.provenance["list"]
    warnings = [n for n in lst.get("notices", ()) if CACHE_NOTICE in n]
    stale = stale_list_warning(lst, today, max_list_age_days)
    if stale is not None:
        warnings.insert(0, stale)
    return warnings


def render_html(run: ScreeningRun, *, title: str = "Supplier screening report",
                today: _dt.date | None = None, max_list_age_days: int | None = None) -> str:
    """The whole report as one HTML string (deterministic for the same run and *today*).

    A list older than *max_list_age_days* (default: ``EXPORTSCREEN_MAX_LIST_AGE_DAYS``, else
    7) on *today* (default: the current UTC date) gets a warning at the top.
    """

    prov = run.provenance
    lst = prov["list"]
    counts = run.summary
    out: list[str] = [
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
        f"<title>{_e(title)}</title><meta name=\"viewport\" content=\"width=device-width\">",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        *(f'<div class="stale" role="alert">⚠ {_e(w)}</div>'
          for w in list_warnings(run, today=today, max_list_age_days=max_list_age_days)),
        '<table class="meta">',
        f"<tr><td>Input</td><td>{_e(prov['input']['path'] or 'DataFrame')} — "
        f"{prov['input']['rows']} rows; name column {_e(prov['input']['detected']['name'])}, "
        f"country {_e(prov['input']['detected'].get('country') or '—')}, "
        f"id {_e(prov['input']['detected'].get('id') or '—')}</td></tr>",
        f"<tr><td>List</td><td>{_e(lst['source'])} — {lst['entries']} entries, snapshot "
        f"{_e(lst.get('snapshot_date') or 'undated')}, sha256 {_e(lst['sha256'][:16])}…</td></tr>",
        f"<tr><td>Thresholds</td><td>hit ≥ {prov['thresholds']['hit']:g}, possible ≥ "
        f"{prov['thresholds']['possible']:g}</td></tr>",
    ]
    if run.ownership:
        own = run.ownership
        state = ("not in force" if not own.get("rule_in_force") else
                 "treated as in force, NOT SETTLED" if own.get("caveat") else "in force")
        out.append(
            f"<tr><td>Ownership</td><td>{_e(own.get('path') or own.get('source'))}: "
            f"{own['entities']} entities, {len(own['listed_roots'])} listed by name; rule "
            f"<b>{_e(own['rule'])}</b> as of {_e(own['as_of'])} ({state})"
            + (f'<br><span class="unsettled">{_e(own["caveat"])}</span>'
               if own.get("caveat") else "") + "</td></tr>"
        )
    out.append(f"<tr><td>Library</td><td>exportscreen {_e(prov['library']['version'])}</td></tr>")
    out.append("</table>")
    out.append('<div class="cards">')
    for status in STATUSES:
        out.append(f'<div class="card {status}"><b>{counts[status]}</b>{status}</div>')
    out.append(f'<div class="card"><b>{counts["open_alerts"]}</b>open alerts</div>')
    if counts["false_positive"] or counts["confirmed"] or counts["reopened"]:
        out.append(f'<div class="card"><b>{counts["false_positive"]}/{counts["confirmed"]}/'
                   f'{counts["reopened"]}</b>false positive / confirmed / re-opened</div>')
    out.append("</div>")
    if run.notices:
        out.append("<h2>Notices</h2><ul class=\"notes\">")
        out.extend(f"<li>{_e(n)}</li>" for n in run.notices)
        out.append("</ul>")
    alerts = run.alerts()
    out.append(f"<h2>Alerts ({len(alerts)})</h2>")
    if alerts:
        out.append('<p class="muted">Click a column header to sort.</p>')
        out.append('<table class="alerts"><thead><tr><th>Row</th><th>Status</th><th>Score</th>'
                   "<th>Supplier</th><th>Country</th><th>Matched</th><th>List</th>"
                   "<th>Entry</th><th>Licence requirement</th><th>Decision</th>"
                   "<th>Reason</th></tr></thead><tbody>")
        out.extend(_alert_row(r) for r in alerts)
        out.append("</tbody></table>")
    else:
        out.append("<p>No alerts.</p>")
    affiliates = [r for r in alerts if r.top is not None and r.top.affiliate is not None]
    if affiliates:
        out.append(f"<h2>Ownership paths ({len(affiliates)})</h2>")
        for result in affiliates:
            link = result.top.affiliate  # type: ignore[union-attr]
            assert link is not None
            bounds = ""
            if link.aggregate_min is not None:
                bounds = (f" · listed/covered owners hold {link.aggregate_min:g}"
                          + ("" if link.aggregate_max == link.aggregate_min
                             else f"–{link.aggregate_max:g}") + " %")
            out.append(
                f'<div class="aff"><h3>Row {result.row}: {_e(result.name)} — '
                f'<span class="st {result.status}">{result.status}</span> '
                f'({_e(link.finding_status)}{_e(bounds)})</h3>'
                f'<p class="muted">Linked by {_e(link.link)}'
                f"{'' if link.link == 'id' else f' (score {link.link_score:.1f})'} to graph entity "
                f"{_e(link.entity_name)} [{_e(link.entity_id)}]. "
                f"{_e(_contributions_text(link))}"
                f"Licence terms: {_e(result.top.license_requirement or '—')}"  # type: ignore[union-attr]
                f" / {_e(result.top.license_policy or '—')}</p>"  # type: ignore[union-attr]
                + ("" if link.certain else
                   f'<p class="unsettled"><b>Not settled.</b> {_e(link.reason)}</p>')
                + f"{_diagram(link, result.name)}</div>"
            )
    errors = [r for r in run.rows if r.status == "error"]
    if errors:
        out.append(f"<h2>Rows that could not be screened ({len(errors)})</h2><ul class=\"notes\">")
        out.extend(f"<li>Row {r.row}: {_e(r.reason)}</li>" for r in errors)
        out.append("</ul>")
    reopened = [r for r in run.rows if r.reopened]
    if reopened:
        out.append(f"<h2>Re-opened decisions ({len(reopened)})</h2><ul class=\"notes\">")
        out.extend(f"<li>Row {r.row} {_e(r.name)}: {_e(r.decision_note)}</li>" for r in reopened)
        out.append("</ul>")
    if run.changes is not None:
        out.append(f"<h2>Changes since the previous run ({len(run.changes)})</h2>"
                   '<ul class="notes">')
        out.extend(
            f"<li>Row {c.row if c.row is not None else '—'} {_e(c.name)}: {_e(c.text())}</li>"
            for c in run.changes
        )
        out.append("</ul>")
    out.append(f"<script>{_JS}</script></body></html>\n")
    return "\n".join(out)


def write_html(run: ScreeningRun, path: str | Path) -> None:
    """Write :func:`render_html` to *path* (UTF-8)."""
    write_text_atomic(path, render_html(run))
