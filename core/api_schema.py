"""Types the API schemas share, so that what the OpenAPI document admits is what the API accepts."""

import datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, WithJsonSchema

LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


def _without_zone(value: datetime.time) -> datetime.time:
    # A time of day on the school's clock: "07:00Z" would mean another hour in summer than in winter.
    if value.tzinfo is not None:
        raise ValueError(_("Give a time of day on the school's clock, without a time zone (e.g. 07:30)."))
    return value


# JSON Schema's "time" format demands a zone; ours are wall-clock times of the school, so the document
# says what they are: HH:MM or HH:MM:SS, no zone. A time with a zone is refused with a 422.
LocalTime = Annotated[
    datetime.time,
    AfterValidator(_without_zone),
    WithJsonSchema({"type": "string", "pattern": LOCAL_TIME_PATTERN, "examples": ["07:30"]}),
]


class Pagination(LimitOffsetPagination):
    """ninja's limit/offset pages with bounds the database can count to (a huge offset was a 500)."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500)
        offset: int = Field(0, ge=0, le=1_000_000_000)

    def __init__(self, **kwargs):
        super().__init__(max_limit=500, **kwargs)
