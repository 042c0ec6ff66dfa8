"""Renders our kustomize layouts in Python, for the offline manifest test.

Only the kustomize features deploy/k8s uses: ``resources`` (files and directories), ``namespace``,
``labels`` (metadata labels), and ``patches`` given either as an inline JSON 6902 patch with a
kind/name target or as a strategic-merge file that names its object. Any other field fails loudly, so an
overlay cannot start using a feature this renderer would silently skip. Written here rather than calling
``kubectl kustomize`` because Debian's kubectl (1.20) predates the fields we use, and no newer kubectl is
installable from the registries this project may use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

KNOWN_FIELDS = {"apiVersion", "kind", "namespace", "labels", "resources", "patches"}
CLUSTER_SCOPED = {"Namespace"}


def load_documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def render(directory: Path) -> list[dict[str, Any]]:
    kustomization = load_documents(directory / "kustomization.yaml")[0]
    unknown = set(kustomization) - KNOWN_FIELDS
    if unknown:
        raise ValueError(f"{directory}: kustomize fields this renderer does not implement: {sorted(unknown)}")
    docs: list[dict[str, Any]] = []
    for resource in kustomization.get("resources", []):
        path = directory / resource
        docs.extend(render(path) if path.is_dir() else load_documents(path))
    for patch in kustomization.get("patches", []):
        _apply_patch(directory, docs, patch)
    for doc in docs:
        metadata = doc.setdefault("metadata", {})
        if "namespace" in kustomization and doc["kind"] not in CLUSTER_SCOPED:
            metadata["namespace"] = kustomization["namespace"]
        for label_set in kustomization.get("labels", []):
            metadata.setdefault("labels", {}).update(label_set["pairs"])
    return docs


def _find(docs: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    matches = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    if len(matches) != 1:
        raise ValueError(f"patch target {kind}/{name} matched {len(matches)} objects")
    return matches[0]


def _apply_patch(directory: Path, docs: list[dict[str, Any]], patch: dict[str, Any]) -> None:
    if "path" in patch:
        for merge in load_documents(directory / patch["path"]):
            _merge(_find(docs, merge["kind"], merge["metadata"]["name"]), merge)
        return
    target = _find(docs, patch["target"]["kind"], patch["target"]["name"])
    for operation in yaml.safe_load(patch["patch"]):
        _json6902(target, operation)


def _merge(into: dict[str, Any], merge: dict[str, Any]) -> None:
    for key, value in merge.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def _json6902(doc: dict[str, Any], operation: dict[str, Any]) -> None:
    if operation["op"] not in ("replace", "add"):
        raise ValueError(f"JSON patch op {operation['op']!r} is not implemented here")
    *parents, last = [part.replace("~1", "/").replace("~0", "~") for part in operation["path"].split("/")[1:]]
    node: Any = doc
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if operation["op"] == "replace" and (
        last not in node if isinstance(node, dict) else int(last) >= len(node)
    ):
        raise ValueError(f"JSON patch replaces {operation['path']}, which does not exist")
    if isinstance(node, list):
        node[int(last)] = operation["value"]
    else:
        node[last] = operation["value"]
