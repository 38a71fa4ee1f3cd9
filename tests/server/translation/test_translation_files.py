"""server.translation.translation_files: which T() calls count as messages."""

from server.translation.translation_files import strings_in


def test_only_literal_messages_are_collected():
    assert strings_in("T(name) T('a' + b) T(u'uni') T(r'raw\\d') T('q\\'x')") == \
        ["a", "uni", "raw\\d", "q'x"]
