import io
import os
import tarfile

import pytest
from scripted_ask import ScriptedAsk
from support import write_app

from desktop import icons
from desktop.apps_tree import KIND_ROLE, PATH_ROLE, AppsTree

WELCOME = {
    "__init__.py": "",
    "controllers/default.py": "def index():\n    return 'welcome'\n",
    "models/db.py": "x = 1\n",
    "views/default/index.html": "{{=message}}\n",
    "databases/storage.sqlite": "data",
}


@pytest.fixture
def tree(qtbot, root):
    write_app(root, "welcome", WELCOME)
    widget = AppsTree(root, ScriptedAsk())
    qtbot.addWidget(widget)
    return widget


def children(item):
    return [item.child(index).text(0) for index in range(item.childCount())]


def top_names(tree):
    return [tree.topLevelItem(index).text(0) for index in range(tree.topLevelItemCount())]


def test_shows_apps_with_their_source_folders_only(tree):
    assert top_names(tree) == ["welcome"]
    welcome = tree.topLevelItem(0)
    assert children(welcome) == ["models", "controllers", "views", "languages", "static",
                                 "modules", "private", "cron"]
    views = welcome.child(2)
    assert children(views) == ["default"]
    assert children(views.child(0)) == ["index.html"]
    assert welcome.data(0, KIND_ROLE) == "app"


def test_activating_a_file_asks_to_open_it(tree, qtbot, root):
    assert tree.select_path(root / "applications/welcome/controllers/default.py")
    item = tree.currentItem()
    with qtbot.waitSignal(tree.openFileRequested) as opened:
        tree.itemActivated.emit(item, 0)
    assert opened.args[0] == root / "applications/welcome/controllers/default.py"
    assert tree.selected_app() == "welcome"


def test_selecting_an_item_reports_its_application(tree, qtbot, root):
    with qtbot.waitSignal(tree.applicationSelected) as selected:
        tree.select_path(root / "applications/welcome/models/db.py")
    assert selected.args == ["welcome"]


def test_new_application_is_created_from_welcome_and_selected(tree, root):
    tree.ask.script("new_application", ("blog", "welcome"))
    tree.new_application()
    assert (root / "applications/blog/controllers/default.py").read_text() == \
        WELCOME["controllers/default.py"]
    assert top_names(tree) == ["blog", "welcome"]
    assert tree.selected_app() == "blog"


def test_new_application_can_start_from_an_example(tree, root):
    from server.paths import SOURCE_ROOT

    tree.ask.script("new_application", ("shop", "cart"))
    tree.new_application()
    offered = tree.ask.asked[0][1][0]
    assert list(offered)[:2] == ["welcome", "contacts"] and "cart" in offered
    assert (root / "applications/shop/controllers/default.py").read_bytes() == (SOURCE_ROOT / (
        "applications/cart/controllers/default.py")).read_bytes().replace(b"/cart/", b"/shop/")
    assert tree.selected_app() == "shop"


def test_a_taken_application_name_is_refused_before_the_dialog_closes(tree, root):
    tree.ask.script("new_application", ("welcome", "welcome"))
    tree.new_application()
    assert tree.ask.errors == ["an application named 'welcome' already exists"]
    assert top_names(tree) == ["welcome"]


def test_pack_suggests_a_file_in_the_root_folder(tree, root):
    tree.select_path(root / "applications/welcome")
    tree.pack_selected()  # the scripted user cancels
    assert tree.ask.asked == [("pack_options", ("welcome", root / "web2py.app.welcome.w2p"))]


def test_install_suggests_a_name_no_application_has(tree, root):
    tree.install_archive()  # the scripted user cancels
    (_question, (suggest_name,)), = tree.ask.asked
    assert suggest_name("welcome") == "welcome_2" and suggest_name("blog") == "blog"


def test_a_bad_application_name_is_a_message(tree, root):
    tree.ask.script("new_application", ("../evil", "welcome"))
    tree.new_application()
    assert tree.ask.errors
    assert not (root / "evil").exists()
    assert top_names(tree) == ["welcome"]


def test_new_file_comes_from_a_template_and_opens(tree, qtbot, root):
    tree.select_path(root / "applications/welcome")
    tree.ask.script("new_file", ("controller", "products"))
    with qtbot.waitSignal(tree.openFileRequested) as opened:
        tree.new_file()
    created = root / "applications/welcome/controllers/products.py"
    assert opened.args[0] == created
    assert "def index" in created.read_text()
    assert tree.selected_path() == created


def test_rename_application(tree, root):
    tree.select_path(root / "applications/welcome")
    tree.ask.script("text", "hello")
    tree.rename_selected()
    assert (root / "applications/hello/controllers/default.py").is_file()
    assert top_names(tree) == ["hello"]


def test_rename_file_refuses_leaving_its_folder(tree, root):
    controller = root / "applications/welcome/controllers/default.py"
    tree.select_path(controller)
    tree.ask.script("text", "../../escaped.py")
    tree.rename_selected()
    assert controller.is_file()
    assert tree.ask.errors


def test_delete_needs_confirmation(tree, root):
    tree.select_path(root / "applications/welcome")
    tree.ask.script("confirm", False)
    tree.delete_selected()
    assert (root / "applications/welcome").is_dir()
    tree.ask.script("confirm", True)
    tree.delete_selected()
    assert not (root / "applications/welcome").exists()
    assert top_names(tree) == []


def test_tree_follows_changes_on_disk(tree, qtbot, root):
    write_app(root, "shop", {"controllers/default.py": "def index(): return 1\n"})
    qtbot.waitUntil(lambda: top_names(tree) == ["shop", "welcome"], timeout=5000)


def test_pack_then_install_under_another_name(tree, qtbot, root, tmp_path_factory):
    archive = tmp_path_factory.mktemp("packs") / "welcome.w2p"
    tree.select_path(root / "applications/welcome")
    tree.ask.script("pack_options", (archive, False))
    with qtbot.waitSignal(tree.operationFinished, timeout=10000):
        tree.pack_selected()
    assert archive.is_file()

    tree.ask.script("install_options", (archive, "copy", False))
    with qtbot.waitSignal(tree.operationFinished, timeout=10000):
        tree.install_archive()
    copy = root / "applications/copy"
    assert (copy / "controllers/default.py").read_text() == WELCOME["controllers/default.py"]
    assert not (copy / "databases/storage.sqlite").exists()
    assert tree.selected_app() == "copy"


def test_hostile_archive_is_refused_and_nothing_is_written(tree, qtbot, root, tmp_path):
    archive = tmp_path / "evil.w2p"
    with tarfile.open(archive, "w:gz") as tar:
        payload = b"pwned"
        member = tarfile.TarInfo("../evil")
        member.size = len(payload)
        tar.addfile(member, io.BytesIO(payload))
    before = sorted(path.name for path in (root / "applications").iterdir())
    tree.ask.script("install_options", (archive, "evil", False))
    with qtbot.waitSignal(tree.operationFailed, timeout=10000) as failed:
        tree.install_archive()
    assert failed.args[0] in tree.ask.errors
    assert not (root / "applications/evil").exists()
    assert not (root / "evil").exists()
    assert sorted(path.name for path in (root / "applications").iterdir()) == before


def test_operations_without_a_selection_explain_themselves(tree):
    tree.setCurrentItem(None)
    tree.new_file()
    tree.pack_selected()
    tree.rename_selected()
    tree.delete_selected()
    assert len(tree.ask.errors) == 4
    assert tree.ask.asked == []


def test_items_get_icons_by_kind(tree):
    welcome = tree.topLevelItem(0)
    models, controllers, views = (welcome.child(index) for index in range(3))
    py_file = controllers.child(0)
    assert [item.icon(0).cacheKey() for item in (welcome, models, controllers, views, py_file)] \
        == [icons.icon(name).cacheKey()
            for name in ("app", "models", "controllers", "views", "file_py")]


def test_paths_are_stored_on_items(tree, root):
    item = tree.topLevelItem(0)
    assert item.data(0, PATH_ROLE) == str(root / "applications/welcome")


def test_refresh_keeps_expanded_folders_and_the_current_item(tree, root):
    models = root / "applications/welcome/models"
    tree.select_path(models / "db.py")
    (models / "extra.py").write_text("y = 2\n")
    tree.refresh()
    assert tree.selected_path() == models / "db.py"
    welcome = tree.topLevelItem(0)
    assert welcome.isExpanded() and welcome.child(0).isExpanded()
    assert children(welcome.child(0)) == ["db.py", "extra.py"]


def test_clean_shows_the_counts_first_and_deletes_only_when_confirmed(tree, qtbot, root):
    app = root / "applications/welcome"
    write_app(root, "welcome", {"sessions/s1": "x", "sessions/s2": "x", "errors/t1": "{}"})
    tree.select_path(app)
    tree.clean_selected()  # counted on a worker; then the scripted user says no
    qtbot.waitUntil(lambda: bool(tree.ask.asked), timeout=10000)
    assert tree.ask.asked == [("confirm", (
        "Delete 2 session(s), 1 ticket(s), 0 cache file(s) of welcome? "
        "Signed-in users of it will have to sign in again.",))]
    assert (app / "sessions/s1").exists()

    tree.ask.script("confirm", True)
    with qtbot.waitSignal(tree.operationFinished, timeout=10000) as finished:
        tree.clean_selected()
    assert finished.args == [
        "Cleaned welcome: deleted 2 session(s), 1 ticket(s), 0 cache file(s)."]
    assert not list((app / "sessions").iterdir()) and (app / "controllers").is_dir()
    with qtbot.waitSignal(tree.operationFinished, timeout=10000) as finished:
        tree.clean_selected()
    assert finished.args == ["welcome has no sessions, tickets or cache files."]


def test_compile_reports_the_files_written_or_the_file_and_line_that_failed(tree, qtbot, root):
    app = root / "applications/welcome"
    tree.select_path(app)
    with qtbot.waitSignal(tree.operationFinished, timeout=20000) as finished:
        tree.compile_selected()  # on a worker: the window goes on meanwhile
    message = ("Compiled welcome: 3 file(s), 1 model(s), 1 controller function(s) and 1 view(s). "
               "It runs from them now: edits to its sources take effect once it is compiled "
               "again or its compiled form removed.")
    assert finished.args == [message] and tree.ask.infos == [message]
    assert (app / "compiled/controllers.default.index.pyc").is_file()

    (app / "models/db.py").write_text("x = 1\nif x\n")
    with qtbot.waitSignal(tree.operationFailed, timeout=20000) as failed:
        tree.compile_selected()
    assert failed.args == ["welcome was not compiled: models/db.py line 2: expected ':'"]
    assert tree.ask.errors == failed.args
    assert (app / "compiled/models.db.pyc").is_file()  # the previous compiled form stays


def test_a_view_that_does_not_compile_can_be_left_out_when_asked(tree, qtbot, root):
    app = root / "applications/welcome"
    (app / "views/default/broken.html").write_text("{{if True:}}never closed")
    tree.select_path(app)
    with qtbot.waitSignal(tree.operationFailed, timeout=20000):
        tree.compile_selected()  # the scripted user declines leaving it out
    question = ('welcome was not compiled: views/default/broken.html: RestrictedError: missing '
                '"pass" in view\n\nCompile it leaving out the views that do not compile? They '
                'run from their templates.')
    assert tree.ask.asked == [("confirm", (question,))] and not (app / "compiled").exists()

    tree.ask.script("confirm", True)
    with qtbot.waitSignal(tree.operationFinished, timeout=20000) as finished:
        tree.compile_selected()
    assert finished.args[0].startswith("Compiled welcome: 3 file(s), 1 model(s), 1 controller "
                                       "function(s) and 1 view(s) (1 view(s) skipped).")
    assert (app / "compiled/views.default.index.html.pyc").is_file()


def test_remove_compiled_asks_only_when_the_compiled_form_is_all_the_code(tree, qtbot, root):
    app = root / "applications/welcome"
    tree.select_path(app)
    with qtbot.waitSignal(tree.operationFinished, timeout=20000):
        tree.compile_selected()
    (app / "controllers/default.py").rename(app / "default.py.keep")
    tree.remove_compiled_selected()  # the scripted user says no
    qtbot.waitUntil(lambda: bool(tree.ask.asked), timeout=10000)
    assert tree.ask.asked == [("confirm", (
        "welcome has no controller sources beside its compiled form: removing it leaves the "
        "application without code. Remove it anyway?",))]
    assert (app / "compiled").is_dir()

    (app / "default.py.keep").rename(app / "controllers/default.py")
    with qtbot.waitSignal(tree.operationFinished, timeout=20000) as finished:
        tree.remove_compiled_selected()
    assert finished.args == ["Removed the compiled form of welcome: it runs from its sources again."]
    assert not (app / "compiled").exists() and len(tree.ask.asked) == 1
    with qtbot.waitSignal(tree.operationFinished, timeout=20000) as finished:
        tree.remove_compiled_selected()
    assert finished.args == ["welcome has no compiled form."]


def test_pack_and_install_show_progress_and_cancel_leaves_nothing(tree, qtbot, root,
                                                                  tmp_path_factory):
    """A Cancel clicked while the worker packs (or unpacks) megabytes stops it: no archive, no
    app, no error dialog, and the status says so."""
    write_app(root, "welcome", {"static/big.bin": ""})
    (root / "applications/welcome/static/big.bin").write_bytes(os.urandom(4 * 1024 * 1024))
    archive = tmp_path_factory.mktemp("packs") / "welcome.w2p"
    tree.select_path(root / "applications/welcome")
    bar = tree.progress
    tree.ask.script("pack_options", (archive, False))
    with qtbot.waitSignal(tree.operationFailed, timeout=30_000) as failed:
        tree.pack_selected()
        assert bar.running and bar.label.text() == "Packing welcome…"
        bar.cancel_button.click()
    assert failed.args == ["Packing cancelled: no archive was written."]
    assert not archive.exists() and tree.ask.errors == [] and not bar.running

    tree.ask.script("pack_options", (archive, False))
    with qtbot.waitSignal(tree.operationFinished, timeout=30_000):
        tree.pack_selected()
    tree.ask.script("install_options", (archive, "copy", False))
    with qtbot.waitSignal(tree.operationFailed, timeout=30_000) as failed:
        tree.install_archive()
        bar.cancel_button.click()
    assert failed.args == ["Installing copy cancelled: nothing was installed."]
    assert sorted(p.name for p in (root / "applications").iterdir()) == ["welcome"]
    assert tree.ask.errors == [] and bar.isHidden()
