"""server.toolkit.serializers: lazy T, bytes and odd keys."""

import pytest

from server.toolkit.serializers import custom_json, json, xml_safe_key
from server.translation.i18n import lazyT


def test_lazy_t_and_bytes_in_json():
    assert json({"m": lazyT("hi"), "b": b"x"}) == '{"m": "hi", "b": "x"}'
    with pytest.raises(TypeError):
        custom_json(object())


def test_xml_keys_become_names():
    assert xml_safe_key("first name") == "first_name" and xml_safe_key("1a") == "_1a"
