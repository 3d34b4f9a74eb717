"""portal.renderers.FastJSONRenderer writes DRF's JSONRenderer bytes (orjson underneath, DRF's
own renderer for what orjson would write differently)."""

import dataclasses
import datetime as dt
import uuid
from collections import OrderedDict
from decimal import Decimal

import pytest
from django.utils.functional import lazy
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from portal.renderers import FastJSONRenderer

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@dataclasses.dataclass
class Point:
    x: int


PAYLOADS = [
    None, {}, [], "", 0, -1, 2**63 - 1, 2**64 - 1, 2**70, -(2**70), True, False,
    {"count": 3, "next": None, "previous": "http://testserver/api/projects/?page=2&q=%E5%92%8C"},
    {"name": "和平社区 \"引号\" \\ 反斜杠 \n\t\r\b\f \x00\x1f\x7f \u2028\u2029 😀 \ufeff"},
    {"amount": Decimal("123456789.10"), "zero": Decimal("0.00"), "neg": Decimal("-1.5")},
    {"at": dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=SHANGHAI), "utc": dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
     "naive": dt.datetime(2026, 1, 2, 3, 4), "day": dt.date(2026, 1, 2), "time": dt.time(3, 4, 5, 6),
     "span": dt.timedelta(days=1, seconds=3)},
    {"floats": [0.1, 1.5, -0.0, 1e16, 1e22, 1.5e300, 123456789.123, 1e-4, 1e-5, 2.5e-7, 5e-324, 1e15]},
    {"text": "1e-5 and 0.00001 in a string"},
    {1: "int key", None: "none key", 2.5: "float key", False: "bool key"},
    {"lazy": lazy(lambda: "惰性文本", str)(), "uuid": uuid.UUID(int=7), "bytes": b"abc", "set": {1}},
    {"tuple": (1, 2), "ordered": OrderedDict(b=1, a=2)},
    ReturnDict({"a": ReturnList([1, {"b": None}], serializer=None)}, serializer=None),
    {"deep": [[[[{"x": [1]}]]]]},
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_same_bytes_as_drf(payload):
    assert FastJSONRenderer().render(payload) == JSONRenderer().render(payload)


@pytest.mark.parametrize("media_type", ["application/json", "application/json; indent=4", "application/json; indent=0"])
def test_indentation_asked_for_is_drf_s(media_type):
    payload = {"a": [1, {"b": "和"}]}
    assert FastJSONRenderer().render(payload, media_type) == JSONRenderer().render(payload, media_type)


def test_what_drf_refuses_is_refused():
    class Opaque:
        pass

    with pytest.raises(TypeError):
        JSONRenderer().render({"x": Opaque()})
    with pytest.raises(TypeError):
        FastJSONRenderer().render({"x": Opaque()})
    with pytest.raises(TypeError):
        FastJSONRenderer().render({"point": Point(1)})  # DRF's encoder does not write dataclasses either
