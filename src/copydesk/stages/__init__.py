"""The pipeline's stages, in the order they run: segment, mentions, retrieve, support, decide."""
