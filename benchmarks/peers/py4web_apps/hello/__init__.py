"""Workload 1 in py4web: a hello action, no database."""

from py4web import action


@action("index")
def index():
    return "Hello World"
