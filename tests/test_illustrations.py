"""The committed exercise drawings are exactly what tools/illustrations draws, so they never drift apart."""

from tools.illustrations.build import STATIC_DIR, build

EXERCISES_DIR = "assessments/exercises"


def svgs(directory):
    return {path.name: path.read_bytes() for path in directory.glob("*.svg")}


def test_regenerating_the_drawings_reproduces_the_committed_svgs(tmp_path):
    build(out_dir=tmp_path)

    drawn = svgs(tmp_path / EXERCISES_DIR)
    committed = svgs(STATIC_DIR / EXERCISES_DIR)
    assert sorted(drawn) == sorted(committed), "a drawing is missing or has no pose"
    changed = sorted(name for name in drawn if drawn[name] != committed[name])
    assert not changed, f"out of date: {changed}; run `make drawings` and commit the SVGs"
