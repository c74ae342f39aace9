# Usage: python3 gen_afd_classic.py crates/config/tests/data. Azure Front Door (classic) in front
# of the API, as `az rest --method get --url /subscriptions/<s>/providers/Microsoft.Network/
# frontDoors?api-version=2021-06-01` prints it (the REST page; `az network front-door` is the
# `front-door` extension's), built from azure-rest-api-specs'
# specification/frontdoor/resource-manager/Microsoft.Network/stable/2021-06-01/examples/
# FrontdoorListAll.json with this deployment's values: frontend endpoints for the default host
# and the api and app custom domains, a backend pool per tier whose backend is the Application
# Gateway's public IP name (azure-aks/azure/public-ips.json), the API's pool probed on
# /api/status, routing rules forwarding api to it and app to the console's; a CanNotDelete lock
# on the resource group (`az lock list`); api and app CNAME records to `<name>.azurefd.net`.
import json, os, sys
ROOT = sys.argv[1]
SUB = "/subscriptions/00000000-0000-0000-0000-000000000000"
RG = SUB + "/resourceGroups/pulumi-rg"
FD = RG + "/providers/Microsoft.Network/frontDoors/pulumi-fd-classic"
HOST = "pulumi-fd-classic.azurefd.net"
GATEWAY = "pulumi-sandbox.westeurope.cloudapp.azure.com"
def write(path, value):
    full = os.path.join(ROOT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        json.dump(value, f, indent=2); f.write("\n")
def ref(kind, name): return {"id": FD + "/" + kind + "/" + name}
def frontend(name, host):
    return {"id": FD + "/frontendEndpoints/" + name, "name": name,
            "properties": {"hostName": host, "sessionAffinityEnabledState": "Disabled", "sessionAffinityTtlSeconds": 0}}
def probe(name, path):
    return {"id": FD + "/healthProbeSettings/" + name, "name": name,
            "properties": {"path": path, "protocol": "Https", "intervalInSeconds": 30, "enabledState": "Enabled", "healthProbeMethod": "GET"}}
def pool(name, probe_name):
    return {"id": FD + "/backendPools/" + name, "name": name,
            "properties": {"backends": [{"address": GATEWAY, "backendHostHeader": GATEWAY, "httpPort": 80, "httpsPort": 443,
                                         "enabledState": "Enabled", "weight": 50, "priority": 1}],
                           "loadBalancingSettings": ref("loadBalancingSettings", "pulumi-lb"),
                           "healthProbeSettings": ref("healthProbeSettings", probe_name)}}
def rule(name, endpoint, pool_name):
    return {"id": FD + "/routingRules/" + name, "name": name,
            "properties": {"frontendEndpoints": [ref("frontendEndpoints", endpoint)], "acceptedProtocols": ["Https"],
                           "patternsToMatch": ["/*"], "enabledState": "Enabled",
                           "routeConfiguration": {"@odata.type": "#Microsoft.Azure.FrontDoor.Models.FrontdoorForwardingConfiguration",
                                                  "forwardingProtocol": "HttpsOnly", "backendPool": ref("backendPools", pool_name)}}}
def front_door(api_path):
    return {"value": [{"id": FD, "name": "pulumi-fd-classic", "type": "Microsoft.Network/frontDoors", "location": "Global", "tags": {},
        "properties": {
            "routingRules": [rule("pulumi-api", "api-sandbox-test", "pulumi-api"), rule("pulumi-console", "app-sandbox-test", "pulumi-console")],
            "healthProbeSettings": [probe("pulumi-api-probe", api_path), probe("pulumi-console-probe", "/")],
            "loadBalancingSettings": [{"id": FD + "/loadBalancingSettings/pulumi-lb", "name": "pulumi-lb",
                                       "properties": {"sampleSize": 4, "successfulSamplesRequired": 2}}],
            "backendPools": [pool("pulumi-api", "pulumi-api-probe"), pool("pulumi-console", "pulumi-console-probe")],
            "frontendEndpoints": [frontend("default", HOST), frontend("api-sandbox-test", "api.sandbox.test"),
                                  frontend("app-sandbox-test", "app.sandbox.test")],
            "backendPoolsSettings": {"enforceCertificateNameCheck": "Enabled", "sendRecvTimeoutSeconds": 30},
            "enabledState": "Enabled", "resourceState": "Enabled", "provisioningState": "Succeeded",
            "cname": HOST, "frontdoorId": "00000000-0000-0000-0000-0000000000fc"}}]}
def cname(label):
    return {"id": RG + "/providers/Microsoft.Network/dnszones/sandbox.test/CNAME/" + label, "name": label,
            "type": "Microsoft.Network/dnszones/CNAME", "etag": "00000000-0000-0000-0000-0000000000e" + ("1" if label == "api" else "2"),
            "TTL": 3600, "fqdn": label + ".sandbox.test.", "provisioningState": "Succeeded", "CNAMERecord": {"cname": HOST}}
D = "azure-afd-classic/azure/"
write(D + "front-doors.json", front_door("/api/status"))
write(D + "records-cname.json", [cname("api"), cname("app")])
with open(os.path.join(ROOT, "azure-aks/azure/locks.json")) as f:
    write(D + "locks.json", json.load(f))
write("azure-broken/afd-classic/probe-root/azure/front-doors.json", front_door("/"))
