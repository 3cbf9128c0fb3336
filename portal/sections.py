"""
Sections that other apps add to the patient's page, under today's sessions.

An app registers a function in its ``AppConfig.ready``; the page calls each with the
request and the open link, in the patient's language, and shows the HTML it returns
(nothing when it returns an empty string). The patient's link thus never imports the
apps that extend its page: outcome measures, for one, list there what the therapist
sent.
"""

_sections = []


def register(section):
    if section not in _sections:
        _sections.append(section)
    return section


def render_sections(request, link):
    return [html for section in _sections if (html := section(request, link))]
