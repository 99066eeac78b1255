"""Tools that fill a knowledge base: Wikidata import, learning from an archive, the built-in leaders."""
