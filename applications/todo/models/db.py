# -*- coding: utf-8 -*-
# To-do list: every user sees and changes only their own tasks.

db = DAL("sqlite://storage.sqlite", pool_size=0, migrate=True)

auth = Auth(db)
auth.settings.registration_requires_verification = False  # the login example checks mail
auth.settings.login_after_registration = True
auth.settings.password_min_length = 8
auth.define_tables(username=False, signature=False)

db.define_table(
    "task",
    Field("title", requires=IS_NOT_EMPTY(error_message=T("write what there is to do")),
          label=T("New task")),
    Field("done", "boolean", default=False, readable=False, writable=False),
    # The owner is filled in from the logged-in user; the form never shows it.
    Field("owner", "reference auth_user", default=auth.user_id,
          readable=False, writable=False),
    Field("created_on", "datetime", default=request.now, readable=False, writable=False),
)


def my_tasks():
    """The query every page starts from: only the logged-in user's tasks."""
    return db.task.owner == auth.user_id
