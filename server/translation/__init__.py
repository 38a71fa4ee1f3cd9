"""Internationalisation: ``T`` (the translator), the language files it reads and writes,
plural forms, and the markmin rendering of ``T.M``."""
