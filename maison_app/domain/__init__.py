"""Pure Python domain: enums, frozen records, errors and rules. No Qt, no SQLAlchemy."""
