"""The ML System Design workbook's package (see README.md and DESIGN.md)."""


def __getattr__(name: str):
    # Looked up only when asked for: importlib.metadata costs ~40 ms at every import of mlsd,
    # which every notebook kernel and every sandboxed kernel's launcher does.
    if name == "__version__":
        from importlib.metadata import version

        return version("mlsd")
    raise AttributeError(f"module 'mlsd' has no attribute {name!r}")
