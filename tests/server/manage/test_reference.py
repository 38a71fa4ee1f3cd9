from server.manage.reference import global_names


def by_name():
    return {entry.name: entry for entry in global_names()}


def test_the_reference_lists_the_per_request_objects_first():
    names = [entry.name for entry in global_names()]
    assert names[:5] == ["request", "response", "session", "cache", "T"]
    assert by_name()["request"].kind == "per request"


def test_the_reference_holds_the_framework_names_an_app_uses():
    entries = by_name()
    for name in ("DAL", "Field", "SQLFORM", "Auth", "URL", "redirect", "IS_NOT_EMPTY", "A", "DIV"):
        assert name in entries, name
    assert entries["DAL"].kind == "class"
    assert entries["redirect"].kind == "function"
    assert entries["redirect"].summary  # its docstring's first line


def test_the_rest_is_sorted_without_regard_to_case():
    rest = [entry.name for entry in global_names()[5:]]
    assert rest == sorted(rest, key=str.lower)
