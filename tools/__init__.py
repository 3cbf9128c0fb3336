"""Generator of the exercise drawings in assessments/static/assessments/exercises/."""
