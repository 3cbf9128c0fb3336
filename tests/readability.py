"""How easily a patient reads a text: the Fernández-Huerta score for Spanish.

Fernández Huerta (1959) adapted Flesch's reading ease to Spanish::

    206.84 - 60 * (syllables per word) - 1.02 * (words per sentence)

(the published formula, with its per-100-words terms written per word). 70 and above
reads "fairly easy" and 80 and above "easy"; the handout must score at least 70.

Words are runs of letters (the log grid's day numbers are not words). Sentences end
at a full stop, a question or exclamation mark, a colon or a semicolon: headings and
table cells without punctuation count as part of the sentence that follows, which
only makes the score stricter. Syllables are counted with pyphen's Spanish
hyphenation dictionary, allowing one-letter syllables at either end of a word.
"""

import re

import pyphen

WORD = re.compile(r"[^\W\d_]+")
SENTENCE_END = re.compile(r"[.!?;:]+(?=\s|$)")

_spanish = pyphen.Pyphen(lang="es", left=1, right=1)


def spanish_syllables(word):
    return len(_spanish.positions(word.lower())) + 1


def fernandez_huerta(text):
    words = WORD.findall(text)
    sentences = [part for part in SENTENCE_END.split(text) if WORD.search(part)]
    syllables = sum(spanish_syllables(word) for word in words)
    return 206.84 - 60 * syllables / len(words) - 1.02 * len(words) / len(sentences)
