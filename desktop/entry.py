"""``yibao-desk``: with a subcommand, the headless CLI (no Qt loaded); without, the app."""

from __future__ import annotations

import sys


def main() -> int:
    if len(sys.argv) > 1:
        from cli import main as cli_main

        return cli_main(sys.argv[1:])
    from desktop.app import main as app_main

    return app_main()


if __name__ == "__main__":
    sys.exit(main())
