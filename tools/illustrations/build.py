"""
Regenerate the exercise drawings from the poses, from the repository root:

    python -m tools.illustrations.build [SLUG ...]

Without slugs every exercise of ``assessments.exercise_library`` is drawn. Each
movement's SVG goes to its ``illustration`` path under ``assessments/static/``, with
the movement's ``illustration_alt`` as its title.
"""

import argparse
import sys
from pathlib import Path

from assessments.exercise_library import EXERCISES

from .engine import Drawing, fit_view
from .poses import POSES

STATIC_DIR = Path(__file__).resolve().parents[2] / "assessments" / "static"


def missing_poses(exercises):
    """The (slug, movement number) pairs that have no pose yet."""
    return [
        (exercise["slug"], number)
        for exercise in exercises
        for number in range(1, len(exercise["movements"]) + 1)
        if (exercise["slug"], number) not in POSES
    ]


def render_exercise(exercise):
    """
    ``(illustration path, SVG text)`` for each movement of ``exercise``. All of them
    share one view, fitted to all the poses together, so that the person keeps the same
    size and place from one picture to the next and only the movement changes.
    """
    movements = exercise["movements"]
    poses = [POSES[(exercise["slug"], number)] for number in range(1, len(movements) + 1)]
    sketches = []
    for draw in poses:
        sketch = Drawing(title="")
        draw(sketch)
        sketches.append(sketch)
    view = fit_view(sketches)
    rendered = []
    for movement, draw in zip(movements, poses, strict=True):
        drawing = Drawing(movement["illustration_alt"], view)
        draw(drawing)
        rendered.append((movement["illustration"], drawing.svg()))
    return rendered


def build(out_dir=STATIC_DIR, slugs=None):
    """Write the drawings of the exercises named by ``slugs`` (default: all) under ``out_dir``."""
    exercises = [exercise for exercise in EXERCISES if not slugs or exercise["slug"] in slugs]
    missing = missing_poses(exercises)
    if missing:
        raise LookupError(f"no pose in tools/illustrations/poses.py for {missing}")
    written = []
    for exercise in exercises:
        for illustration, svg in render_exercise(exercise):
            path = Path(out_dir) / illustration
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(svg, encoding="utf-8")
            written.append(path)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.illustrations.build", description=__doc__.strip())
    parser.add_argument("slugs", nargs="*", metavar="SLUG", help="exercise slugs to draw (default: all)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.slugs) - {exercise["slug"] for exercise in EXERCISES})
    if unknown:
        parser.error(f"no exercise with slug {', '.join(unknown)}")
    try:
        written = build(slugs=args.slugs)
    except LookupError as error:
        sys.exit(str(error))
    for path in written:
        print(f"wrote {path.relative_to(STATIC_DIR.parents[1])}")


if __name__ == "__main__":
    main()
