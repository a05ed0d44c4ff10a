"""Full-text search for scraped web pages: read, clean, index, query."""

__version__ = "0.1.0"
