"""What pyproject.toml cannot say: the wheel carries the checkout's ``applications/`` (the
welcome scaffold and the examples) as package data of ``pocketweb.applications``, so an
installed ``pocketweb`` can seed a new root folder and create apps from them.

Version, dependencies and metadata live in pyproject.toml only.
"""

from setuptools import find_packages, setup

RUNTIME_FOLDERS = ("databases", "sessions", "errors", "cache", "uploads")

setup(
    packages=find_packages(include=["pocketweb", "server", "server.*", "desktop", "desktop.*",
                                    "gluon", "gluon.*"]) + ["pocketweb.applications"],
    package_dir={"pocketweb.applications": "applications"},
    package_data={"pocketweb.applications": ["**/*", "**/.gitkeep"],
                  "server.hosting": ["*.js"]},  # the live-reload script the window's server serves
    exclude_package_data={"pocketweb.applications": [
        *(f"*/{folder}/*" for folder in RUNTIME_FOLDERS), "**/__pycache__/*", "**/*.pyc",
        "*/private/mail/*"]},
)
