"""web2py's ``gluon.streamer``: ``DEFAULT_CHUNK_SIZE``, ``streamer``, ``stream_file_or_304_or_206``."""

from server.streaming import DEFAULT_CHUNK_SIZE, stream_file_or_304_or_206, streamer

__all__ = ["DEFAULT_CHUNK_SIZE", "stream_file_or_304_or_206", "streamer"]
