"""gluon.streamer: DEFAULT_CHUNK_SIZE, chunked reading, and serving a file from an action."""

import io

from support import assert_answer, write_app

from gluon.streamer import DEFAULT_CHUNK_SIZE, streamer


def test_chunk_size_and_byte_limit():
    assert DEFAULT_CHUNK_SIZE == 64 * 1024
    closed = []
    stream = io.BytesIO(b"abcdefghij")
    chunks = list(streamer(stream, chunk_size=4, bytes=9, callback=lambda: closed.append(1)))
    assert chunks == [b"abcd", b"efgh", b"i"] and stream.closed and closed == [1]


def test_stream_file_from_an_action(root, wsgi_server, http):
    write_app(root, "files", {
        "private/data.bin": "payload",
        "controllers/default.py": """
            import os
            from gluon.streamer import stream_file_or_304_or_206
            def index():
                stream_file_or_304_or_206(os.path.join(request.folder, 'private', 'data.bin'))
            def missing():
                stream_file_or_304_or_206('/no/such/file', error_message='gone')
        """,
    })
    base = wsgi_server(root)
    assert http(base + "/files/default/index").text == "payload"
    gone = http(base + "/files/default/missing")
    assert_answer(gone, 404, "gone")
