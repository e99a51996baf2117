"""honours: Chinese honour rolls (光荣榜) kept, ordered and printed from the terminal."""

__version__ = "0.1.0"
