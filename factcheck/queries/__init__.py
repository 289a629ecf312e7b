"""Read-side queries shared by pages, exports and reports: plain SQLAlchemy, no Flask."""
