"""server.toolkit.file_cache: a missing file still caches its filter's answer."""

from server.toolkit.file_cache import getcfs


def test_missing_file_with_a_filter(tmp_path):
    calls = []
    missing = str(tmp_path / "none")
    assert getcfs("m", missing, lambda: calls.append(1) or "v") == "v"
    assert getcfs("m", missing, lambda: calls.append(1) or "w") == "v" and calls == [1]
