# Usage: python3 gen_agc.py crates/config/tests/data: azure-stack/agc.json, the Application
# Gateway for Containers of azure-agc/azure/ (what `az rest --method get --url
# .../trafficControllers...` prints, built from azure-rest-api-specs'
# specification/servicenetworking/ServiceNetworking.Management/examples/2024-05-01-preview/
# TrafficControllersGetList.json, 2023-11-01/FrontendsGet.json and AssociationsGet.json; its lock
# as `az lock list` prints it; the CNAME records as `az network dns record-set cname list` does)
# as a `pulumi stack export` of the azure-native provider (v3): each resource's outputs are its
# properties flattened beside its name, type and location (azure-native:servicenetworking:
# TrafficControllerInterface, FrontendsInterface, AssociationsInterface;
# azure-native:authorization:ManagementLockAtResourceLevel; azure-native:dns:RecordSet).
import json, os, sys
ROOT = sys.argv[1]
def load(path):
    with open(os.path.join(ROOT, path)) as f:
        doc = json.load(f)
    return doc["value"] if isinstance(doc, dict) else doc
def resource(kind, obj):
    out = {k: v for k, v in obj.items() if k not in ("id", "resourceGroup", "etag", "properties")}
    out.update(obj.get("properties", {}))
    out["azureApiVersion"] = "2025-01-01" if kind.startswith("servicenetworking") else "2020-05-01"
    return {"urn": "urn:pulumi:prod::pulumi-cloud-azure::azure-native:" + kind + "::" + obj["name"], "custom": True,
            "id": obj["id"], "type": "azure-native:" + kind, "inputs": {}, "outputs": out,
            "provider": "urn:pulumi:prod::pulumi-cloud-azure::pulumi:providers:azure-native::default_3_5_1::00000000-0000-0000-0000-00000000000f"}
res = [{"urn": "urn:pulumi:prod::pulumi-cloud-azure::pulumi:pulumi:Stack::pulumi-cloud-azure-prod", "custom": False,
        "type": "pulumi:pulumi:Stack", "outputs": {}}]
for f, kind in [("traffic-controllers.json", "servicenetworking:TrafficControllerInterface"),
                ("frontends.json", "servicenetworking:FrontendsInterface"),
                ("associations.json", "servicenetworking:AssociationsInterface"),
                ("locks.json", "authorization:ManagementLockAtResourceLevel"),
                ("records-cname.json", "dns:RecordSet")]:
    for obj in load("azure-agc/azure/" + f):
        res.append(resource(kind, obj))
with open(os.path.join(ROOT, "azure-stack/agc.json"), "w") as f:
    json.dump({"version": 3, "deployment": {
        "manifest": {"time": "2026-12-01T10:00:00.000000000Z", "magic": "0000000000000000000000000000000000000000000000000000000000000000", "version": "v3.207.0"},
        "secrets_providers": {"type": "service", "state": {"url": "https://api.pulumi.com", "owner": "pulumi", "project": "pulumi-cloud-azure", "stack": "prod"}},
        "resources": res}}, f, indent=2)
    f.write("\n")
