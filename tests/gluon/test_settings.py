"""gluon.settings.global_settings: set for the root a served app runs in."""

from support import write_app

from gluon.settings import global_settings, settings


def test_global_settings_and_request_env_name_the_root(root, wsgi_server, http):
    write_app(root, "where", {"controllers/default.py": """
        from gluon.settings import global_settings
        def index():
            return '|'.join([global_settings.applications_parent, request.env.web2py_version,
                             request.env.applications_parent])
    """})
    parent, version, env_parent = http(wsgi_server(root) + "/where/default/index").text.split("|")
    assert parent == env_parent == str(root.resolve())
    assert version == global_settings.web2py_version and settings is global_settings
    assert global_settings.gluon_parent
