"""Opening hours: rules in local wall-clock time resolved into timelines of UTC instants."""
