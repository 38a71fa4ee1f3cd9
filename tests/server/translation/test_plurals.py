"""server/translation/plurals.py on its own: rules by language, English plurals, %%{word} substitution."""

from server.translation.plurals import english_plural, plural_id, substitute_plurals


def test_each_language_rule_picks_the_form():
    assert [plural_id("en", n) for n in (0, 1, 2)] == [1, 0, 1]
    assert plural_id("ru", 21) != plural_id("ru", 25)


def test_english_plurals_regular_and_irregular():
    assert [english_plural(w) for w in ("book", "box", "city", "child")] == [
        "books", "boxes", "cities", "children"]


def test_word_forms_come_from_the_forms_file_or_the_rule():
    assert substitute_plurals("%s %%{book}", (2,), "en", {}) == "%s books"
    assert substitute_plurals("%s %%{book}", (1,), "en", {}) == "%s book"
    assert substitute_plurals("%s %%{libro}", (2,), "it", {"libro": ("libri",)}) == "%s libri"
