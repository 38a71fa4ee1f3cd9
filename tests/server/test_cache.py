"""server/cache.py: RAM and disk caches over real temp folders, decorators, and cache.action."""

from __future__ import annotations

import threading
import time

import pytest

from server.cache import Cache
from server.current import current
from server.http import HTTP
from server.storage import Storage


class Counter:
    """A function that counts its calls and returns the count."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.calls


@pytest.fixture
def cache(tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    return Cache(app)


@pytest.fixture(params=["ram", "disk"])
def model(request, cache):
    return getattr(cache, request.param)


def test_value_is_kept_until_it_expires(model):
    compute = Counter()
    assert model("k", compute, time_expire=60) == 1
    assert model("k", compute, time_expire=60) == 1
    assert compute.calls == 1


def test_time_expire_zero_forces_refresh_and_none_never_expires(model):
    compute = Counter()
    model("k", compute)
    assert model("k", compute, time_expire=0) == 2
    assert model("k", compute, time_expire=None) == 2


def test_age_is_judged_when_reading(model):
    compute = Counter()
    model("k", compute, time_expire=100)
    time.sleep(0.05)
    assert model("k", compute, time_expire=0.01) == 2
    assert model("k", compute, time_expire=100) == 2


def test_f_none_deletes_the_key(model):
    compute = Counter()
    model("k", compute)
    assert model("k", None) is None
    assert model("k", compute) == 2


def test_none_and_falsy_values_are_cached_too(model):
    calls = []
    for _ in range(2):
        assert model("nothing", lambda: calls.append(1)) is None
    assert len(calls) == 1


def test_clear_all_or_by_regex(model):
    for key in ("user:1", "user:2", "page:1"):
        model(key, lambda key=key: key.upper())
    model.clear("user:")
    assert model.stats()["entries"] == 1
    assert model("page:1", lambda: "recomputed") == "PAGE:1"
    model.clear()
    assert model.stats()["entries"] == 0


def test_increment(model):
    assert model.increment("hits") == 1
    assert model.increment("hits", 5) == 6
    assert model("hits", lambda: 0, time_expire=None) == 6


def test_stats_count_hits_and_misses(model):
    model("a", lambda: 1)
    model("a", lambda: 1)
    model("b", lambda: 2)
    assert model.stats() == {"entries": 2, "hits": 1, "misses": 2}
    # web2py's form, as its appadmin reads it: lookups in all and misses, under the app's name
    assert model.stats == {"app": {"hit_total": 3, "misses": 2}}


def test_storage_maps_keys_to_when_stored_and_value_as_web2py(model):
    model.initialize()  # web2py's appadmin calls it first; nothing to open here
    before = time.time()
    model("a", lambda: [1])
    assert list(model.storage) == ["a"] and len(model.storage) == 1
    stored_at, value = model.storage["a"]
    assert value == [1] and before <= stored_at <= time.time()
    with pytest.raises(KeyError):
        model.storage["missing"]


def test_ram_is_shared_per_app_folder_and_separate_between_apps(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    Cache(tmp_path / "one").ram("k", lambda: "first")
    assert Cache(tmp_path / "one").ram("k", lambda: "second") == "first"
    assert Cache(tmp_path / "two").ram("k", lambda: "other") == "other"


def test_disk_survives_a_new_cache_object_and_lives_in_app_cache(tmp_path, cache):
    cache.disk("key with / and ..", lambda: {"rows": [1, 2]})
    files = list((cache.app_folder / "cache").iterdir())
    assert len(files) == 1 and files[0].suffix == ".cache"
    again = Cache(cache.app_folder).disk("key with / and ..", lambda: "recomputed")
    assert again == {"rows": [1, 2]}


def test_damaged_disk_entry_is_a_miss(cache):
    cache.disk("k", lambda: "old")
    [entry] = (cache.app_folder / "cache").iterdir()
    entry.write_bytes(b"not a pickle")
    assert cache.disk("k", lambda: "new") == "new"


def test_unpicklable_disk_value_is_a_clear_error(cache):
    with pytest.raises(TypeError, match="only picklable values"):
        cache.disk("k", lambda: threading.Lock())
    assert cache.disk.stats()["entries"] == 0


def test_threads_share_disk_safely(cache):
    def work():
        for _ in range(25):
            cache.disk.increment("n")

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.disk("n", lambda: 0, time_expire=None) == 100


def test_concurrent_ram_increments_lose_nothing(cache):
    def work():
        for _ in range(500):
            cache.ram.increment("total")

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.ram("total", lambda: 0, time_expire=None) == 2000


def test_decorator_with_key_and_model(cache):
    calls = []

    @cache("square:%(args)s", time_expire=60, cache_model=cache.disk)
    def square(x):
        calls.append(x)
        return x * x

    assert square(3) == 9 and square(3) == 9 and square(4) == 16
    assert calls == [3, 4]
    assert cache.disk.stats()["entries"] == 2


def test_decorator_defaults_to_ram_and_argument_key(cache):
    calls = []

    @cache(time_expire=60)
    def double(x, factor=2):
        calls.append(x)
        return x * factor

    assert double(2) == 4 and double(2) == 4 and double(2, factor=3) == 6
    assert calls == [2, 2]
    with pytest.raises(ValueError, match="unknown cache model"):
        cache("k", 60, cache_model="redis")


# --- cache.action -----------------------------------------------------------------------------

class Page:
    """The minimal response shape cache.action reads: status, headers, view, session, render."""

    def __init__(self, renders=None):
        self.status = 200
        self.headers = {"Pragma": "no-cache", "Cache-Control": "no-store"}
        self.view = "default/index.html"
        self.session_id = "s1"
        if renders is not None:
            self.render = lambda context: renders.append(context) or f"<p>{context['n']}</p>"


@pytest.fixture
def serving():
    """Set current.request/response/T as the pipeline does; returns a function to do it again."""

    def start(method="GET", query="", language="en", agent="firefox", response=None):
        current.request = Storage(env=Storage(request_method=method, path_info="/a/default/index",
                                              query_string=query, http_user_agent=agent))
        current.response = response or Page()
        current.T = Storage(accepted_language=language)
        return current.response

    yield start
    for name in ("request", "response", "T"):
        if hasattr(current, name):
            delattr(current, name)


def test_action_sets_public_headers_without_server_cache(cache, serving):
    response = serving()
    calls = Counter()
    page = cache.action(time_expire=120)(calls)
    assert page() == 1 and page() == 2
    assert response.headers["Cache-Control"] == "max-age=120, s-maxage=120, public"
    assert response.headers["Expires"].endswith(" GMT")
    assert "Pragma" not in response.headers


def test_action_private_when_session_or_not_public(cache, serving):
    response = serving()
    cache.action(time_expire=60, public=False)(lambda: "x")()
    assert response.headers["Cache-Control"].endswith(", private")
    assert response.headers["Expires"] == "Fri, 01 Jan 1990 00:00:00 GMT"


def test_action_caches_output_keyed_by_query_and_language(cache, serving):
    calls = Counter()
    page = cache.action(time_expire=60, cache_model=cache.ram)(calls)
    serving(query="a=1")
    assert page() == 1
    serving(query="a=1")
    assert page() == 1
    serving(query="a=2")
    assert page() == 2
    serving(query="a=2", language="it")
    assert page() == 3
    serving(query="a=2", language="it", agent="other")
    assert page() == 3  # the user agent is not part of the key unless asked


def test_action_session_and_user_agent_options(cache, serving):
    calls = Counter()
    page = cache.action(time_expire=60, cache_model="ram", user_agent=True, prefix="p:")(calls)
    serving(agent="firefox")
    assert page() == 1
    serving(agent="chrome")
    assert page() == 2
    assert all(key.startswith("p:") for key in cache.ram._keys())
    by_session = cache.action(time_expire=60, cache_model="ram", session=True)(Counter())
    first = serving()
    assert by_session() == 1
    other = Page()
    other.session_id = "s2"
    serving(response=other)
    assert by_session() == 2
    assert first.headers["Cache-Control"].endswith("private")


def test_action_renders_a_dict_once_and_caches_the_page(cache, serving):
    renders = []
    page = cache.action(time_expire=60, cache_model=cache.ram)(lambda: {"n": 7})
    serving(response=Page(renders))
    assert page() == "<p>7</p>"
    serving(response=Page(renders))
    assert page() == "<p>7</p>"
    assert len(renders) == 1


def test_action_ignores_non_get_requests(cache, serving):
    response = serving(method="POST")
    calls = Counter()
    page = cache.action(time_expire=60, cache_model=cache.ram)(calls)
    assert page() == 1 and page() == 2
    assert response.headers["Cache-Control"] == "no-store"


def test_action_does_not_keep_failed_pages(cache, serving):
    calls = Counter()

    def failing():
        current.response.status = 500
        return calls()

    page = cache.action(time_expire=60, cache_model=cache.ram)(failing)
    response = serving()
    assert page() == 1 and page() == 2
    assert response.headers["Cache-Control"] == "no-store"
    allowed = cache.action(time_expire=60, cache_model=cache.ram, prefix="ok",
                           valid_statuses=[500])(failing)
    assert allowed() == 3 and allowed() == 3


def test_action_adds_headers_to_a_raised_http(cache, serving):
    serving()

    @cache.action(time_expire=30)
    def moved():
        raise HTTP(303, "see other", Location="/elsewhere")

    with pytest.raises(HTTP) as raised:
        moved()
    assert raised.value.headers["Cache-Control"].startswith("max-age=30")
    assert raised.value.headers["Location"] == "/elsewhere"


# --- through the real pipeline ----------------------------------------------------------------

CACHING_CONTROLLER = """
import itertools

counter = itertools.count(1)


@cache.action(time_expire=60, cache_model=cache.ram)
def page():
    return dict(n=cache.ram.increment("page_runs"))


@cache.action(time_expire=90)
def headers_only():
    return "fresh"


def ram():
    return str(cache.ram("value", lambda: cache.ram.increment("ram_runs"), time_expire=60))


def disk():
    return str(cache.disk("value", lambda: cache.disk.increment("disk_runs"), time_expire=60))
"""


def test_pipeline_cache_action_caches_the_rendered_page(root, wsgi_server, http):
    from support import write_app

    app = write_app(root, "shop", {"controllers/default.py": CACHING_CONTROLLER,
                                   "views/default/page.html": "<p>run {{=n}}</p>"})
    base = wsgi_server(root) + "/shop/default"
    first = http(base + "/page")
    assert first.status == 200 and first.text == "<p>run 1</p>"
    assert first.headers["Cache-Control"] == "max-age=60, s-maxage=60, public"
    assert http(base + "/page").text == "<p>run 1</p>"
    assert http(base + "/page?x=1").text == "<p>run 2</p>"
    assert http(base + "/page", data=b"a=1").text == "<p>run 3</p>"  # POST is never cached
    plain = http(base + "/headers_only")
    assert plain.text == "fresh" and plain.headers["Cache-Control"].startswith("max-age=90")
    assert http(base + "/ram").text == http(base + "/ram").text == "1"
    assert http(base + "/disk").text == http(base + "/disk").text == "1"
    assert len(list((app / "cache").glob("*.cache"))) == 2


def test_action_quick_letters_set_every_switch(cache, serving):
    by_vars = cache.action(time_expire=60, cache_model="ram", quick="VP")(Counter())
    response = serving(query="a=1", language="it")
    assert by_vars() == 1 and response.headers["Cache-Control"].endswith("public")
    serving(query="a=1", language="en")
    assert by_vars() == 1  # no L: the language is not part of the key
    serving(query="a=2")
    assert by_vars() == 2
    by_session = cache.action(time_expire=60, cache_model="ram", quick="SVLP")(Counter())
    first = serving()
    assert by_session() == 1 and first.headers["Cache-Control"].endswith("private")
    other = Page()
    other.session_id = "s2"
    serving(response=other)
    assert by_session() == 2
