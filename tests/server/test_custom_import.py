"""server.custom_import: inside a request the importer is the app's."""

from support import write_app

from server.current import current
from server.custom_import import custom_importer
from server.storage import Storage


def test_the_running_apps_modules_come_first(root):
    app = write_app(root, "imp", {"modules/only_here.py": "NAME = 'app module'\n"})
    current.request = Storage(folder_path=app)
    try:
        assert custom_importer("only_here").NAME == "app module"
    finally:
        vars(current).pop("request", None)
