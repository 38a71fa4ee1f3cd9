from PySide6.QtCore import QByteArray

from desktop.settings import DEFAULT_PORT, Settings


def test_values_round_trip_through_the_ini_file_in_the_root(root):
    settings = Settings(root)
    settings.host = "0.0.0.0"
    settings.port = 8123
    settings.theme = "dark"
    settings.geometry = QByteArray(b"\x01\x02geometry")
    settings.open_files = [root / "a.py"]
    settings.sync()
    assert (root / "pocketweb.ini").is_file()

    again = Settings(root)
    assert (again.host, again.port, again.theme) == ("0.0.0.0", 8123, "dark")
    assert bytes(again.geometry) == b"\x01\x02geometry"
    assert again.open_files == [root / "a.py"]


def test_several_and_no_open_files_round_trip(root):
    settings = Settings(root)
    settings.open_files = [root / "a.py", root / "b.html"]
    settings.sync()
    assert Settings(root).open_files == [root / "a.py", root / "b.html"]
    settings.open_files = []
    settings.sync()
    assert Settings(root).open_files == []


def test_missing_or_garbled_values_fall_back_to_defaults(root):
    (root / "pocketweb.ini").write_text(
        "[server]\nport=not-a-number\n[window]\ntheme=purple\n", encoding="utf-8")
    settings = Settings(root)
    assert settings.port == DEFAULT_PORT
    assert settings.theme == "light"
    assert settings.host == "127.0.0.1"
    assert settings.geometry.isEmpty()


def test_open_files_inside_the_root_are_stored_relative_to_it(root, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "notes.txt"
    settings = Settings(root)
    settings.open_files = [root / "applications/blog/models/db.py", outside]
    settings.sync()
    text = (root / "pocketweb.ini").read_text()
    assert "applications/blog/models/db.py" in text and str(root) not in text

    moved = root.parent / (root.name + "-moved")
    root.rename(moved)
    assert Settings(moved).open_files == [moved / "applications/blog/models/db.py", outside]
