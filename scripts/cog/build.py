#!/usr/bin/env python3
"""Builds Trame's embedded copy of the official list of communes and intercommunal bodies.

Source: the npm package @etalab/decoupage-administratif (MIT licence), itself built from
INSEE's Code officiel géographique and legal populations. Run it when a new version of the
package is published, then commit the output:

    cd "$(mktemp -d)" && npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf *.tgz
    python3 /path/to/trame/scripts/cog/build.py package crates/trame-store/data/cog.json.gz

The output keeps what Trame needs to create a territory offline: for each EPT and EPCI, its
SIREN, name, kind and member communes; for each member commune, its name, SIREN,
département, postal codes and population.
"""
import gzip
import json
import sys
from pathlib import Path


def main(package: Path, out: Path) -> None:
    meta = json.loads((package / "package.json").read_text())
    data = package / "data"
    communes = {
        c["code"]: c
        for c in json.loads((data / "communes.json").read_text())
        if c.get("type") == "commune-actuelle"
    }
    groups = []
    used = set()
    for kind_file in ("ept.json", "epci.json"):
        for g in json.loads((data / kind_file).read_text()):
            members = [m["code"] for m in g["membres"]]
            used.update(members)
            groups.append({"siren": g["code"], "nom": g["nom"], "type": g["type"], "membres": members})
    out_communes = {}
    for code in sorted(used):
        c = communes.get(code)
        if c is None:
            continue
        out_communes[code] = {
            "nom": c["nom"],
            "siren": c.get("siren"),
            "departement": c.get("departement"),
            "codes_postaux": c.get("codesPostaux", []),
            "population": c.get("population", 0),
        }
    doc = {
        "source": f"{meta['name']} {meta['version']} (MIT)",
        "groupements": sorted(groups, key=lambda g: g["siren"]),
        "communes": out_communes,
    }
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    out.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    print(f"{len(groups)} groupements, {len(out_communes)} communes, {len(raw)} bytes -> {out.stat().st_size} bytes gzip")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
