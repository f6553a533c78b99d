"""sigap: see, then improve, how civil servants (ASN) serve the public."""

__version__ = "0.1.0"
