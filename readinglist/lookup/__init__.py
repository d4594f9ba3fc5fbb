"""Metadata from the web for a paper named by its arXiv id or DOI (arXiv, Crossref, DataCite).

The only part of the core that talks to the network; everything it returns is a PaperDraft
for the usual import path.
"""
