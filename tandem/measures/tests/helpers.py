"""Shared helpers for the measures tests."""

from __future__ import annotations

from tandem.measures import instruments, services
from tandem.measures.forms import field_name
from tandem.measures.models import MeasurePlan


def answers_for(measure: instruments.Instrument, values: list[int]) -> dict[str, int]:
    assert len(values) == len(measure.items)
    return {item.link_id: value for item, value in zip(measure.items, values, strict=True)}


def post_data(measure: instruments.Instrument, values: list[int | None]) -> dict[str, str]:
    return {
        field_name(item): str(value) for item, value in zip(measure.items, values, strict=True) if value is not None
    }


def plan(couple, person, code: str, by, **fields) -> MeasurePlan:
    return services.schedule(couple, person, code, fields.pop("cadence", "once"), created_by=by, **fields)


def fill(couple, person, code: str, values: list[int], by) -> object:
    """Plan (once) and record a response in one go."""
    p = plan(couple, person, code, by)
    return services.record(p, answers_for(instruments.INSTRUMENTS[code], values))
