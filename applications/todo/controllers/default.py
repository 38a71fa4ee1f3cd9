# -*- coding: utf-8 -*-
# Pages of the To-do example. Changing data (complete, delete) only happens on POST,
# from buttons whose URL is signed for this user, so a link or another site cannot do it.

# Each filter is a DAL query (== on a Field builds SQL, it does not compare in Python).
FILTERS = {
    "open": db.task.done == False,
    "done": db.task.done == True,
    "all": db.task.id > 0,
}


@auth.requires_login()
def index():
    """The user's tasks, a form to add one, and open/done/all filters (?show=open)."""
    show = request.vars.show if request.vars.show in FILTERS else "open"
    form = SQLFORM(db.task, submit_button=T("Add"), formstyle="divs")
    if form.process().accepted:
        response.flash = T("Task added")
    elif form.errors:
        response.flash = T("The task needs a title")
    tasks = db(my_tasks() & FILTERS[show]).select(orderby=db.task.created_on)
    return dict(form=form, tasks=tasks, show=show, filters=list(FILTERS))


def _owned_task():
    """The task named in the URL if it is the user's, on a POST with a valid signature."""
    if request.env.request_method != "POST":
        raise HTTP(405, "use the buttons on the list")
    task = db(my_tasks() & (db.task.id == request.args(0, cast=int))).select().first()
    if task is None:
        raise HTTP(404, "no such task")
    return task


@auth.requires_login()
@auth.requires_signature()
def complete():
    """Mark a task done (or open again) and go back to the list."""
    task = _owned_task()
    done = not task.done
    task.update_record(done=done)
    session.flash = T("Task done") if done else T("Task open again")
    redirect(URL("index", vars=dict(show=request.vars.show)))


@auth.requires_login()
@auth.requires_signature()
def delete():
    """Delete a task and go back to the list."""
    _owned_task().delete_record()
    session.flash = T("Task deleted")
    redirect(URL("index", vars=dict(show=request.vars.show)))


def user():
    """Register, log in, log out: /todo/default/user/<action>."""
    return dict(form=auth())
