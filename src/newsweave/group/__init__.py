"""Group: articles into stories, and copies into source groups."""
