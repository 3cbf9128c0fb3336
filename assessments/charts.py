"""
Progress charts drawn on the server as inline SVG: a test's range at symptom onset
(P1) and at maximum tolerated symptoms (P2) over the visits, one chart per test and
side, each visit's interpretation marked by a symbol and a colour.

Pure functions on plain values (no Django), so a chart is the same on every page
and easy to test. All text is escaped here: the returned markup is safe to embed.
"""

from dataclasses import dataclass
from datetime import date
from html import escape

WIDTH, HEIGHT = 380, 190
LEFT, RIGHT, TOP, BOTTOM = 40, 14, 14, 34
P1_COLOUR, P2_COLOUR = "#1f4e79", "#7a93ad"
MARKERS = {
    # interpretation: (colour, shape)
    "positive": ("#b3261e", "circle"),
    "negative": ("#2e7d32", "square"),
    "inconclusive": ("#a15c00", "triangle"),
}
LABELS = {"positive": "positive", "negative": "negative", "inconclusive": "inconclusive"}


@dataclass(frozen=True)
class Point:
    on: date
    p1: int | None
    p2: int | None
    interpretation: str


def marker(shape, x, y, colour, size=5.5):
    """One interpretation symbol centred on (x, y)."""
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:.1f}" fill="{colour}"/>'
    if shape == "square":
        s = size * 0.9
        return (
            f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}" '
            f'fill="{colour}"/>'
        )
    return (
        f'<polygon points="{x:.1f},{y - size - 1:.1f} {x + size + 0.5:.1f},{y + size - 1:.1f} '
        f'{x - size - 0.5:.1f},{y + size - 1:.1f}" fill="{colour}"/>'
    )


def legend_marker_svg(interpretation):
    """A small standalone SVG of one symbol, for legends."""
    colour, shape = MARKERS[interpretation]
    return (
        f'<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">'
        f"{marker(shape, 7, 7, colour, 5)}</svg>"
    )


def _scale(values):
    """The degrees shown on the y axis: the data's range rounded out to tens, at least
    40 degrees tall, within 0-180."""
    low, high = min(values), max(values)
    low = max(0, (low // 10) * 10 - 10)
    high = min(180, -(-high // 10) * 10 + 10)
    while high - low < 40:
        low, high = max(0, low - 10), min(180, high + 10)
    return low, high


def scale_of(values):
    """The y axis of charts that show ``values`` side by side, or ``None`` if none."""
    values = [value for value in values if value is not None]
    return _scale(values) if values else None


def _describe(point):
    parts = [point.on.strftime("%b %-d, %Y") + ":"]
    parts.append(f"P1 {point.p1}°" if point.p1 is not None else "P1 not measured")
    parts.append(f"P2 {point.p2}°" if point.p2 is not None else "P2 not measured")
    parts.append(LABELS.get(point.interpretation, point.interpretation))
    return " ".join(parts[:1]) + " " + ", ".join(parts[1:])


def progress_chart(title, points, *, chart_id, scale=None):
    """The SVG of one test on one side. ``points`` are in visit order; ``scale`` is
    the (low, high) of the y axis, to draw several charts alike (else from the points)."""
    points = list(points)
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    description = "; ".join(_describe(point) for point in points) or "No visits recorded."
    head = (
        f'<svg class="progress-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(description)}</desc>'
    )
    values = [value for point in points for value in (point.p1, point.p2) if value is not None]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    body = [
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fbfcfd" stroke="#d5dde5"/>'
    ]
    if not values:
        body.append(
            f'<text x="{LEFT + plot_w / 2}" y="{TOP + plot_h / 2}" text-anchor="middle" '
            f'font-size="12" fill="#5b6b79">No range recorded yet</text>'
        )
        return head + "".join(body) + "</svg>"
    low, high = scale or _scale(values)

    def y_of(value):
        return TOP + plot_h - (value - low) / (high - low) * plot_h

    def x_of(index):
        if len(points) == 1:
            return LEFT + plot_w / 2
        return LEFT + 16 + index * (plot_w - 32) / (len(points) - 1)

    step = 10 if high - low <= 60 else 20 if high - low <= 120 else 30
    for tick in range(int(low), int(high) + 1, step):
        y = y_of(tick)
        body.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e6ebf0"/>')
        body.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#5b6b79">{tick}°</text>'
        )
    label_every = max(1, -(-len(points) // 6))
    for index, point in enumerate(points):
        if index % label_every == 0 or index == len(points) - 1:
            body.append(
                f'<text x="{x_of(index):.1f}" y="{HEIGHT - 12}" text-anchor="middle" font-size="11" '
                f'fill="#5b6b79">{escape(point.on.strftime("%b %-d"))}</text>'
            )
    for attribute, colour, dash in (("p2", P2_COLOUR, ' stroke-dasharray="5 4"'), ("p1", P1_COLOUR, "")):
        coordinates = [
            (x_of(index), y_of(getattr(point, attribute)))
            for index, point in enumerate(points)
            if getattr(point, attribute) is not None
        ]
        if len(coordinates) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        if attribute == "p2":
            body.extend(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#fff" stroke="{colour}" stroke-width="2"/>'
                for x, y in coordinates
            )
    for index, point in enumerate(points):
        colour, shape = MARKERS.get(point.interpretation, MARKERS["inconclusive"])
        value = point.p1 if point.p1 is not None else point.p2
        if value is not None:
            body.append(marker(shape, x_of(index), y_of(value), colour))
    return head + "".join(body) + "</svg>"


def score_chart(title, points, *, chart_id, low, high, band=None, unit=""):
    """The SVG of one outcome measure over time: ``points`` are ``(date, value)``
    in order on a fixed ``low``-``high`` axis; ``band`` is the ``(from, to)`` range
    of values within the MCID of the first score, shaded so that a point outside it
    reads at a glance as a clinically important change."""
    points = list(points)
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    description = "; ".join(f"{on.strftime('%b %-d, %Y')}: {value}{unit}" for on, value in points)
    head = (
        f'<svg class="progress-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(description or "No score recorded yet.")}</desc>'
    )
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    low, high = float(low), float(high)

    def y_of(value):
        value = min(max(float(value), low), high)
        return TOP + plot_h - (value - low) / (high - low) * plot_h

    def x_of(index):
        if len(points) == 1:
            return LEFT + plot_w / 2
        return LEFT + 16 + index * (plot_w - 32) / (len(points) - 1)

    body = [
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fbfcfd" stroke="#d5dde5"/>'
    ]
    if band is not None:
        top, bottom = y_of(max(band)), y_of(min(band))
        body.append(
            f'<rect class="mcid-band" x="{LEFT}" y="{top:.1f}" width="{plot_w}" height="{bottom - top:.1f}" '
            f'fill="#e3edf7"/>'
        )
    for tick in (low, (low + high) / 2, high):
        y = y_of(tick)
        body.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e6ebf0"/>')
        body.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#5b6b79">{tick:g}{escape(unit)}</text>'
        )
    label_every = max(1, -(-len(points) // 6))
    for index, (on, _) in enumerate(points):
        if index % label_every == 0 or index == len(points) - 1:
            body.append(
                f'<text x="{x_of(index):.1f}" y="{HEIGHT - 12}" text-anchor="middle" font-size="11" '
                f'fill="#5b6b79">{escape(on.strftime("%b %-d"))}</text>'
            )
    coordinates = [(x_of(index), y_of(value)) for index, (_, value) in enumerate(points)]
    if len(coordinates) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
        body.append(f'<polyline points="{path}" fill="none" stroke="{P1_COLOUR}" stroke-width="2"/>')
    body.extend(marker("circle", x, y, P1_COLOUR, 4.5) for x, y in coordinates)
    return head + "".join(body) + "</svg>"
