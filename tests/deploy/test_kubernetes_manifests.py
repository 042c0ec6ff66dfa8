"""Every Kubernetes manifest in deploy/k8s validates offline against the API schemas (kubernetes-validate,
strict: unknown fields fail), for the base and each overlay as kustomize renders it (tests/deploy/kustomize_subset.py).

KEDA's ScaledObject is a CRD kubernetes-validate has no schema for: its structure is checked here
against the fields KEDA v2 documents, plus what must agree across files (the pool lists every replica the
autoscaler may create; the autoscaler reads gauges the engine really exports).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from tests.deploy.kustomize_subset import render
from tests.servers import REPO

K8S = REPO / "deploy" / "k8s"
OVERLAYS = sorted(path.name for path in (K8S / "overlays").iterdir())
KUBERNETES_VERSION = "1.32.0"
SCALED_OBJECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "keda.sh/v1alpha1"},
        "spec": {
            "type": "object",
            "additionalProperties": False,
            "required": ["scaleTargetRef", "triggers"],
            "properties": {
                "scaleTargetRef": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["name"],
                    "properties": {
                        "apiVersion": {"type": "string"},
                        "kind": {"type": "string"},
                        "name": {"type": "string"},
                    },
                },
                "minReplicaCount": {"type": "integer", "minimum": 0},
                "maxReplicaCount": {"type": "integer", "minimum": 1},
                "pollingInterval": {"type": "integer", "minimum": 1},
                "cooldownPeriod": {"type": "integer", "minimum": 0},
                "advanced": {"type": "object"},
                "triggers": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["type", "metadata"],
                        "properties": {
                            "type": {"const": "prometheus"},
                            "metadata": {
                                "type": "object",
                                "required": ["serverAddress", "query", "threshold"],
                                "additionalProperties": {"type": "string"},
                            },
                        },
                    },
                },
            },
        },
    },
}


def documents(text: str) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(text) if doc]


def rendered(target: Path) -> list[dict[str, Any]]:
    return render(target)


def validate(doc: dict[str, Any]) -> None:
    if doc["kind"] == "ScaledObject":
        jsonschema.validate(doc, SCALED_OBJECT_SCHEMA)
        return
    kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def by_kind(docs: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    return next(doc for doc in docs if doc["kind"] == kind and doc["metadata"]["name"] == name)


@pytest.mark.parametrize("path", sorted(K8S.rglob("*.yaml")), ids=lambda p: str(p.relative_to(K8S)))
def test_each_file_parses_and_every_full_object_validates(path: Path) -> None:
    for doc in documents(path.read_text(encoding="utf-8")):
        if doc.get("kind") != "Kustomization" and "metadata" in doc and "apiVersion" in doc:
            validate(doc)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_overlay_renders_and_validates(overlay: str) -> None:
    docs = rendered(K8S / "overlays" / overlay)
    for doc in docs:
        validate(doc)
    kinds = {doc["kind"] for doc in docs}
    assert {"Deployment", "StatefulSet", "PodDisruptionBudget", "NetworkPolicy", "ScaledObject"} <= kinds
    upstreams = yaml.safe_load(by_kind(docs, "ConfigMap", "bulwark-upstreams")["data"]["upstreams.yaml"])
    scaled = by_kind(docs, "ScaledObject", "bulwark-engine")["spec"]
    assert len(upstreams["pools"]["default"]) == scaled["maxReplicaCount"] >= scaled["minReplicaCount"]
    gateway = by_kind(docs, "Deployment", "bulwark-gateway")["spec"]["template"]["spec"]
    keys = next(volume for volume in gateway["volumes"] if volume["name"] == "keys")
    assert keys["secret"]["secretName"] == "bulwark-gateway-keys"  # shared key material, never emptyDir
    engine = by_kind(docs, "StatefulSet", "bulwark-engine")["spec"]["template"]["spec"]["containers"][0]
    assert engine["resources"]["limits"]["nvidia.com/gpu"] == "1"


def test_autoscaling_reads_gauges_the_engine_exports() -> None:
    exported = (REPO / "engine" / "metrics.py").read_text(encoding="utf-8")
    scaled = documents((K8S / "base" / "engine-scaledobject.yaml").read_text(encoding="utf-8"))[0]
    queried = set()
    for trigger in scaled["spec"]["triggers"]:
        queried |= set(re.findall(r"bulwark_engine_[a-z_]+", trigger["metadata"]["query"]))
    assert "bulwark_engine_requests_in_flight" in queried  # the autoscaler reads in-flight concurrency
    for metric in queried:
        assert f'"{metric}"' in exported, metric


def test_default_deny_covers_every_pod_in_both_directions() -> None:
    policies = documents((K8S / "base" / "networkpolicies.yaml").read_text(encoding="utf-8"))
    deny = by_kind(policies, "NetworkPolicy", "default-deny-all")["spec"]
    assert deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}


def test_the_validator_catches_a_misspelt_field() -> None:
    bad = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "x"}, "spec": {"portz": []}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, KUBERNETES_VERSION, strict=True)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject", "metadata": {},
                             "spec": {"scaleTargetRef": {"name": "e"}, "triggers": [], "maxReplicas": 2}},
                            SCALED_OBJECT_SCHEMA)  # fmt: skip
