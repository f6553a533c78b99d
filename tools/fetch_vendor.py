"""Fetch the static assets sigap serves (ECharts, axe-core) from the npm registry.

The manifest tools/vendor.json pins each package: exact version, tarball URL and the sha512
`integrity` the registry publishes. The tarball is verified before anything is extracted, and
only the listed files are written (read member by member, so a path in the archive can never
escape the destination). Nothing is copied into the repository: the destination
src/sigap/web/static/vendor/ is git-ignored and this script runs in `make install`.

Idempotent: a stamp per package (the manifest entry plus the sha256 of each written file) makes
a second run a no-op while the files are present and unchanged.

Python standard library only, so it runs before the virtualenv has anything in it.
Exit status: 0 done, 1 verification failed, 2 registry not reachable (offline).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "tools" / "vendor.json"
DEST = ROOT / "src" / "sigap" / "web" / "static" / "vendor"
STAMP_NAME = ".sigap-vendor.json"
TIMEOUT_S = 60


class VendorError(Exception):
    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def load_manifest(path: Path = MANIFEST) -> list[dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    packages: list[dict] = data["packages"]
    for pkg in packages:
        for key in ("name", "version", "tarball", "integrity", "files"):
            if key not in pkg:
                raise VendorError(f"{path}: package {pkg.get('name', '?')!r} lacks {key!r}")
        if not pkg["integrity"].startswith("sha512-"):
            raise VendorError(f"{path}: {pkg['name']}: integrity must be a sha512 (npm SRI)")
    return packages


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stamp_path(pkg: dict, dest: Path) -> Path:
    return dest / pkg["name"] / STAMP_NAME


def is_current(pkg: dict, dest: Path) -> bool:
    """True when the stamp names this exact pinned tarball and every file still matches it."""
    stamp = stamp_path(pkg, dest)
    if not stamp.is_file():
        return False
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
    except ValueError:
        return False
    if recorded.get("integrity") != pkg["integrity"] or recorded.get("files") is None:
        return False
    expected_targets = set(pkg["files"].values())
    if set(recorded["files"]) != expected_targets:
        return False
    for target, digest in recorded["files"].items():
        path = dest / target
        if not path.is_file() or sha256_file(path) != digest:
            return False
    return True


def download(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "sigap-fetch-vendor"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            return bytes(response.read())
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise VendorError(
            f"cannot download {url}: {getattr(exc, 'reason', exc)}.\n"
            "The npm registry (registry.npmjs.org) must be reachable to install sigap's static "
            "assets (ECharts, axe-core). Connect to the network (or set HTTPS_PROXY) and run "
            "`make install` again.",
            status=2,
        ) from exc


def verify(pkg: dict, blob: bytes) -> None:
    expected = pkg["integrity"].removeprefix("sha512-")
    actual = base64.b64encode(hashlib.sha512(blob).digest()).decode("ascii")
    if actual != expected:
        raise VendorError(
            f"{pkg['name']}@{pkg['version']}: the tarball's sha512 does not match the pinned "
            f"integrity in {MANIFEST.name} (expected sha512-{expected}, got sha512-{actual}); "
            "nothing was written."
        )


def extract(pkg: dict, blob: bytes, dest: Path) -> dict[str, str]:
    """Write the listed files; return {target: sha256}. npm tarballs keep files under package/."""
    written: dict[str, str] = {}
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as archive:
        for source, target in pkg["files"].items():
            try:
                member = archive.getmember(f"package/{source}")
            except KeyError:
                raise VendorError(
                    f"{pkg['name']}@{pkg['version']}: {source} is not in the tarball"
                ) from None
            handle = archive.extractfile(member)
            if handle is None:
                raise VendorError(f"{pkg['name']}@{pkg['version']}: {source} is not a file")
            data = handle.read()
            path = (dest / target).resolve()
            if not path.is_relative_to(dest.resolve()):
                raise VendorError(f"{pkg['name']}: destination {target} leaves {dest}")
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
            written[target] = hashlib.sha256(data).hexdigest()
    return written


def fetch(pkg: dict, dest: Path, *, force: bool = False) -> bool:
    """Install one package's files; False when they were already current."""
    if not force and is_current(pkg, dest):
        return False
    blob = download(pkg["tarball"])
    verify(pkg, blob)
    written = extract(pkg, blob, dest)
    stamp = {
        "name": pkg["name"],
        "version": pkg["version"],
        "tarball": pkg["tarball"],
        "integrity": pkg["integrity"],
        "files": written,
    }
    stamp_path(pkg, dest).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument("--dest", type=Path, default=DEST)
    parser.add_argument("--force", action="store_true", help="download even when current")
    args = parser.parse_args(argv)
    try:
        for pkg in load_manifest(args.manifest):
            label = f"{pkg['name']}@{pkg['version']}"
            if fetch(pkg, args.dest, force=args.force):
                print(f"vendor: {label} verified and installed into {args.dest}")
            else:
                print(f"vendor: {label} already present")
    except VendorError as exc:
        print(f"vendor: error: {exc}", file=sys.stderr)
        return exc.status
    return 0


if __name__ == "__main__":
    sys.exit(main())
