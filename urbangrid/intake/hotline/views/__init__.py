"""The 12319 desk's pages: the call console, directives from above, follow-up calls."""
