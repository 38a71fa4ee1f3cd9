"""server.streaming: without a byte limit, the whole stream in chunks."""

import io

from server.streaming import streamer


def test_whole_stream():
    assert b"".join(streamer(io.BytesIO(b"x" * 10), chunk_size=3)) == b"x" * 10
