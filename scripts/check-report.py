#!/usr/bin/env python3
"""Opens an HTML report in headless Chromium, offline, and says what a reader would meet.

    python3 scripts/check-report.py PAGE.html --screenshot OUT.png --pdf OUT.pdf [--width 1280] [--phone]

The page is opened from a file:// URL with the network off: the browser context is offline and
every request whose URL starts with neither file: nor data: is aborted and listed. Prints one JSON
object on stdout:

    {"console_errors": [...], "failed_requests": [{"url": ..., "reason": ...}], "page_errors": [...],
     "other_files": [...], "title": "...", "svg_count": N, "pdf_pages": N,
     "screenshot": "OUT.png", "pdf": "OUT.pdf", "phone_overflow_px": N or null, "phone_wide_elements": [...]}

other_files lists file: URLs the page loaded besides itself (a self-contained report has none).
With --phone the page is reloaded at 390x844 and phone_overflow_px is how far the document is
wider than 390 px (0 when it fits, one pixel of rounding allowed); phone_wide_elements names the
outermost elements that stick out. Without --phone both are null.

Exit status: 0 when the page was checked (whatever it contained), 2 with "browser unavailable: ..."
on stderr when Playwright or Chromium cannot be found or launched, 1 on any other error.

Chromium: $DECOY_CHROMIUM, else the first of /usr/bin/chromium, /usr/bin/chromium-headless-shell,
/usr/lib/chromium/chromium that exists. Playwright's own browser downloads are never used.
"""
import argparse
import json
import os
import re
import sys
from pathlib import Path

PHONE_WIDTH, PHONE_HEIGHT = 390, 844
CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-headless-shell", "/usr/lib/chromium/chromium"]
TIMEOUT_MS = 60_000


class Unavailable(Exception):
    """Playwright or Chromium is missing or would not start."""


def find_chromium():
    named = os.environ.get("DECOY_CHROMIUM")
    if named:
        if os.path.isfile(named) and os.access(named, os.X_OK):
            return named
        raise Unavailable(f"DECOY_CHROMIUM={named} is not an executable file")
    for path in CANDIDATES:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    raise Unavailable("no Chromium found (set DECOY_CHROMIUM, or install Debian's chromium: "
                      "apt-get install chromium); looked at " + ", ".join(CANDIDATES))


def pdf_page_count(data):
    """Page objects in the PDF: `/Type /Page` not followed by `s` (that is the page tree)."""
    count = len(re.findall(rb"/Type\s*/Page(?![A-Za-z0-9])", data))
    if count == 0:  # pages inside compressed object streams: not what Chromium writes, but be sure
        try:
            import io
            import pypdf
            return len(pypdf.PdfReader(io.BytesIO(data)).pages)
        except ImportError:
            raise RuntimeError("no page objects found in the PDF (and pypdf is not installed to look deeper)")
    return count


# The outermost elements whose right edge passes the viewport and that no scrolling or clipping
# ancestor contains: the ones that make the document wider than the phone.
WIDE_ELEMENTS_JS = """(limit) => {
  const vw = document.documentElement.clientWidth;
  const clips = (el) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.classList.length ? '.' + Array.from(el.classList).join('.') : '');
  const wide = (el) => el.getBoundingClientRect().right > vw + 1;
  const out = [];
  const walk = (el) => {
    for (const child of el.children) {
      if (out.length >= limit) return;
      if (wide(child)) {
        out.push(name(child) + ' (' + Math.round(child.getBoundingClientRect().right) + 'px)');
      } else if (!clips(child)) {
        walk(child);
      }
    }
  };
  if (document.body) walk(document.body);
  return out;
}"""


def check(page_path, screenshot, pdf, width, phone):
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise Unavailable(f"Playwright for Python is not installed ({error}); pip install playwright==1.65.2")

    source = Path(page_path)
    if not source.is_file():
        raise FileNotFoundError(f"no such page: {page_path}")
    url = source.resolve().as_uri()
    executable = find_chromium()

    console_errors, page_errors, other_files = [], [], []
    failed = {}  # url -> reason, in the order first seen

    def fail(request_url, reason):
        failed.setdefault(request_url, reason)

    def route(route_):
        request_url = route_.request.url
        if request_url.startswith("file:") or request_url.startswith("data:"):
            route_.continue_()
        else:
            fail(request_url, "blocked: the check allows file: and data: only")
            route_.abort()

    def on_request(request):
        request_url = request.url.split("#", 1)[0]
        if request_url.startswith("file:") and request_url != url and request_url not in other_files:
            other_files.append(request_url)

    def on_console(message):
        if message.type == "error":
            text = message.text
            location = message.location or {}
            if location.get("url"):
                text += f" ({location['url']}:{location.get('lineNumber', 0) + 1})"
            console_errors.append(text)

    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, timeout=TIMEOUT_MS,
                args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        except PlaywrightError as error:
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise Unavailable(f"{executable} did not start: {first}")
        try:
            context = browser.new_context(offline=True, viewport={"width": width, "height": 800})
            context.set_default_timeout(TIMEOUT_MS)
            context.route("**/*", route)
            page = context.new_page()
            page.on("console", on_console)
            page.on("pageerror", lambda error: page_errors.append(str(error)))
            page.on("request", on_request)
            page.on("requestfailed", lambda request: fail(request.url, request.failure or "failed"))
            # Not routed like other requests; the offline context refuses the connection.
            page.on("websocket", lambda socket: fail(socket.url, "websocket: the check allows file: and data: only"))

            page.goto(url, wait_until="load")
            # Two animation frames, so that what the page's scripts draw after load has run.
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            title = page.title()
            svg_count = page.evaluate("() => document.querySelectorAll('svg').length")
            page.screenshot(path=screenshot, full_page=True)
            pdf_bytes = page.pdf(path=pdf, format="A4", print_background=True)
            pdf_pages = pdf_page_count(pdf_bytes)

            overflow, wide_elements = None, None
            if phone:
                page.set_viewport_size({"width": PHONE_WIDTH, "height": PHONE_HEIGHT})
                page.reload(wait_until="load")
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
                overflow = scroll_width - PHONE_WIDTH if scroll_width > PHONE_WIDTH + 1 else 0
                wide_elements = page.evaluate(WIDE_ELEMENTS_JS, 5) if overflow else []
        finally:
            browser.close()

    # The reload in phone mode repeats the page's messages; say each once.
    dedupe = lambda items: list(dict.fromkeys(items))
    return {
        "console_errors": dedupe(console_errors),
        "failed_requests": [{"url": u, "reason": r} for u, r in failed.items()],
        "page_errors": dedupe(page_errors),
        "other_files": other_files,
        "title": title,
        "svg_count": svg_count,
        "pdf_pages": pdf_pages,
        "screenshot": screenshot,
        "pdf": pdf,
        "phone_overflow_px": overflow,
        "phone_wide_elements": wide_elements,
    }


class Parser(argparse.ArgumentParser):
    """Usage errors exit 1: status 2 means only that the browser is unavailable."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


def main():
    parser = Parser(description="Open an HTML report in headless Chromium, offline, and report what it shows.")
    parser.add_argument("page", help="the HTML file")
    parser.add_argument("--screenshot", required=True, help="full-page PNG to write")
    parser.add_argument("--pdf", required=True, help="A4 PDF to write")
    parser.add_argument("--width", type=int, default=1280, help="viewport width in px for the screenshot (default 1280)")
    parser.add_argument("--phone", action="store_true", help=f"also reload at {PHONE_WIDTH}x{PHONE_HEIGHT} and measure overflow")
    arguments = parser.parse_args()
    if arguments.width < 1:
        parser.error("--width must be positive")
    try:
        result = check(arguments.page, arguments.screenshot, arguments.pdf, arguments.width, arguments.phone)
    except Unavailable as error:
        print(f"browser unavailable: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # noqa: BLE001 - any other failure is the page's or the caller's
        print(f"check-report: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
