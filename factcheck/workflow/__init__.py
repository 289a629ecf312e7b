"""Domain rules and operations: plain Python over a SQLAlchemy session, no Flask."""
