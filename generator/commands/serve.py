"""licheng serve: a live preview of the website."""

from __future__ import annotations

from .common import address, school_root


def add_arguments(parser) -> None:
    parser.add_argument("--audience", choices=["public", "staff"], default="public",
                        help="public：公開的期程網站（預設）；staff：教職員網站 / public: the public schedule site (default); staff: the staff site")
    parser.add_argument("--dev-addr", type=address, help="例如 127.0.0.1:8000 / e.g. 127.0.0.1:8000")


def run(args) -> bool:
    from ..publish import serve

    serve(school_root(args.repo), args.audience, now=args.now, dev_addr=args.dev_addr, lang=args.lang)
    return True
