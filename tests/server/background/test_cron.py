"""server/cron.py: crontab syntax, command resolution (never outside the app), real runs."""

from __future__ import annotations

import logging
import stat
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from pydal import DAL, Field
from support import wait_until, write_app

from server.background.cron import (
    CronRunner,
    CrontabError,
    load_crontab,
    parse_crontab,
    parse_field,
    resolve_command,
)

MODEL = """
db = DAL('sqlite://storage.sqlite')
db.define_table('thing', Field('name'))
"""


def things(app_folder: Path) -> list[str]:
    db = DAL("sqlite://storage.sqlite", folder=str(app_folder / "databases"))
    db.define_table("thing", Field("name"))
    try:
        return [row.name for row in db(db.thing).select(orderby=db.thing.id)]
    finally:
        db.close()


def wait_for(condition, timeout=5.0):
    return wait_until(condition, timeout)


# ----- syntax ---------------------------------------------------------------------------------
def test_fields_accept_stars_steps_ranges_lists_and_names():
    assert parse_field("*/15", 0, 59, (), "minute") == {0, 15, 30, 45}
    assert parse_field("1-10/3,30", 0, 59, (), "minute") == {1, 4, 7, 10, 30}
    assert parse_field("5/20", 0, 59, (), "minute") == {5, 25, 45}
    jobs, errors = parse_crontab("0 9 * jan-mar,Dec mon-fri root *cron/x.py")
    assert errors == []
    schedule = jobs[0].schedule
    assert schedule.months == {1, 2, 3, 12}
    assert schedule.weekdays == {1, 2, 3, 4, 5}


def test_sunday_is_0_or_7():
    jobs, _ = parse_crontab("0 0 * * 7 root *cron/x.py\n0 0 * * sun root *cron/x.py")
    assert jobs[0].schedule.weekdays == jobs[1].schedule.weekdays == {0}
    assert jobs[0].is_due(datetime(2026, 11, 29, 0, 0))  # a Sunday
    assert not jobs[0].is_due(datetime(2026, 11, 30, 0, 0))


def test_schedule_matches_minute_hour_and_month():
    jobs, _ = parse_crontab("*/5 9-17 * * * root *cron/x.py")
    assert jobs[0].is_due(datetime(2026, 3, 2, 9, 5))
    assert not jobs[0].is_due(datetime(2026, 3, 2, 9, 6))
    assert not jobs[0].is_due(datetime(2026, 3, 2, 18, 5))


def test_restricted_day_of_month_or_day_of_week_as_in_unix_cron():
    jobs, _ = parse_crontab("0 0 1 * mon root *cron/x.py")
    assert jobs[0].is_due(datetime(2026, 11, 1, 0, 0))  # the 1st, a Sunday
    assert jobs[0].is_due(datetime(2026, 11, 2, 0, 0))  # a Monday
    assert not jobs[0].is_due(datetime(2026, 11, 3, 0, 0))


def test_shortcuts():
    text = "\n".join(f"{name} root *cron/x.py" for name in
                     ("@hourly", "@daily", "@weekly", "@monthly", "@yearly", "@reboot"))
    jobs, errors = parse_crontab(text)
    assert errors == []
    hourly, daily, weekly, monthly, yearly, reboot = jobs
    assert hourly.is_due(datetime(2026, 5, 5, 13, 0)) and not hourly.is_due(datetime(2026, 5, 5, 13, 1))
    assert daily.is_due(datetime(2026, 5, 5, 0, 0)) and not daily.is_due(datetime(2026, 5, 5, 1, 0))
    assert weekly.is_due(datetime(2026, 5, 3, 0, 0)) and not weekly.is_due(datetime(2026, 5, 4, 0, 0))
    assert monthly.is_due(datetime(2026, 5, 1, 0, 0)) and not monthly.is_due(datetime(2026, 5, 2, 0, 0))
    assert yearly.is_due(datetime(2027, 1, 1, 0, 0)) and not yearly.is_due(datetime(2026, 5, 1, 0, 0))
    assert reboot.reboot and not reboot.is_due(datetime(2026, 5, 1, 0, 0))


def test_bad_lines_are_reported_by_number_and_good_lines_kept():
    text = """# a comment

    */5 * * * * root *cron/ok.py
    61 * * * * root *cron/x.py
    * * * * root
    @sometimes root *cron/x.py
    */0 * * * * root *cron/x.py
    * * * smarch * root *cron/x.py
    @daily root
    """
    jobs, errors = parse_crontab(text)
    assert [job.line_number for job in jobs] == [3]
    assert [error.split(":")[0] for error in errors] == [f"line {n}" for n in (4, 5, 6, 7, 8, 9)]
    assert "outside 0-59" in errors[0]
    assert "unknown shortcut" in errors[2]


# ----- commands -------------------------------------------------------------------------------
def test_commands_resolve_inside_their_own_app(root):
    app = write_app(root, "shop", {"cron/job.py": "x = 1\n"})
    script = resolve_command("*applications/shop/cron/job.py", app)
    assert (script.kind, script.target, script.models) == ("script", str(app / "cron/job.py"), True)
    assert resolve_command("**cron/job.py", app).models is False
    assert resolve_command("*default/tick", app).target == "/shop/default/tick"
    assert resolve_command("shop/default/tick", app).target == "/shop/default/tick"


@pytest.mark.parametrize("command", [
    "*applications/other/cron/job.py",
    "*applications/shop/../other/cron/job.py",
    "**../../outside.py",
    "*/etc/passwd.py",
    "*other/default/tick",
    "python cron/job.py",
    "/bin/echo hello",
    "cron/job.py",  # not executable
    "***cron/job.py",
    "*cron/notes.txt",
])
def test_commands_that_leave_the_app_or_run_foreign_programs_are_refused(root, command):
    app = write_app(root, "shop", {"cron/job.py": "x = 1\n", "cron/notes.txt": ""})
    write_app(root, "other", {"cron/job.py": "x = 1\n"})
    (root / "outside.py").write_text("x = 1\n")
    with pytest.raises(CrontabError):
        resolve_command(command, app)


def test_load_crontab_reports_refused_commands(root):
    app = write_app(root, "shop", {"cron/crontab": """
        * * * * * root *cron/job.py
        * * * * * root *applications/other/cron/evil.py
        """, "cron/job.py": ""})
    jobs, errors = load_crontab(app)
    assert [job.command for job in jobs] == ["*cron/job.py"]
    assert len(errors) == 1 and errors[0].startswith("line 2:") and "another application" in errors[0]


# ----- running --------------------------------------------------------------------------------
def test_script_runs_after_the_models_and_is_committed(root):
    app = write_app(root, "shop", {
        "models/db.py": MODEL,
        "cron/crontab": "*/10 * * * * root *applications/shop/cron/add.py\n",
        "cron/add.py": "db.thing.insert(name='from cron ' + request.application)\n",
    })
    runner = CronRunner(root)
    assert runner.run_due(datetime(2026, 1, 1, 12, 5)) == []
    started = runner.run_due(datetime(2026, 1, 1, 12, 10))
    assert [job.command for job in started] == ["*applications/shop/cron/add.py"]
    assert runner.wait_idle(10)
    assert things(app) == ["from cron shop"]


def test_double_star_script_runs_without_models(root):
    app = write_app(root, "shop", {
        "models/db.py": MODEL,
        "cron/crontab": "* * * * * root **cron/probe.py\n",
        "cron/probe.py": "open(request.folder + 'private/probe.txt', 'w').write(str('db' in globals()))\n",
    })
    runner = CronRunner(root)
    runner.run_due(datetime(2026, 1, 1, 0, 0))
    assert runner.wait_idle(10)
    assert (app / "private" / "probe.txt").read_text() == "False"


def test_failing_script_is_logged_rolled_back_and_the_runner_carries_on(root, caplog):
    app = write_app(root, "shop", {
        "models/db.py": MODEL,
        "cron/crontab": "* * * * * root *cron/bad.py\n* * * * * root *cron/good.py\n",
        "cron/bad.py": "db.thing.insert(name='half done')\nraise RuntimeError('boom')\n",
        "cron/good.py": "db.thing.insert(name='fine')\n",
    })
    runner = CronRunner(root)
    with caplog.at_level(logging.INFO, logger="pocketweb.cron"):
        assert len(runner.run_due(datetime(2026, 1, 1, 0, 0))) == 2
        assert runner.wait_idle(10)
    assert things(app) == ["fine"]
    failure = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failure) == 1 and "line 1" in failure[0].getMessage()
    assert "RuntimeError: boom" in failure[0].getMessage()


def test_controller_function_runs_as_a_request(root):
    app = write_app(root, "shop", {
        "models/db.py": MODEL,
        "controllers/default.py": """
            def tick():
                db.thing.insert(name=request.function)
                return 'ok'
            """,
        "cron/crontab": "@hourly root *default/tick\n",
    })
    runner = CronRunner(root)
    runner.run_due(datetime(2026, 1, 1, 7, 0))
    assert runner.wait_idle(10)
    assert things(app) == ["tick"]


def test_failing_request_is_logged(root, caplog):
    write_app(root, "shop", {"cron/crontab": "* * * * * root *default/missing\n"})
    runner = CronRunner(root)
    with caplog.at_level(logging.ERROR, logger="pocketweb.cron"):
        runner.run_due(datetime(2026, 1, 1, 7, 0))
        assert runner.wait_idle(10)
    assert "404" in caplog.text


def test_app_program_runs_in_the_app_folder(root):
    app = write_app(root, "shop", {
        "cron/crontab": "* * * * * root applications/shop/cron/stamp.sh 'two words'\n",
        "cron/stamp.sh": "#!/bin/sh\necho \"$1\" > private/stamp.txt\n",
    })
    (app / "cron" / "stamp.sh").chmod(stat.S_IRWXU)
    runner = CronRunner(root)
    runner.run_due(datetime(2026, 1, 1, 0, 0))
    assert runner.wait_idle(10)
    assert (app / "private" / "stamp.txt").read_text() == "two words\n"


def test_a_job_still_running_is_not_started_again(root):
    app = write_app(root, "shop", {
        "cron/crontab": "* * * * * root **cron/slow.py\n",
        "cron/slow.py": """
            import os, time
            open(request.folder + 'private/started', 'a').write('x')
            while not os.path.exists(request.folder + 'private/release'):
                time.sleep(0.02)
            """,
    })
    runner = CronRunner(root)
    minute = datetime(2026, 1, 1, 0, 0)
    assert len(runner.run_due(minute)) == 1
    assert wait_for((app / "private" / "started").exists)
    assert runner.run_due(minute.replace(minute=1)) == []
    (app / "private" / "release").write_text("")
    assert runner.wait_idle(10)
    assert len(runner.run_due(minute.replace(minute=2))) == 1
    assert runner.wait_idle(10)
    assert (app / "private" / "started").read_text() == "xx"


def test_started_runner_runs_reboot_once_then_every_tick_and_stops_promptly(root):
    app = write_app(root, "shop", {
        "cron/crontab": """
            this line is broken
            @reboot root **cron/log.py
            * * * * * root **cron/log.py
            """,
        "cron/log.py": "open(request.folder + 'private/log.txt', 'a').write('.')\n",
    })
    log_file = app / "private" / "log.txt"
    runner = CronRunner(root, tick=0.1)
    runner.start()
    try:
        assert wait_for(lambda: log_file.exists() and len(log_file.read_text()) >= 4)
    finally:
        began = time.monotonic()
        runner.stop()
        assert time.monotonic() - began < 1
    assert runner.wait_idle(5)
    assert "pocketweb cron" not in [thread.name for thread in threading.enumerate()]


def test_of_two_runners_on_one_root_one_leads_and_the_other_takes_over(root):
    app = write_app(root, "shop", {
        "cron/crontab": "@reboot root **cron/boot.py\n* * * * * root **cron/log.py\n",
        "cron/boot.py": "open(request.folder + 'private/boot.txt', 'a').write('.')\n",
        "cron/log.py": "open(request.folder + 'private/log.txt', 'a').write('.')\n",
    })
    log_file, boot_file = app / "private" / "log.txt", app / "private" / "boot.txt"
    runners = [CronRunner(root, tick=0.1, boot_id="one start") for _ in range(2)]
    for runner in runners:
        runner.start()
    try:
        assert wait_for(lambda: log_file.exists() and len(log_file.read_text()) >= 2)
        runners[0].stop()  # whichever led, the other one leads from now on
        runners[1].stop()
        runners[1].start()
        ticks = len(log_file.read_text())
        assert wait_for(lambda: len(log_file.read_text()) >= ticks + 2)
    finally:
        for runner in runners:
            runner.stop()
            assert runner.wait_idle(5)
    assert boot_file.read_text() == "."  # one server start: its @reboot jobs ran once


def test_edited_crontab_is_read_again(root):
    app = write_app(root, "shop", {"cron/crontab": "0 0 1 1 * root **cron/x.py\n", "cron/x.py": ""})
    runner = CronRunner(root)
    assert runner.run_due(datetime(2026, 6, 1, 0, 0)) == []
    (app / "cron" / "crontab").write_text("* * * * * root **cron/x.py  \n# changed\n")
    assert len(runner.run_due(datetime(2026, 6, 1, 0, 0))) == 1
    assert runner.wait_idle(5)
