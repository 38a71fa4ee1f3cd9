"""web2py's cron: each app's ``cron/crontab`` runs jobs while the server runs.

A crontab line is ``minute hour day-of-month month day-of-week user command`` (``*``, lists,
ranges, steps such as ``*/5`` and names such as ``mon``/``jan``), or ``@reboot``, ``@hourly``,
``@daily``/``@midnight``, ``@weekly``, ``@monthly``, ``@yearly``/``@annually`` followed by
``user command``. The user field is accepted and ignored (jobs run as Pocketweb's own user). Times
are local. When both day fields are restricted, a day matching either one is due, as in Unix cron.

Commands Pocketweb runs, each in its own thread so one slow job never delays another:

* ``*applications/<app>/cron/job.py`` (or ``*cron/job.py``): the app's top-level models run
  first, then the script in their globals; the databases are committed at the end (rolled back
  if the script raises).
* ``**applications/<app>/cron/job.py``: the same without the models.
* ``*controller/function`` or ``<app>/controller/function``: executed as a local GET request to
  ``/<app>/controller/function``, through the full request pipeline.
* anything else is a program started without a shell, in the app's folder, and only when its
  first word names an executable file inside the app (``applications/<app>/cron/backup.sh
  --full``). ``python x.py`` or ``/bin/rm`` are refused: use ``**cron/x.py`` for Python.

Every path goes through :func:`server.paths.safe_join` into the crontab's own app folder; a path
naming another app or leaving the folder is refused. A bad line is reported (logged, with its line
number) and skipped; a failing job is logged; neither ever stops the runner.
"""

from __future__ import annotations

import io
import logging
import os
import re
import shlex
import subprocess
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from server.background.cron_leader import CronLeadership
from server.paths import PathEscape, safe_join
from server.routing import NAME_RE

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

log = logging.getLogger("pocketweb.cron")

MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
SHORTCUTS = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
}


class CrontabError(ValueError):
    """A crontab line that cannot be run."""


# --------------------------------------------------------------------------------------------
# schedules
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Schedule:
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    days_restricted: bool
    weekdays_restricted: bool

    def matches(self, moment: datetime) -> bool:
        if moment.minute not in self.minutes or moment.hour not in self.hours:
            return False
        if moment.month not in self.months:
            return False
        day_ok = moment.day in self.days
        weekday_ok = (moment.weekday() + 1) % 7 in self.weekdays
        if self.days_restricted and self.weekdays_restricted:
            return day_ok or weekday_ok
        return day_ok and weekday_ok


def parse_schedule(fields: list[str]) -> Schedule:
    minute, hour, day, month, weekday = fields
    weekdays = {value % 7 for value in parse_field(weekday, 0, 7, DAY_NAMES, "day of week")}
    return Schedule(
        minutes=parse_field(minute, 0, 59, (), "minute"),
        hours=parse_field(hour, 0, 23, (), "hour"),
        days=parse_field(day, 1, 31, (), "day of month"),
        months=parse_field(month, 1, 12, MONTH_NAMES, "month", first_name_value=1),
        weekdays=frozenset(weekdays),
        days_restricted=day != "*",
        weekdays_restricted=weekday != "*",
    )


def parse_field(text: str, low: int, high: int, names: tuple[str, ...], label: str,
                first_name_value: int = 0) -> frozenset[int]:
    """One schedule field (``*``, ``1,5``, ``1-5``, ``*/15``, ``mon-fri``) as its set of values."""
    values: set[int] = set()
    for part in text.split(","):
        base, slash, step_text = part.partition("/")
        step = _number(step_text, label) if slash else 1
        if step < 1:
            raise CrontabError(f"{label}: step must be at least 1 in {part!r}")
        if base == "*":
            start, end = low, high
        elif "-" in base:
            first, _, last = base.partition("-")
            start, end = (_value(first, names, label, first_name_value),
                          _value(last, names, label, first_name_value))
        else:
            start = _value(base, names, label, first_name_value)
            end = high if slash else start
        if not low <= start <= end <= high:
            raise CrontabError(f"{label}: {part!r} is outside {low}-{high}")
        values.update(range(start, end + 1, step))
    return frozenset(values)


def _value(text: str, names: tuple[str, ...], label: str, first_name_value: int) -> int:
    lowered = text.lower()
    if lowered in names:
        return names.index(lowered) + first_name_value
    return _number(text, label)


def _number(text: str, label: str) -> int:
    if not text.isdigit():
        raise CrontabError(f"{label}: {text!r} is not a number")
    return int(text)


# --------------------------------------------------------------------------------------------
# crontab lines
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Action:
    """What a command does: ``kind`` is "script", "request" or "program"."""

    kind: str
    target: str  # a script or program path, or a URL path for a request
    models: bool = True
    arguments: tuple[str, ...] = ()


@dataclass(frozen=True)
class CronJob:
    """One crontab line: when (``schedule``, or ``reboot``) and what (``command``)."""

    line_number: int
    command: str
    schedule: Schedule | None = None
    reboot: bool = False
    app: str = ""
    action: Action | None = None

    @property
    def key(self) -> tuple:
        """What identifies a job across re-reads of its crontab (for the no-overlap rule)."""
        return (self.app, self.line_number, self.command)

    def is_due(self, moment: datetime) -> bool:
        return self.schedule is not None and self.schedule.matches(moment)

    def __str__(self) -> str:
        return f"{self.app or '?'} crontab line {self.line_number}: {self.command}"


def parse_crontab(text: str, app: str = "") -> tuple[list[CronJob], list[str]]:
    """Every valid line as a job, and one message per invalid line (never raises)."""
    jobs, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            jobs.append(parse_line(stripped, number, app))
        except CrontabError as exc:
            errors.append(f"line {number}: {exc}: {stripped}")
    return jobs, errors


def parse_line(line: str, number: int, app: str = "") -> CronJob:
    first = line.split(None, 1)[0]
    if first.startswith("@"):
        shortcut = first.lower()
        if shortcut != "@reboot" and shortcut not in SHORTCUTS:
            raise CrontabError(f"unknown shortcut {first!r}")
        command = _command(line.split(None, 2), 3)
        if shortcut == "@reboot":
            return CronJob(number, command, reboot=True, app=app)
        return CronJob(number, command, parse_schedule(SHORTCUTS[shortcut].split()), app=app)
    fields = line.split(None, 6)
    return CronJob(number, _command(fields, 7), parse_schedule(fields[:5]), app=app)


def _command(words: list[str], expected: int) -> str:
    """The last of ``expected`` words (the command), refusing lines that are too short."""
    if len(words) < expected:
        time_part = "a shortcut" if expected == 3 else "5 time fields"
        raise CrontabError(f"expected {time_part}, a user and a command")
    return words[-1].strip()


CONTROLLER_RE = re.compile(r"^(?:(\w+)/)?(\w+)/(\w+)$", re.ASCII)


def resolve_command(command: str, app_folder: Path) -> Action:
    """What ``command`` of the crontab of the app in ``app_folder`` does (see the module doc)."""
    app = app_folder.name
    body = command.lstrip("*")
    stars = len(command) - len(body)
    body = body.strip()
    if stars > 2:
        raise CrontabError("use * (with models) or ** (without models) before a script")
    request = CONTROLLER_RE.match(body)
    if request and (stars or request.group(1) == app):
        named_app, controller, function = request.groups()
        if named_app not in (None, app):
            raise CrontabError(f"{body!r} calls another application")
        return Action("request", f"/{app}/{controller}/{function}")
    if stars:
        if not body.endswith(".py"):
            raise CrontabError("a * command names a .py script or a controller/function")
        return Action("script", str(app_path(body, app_folder)), models=stars == 1)
    return _program(body, app_folder)


def _program(body: str, app_folder: Path) -> Action:
    try:
        words = shlex.split(body)
    except ValueError as exc:
        raise CrontabError(f"cannot split the command: {exc}") from None
    program = app_path(words[0], app_folder)
    if not (program.is_file() and os.access(program, os.X_OK)):
        raise CrontabError(f"{words[0]!r} is not an executable file of this application "
                           "(only the app's own programs run; use **cron/x.py for Python)")
    return Action("program", str(program), arguments=tuple(words[1:]))


def app_path(text: str, app_folder: Path) -> Path:
    """``applications/<app>/x`` or ``x`` as a path inside ``app_folder``; never outside it."""
    relative = text.replace("\\", "/")
    if relative.startswith("applications/"):
        parts = relative.split("/", 2)
        named_app, rest = parts[1], parts[2] if len(parts) > 2 else ""
        if named_app != app_folder.name:
            raise CrontabError(f"{text!r} belongs to another application")
        relative = rest
    try:
        return safe_join(app_folder, relative)
    except PathEscape as exc:
        raise CrontabError(str(exc)) from None


def load_crontab(app_folder: Path) -> tuple[list[CronJob], list[str]]:
    """The runnable jobs of one app's ``cron/crontab`` and one message per refused line."""
    crontab = app_folder / "cron" / "crontab"
    try:
        text = crontab.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [f"cannot read {crontab}: {exc}"]
    parsed, errors = parse_crontab(text, app_folder.name)
    jobs = []
    for job in parsed:
        try:
            jobs.append(replace(job, action=resolve_command(job.command, app_folder)))
        except CrontabError as exc:
            errors.append(f"line {job.line_number}: {exc}: {job.command}")
    return jobs, errors


# --------------------------------------------------------------------------------------------
# running jobs
# --------------------------------------------------------------------------------------------
class CronRunner:
    """Runs every app's crontab: ``start()``/``stop()``, or ``run_due(moment)`` step by step.

    The crontabs are re-read when they change, so edits take effect at the next check. ``tick``
    (seconds between checks, aligned to multiples of it on ``clock``) is 60 in use; tests shorten
    it. Each check runs the jobs due at that minute; a job whose previous run is still going is
    skipped, never run twice at once. Of several started runners on one root (gunicorn's
    workers) only the leader runs jobs (:mod:`cron_leader`); ``boot_id`` names the server start
    its @reboot jobs belong to (gunicorn's master pid; by default this process).
    """

    def __init__(self, root: Path, clock: Callable[[], float] = time.time, tick: float = 60,
                 boot_id: str | int | None = None):
        self.root = Path(root).resolve()
        self._leadership = CronLeadership(self.root, boot_id)
        self._clock = clock
        self._tick = tick
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._running: dict[tuple, threading.Thread] = {}
        self._crontabs: dict[str, tuple[tuple[int, int], list[CronJob]]] = {}
        self._application = None

    # ----- the clock thread -------------------------------------------------------------------
    def start(self) -> None:
        """Run the @reboot jobs, then check at every tick in a daemon thread."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="pocketweb cron", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5) -> None:
        """Stop checking (promptly); jobs already running finish on their own."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        if not self._leadership.acquire(self._stop):
            return
        try:
            if self._leadership.claim_reboot():
                self._guarded(self.run_reboot)
            while True:
                now = self._clock()
                boundary = (now // self._tick + 1) * self._tick
                if self._stop.wait(max(0.0, boundary - now)):
                    return
                self._guarded(self.run_due, datetime.fromtimestamp(boundary))
        finally:
            self._leadership.release()

    @staticmethod
    def _guarded(step, *arguments) -> None:
        try:
            step(*arguments)
        except Exception:  # the clock thread must survive anything a crontab does
            log.exception("cron check failed")

    # ----- jobs -------------------------------------------------------------------------------
    def jobs(self) -> list[CronJob]:
        """Every runnable job of every app (refused lines are logged when a crontab changes)."""
        jobs = []
        applications = self.root / "applications"
        for app_folder in sorted(applications.iterdir()) if applications.is_dir() else ():
            if NAME_RE.match(app_folder.name) and (app_folder / "cron" / "crontab").is_file():
                jobs.extend(self._app_jobs(app_folder))
        return jobs

    def _app_jobs(self, app_folder: Path) -> list[CronJob]:
        try:
            stat = (app_folder / "cron" / "crontab").stat()
        except OSError:  # removed since it was listed
            return []
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = self._crontabs.get(app_folder.name)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        jobs, errors = load_crontab(app_folder)
        for message in errors:
            log.error("%s/cron/crontab %s", app_folder.name, message)
        self._crontabs[app_folder.name] = (stamp, jobs)
        return jobs

    def run_due(self, moment: datetime) -> list[CronJob]:
        """Start the jobs due at ``moment`` (minute precision); return the ones started."""
        return [job for job in self.jobs() if job.is_due(moment) and self._launch(job)]

    def run_reboot(self) -> list[CronJob]:
        """Start the @reboot jobs; return the ones started."""
        return [job for job in self.jobs() if job.reboot and self._launch(job)]

    def wait_idle(self, timeout: float) -> bool:
        """Wait for running jobs to finish; False if some are still running after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._lock:
            threads = list(self._running.values())
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(thread.is_alive() for thread in threads)

    def _launch(self, job: CronJob) -> bool:
        with self._lock:
            if job.key in self._running:
                log.warning("%s: skipped, its previous run is still going", job)
                return False
            thread = threading.Thread(target=self._run, args=(job,), name=f"cron {job}",
                                      daemon=True)
            self._running[job.key] = thread
        thread.start()
        return True

    def _run(self, job: CronJob) -> None:
        log.info("%s: started", job)
        try:
            self._execute(job)
        except Exception:
            log.error("%s: failed\n%s", job, traceback.format_exc())
        else:
            log.info("%s: finished", job)
        finally:
            with self._lock:
                self._running.pop(job.key, None)

    def _execute(self, job: CronJob) -> None:
        action = job.action
        if action is None:  # parse_line always resolves one; a hand-made job may not
            raise CronJobFailed(f"{job}: nothing to run")
        if action.kind == "script":
            run_script(self.root, job.app, Path(action.target), action.models)
        elif action.kind == "request":
            run_request(self._wsgi_application(), action.target)
        else:
            run_program(self.root / "applications" / job.app, action)

    def _wsgi_application(self):
        if self._application is None:
            from server.wsgi import make_application

            self._application = make_application(self.root)
        return self._application


class CronJobFailed(RuntimeError):
    """A job ran but reported failure (an error status or exit code)."""


def run_script(root: Path, app: str, script: Path, with_models: bool) -> None:
    """Run ``script`` in the app's environment (after its models if ``with_models``).

    The databases are committed when the script ends, rolled back if it raises.
    """
    from server.execution import model_environment

    with model_environment(root, app, with_models=with_models) as env:
        code = compile(script.read_text(encoding="utf-8"), str(script), "exec")
        exec(code, env)  # noqa: S102


def run_request(application: WSGIApplication, path: str) -> str:
    """GET ``path`` from ``application`` as a local request; its status, or CronJobFailed."""
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
               "REMOTE_ADDR": "127.0.0.1", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
               "HTTP_HOST": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
               "wsgi.errors": io.StringIO(), "wsgi.version": (1, 0),
               "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False}
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]],
                       exc_info: object = None) -> Callable[[bytes], object]:
        statuses.append(status)
        return lambda data: None

    body = application(environ, start_response)
    try:
        for _ in body:
            pass
    finally:
        if hasattr(body, "close"):
            body.close()
    status = statuses[-1] if statuses else "no status"
    if status[:1] not in ("2", "3"):
        raise CronJobFailed(f"{path} answered {status}")
    return status


def run_program(app_folder: Path, action: Action) -> None:
    """Run one of the app's own programs in the app folder, without a shell."""
    finished = subprocess.run([action.target, *action.arguments], cwd=app_folder,
                              capture_output=True, text=True, errors="replace", check=False)
    if finished.returncode != 0:
        raise CronJobFailed(f"exit code {finished.returncode}: {finished.stderr.strip()[-2000:]}")
