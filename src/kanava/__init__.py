"""kanava: personal customer service of a social insurance institution."""
