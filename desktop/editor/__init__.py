"""The code editor: Scintilla editors in tabs, with find/replace, completion and themes."""

from desktop.editor.code_editor import CodeEditor, SyntaxProblem
from desktop.editor.tabs import EditorTabs

__all__ = ["CodeEditor", "EditorTabs", "SyntaxProblem"]
