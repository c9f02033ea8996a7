"""Check config.yaml against the Zero to JupyterHub chart's own values schema.

    helm pull jupyterhub/jupyterhub --version X.Y.Z --untar --untardir /tmp/z2jh
    python deploy/kubernetes/check_values.py /tmp/z2jh/jupyterhub

The chart ships values.schema.json (and values.yaml, its defaults); helm validates the
merged values against it too (`helm lint`, `helm template`). This script does the same
without a cluster: it merges config.yaml over the defaults, validates (an unknown key is an
error: the schema forbids additional properties) and compiles hub.extraConfig's Python.
Exit 0 when everything passes, 1 otherwise.
"""

from __future__ import annotations

import ast
import copy
import json
import sys
from pathlib import Path

import jsonschema
import yaml

HERE = Path(__file__).resolve().parent


def merged(defaults: dict, values: dict) -> dict:
    out = copy.deepcopy(defaults)
    for key, value in values.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def problems(chart: Path, config: Path = HERE / "config.yaml") -> list[str]:
    schema_file = chart / "values.schema.json"
    if schema_file.is_file():
        schema = json.loads(schema_file.read_text())
    else:
        schema = yaml.safe_load((chart / "values.schema.yaml").read_text())
    defaults = yaml.safe_load((chart / "values.yaml").read_text())
    values = yaml.safe_load(config.read_text())
    found = [
        f"{'.'.join(map(str, e.path)) or '(top)'}: {e.message}"
        for e in jsonschema.Draft7Validator(schema).iter_errors(merged(defaults, values))
    ]
    for name, code in (values.get("hub", {}).get("extraConfig") or {}).items():
        try:
            ast.parse(code)
        except SyntaxError as exc:
            found.append(f"hub.extraConfig.{name}: {exc}")
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    found = problems(Path(argv[0]))
    for line in found:
        print(line)
    print("config.yaml: " + ("OK" if not found else f"{len(found)} problem(s)"))
    return 0 if not found else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
