"""docs/deploy.md's setup, taken for real: four gunicorn workers (``POCKETWEB_ROOT``) of one app
with Redis sessions and PostgreSQL. 32 clients lose no update, a worker killed mid-load loses
nothing committed, and cookie sessions survive a restart and refuse a tampered cookie."""

from __future__ import annotations

import os
import signal
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import redis
from support import start_gunicorn, stop_gunicorn, wait_until, workers_of, write_app

from server.manage.tickets import list_tickets, load_ticket
from server.ticket_tables import ticket_table

CLIENTS = 32
REQUESTS_PER_CLIENT = 5

LOCK_LIFETIME_SECONDS = 10  # web2py's own: a killed worker's sessions are free again after it
MODEL = f'''
import os
from gluon.contrib.redis_utils import RConn
from gluon.contrib.redis_session import RedisSession
db = DAL(os.environ["CLUSTER_DATABASE"], pool_size=1, migrate=False)
db.define_table("cluster_counter", Field("name"), Field("hits", "integer"))
request.tickets_db = db
session.connect(request, response, db=RedisSession(
    redis_conn=RConn(host="127.0.0.1", port=int(os.environ["CLUSTER_REDIS_PORT"])), with_lock=True,
    lock_lifetime={LOCK_LIFETIME_SECONDS}))
'''
CONTROLLER = '''
def hit():
    session.hits = (session.hits or 0) + 1
    db(db.cluster_counter.name == "shared").update(hits=db.cluster_counter.hits + 1)
    return str(session.hits)

def look():
    return str(session.hits or 0)

def boom():
    db(db.cluster_counter.name == "shared").update(hits=-1)
    raise RuntimeError("cluster failure")
'''
COOKIE_MODEL = 'session.connect(request, response, cookie_key="deploy-test-key", compression_level=6)\n'
COOKIE_CONTROLLER = '''
def hit():
    session.hits = (session.hits or 0) + 1
    return str(session.hits)

def look():
    return str(session.hits or 0)
'''


def request(url: str, cookie: str | None) -> tuple[str | None, str | None]:
    """(body, session cookie) of one GET; (None, cookie) when the connection failed."""
    headers = {"Cookie": cookie} if cookie else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers),  # noqa: S310
                                    timeout=20) as answer:
            set_cookie = answer.headers.get("Set-Cookie")
            return answer.read().decode(), set_cookie.split(";")[0] if set_cookie else cookie
    except (OSError, urllib.error.HTTPError):
        return None, cookie


class Client(threading.Thread):
    """One user: REQUESTS_PER_CLIENT hits in a row with its own session cookie."""

    def __init__(self, base: str, progress: threading.Semaphore):
        super().__init__()
        self.base, self.progress = base, progress
        self.cookie: str | None = None
        self.answers: list[int] = []
        self.failures = 0

    def run(self):
        for _ in range(REQUESTS_PER_CLIENT):
            body, self.cookie = request(self.base + "/cluster/default/hit", self.cookie)
            if body is None or not body.isdigit():
                self.failures += 1
            else:
                self.answers.append(int(body))
            self.progress.release()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, postgres_uri, redis_url):
    from pydal import DAL, Field

    root = tmp_path_factory.mktemp("cluster")
    (root / "applications").mkdir()
    write_app(root, "cluster", {"models/db.py": MODEL, "controllers/default.py": CONTROLLER})
    db = DAL(postgres_uri, folder=str(root))
    db.define_table("cluster_counter", Field("name"), Field("hits", "integer"))
    ticket_table(db, "cluster")  # the workers' DAL has migrate=False: the table exists first
    db.commit()
    (root / "applications" / "cluster" / "private" / "ticket_storage.txt").write_text(postgres_uri)
    port = redis.Redis.from_url(redis_url).connection_pool.connection_kwargs["port"]
    process, base = start_gunicorn(root, 4, {"CLUSTER_DATABASE": postgres_uri,
                                             "CLUSTER_REDIS_PORT": str(port)})
    try:
        yield process, base, db
    finally:
        stop_gunicorn(process)
        db.cluster_counter.drop()
        db.web2py_ticket_cluster.drop()
        db.commit()
        db.close()


def shared_hits(db) -> int:
    db.commit()  # a fresh snapshot
    row = db(db.cluster_counter.name == "shared").select().first()
    return row.hits


def run_clients(base: str, during=None) -> list[Client]:
    progress = threading.Semaphore(0)
    clients = [Client(base, progress) for _ in range(CLIENTS)]
    for client in clients:
        client.start()
    if during is not None:
        during(progress)
    for client in clients:
        client.join(timeout=120)
    return clients


def reset(db) -> None:
    db(db.cluster_counter).delete()
    db.cluster_counter.insert(name="shared", hits=0)
    db.commit()


def test_32_clients_on_four_workers_lose_no_update(cluster):
    process, base, db = cluster
    reset(db)
    assert len(workers_of(process)) == 4
    clients = run_clients(base)
    for client in clients:
        assert client.failures == 0
        assert client.answers == list(range(1, REQUESTS_PER_CLIENT + 1))
    assert shared_hits(db) == CLIENTS * REQUESTS_PER_CLIENT


def test_a_worker_killed_mid_load_loses_nothing_committed(cluster):
    process, base, db = cluster
    reset(db)

    def kill_one_worker(progress):
        for _ in range(CLIENTS * REQUESTS_PER_CLIENT // 4):  # a quarter of the load done
            progress.acquire()
        os.kill(workers_of(process)[0], signal.SIGKILL)

    clients = run_clients(base, during=kill_one_worker)
    succeeded = sum(len(client.answers) for client in clients)
    attempted = CLIENTS * REQUESTS_PER_CLIENT
    assert succeeded >= attempted // 2  # the other workers (and the replacement) kept serving
    assert succeeded <= shared_hits(db) <= attempted  # every answered hit is in the database
    wait_until(lambda: len(workers_of(process)) == 4, 30, 0.05, "gunicorn never replaced it")
    for client in clients:
        assert client.answers == sorted(set(client.answers))  # no answer repeated: no lost save
        # the killed worker's own sessions stay locked until their Redis lock expires
        body = wait_until(lambda: request(base + "/cluster/default/look", client.cookie)[0],  # noqa: B023
                          LOCK_LIFETIME_SECONDS + 20, 0.05, "the session could not be read back")
        assert len(client.answers) <= int(body) <= REQUESTS_PER_CLIENT


def test_a_ticket_of_any_worker_is_stored_in_postgresql_and_listed_by_the_desktop(cluster):
    process, base, db = cluster
    reset(db)
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(base + "/cluster/default/boom", timeout=20)  # noqa: S310
    assert raised.value.code == 500
    ticket_id = raised.value.headers["web2py_error"].split("/", 1)[1]
    app_folder = Path(db._folder) / "applications" / "cluster"
    assert [summary.id for summary in list_tickets(app_folder)] == [ticket_id]
    assert load_ticket(app_folder, ticket_id)["message"] == "cluster failure"
    assert not list((app_folder / "errors").iterdir())
    assert shared_hits(db) == 0  # the failing request's update was rolled back


def test_cookie_sessions_survive_a_restart_and_refuse_a_tampered_cookie(tmp_path):
    (tmp_path / "applications").mkdir()
    write_app(tmp_path, "cluster", {"models/db.py": COOKIE_MODEL,
                                    "controllers/default.py": COOKIE_CONTROLLER})
    process, base = start_gunicorn(tmp_path, 1, {})
    try:
        body, cookie = request(base + "/cluster/default/hit", None)
        assert body == "1" and cookie.startswith("session_data_cluster=")
    finally:
        stop_gunicorn(process)
    process, base = start_gunicorn(tmp_path, 1, {})
    try:
        assert request(base + "/cluster/default/hit", cookie)[0] == "2"
        name, value = cookie.split("=", 1)
        tampered = f"{name}={value[:-6]}AAAA{value[-2:]}"
        assert request(base + "/cluster/default/look", tampered)[0] == "0"
    finally:
        stop_gunicorn(process)
