"""Start the workshop scenario comparer: ``python -m dashboard`` (or ``make dashboard``).

Serves on 127.0.0.1 unless ``--host`` says otherwise. The server makes no request to the
outside world: telemetry and the version check are off, and Solara's CDN address points at
a closed local port, so a front-end asset that was not installed at set-up fails visibly
instead of being fetched (``python -m dashboard.install_assets`` installs them).
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
import warnings

# A local address nothing listens on: Solara's asset proxy may never reach a public CDN.
OFFLINE_CDN = "http://127.0.0.1:9/npm/"


def offline_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """Return environment variables that keep a Solara server offline.

    Args:
        env: The environment to extend (default: a copy of ``os.environ``).

    Returns:
        A new dict with telemetry off and the CDN proxy pointed at a closed local port.
    """
    out = dict(os.environ if env is None else env)
    out["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    out["SOLARA_THEME_SHOW_BANNER"] = "False"  # the badge covered buttons on a beamer
    out.setdefault("SOLARA_ASSETS_CDN", OFFLINE_CDN)
    out.setdefault("MPLBACKEND", "Agg")
    return out


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable only from this machine (127.x, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def main(argv: list[str] | None = None) -> int:
    """Parse the options and run the Solara server in this process.

    Args:
        argv: Command-line arguments (default: ``sys.argv[1:]``).

    Returns:
        The process exit code.
    """
    parser = argparse.ArgumentParser(
        prog="python -m dashboard", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=int, default=8765, help="port (0 for a free one; default 8765)"
    )
    parser.add_argument(
        "--no-warm", action="store_true", help="do not precompute the presets at start"
    )
    args = parser.parse_args(argv)

    if not is_loopback(args.host):
        print(
            f"WARNING: serving on {args.host}: anyone who can reach this machine on port "
            f"{args.port} can open the page and start computations. The page has no login. "
            "Use --host 127.0.0.1 unless the room's network is meant to see it.",
            file=sys.stderr,
        )
    os.environ.update(offline_environment())
    if args.no_warm:
        os.environ["WNW_DASHBOARD_WARM"] = "0"

    from dashboard import install_assets

    if install_assets.main(["--check"]) != 0:
        print("Solara's front-end assets are missing; installing them now (npm registry).")
        install_assets.main([])

    from solara.__main__ import cli

    # plain http on localhost: Solara falls back to samesite=lax cookies, which is fine
    warnings.filterwarnings("ignore", message="Cookies with samesite=none")

    return cli(
        [
            "run",
            "dashboard.app",
            "--host",
            args.host,
            "--port",
            str(args.port),
            "--production",
            "--no-open",
            "--no-check-version",
        ],
        standalone_mode=True,
    )


if __name__ == "__main__":
    sys.exit(main())
