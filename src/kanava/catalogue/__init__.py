"""Organisation units, municipalities, postal areas, topics and channels; the channel guide."""
