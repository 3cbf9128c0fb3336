"""
A tiny engine for drawing flat, friendly people as SVG.

Poses are written in "model" coordinates: x to the right, y *up*, in units of about
a centimetre of body (a thigh is 46 long). A ``Drawing`` maps them onto the
300 x 240 view box through a ``View`` (a uniform scale and a shift), which the build
chooses per exercise so that every movement of one exercise shares the same scale
and the person does not jump between pictures.

Body parts are outlined capsules. Within one ``Drawing.group`` every outline is
painted before any fill, so overlapping parts of a limb merge into one silhouette
instead of showing the seams between them.

Round outlines (capsules, circles, ellipses, hair, arrows) are written as cubic
Bézier curves, one to a half turn, rather than as polygons of a side every ten
degrees: WeasyPrint reads and draws every point of a path in Python, so the handout
prints faster with far fewer points, and the curves are rounder too. The
polygons are still worked out, only to choose the view, so that every picture keeps
the scale and place it had when it was drawn with them.

The arithmetic here is deliberately kept exactly as the committed drawings were made
with: reordering an expression can move a coordinate by one in the last decimal and
make the regenerated SVGs differ from the committed ones.
"""

import html
import math
from typing import NamedTuple

VIEW_WIDTH, VIEW_HEIGHT = 300, 240
FLOOR_Y = 18  # model y of the floor line

INK = "#1f3a4d"
OUTLINE = 3.0  # visible outline thickness: strokes are twice this, the fill covers the inner half
SKIN = "#f8dcc4"
SHIRT = "#cfe5ee"
PANTS = "#a8c3d3"
SHOE = "#3f5f74"
HAIR = "#2a4659"
PROP_INK = "#7f95a3"
PROP_FILL = "#eef3f6"
MAT_FILL = "#dcebf1"
ACCENT = "#d9822b"  # movement arrows
ARROW_WIDTH = 3.6
ARROW_HEAD = 7.5


def mix(hex_color, t, other="#ffffff"):
    """The colour a fraction ``t`` of the way from ``hex_color`` to ``other``."""
    a = [int(hex_color[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=True))


class Palette(NamedTuple):
    skin: str
    shirt: str
    pants: str
    shoe: str
    ink: str


NEAR = Palette(SKIN, SHIRT, PANTS, SHOE, INK)
# Limbs on the far side of a side-view body are duller, so they read as behind it.
FAR = Palette(
    skin=mix(SKIN, 0.15, "#c9b3a3"),
    shirt=mix(SHIRT, 0.18, "#8fa9b6"),
    pants=mix(PANTS, 0.22, "#6f8fa3"),
    shoe=mix(SHOE, 0.25),
    ink="#59768a",
)


# ---------------------------------------------------------------- points and angles (degrees)
def to_radians(degrees):
    """Written out rather than ``math.radians``, which rounds differently in the last bit."""
    return degrees * math.pi / 180


def unit(angle):
    return (math.cos(to_radians(angle)), math.sin(to_radians(angle)))


def add(*points):
    return (sum(p[0] for p in points), sum(p[1] for p in points))


def sub(a, b):
    return (a[0] - b[0], a[1] - b[1])


def mul(p, k):
    return (p[0] * k, p[1] * k)


def length(p):
    return math.hypot(p[0], p[1])


def dist(a, b):
    return length(sub(a, b))


def normalize(p):
    n = length(p) or 1.0
    return (p[0] / n, p[1] / n)


def rotate(p, angle):
    c, s = math.cos(to_radians(angle)), math.sin(to_radians(angle))
    return (p[0] * c - p[1] * s, p[0] * s + p[1] * c)


def angle_of(p):
    return math.degrees(math.atan2(p[1], p[0]))


def lerp(a, b, t):
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def polar(origin, distance, angle):
    """The point ``distance`` away from ``origin`` at ``angle``."""
    return add(origin, mul(unit(angle), distance))


def bezier(p0, control, p2, t):
    """A point of the quadratic Bezier curve from ``p0`` to ``p2``."""
    return add(mul(p0, (1 - t) ** 2), mul(control, 2 * (1 - t) * t), mul(p2, t * t))


def middle_joint(root, target, first, second, bend=1):
    """
    Where the knee (or elbow) goes when a two-bone limb of lengths ``first`` and
    ``second`` reaches from ``root`` to ``target``: ``bend=+1`` puts it counter-clockwise
    of the line root->target, ``-1`` clockwise. An unreachable target is reached for.
    """
    d = dist(root, target)
    d = max(min(d, first + second - 1e-6), abs(first - second) + 1e-6)
    a = angle_of(sub(target, root))
    cos_b = (first * first + d * d - second * second) / (2 * first * d)
    b = math.degrees(math.acos(max(-1, min(1, cos_b))))
    return polar(root, first, a + bend * b)


def circle_intersection(c1, r1, c2, r2, pick=1):
    """Where two circles meet; ``pick=+1`` the point counter-clockwise of c1->c2."""
    d = dist(c1, c2)
    a = (r1 * r1 - r2 * r2 + d * d) / (2 * d)
    h = math.sqrt(max(r1 * r1 - a * a, 0))
    m = add(c1, mul(normalize(sub(c2, c1)), a))
    n = rotate(normalize(sub(c2, c1)), 90)
    return add(m, mul(n, pick * h))


# ---------------------------------------------------------------- outlines
class Path(NamedTuple):
    """
    A path of straight and curved pieces: from ``start``, each segment is ``(point,)``
    (a straight line to it) or ``(control, control, point)`` (a cubic Bézier curve).
    ``samples`` are points along the path (the polygon it used to be drawn as), which
    count when the view is fitted; the path itself is what the SVG draws.
    """

    start: tuple
    segments: tuple
    samples: list

    def reversed(self):
        """The same path, walked the other way."""
        points = [self.start] + [segment[-1] for segment in self.segments]
        segments = []
        for i in range(len(self.segments) - 1, -1, -1):
            segment = self.segments[i]
            if len(segment) == 1:
                segments.append((points[i],))
            else:
                segments.append((segment[1], segment[0], points[i]))
        return Path(points[-1], tuple(segments), self.samples[::-1])

    def __add__(self, other):
        """This path, then a straight line to ``other``'s start, then ``other``."""
        return Path(
            self.start, (*self.segments, (other.start,), *other.segments), self.samples + other.samples
        )


# The widest turn one Bézier curve follows. At half a circle it strays outward from the
# arc by under 2% of the radius: for the largest round part, the head, a few hundredths
# of a millimetre on the printed picture. Each curve fewer is six numbers fewer for
# WeasyPrint to read and write at every print.
ARC_STEP = 180


def arc_path(centre, rx, start, end, ry=None, tilt=0, samples=()):
    """The arc of the ellipse of semi-axes ``rx`` and ``ry`` (default: a circle),
    its ``rx`` axis turned to ``tilt``, from angle ``start`` to ``end``, as Bézier
    curves."""
    ry = rx if ry is None else ry

    def at(angle):
        t = to_radians(angle)
        return add(centre, rotate((rx * math.cos(t), ry * math.sin(t)), tilt))

    def tangent(angle):
        t = to_radians(angle)
        return rotate((-rx * math.sin(t), ry * math.cos(t)), tilt)

    count = max(1, math.ceil(abs(end - start) / ARC_STEP - 1e-9))
    step = (end - start) / count
    k = 4 / 3 * math.tan(to_radians(step) / 4)
    segments = []
    for i in range(count):
        a, b = start + step * i, start + step * (i + 1)
        end_point = at(b)
        segments.append((add(at(a), mul(tangent(a), k)), sub(end_point, mul(tangent(b), k)), end_point))
    return Path(at(start), tuple(segments), list(samples))


def quadratic_path(p0, control, p2, samples=()):
    """The quadratic Bézier curve from ``p0`` to ``p2`` (as the cubic that is the same curve)."""
    c1 = add(p0, mul(sub(control, p0), 2 / 3))
    c2 = add(p2, mul(sub(control, p2), 2 / 3))
    return Path(p0, ((c1, c2, p2),), list(samples))


def arc_points(centre, radius, start=0, end=360, steps=None):
    steps = steps or max(8, int(abs(end - start) / 10))
    return [polar(centre, radius, start + (end - start) * i / steps) for i in range(steps + 1)]


def circle(centre, radius):
    return arc_path(centre, radius, 0, 360, samples=arc_points(centre, radius, 0, 360, 36)[:-1])


def ellipse_points(centre, rx, ry, angle=0, steps=36):
    points = []
    for i in range(steps):
        t = to_radians(360 * i / steps)
        points.append(add(centre, rotate((rx * math.cos(t), ry * math.sin(t)), angle)))
    return points


def ellipse(centre, rx, ry, angle=0, steps=36):
    """An ellipse with semi-axes ``rx``, ``ry``, the ``rx`` axis turned to ``angle``."""
    return arc_path(centre, rx, 0, 360, ry, angle, samples=ellipse_points(centre, rx, ry, angle, steps))


def capsule(p1, r1, p2, r2):
    """The outline of two discs and everything between them: a limb segment."""
    d = dist(p1, p2)
    if d <= abs(r1 - r2) + 0.01:
        return circle(p1 if r1 >= r2 else p2, max(r1, r2))
    a = angle_of(sub(p2, p1))
    phi = math.degrees(math.acos(max(-1, min(1, (r1 - r2) / d))))
    return arc_path(p2, r2, a - phi, a + phi, samples=arc_points(p2, r2, a - phi, a + phi)) + arc_path(
        p1, r1, a + phi, a + 360 - phi, samples=arc_points(p1, r1, a + phi, a + 360 - phi)
    )


def counter_clockwise(shape):
    """``shape`` (a ``Path`` or a list of points) turning counter-clockwise (y up)."""
    points = shape.samples if isinstance(shape, Path) else shape
    area = sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(points, points[1:] + points[:1], strict=True))
    if area >= 0:
        return shape
    return shape.reversed() if isinstance(shape, Path) else shape[::-1]


# ---------------------------------------------------------------- the SVG picture
class View(NamedTuple):
    """Model to view-box mapping: scale, then shift (the SVG's y axis is flipped on output)."""

    scale: float = 1.0
    dx: float = 0.0
    dy: float = 0.0

    def apply(self, p):
        return (self.scale * p[0] + self.dx, self.scale * p[1] + self.dy)

    def model_x(self, view_x):
        return (view_x - self.dx) / self.scale


IDENTITY = View()


class Drawing:
    """
    One SVG picture. Besides the SVG markup it records the extent of everything drawn
    (in model coordinates), which ``fit_view`` uses to choose the picture's ``View``.
    """

    def __init__(self, title, view=IDENTITY):
        self.title = title
        self.view = view
        self.xs = []
        self.ys = []
        self.parts = []

    def include(self, point):
        """Make room for ``point`` when fitting, without drawing anything there."""
        self.xs.append(point[0])
        self.ys.append(point[1])

    def coords(self, point, fit=True):
        """``point`` as SVG "x,y" text; ``fit=False`` keeps it out of the fitted extent."""
        if fit:
            self.include(point)
        x, y = self.view.apply(point)
        return f"{x:.1f},{VIEW_HEIGHT - y:.1f}"

    def _polyline(self, points, fit=True):
        """SVG path data of ``points`` joined by straight lines, or of a ``Path``."""
        if not isinstance(points, Path):
            return "M" + " L".join(self.coords(p, fit) for p in points)
        if fit:
            for point in points.samples:
                self.include(point)
        data = ["M" + self.coords(points.start, fit=False)]
        for segment in points.segments:
            pieces = " ".join(self.coords(p, fit=False) for p in segment)
            data.append(("L" if len(segment) == 1 else "C") + pieces)
        return " ".join(data)

    def _polygon(self, points, fit=True):
        return self._polyline(points, fit) + " Z"

    def group(self, shapes, ink=INK, bleed=()):
        """
        Paint ``(points, fill)`` shapes as one silhouette: all outlines, then all fills.
        ``bleed`` shapes are painted first and may run off the picture: they are left
        out when fitting (the legs under a half-length figure).

        The outlines are one path, and each run of shapes of one fill is one path: the
        renderer's work grows with every element. Every shape is turned the same way
        round first, so that where two of one path overlap they add up instead of
        cutting a hole (SVG's non-zero fill rule).
        """
        paths = [(self._polygon(counter_clockwise(points), fit=False), fill) for points, fill in bleed]
        paths += [(self._polygon(counter_clockwise(points)), fill) for points, fill in shapes]
        outline = " ".join(d for d, _ in paths)
        self.parts.append(
            f'<path d="{outline}" fill="{ink}" stroke="{ink}" stroke-width="{2 * OUTLINE:.1f}" '
            f'stroke-linejoin="round"/>'
        )
        runs = []
        for d, fill in paths:
            if runs and runs[-1][1] == fill:
                runs[-1][0].append(d)
            else:
                runs.append(([d], fill))
        for ds, fill in runs:
            self.parts.append(f'<path d="{" ".join(ds)}" fill="{fill}"/>')

    def shape(self, points, fill, stroke=INK, width=2 * OUTLINE):
        """A single closed shape with its own outline (props, hair, ears)."""
        self.parts.append(
            f'<path d="{self._polygon(points)}" fill="{fill}" stroke="{stroke}" stroke-width="{width}" '
            f'stroke-linejoin="round" stroke-linecap="round"/>'
        )

    def line(self, points, color=INK, width=2.0):
        self.parts.append(
            f'<path d="{self._polyline(points)}" fill="none" stroke="{color}" stroke-width="{width}" '
            f'stroke-linecap="round" stroke-linejoin="round"/>'
        )

    def dot(self, centre, radius, color=INK):
        """A small filled circle (an eye); not counted when fitting."""
        x, y = self.view.apply(centre)
        self.parts.append(
            f'<circle cx="{x:.1f}" cy="{VIEW_HEIGHT - y:.1f}" r="{radius * self.view.scale:.2f}" '
            f'fill="{color}"/>'
        )

    def raw(self, markup):
        """Markup in view-box coordinates, outside the model (and left out when fitting)."""
        self.parts.append(markup)

    def arrow(self, start, end, bend=0.0):
        """A movement arrow curving from ``start`` to ``end``, bulging ``bend`` to its left."""
        mid = lerp(start, end, 0.5)
        control = add(mid, mul(rotate(normalize(sub(end, start)), 90), bend))

        def part(t):
            # The curve from its start to ``t``: the first of its two halves at ``t``.
            return quadratic_path(start, lerp(start, control, t), bezier(start, control, end, t))

        self._arrow_along([bezier(start, control, end, i / 24) for i in range(25)], lambda i: part(i / 24))

    def arc_arrow(self, centre, radius, start, end, ry=None, tilt=0):
        """
        A movement arrow along a circle (or an ellipse with vertical semi-axis ``ry``,
        turned by ``tilt``) from angle ``start`` to angle ``end``: a turn about a joint.
        """
        ry = ry or radius
        points = []
        for i in range(31):
            t = to_radians(start + (end - start) * i / 30)
            points.append(add(centre, rotate((radius * math.cos(t), ry * math.sin(t)), tilt)))

        def part(i):
            return arc_path(centre, radius, start, start + (end - start) * i / 30, ry, tilt)

        self._arrow_along(points, part)

    def _arrow_along(self, points, part):
        """The arrow whose curve passes through ``points``; ``part(i)`` is the curve from
        its start to ``points[i]``."""
        head = ARROW_HEAD
        end = points[-1]
        # Aim the head along the last stretch of the curve, not its very last step.
        before = next((p for p in reversed(points[:-1]) if dist(p, end) > head * 0.9), points[0])
        u = normalize(sub(end, before))
        n = rotate(u, 90)
        base = sub(end, mul(u, head * 0.75))
        tip = [add(end, mul(u, head * 0.45)), add(base, mul(n, head * 0.62)), add(base, mul(n, -head * 0.62))]
        # The shaft follows the curve as far as the head, then runs straight into it.
        kept = [i for i, p in enumerate(points) if dist(p, end) > head * 0.55]
        if kept != list(range(len(kept))):
            raise ValueError("an arrow's curve comes back near its head; draw it shorter")
        curve = part(kept[-1])
        shaft = Path(curve.start, (*curve.segments, (base,)), [points[i] for i in kept] + [base])
        self.parts.append(
            f'<path d="{self._polyline(shaft)}" fill="none" stroke="{ACCENT}" stroke-width="{ARROW_WIDTH}" '
            f'stroke-linecap="round" stroke-linejoin="round"/>'
        )
        self.parts.append(
            f'<path d="{self._polygon(tip)}" fill="{ACCENT}" stroke="{ACCENT}" '
            f'stroke-width="1.2" stroke-linejoin="round"/>'
        )

    def svg(self):
        body = "\n  ".join(self.parts)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {VIEW_WIDTH} {VIEW_HEIGHT}" '
            f'role="img" aria-label="{html.escape(self.title)}">\n'
            f"  <title>{html.escape(self.title, quote=False)}</title>\n  {body}\n</svg>\n"
        )


def fit_view(drawings, margin=12, max_scale=2.2):
    """The view that centres everything the drawings drew and fits it in the view box."""
    xs = [x for drawing in drawings for x in drawing.xs]
    ys = [y for drawing in drawings for y in drawing.ys]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    scale = min((VIEW_WIDTH - 2 * margin) / (x1 - x0), (VIEW_HEIGHT - 2 * margin) / (y1 - y0), max_scale)
    return View(
        scale,
        VIEW_WIDTH / 2 - scale * (x0 + x1) / 2,
        VIEW_HEIGHT / 2 - scale * (y0 + y1) / 2,
    )


# ---------------------------------------------------------------- props
def ground(dr, y=FLOOR_Y, view_x0=12, view_x1=288):
    """The floor line, always across the whole picture whatever the scale."""
    dr.ys.append(y)  # the floor counts for the height of the picture, not its width
    start = (dr.view.model_x(view_x0), y)
    end = (dr.view.model_x(view_x1), y)
    dr.raw(
        f'<path d="M{dr.coords(start, fit=False)} L{dr.coords(end, fit=False)}" fill="none" '
        f'stroke="{PROP_INK}" stroke-width="3" stroke-linecap="round"/>'
    )


def chair(dr, seat_front, seat_y, depth=52, back_height=62, floor_y=FLOOR_Y):
    """A side-view chair facing right; ``seat_front`` is the x of the seat's front edge."""
    x1 = seat_front
    x0 = x1 - depth
    dr.line([(x0 + 5, seat_y - 4), (x0 + 2, floor_y)], PROP_INK, 4.5)
    dr.line([(x1 - 5, seat_y - 4), (x1 - 3, floor_y)], PROP_INK, 4.5)
    dr.line([(x0 + 6, floor_y + 14), (x1 - 5, floor_y + 14)], PROP_INK, 3)
    dr.line([(x0 + 3, seat_y), (x0 - 4, seat_y + back_height)], PROP_INK, 5)
    dr.shape([(x0, seat_y), (x1, seat_y), (x1, seat_y - 6), (x0, seat_y - 6)], PROP_FILL, PROP_INK, 3)


def mat(dr, x0, x1, top, thickness):
    """An exercise mat seen from the side."""
    dr.shape([(x0, top), (x1, top), (x1, top - thickness), (x0, top - thickness)], MAT_FILL, PROP_INK, 3)


def pillow(dr, centre, width, height, fill=PROP_FILL):
    dr.shape(ellipse(centre, width / 2, height / 2, 0), fill, PROP_INK, 3)


def floor_mat(dr):
    """A mat seen from above, filling the whole picture (for lying poses seen from above)."""
    dr.raw(
        f'<rect x="8" y="8" width="284" height="224" rx="12" fill="{MAT_FILL}" '
        f'stroke="{PROP_INK}" stroke-width="3"/>'
    )


# ---------------------------------------------------------------- side-view person, facing +x
THIGH, SHIN, UPPER_ARM, FOREARM, TRUNK, NECK, HEAD_RADIUS = 46, 44, 32, 27, 56, 9, 12.0


class Leg(NamedTuple):
    knee: tuple
    ankle: tuple
    foot_angle: float  # direction from the ankle to the toes; 0 is flat, toes forward


class Arm(NamedTuple):
    elbow: tuple
    wrist: tuple
    hand_angle: float  # direction the fingers point
    grip: str  # side view: "clasp" (hands together) or "flat" (on a surface); front view: "open" or "fist"


def shoulder_joints(hip, shoulder):
    """
    Near and far shoulder joints of a side-view person whose trunk runs from ``hip`` to
    ``shoulder`` (the top of the trunk): poses need them to place the arms.
    """
    along = normalize(sub(shoulder, hip))
    front = rotate(along, -90)
    near = add(shoulder, mul(front, 1.0), mul(along, -2.5))
    return near, add(near, (-1, 1))


def _neck_and_head(hip, shoulder, curve, neck_angle, head_angle):
    """Base and top of the neck and the head's centre, following the curved trunk."""
    along = normalize(sub(shoulder, hip))
    front = rotate(along, -90)
    control = add(lerp(hip, shoulder, 0.5), mul(rotate(along, 90), curve))
    top = add(shoulder, mul(front, 1.2))
    neck_base = add(top, mul(normalize(sub(top, bezier(hip, control, shoulder, 0.85))), 4), mul(front, 2.5))
    neck_top = polar(neck_base, NECK, neck_angle)
    face = unit(head_angle)
    head_centre = add(neck_top, mul(face, 0.18 * HEAD_RADIUS), mul(rotate(face, 90), 0.8 * HEAD_RADIUS))
    return neck_base, neck_top, head_centre


def side_head_centre(hip, shoulder, curve, neck_angle, head_angle):
    """Where ``side_person`` puts the head: for placing a pillow under it."""
    return _neck_and_head(hip, shoulder, curve, neck_angle, head_angle)[2]


def _foot(ankle, angle, fill):
    forward = unit(angle)
    up = rotate(forward, 90)

    def local(x, y):
        return add(ankle, mul(forward, x), mul(up, y))

    return [
        (capsule(ankle, 4.8, local(-3.5, -3.5), 5.0), fill),
        (capsule(local(-3.5, -4.0), 4.6, local(15, -4.6), 3.4), fill),
        (capsule(ankle, 4.6, local(9, -2.2), 3.8), fill),
    ]


def _side_leg(dr, hip, leg, palette):
    shapes = [
        (capsule(hip, 11.5, leg.knee, 7.2), palette.pants),
        (capsule(leg.knee, 7.0, leg.ankle, 4.7), palette.pants),
    ]
    dr.group(shapes + _foot(leg.ankle, leg.foot_angle, palette.shoe), palette.ink)


def _side_hand(wrist, angle, grip, fill):
    if grip == "clasp":
        return [(circle(polar(wrist, 5.5, angle), 6.8), fill)]
    if grip == "flat":
        return [(capsule(wrist, 4.2, polar(wrist, 13, angle), 3.0), fill)]
    raise ValueError(f"side-view hands are 'clasp' or 'flat', not {grip!r}")


def _side_arm(dr, shoulder_joint, arm, palette):
    shapes = [
        (capsule(shoulder_joint, 7.0, arm.elbow, 5.4), palette.shirt),
        (capsule(arm.elbow, 5.2, arm.wrist, 4.0), palette.shirt),
    ]
    dr.group(shapes + _side_hand(arm.wrist, arm.hand_angle, arm.grip, palette.skin), palette.ink)


def _side_head(dr, centre, angle):
    r = HEAD_RADIUS
    face = unit(angle)
    up = rotate(face, 90)

    def local(x, y):
        return add(centre, mul(face, x * r), mul(up, y * r))

    dr.group(
        [
            (ellipse(centre, r * 1.02, r * 0.98, angle), SKIN),
            (capsule(local(0.05, -0.45), 0.45 * r, local(0.58, -0.66), 0.3 * r), SKIN),  # jaw
            ([local(0.82, 0.22), local(1.2, -0.2), local(0.86, -0.32)], SKIN),  # nose
        ]
    )
    # hair: a cap over the top and back of the head
    crown = [
        add(centre, rotate((r * 1.06 * math.cos(to_radians(t)), r * 1.02 * math.sin(to_radians(t))), angle))
        for t in range(62, 218, 6)
    ]
    fringe = [local(-0.86, -0.42), local(-0.25, 0.42), local(0.5, 0.86)]
    hair = arc_path(centre, r * 1.06, 62, 212, r * 1.02, angle, samples=crown) + quadratic_path(
        *fringe, samples=[bezier(*fringe, i / 8) for i in range(9)]
    )
    dr.shape(hair, HAIR, INK, 2.0)
    dr.shape(ellipse(local(-0.2, -0.16), 2.4, 3.2, angle), SKIN, INK, 2.0)  # ear
    dr.dot(local(0.56, 0.12), 1.7)  # eye
    dr.line([local(0.72, -0.42), local(0.9, -0.46)], INK, 1.6)  # mouth


def _side_trunk(dr, hip, shoulder, curve, neck_base, neck_top):
    """Trunk from hip to shoulder bowed ``curve`` toward the back, chest a little forward, and neck."""
    along = normalize(sub(shoulder, hip))
    back = rotate(along, 90)
    front = rotate(along, -90)
    control = add(lerp(hip, shoulder, 0.5), mul(back, curve))
    spine = [0.0, 0.25, 0.5, 0.75, 1.0]
    radii = [11.5, 11.6, 12.6, 13.8, 11.0]
    chest = [0, 0.5, 0.8, 1.6, 1.2]
    centres = [
        add(bezier(hip, control, shoulder, t), mul(front, o)) for t, o in zip(spine, chest, strict=True)
    ]
    shapes = [(capsule(hip, 11.5, centres[1], 11.8), PANTS)]
    shapes += [(capsule(centres[i], radii[i], centres[i + 1], radii[i + 1]), SHIRT) for i in range(1, 4)]
    shapes.append((capsule(neck_base, 5.6, neck_top, 5.0), SKIN))
    dr.group(shapes)


def side_person(dr, hip, shoulder, curve, neck_angle, head_angle, near_leg, far_leg, near_arm, far_arm):
    """
    Draw a person seen from their right side, facing +x, and return the top of the
    neck (the pivot for nodding arrows).

    ``shoulder`` is the top of the trunk and ``curve`` how far the back bows out
    (negative: arched). ``near_leg``/``far_leg`` are ``Leg``s and ``near_arm``/``far_arm``
    ``Arm``s, all in model coordinates; the far ones are painted first and duller, and
    ``far_arm`` may be None when it is hidden.
    """
    near_joint, far_joint = shoulder_joints(hip, shoulder)
    neck_base, neck_top, head_centre = _neck_and_head(hip, shoulder, curve, neck_angle, head_angle)
    if far_arm:
        _side_arm(dr, far_joint, far_arm, FAR)
    _side_leg(dr, hip, far_leg, FAR)
    _side_trunk(dr, hip, shoulder, curve, neck_base, neck_top)
    _side_head(dr, head_centre, head_angle)
    _side_leg(dr, hip, near_leg, NEAR)
    _side_arm(dr, near_joint, near_arm, NEAR)
    return neck_top


# ---------------------------------------------------------------- front-view upper body, facing the viewer
FRONT_UPPER_ARM, FRONT_FOREARM = 31, 26


class FrontFigure(NamedTuple):
    right_shoulder: tuple  # "right" in the front view always means the viewer's right (+x)
    neck_base: tuple


def _front_head(dr, neck_top, tilt):
    """Head on the neck, tilted ``tilt`` degrees toward the viewer's right."""
    up = unit(90 - tilt)
    right = rotate(up, -90)
    centre = add(neck_top, mul(up, 11.5))

    def local(x, y):
        return add(centre, mul(right, x), mul(up, y))

    dr.group(
        [
            (ellipse(local(-11.6, -1), 2.8, 3.8, -tilt), SKIN),  # ears
            (ellipse(local(11.6, -1), 2.8, 3.8, -tilt), SKIN),
            (ellipse(centre, 11.5, 13.5, -tilt), SKIN),
        ]
    )
    crown = [local(13.0 * math.cos(to_radians(a)), 14.6 * math.sin(to_radians(a))) for a in range(-8, 189, 6)]
    fringe = [local(-12.2, 1.5), local(-3, 7.5), local(12.2, 3.5)]
    hair = arc_path(centre, 13.0, -8, 184, 14.6, -tilt, samples=crown) + quadratic_path(
        *fringe, samples=[bezier(*fringe, i / 8) for i in range(9)]
    )
    dr.shape(hair, HAIR, INK, 2.0)
    dr.dot(local(-4.4, -1.2), 1.7)
    dr.dot(local(4.4, -1.2), 1.7)
    mouth = [local(-3.6, -6.5), local(0, -9.4), local(3.6, -6.5)]
    dr.line(quadratic_path(*mouth, samples=[bezier(*mouth, i / 6) for i in range(7)]), INK, 1.6)


def _front_arm(dr, shoulder_joint, arm, thumb_side):
    wrist, angle = arm.wrist, arm.hand_angle
    shapes = [
        (capsule(shoulder_joint, 7.0, arm.elbow, 5.4), SHIRT),
        (capsule(arm.elbow, 5.2, wrist, 4.0), SHIRT),
    ]
    if arm.grip == "fist":
        shapes.append((ellipse(polar(wrist, 4.5, angle), 6.2, 5.4, angle), SKIN))
    else:  # an open hand seen edge-on, the thumb toward thumb_side (+1: left of the fingers)
        thumb_tip = add(polar(wrist, 7.5, angle), mul(unit(angle + 90 * thumb_side), 3.2))
        shapes.append((capsule(wrist, 4.3, polar(wrist, 13, angle), 3.3), SKIN))
        shapes.append((capsule(polar(wrist, 2.5, angle), 3.2, thumb_tip, 2.2), SKIN))
    dr.group(shapes)


def front_person(dr, tilt, right_arm, left_arm, right_drop=0.0):
    """
    Draw an upper body seen from the front, head tilted ``tilt`` degrees toward the
    viewer's right; the legs run off the bottom of the picture.

    ``right_arm``/``left_arm`` are functions from the shoulder joint to an ``Arm``, so
    that a pose can be written relative to the shoulder. The right arm is the one at
    +x; ``right_drop`` lowers its shoulder.
    """
    x0, y0 = 150, 60

    def body(x, y):
        return (x0 + x, y0 + y)

    right_joint = (x0 + 23, y0 + 50 - right_drop)
    left_joint = (x0 - 23, y0 + 50)
    legs = [
        (capsule(body(-10.5, -2), 11.5, body(-12.5, -70), 9.5), PANTS),
        (capsule(body(10.5, -2), 11.5, body(12.5, -70), 9.5), PANTS),
    ]
    dr.include(body(0, -6))  # the picture's bottom edge crosses the thighs here
    shirt = [
        body(20.5, 8), body(18.5, 24), body(20.5, 38), body(22.5, 45),
        (right_joint[0] + 2, right_joint[1] + 3), (right_joint[0] - 4, right_joint[1] + 7),
        body(8, 56), body(-8, 56),
        (left_joint[0] + 4, left_joint[1] + 7), (left_joint[0] - 2, left_joint[1] + 3),
        body(-22.5, 45), body(-20.5, 38), body(-18.5, 24), body(-20.5, 8),
    ]  # fmt: skip
    pants = [body(-21, -8), body(21, -8), body(21.2, 4), body(20.6, 12), body(-20.6, 12), body(-21.2, 4)]
    neck_base = body(0, 54)
    neck_top = add(neck_base, mul(unit(90 - tilt * 0.55), 9))
    trunk = [
        (pants, PANTS),
        (shirt, SHIRT),
        (circle(right_joint, 8.2), SHIRT),
        (circle(left_joint, 8.2), SHIRT),
        (capsule(neck_base, 6.2, neck_top, 5.6), SKIN),
    ]
    dr.group(trunk, bleed=legs)
    _front_head(dr, neck_top, tilt)
    _front_arm(dr, left_joint, left_arm(left_joint), thumb_side=-1)
    _front_arm(dr, right_joint, right_arm(right_joint), thumb_side=1)
    return FrontFigure(right_joint, neck_base)
