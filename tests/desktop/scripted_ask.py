"""A stand-in for :class:`desktop.dialogs.Ask` that answers from a script instead of a dialog.

``ScriptedAsk(text=["blog"], confirm=[True])`` answers the first ``text`` question with "blog"
and so on; a question with no scripted answer gets None (the user cancelled). Errors and infos
are recorded so tests can assert the user was told.
"""

from __future__ import annotations


class ScriptedAsk:
    def __init__(self, **answers):
        self.answers = {name: list(values) for name, values in answers.items()}
        self.asked: list[tuple[str, tuple]] = []
        self.errors: list[str] = []
        self.infos: list[str] = []

    def _answer(self, name: str, *args):
        self.asked.append((name, args))
        queue = self.answers.get(name)
        return queue.pop(0) if queue else None

    def script(self, name: str, *values) -> None:
        self.answers.setdefault(name, []).extend(values)

    def error(self, title: str, message: str) -> None:
        self.errors.append(message)

    def info(self, title: str, message: str) -> None:
        self.infos.append(message)

    def confirm(self, title: str, question: str) -> bool:
        return bool(self._answer("confirm", question))

    def text(self, title: str, label: str, default: str = ""):
        return self._answer("text", label, default)

    def _checked(self, answer, check):
        """A scripted answer that ``check`` refuses is reported as the dialog would show it,
        and then cancelled."""
        problem = check(answer) if answer and check is not None else None
        if problem:
            self.errors.append(problem)
            return None
        return answer

    def new_application(self, starting_points: dict, check=None):
        return self._checked(self._answer("new_application", starting_points), check)

    def new_file(self, application: str):
        return self._answer("new_file", application)

    def new_password(self):
        return self._answer("new_password")

    def pack_options(self, application: str, destination):
        return self._answer("pack_options", application, destination)

    def install_options(self, check=None, suggest_name=str):
        return self._checked(self._answer("install_options", suggest_name), check)
