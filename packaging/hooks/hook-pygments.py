# Replaces PyInstaller's own Pygments hook, which bundles every lexer, formatter and style
# (about 1.8 MB compressed, most of the bundle's headroom). CODE's colouring imports the few
# lexers it uses by module (server/helpers/highlight.py), so the import scan finds exactly those.
hiddenimports = []
