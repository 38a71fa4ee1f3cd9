"""The code editor: Scintilla editors in tabs, with find/replace, completion and themes."""

from desktop.editor.code_editor import CodeEditor
from desktop.editor.syntax_check import SyntaxProblem
from desktop.editor.tabs import EditorTabs

__all__ = ["CodeEditor", "EditorTabs", "SyntaxProblem"]
