"""Draws the exercise illustrations: see README.md here."""
