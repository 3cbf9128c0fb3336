"""The pain trend as a small inline SVG: the highest pain logged each day, 0 to 10,
with the alert threshold dashed and the days that were worse an hour later marked."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

WIDTH, HEIGHT, PAD_X, PAD_Y = 320, 132, 24, 12
AXIS_Y = 130


def pain_svg(points, threshold):
    if not points:
        return ""
    first, last = points[0].date, points[-1].date
    span = max((last - first).days, 1)

    def x(point):
        return PAD_X + (WIDTH - 2 * PAD_X) * ((point.date - first).days / span if len(points) > 1 else 0.5)

    def y(value):
        return HEIGHT - 2 * PAD_Y - (HEIGHT - 3 * PAD_Y) * value / 10

    line = " ".join(f"{x(point):.1f},{y(point.pain):.1f}" for point in points)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="{}" fill="{}"><title>{}: pain {}/10{}</title></circle>',
        (
            (
                f"{x(p):.1f}",
                f"{y(p.pain):.1f}",
                5 if p.worse else 3.5,
                "#b3261e" if p.worse or p.pain >= threshold else "#1f4e79",
                p.date.isoformat(),
                p.pain,
                ", worse an hour later" if p.worse else "",
            )
            for p in points
        ),
    )
    summary = (
        f"Pain over {len(points)} day(s) from {first:%b} {first.day} to {last:%b} {last.day}: "
        f"latest {points[-1].pain}/10, highest {max(p.pain for p in points)}/10."
    )
    return format_html(
        '<svg class="pain-chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-label="{summary}">'
        '<line x1="{px}" x2="{rx}" y1="{ty}" y2="{ty}" stroke="#b3261e" stroke-dasharray="4 4"/>'
        '<text x="2" y="{ty}" font-size="9" fill="#b3261e" dominant-baseline="middle">{threshold}</text>'
        '<text x="2" y="{zy}" font-size="9" fill="#555" dominant-baseline="middle">0</text>'
        '<text x="2" y="{ty10}" font-size="9" fill="#555" dominant-baseline="middle">10</text>'
        '<text x="{px}" y="{ay}" font-size="9" fill="#555">{first}</text>'
        '<text x="{rx}" y="{ay}" font-size="9" fill="#555" text-anchor="end">{last}</text>'
        '<polyline points="{line}" fill="none" stroke="#1f4e79" stroke-width="2"/>{dots}</svg>',
        w=WIDTH,
        h=HEIGHT,
        summary=summary,
        px=PAD_X,
        rx=WIDTH - PAD_X,
        ty=f"{y(threshold):.1f}",
        zy=f"{y(0):.1f}",
        ty10=f"{y(10):.1f}",
        threshold=threshold,
        ay=AXIS_Y,
        first=f"{first:%b} {first.day}",
        last=f"{last:%b} {last.day}" if last != first else "",
        line=mark_safe(line),  # noqa: S308 -- numbers formatted above
        dots=dots,
    )
