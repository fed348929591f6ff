#!/usr/bin/env python3
"""Parse an HTML page with html5lib (the WHATWG HTML5 parsing algorithm) and list its parse errors.

    python3 scripts/check-html5.py PAGE.html

Prints one JSON object, {"errors": [[line, column, "error-code"], ...], "elements": N}, and exits 0;
exits 2 with `html5lib unavailable` on standard error when html5lib is not installed
(pip install html5lib==1.1), 1 on other failures.
"""
import json
import sys


def main():
    if len(sys.argv) != 2:
        print("usage: check-html5.py PAGE.html", file=sys.stderr)
        return 1
    try:
        import html5lib
    except ImportError as error:
        print(f"html5lib unavailable: {error}", file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as handle:
        data = handle.read()
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), strict=False)
    document = parser.parse(data)
    errors = [[position[0], position[1], code] for position, code, _ in parser.errors]
    print(json.dumps({"errors": errors, "elements": sum(1 for _ in document.iter())}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
