"""Reference requests: a rep asks for a reference for a deal (built by the sales-portal issue)."""
