"""Install Solara's front-end assets locally, so the dashboard works offline.

Solara's page loads its JavaScript and CSS (the Vue 2 app bundle, requirejs, font-awesome)
through its own server under ``/_solara/cdn/...``; ``solara.Markdown`` adds katex and
mermaid. On a cache miss the server fetches the
file from a public CDN and stores it under ``<venv>/share/solara/cdn/<name>@<version>/``.
Offline (a workshop laptop, CI) that first fetch fails and the page stays on
"Loading app". This script fills the cache ahead of time from the npm registry with
``npm pack`` (the ordinary npm client), one folder per package version.

The versions are read from the installed solara itself (its page template and settings),
so a solara upgrade asks for the new versions by construction. The script is idempotent:
a package whose folder is complete (a ``.complete`` marker) is skipped.

Usage::

    python -m dashboard.install_assets            # install what is missing
    python -m dashboard.install_assets --check    # exit 1 if something is missing
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

MARKER = ".complete"

# Packages solara loads only in situations the dashboard does not use (Vue 3 front end).
_VUE3_ONLY = ("@widgetti/solara-vuetify3-app",)
# Loaded on demand by solara.GridLayout (and Mesa's grid layout); cheap, so always installed.
_ALWAYS = ("@widgetti/vue-grid-layout@2.3.13-alpha.2",)

_SPEC = re.compile(r"(@?[a-z0-9][a-z0-9._-]*(?:/[a-z0-9._-]+)?)@(\d+\.\d+\.\d+(?:-[0-9a-z.]+)?)/")


def _solara_dir() -> Path:
    spec = importlib.util.find_spec("solara")
    if spec is None or spec.origin is None:
        raise SystemExit("solara is not installed in this Python; run `make venv` first.")
    return Path(spec.origin).parent


def cache_dir() -> Path:
    """Return the folder Solara's server reads cached CDN files from.

    Returns:
        ``settings.assets.proxy_cache_dir`` of the installed solara
        (``<sys.prefix>/share/solara/cdn`` unless ``SOLARA_ASSETS_PROXY_CACHE_DIR`` is set).
    """
    import solara.server.settings as settings

    return Path(settings.assets.proxy_cache_dir)


def required_packages() -> list[str]:
    """List the npm packages (``name@version``) the installed solara asks for.

    Reads the page template, the server settings and the grid-layout widget of the
    installed solara, so the list follows the solara version.

    Returns:
        Sorted ``name@version`` strings.
    """
    root = _solara_dir()
    texts = [
        (root / "server" / "templates" / "solara.html.j2").read_text(encoding="utf-8"),
        (root / "server" / "settings.py").read_text(encoding="utf-8"),
        (root / "widgets" / "vue" / "gridlayout.vue").read_text(encoding="utf-8"),
        # solara.Markdown loads katex and mermaid on demand
        (root / "components" / "markdown.py").read_text(encoding="utf-8"),
    ]
    found: set[str] = set(_ALWAYS)
    for text in texts:
        for match in _SPEC.finditer(text):
            name, version = match.group(1), match.group(2)
            if name.startswith(_VUE3_ONLY) or "jsdelivr" in name:
                continue
            found.add(f"{name}@{version}")
    return sorted(found)


_FILE = re.compile(
    r"(@?[a-z0-9][a-z0-9._-]*(?:/[a-z0-9._-]+)?@\d+\.\d+\.\d+(?:-[0-9a-z.]+)?)/([\w./-]+\.js)\b"
)


def add_minified_aliases(target_root: Path) -> list[Path]:
    """Provide ``x.min.js`` where solara asks for it but the npm package has only ``x.js``.

    The public CDN minifies on the fly (``requirejs@2.3.6/require.min.js``); the npm
    tarball does not contain such files, so the unminified file is copied under that name.

    Returns:
        The files created.
    """
    created = []
    root = _solara_dir()
    for path in root.rglob("*"):
        if path.suffix not in (".py", ".vue", ".j2", ".js") or not path.is_file():
            continue
        if "website" in path.parts:
            continue
        for spec, rel in _FILE.findall(path.read_text(encoding="utf-8", errors="ignore")):
            folder = target_root / spec
            wanted = folder / rel
            plain = wanted.with_name(wanted.name.replace(".min.js", ".js"))
            if (
                _is_complete(folder)
                and rel.endswith(".min.js")
                and not wanted.exists()
                and plain.exists()
            ):
                shutil.copyfile(plain, wanted)
                created.append(wanted)
    return created


def _is_complete(folder: Path) -> bool:
    return (folder / MARKER).exists()


def install_package(spec: str, target_root: Path) -> bool:
    """Download one npm package with ``npm pack`` and unpack it as ``<root>/<spec>/``.

    Args:
        spec: ``name@version``, e.g. ``requirejs@2.3.6``.
        target_root: The Solara CDN cache folder.

    Returns:
        True if the package was installed now, False if it was already complete.

    Raises:
        RuntimeError: If ``npm`` is missing or ``npm pack`` fails.
    """
    folder = target_root / spec
    if _is_complete(folder):
        return False
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not on PATH; install Node.js (Debian: apt-get install npm).")
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            [npm, "pack", spec, "--silent", "--pack-destination", tmp],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"npm pack {spec} failed: {proc.stderr.strip()}")
        tarballs = list(Path(tmp).glob("*.tgz"))
        if len(tarballs) != 1:
            raise RuntimeError(f"npm pack {spec} gave {len(tarballs)} tarballs")
        staging = Path(tmp) / "unpacked"
        with tarfile.open(tarballs[0]) as tar:
            tar.extractall(staging, filter="data")
        # npm tarballs hold one top folder, normally 'package/'.
        (top,) = [p for p in staging.iterdir() if p.is_dir()]
        if folder.exists():
            shutil.rmtree(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(top), str(folder))
    (folder / MARKER).write_text(spec + "\n", encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    """Install (or check) the Solara front-end assets.

    Args:
        argv: Command-line arguments (default: ``sys.argv[1:]``).

    Returns:
        The process exit code.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report what is missing")
    args = parser.parse_args(argv)
    root = cache_dir()
    specs = required_packages()
    missing = [s for s in specs if not _is_complete(root / s)]
    if args.check:
        for spec in missing:
            print(f"missing {root / spec}")
        return 1 if missing else 0
    for spec in specs:
        installed = install_package(spec, root)
        print(f"{'installed' if installed else 'present  '} {spec}")
    for path in add_minified_aliases(root):
        print(f"alias     {path.relative_to(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
