"""Business services: the only layer that opens sessions and enforces rules.

Each public method is one unit of work with keyword-only arguments; it returns domain
records (frozen dataclasses), never ORM rows, and raises MaisonError subclasses.
"""
