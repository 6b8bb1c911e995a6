"""What the room takes home: file names, CSVs for Belgian Excel, a QR code, a one-page summary.

* File names carry both presets and a short fingerprint of the whole comparison (levers,
  assumptions), so that two comparisons never overwrite each other's files.
* Every CSV comes twice: plain (comma, decimal point) and for Excel set to Belgian
  (Dutch) regional settings (semicolon, decimal comma, UTF-8 with a byte-order mark).
* The summary is one self-contained HTML page (no external request): the headline
  cards, the difference figure, what differs, and the sources.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import re

import pandas as pd

from dashboard.i18n import t


def stem(preset_a: str, preset_b: str, query: str) -> str:
    """The common start of the export file names of one comparison.

    Args:
        preset_a: Preset of A.
        preset_b: Preset of B.
        query: The comparison's link (query part): its fingerprint makes the name unique.

    Returns:
        ``vergelijking_<a>_vs_<b>_<8 hex digits>``.
    """
    digest = hashlib.sha256(query.encode()).hexdigest()[:8]
    safe = [re.sub(r"[^A-Za-z0-9_-]+", "-", p) for p in (preset_a, preset_b)]
    return f"vergelijking_{safe[0]}_vs_{safe[1]}_{digest}"


def csv_plain(frame: pd.DataFrame) -> bytes:
    """CSV with commas and decimal points (for software)."""
    return frame.to_csv(index=False).encode()


def csv_belgian(frame: pd.DataFrame) -> bytes:
    """CSV that Excel with Belgian (Dutch) settings opens in columns.

    Semicolons between fields, decimal commas, UTF-8 with a byte-order mark (so that
    accents survive).
    """
    return frame.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def qr_svg(url: str) -> str:
    """A QR code of ``url`` as inline SVG (drawn locally, no web service)."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=4, border=2)


def png_data_uri(png: bytes) -> str:
    """A PNG as a ``data:`` URI (for self-contained HTML)."""
    return "data:image/png;base64," + base64.b64encode(png).decode()


CSS = """
body { font-family: sans-serif; max-width: 1000px; margin: 20px auto; color: #222; }
h1 { font-size: 26px; margin: 0 0 4px 0; } h2 { font-size: 20px; margin: 18px 0 6px 0; }
.wnw-cards { display: flex; flex-wrap: wrap; gap: 10px; }
.wnw-hl { border: 1px solid #ccc; border-radius: 6px; padding: 8px 10px; flex: 1 1 200px; }
.wnw-hl-title { font-weight: 700; } .wnw-hl-unit { color: #555; font-size: 13px; }
.wnw-hl-row { margin-top: 4px; } .wnw-num { font-size: 20px; font-weight: 700; }
.wnw-iv { color: #555; font-size: 13px; } .good { color: #1a7f37; } .bad { color: #b42318; }
.noise { color: #555; } table { border-collapse: collapse; width: 100%; font-size: 14px; }
td, th { border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: left; }
img { width: 100%; } .small { font-size: 12px; color: #555; }
@media print { body { margin: 0; } h2 { break-after: avoid; } }
"""


def summary_html(
    *,
    lang: str,
    title: str,
    subtitle: str,
    cards_html: str,
    figure_png: bytes,
    differs_html: str,
    sources: list[str],
    link: str,
    note: str,
) -> str:
    """The one-page summary of a comparison as a self-contained HTML document.

    Args:
        lang: ``nl`` or ``en``.
        title: Heading (the comparison).
        subtitle: Date, scale and seeds.
        cards_html: The headline cards (HTML from the page).
        figure_png: The difference figure.
        differs_html: The 'what differs' table (HTML from the page).
        sources: Readable source citations.
        link: The full address that reopens the comparison.
        note: How the numbers were made.
    """
    today = dt.date.today().isoformat()
    items = "".join(f"<li>{html.escape(s)}</li>" for s in sources)
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{CSS}</style></head><body>
<h1>{html.escape(title)}</h1><div class="small">{html.escape(subtitle)} · {today}</div>
<h2>{t("headline", lang)}</h2>{cards_html}<p class="small">{html.escape(note)}</p>
<h2>{t("tab_differences", lang)}</h2><img alt="" src="{png_data_uri(figure_png)}">
<h2>{t("what_differs", lang)}</h2>{differs_html}
<h2>{t("sources", lang)}</h2><ul class="small">{items}</ul>
<p class="small">{t("share", lang)}: <a href="{html.escape(link)}">{html.escape(link)}</a></p>
</body></html>
"""
