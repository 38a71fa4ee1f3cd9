"""server/translation/language_files.py: files parsed once per version, folders listed once per change."""

import os

from server.translation.language_files import LanguageFiles, write_language_file


def test_a_file_is_parsed_again_only_when_it_changes(tmp_path):
    path = tmp_path / "it.py"
    write_language_file(path, {"Hello": "Ciao"})
    files = LanguageFiles()
    first = files.read(path)
    assert first.translations == {"Hello": "Ciao"} and files.read(path) is first
    write_language_file(path, {"Hello": "Salve", "Bye": "Addio"})
    os.utime(path, ns=(first.stamp[0] + 10**9, first.stamp[0] + 10**9))
    assert files.read(path).translations == {"Bye": "Addio", "Hello": "Salve"}


def test_a_broken_file_reads_as_empty_with_its_problem(tmp_path):
    path = tmp_path / "de.py"
    path.write_text("{'unclosed': ", encoding="utf-8")
    parsed = LanguageFiles().read(path)
    assert parsed.translations == {} and parsed.problem.startswith("de.py: SyntaxError")


def test_folder_facts_list_the_language_files_and_the_default_language(tmp_path):
    write_language_file(tmp_path / "default.py", {"!langcode!": "it"})
    write_language_file(tmp_path / "fr.py", {})
    write_language_file(tmp_path / "plural-fr.py", {})
    facts = LanguageFiles().folder(tmp_path)
    assert facts.default_code == "it"
    assert sorted(facts.language_files) == ["fr"]
