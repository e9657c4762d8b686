"""Code 128 barcodes of item numbers, drawn as inline SVG on handover records.

The postal worker and the receiver check each envelope against the record by scanning its
waybill number (QĐ 45/2016 art. 7: the record lists every dossier with its waybill number).
python-barcode computes the bar pattern (with its check symbol); the drawing is ours, so
the SVG is a fragment that can sit in a table cell with no XML prologue or fonts.
"""

from __future__ import annotations

from itertools import groupby

from barcode.codex import Code128
from markupsafe import Markup, escape

#: Width of one module (the narrowest bar) and bar height, in CSS pixels.
MODULE = 1.0
HEIGHT = 32
#: Blank modules each side, so a scanner finds the start and stop symbols.
QUIET = 10


def modules(value: str) -> str:
    """The bar pattern of ``value`` as ``1`` (bar) and ``0`` (space) modules."""
    return str(Code128(value).build()[0])


def code128_svg(value: str) -> Markup:
    """An inline SVG of ``value`` in Code 128; the value is also its accessible label."""
    pattern = modules(value)
    width = (len(pattern) + 2 * QUIET) * MODULE
    bars, x = [], QUIET * MODULE
    for bit, run in groupby(pattern):
        length = len(list(run)) * MODULE
        if bit == "1":
            bars.append(f'<rect x="{x:g}" y="0" width="{length:g}" height="{HEIGHT}"/>')
        x += length
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="barcode" width="{width:g}" '
        f'height="{HEIGHT}" viewBox="0 0 {width:g} {HEIGHT}" role="img" '
        f'aria-label="{escape(value)}"><rect width="100%" height="100%" fill="#fff"/>'
        f'<g fill="#000">{"".join(bars)}</g></svg>'
    )
