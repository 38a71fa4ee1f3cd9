"""A paused frame's values as the debugger shows them: parts a few levels down, short reprs,
and no value's own code run to list its parts."""

from server.hosting.frame_values import describe


def test_values_are_described_with_their_parts():
    variable = describe("row", {"name": "ann", "tags": ["a", "b"]})
    assert (variable.type, variable.value) == ("dict", "{'name': 'ann', 'tags': ['a', 'b']}")
    tags = next(child for child in variable.children if child.name == "'tags'")
    assert [child.value for child in tags.children] == ["'a'", "'b'"]
    assert describe("n", 3).children == ()
    assert len(describe("blob", b"x" * 10_000).value) < 300


def test_an_object_answering_every_attribute_is_not_asked_for_items():
    class Anything:
        def __getattr__(self, name):
            return lambda: iter(int, 1)  # an items() that would never end

    assert describe("thing", Anything()).children == ()
