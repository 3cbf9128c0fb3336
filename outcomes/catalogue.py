"""
Loading the shipped instruments (``outcomes.instruments``) into the database.

A data migration calls ``load_instruments``; it updates each instrument in place by
its code, so a later migration that calls it again after the data changed brings
every database up to date. Recorded responses keep pointing at their instrument.
"""

from .instruments import INSTRUMENTS


def instrument_fields(entry):
    mcid = entry["mcid"] or {}
    return {
        "name": entry["name"],
        "short_name": entry["short_name"],
        "wording": entry["wording"],
        "instructions": entry.get("instructions", ""),
        "items": entry["items"],
        "scoring": entry["scoring"],
        "score_min": entry["score"]["min"],
        "score_max": entry["score"]["max"],
        "higher_is_better": entry["score"]["higher_is_better"],
        "has_percent": entry["score"]["percent"],
        "mcid": mcid.get("value"),
        "mcid_applies_to": mcid.get("applies_to", ""),
        "mcid_unit": mcid.get("unit", ""),
        "mcid_source": mcid.get("source", ""),
        "activity_mcid": entry.get("activity_mcid"),
        "loinc": entry["loinc"],
        "licence": entry["licence"],
        "source": entry["source"],
    }


def load_instruments(Instrument):
    """Create or update every shipped instrument. Takes the model class so that
    migrations can pass their historical model."""
    for entry in INSTRUMENTS:
        Instrument.objects.update_or_create(code=entry["code"], defaults=instrument_fields(entry))
