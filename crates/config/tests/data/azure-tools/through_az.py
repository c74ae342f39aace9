# Usage: AZ_PYTHON=<virtualenv with azure-cli==2.91.0>/bin/python [AZ_PYTHON_AFD=<virtualenv with
# azure-cli==2.85.0>/bin/python, for the az afd files] python3 through_az.py FILE
# Puts a fixture through the real az 2.91: its resources back into the REST API's shape (properties
# nested), answered to az in-process (inproc.py), and az's output written back in its place.
import json, sys, subprocess, os
NET_SUB = {"gatewayIPConfigurations", "frontendIPConfigurations", "frontendPorts", "backendAddressPools",
           "backendHttpSettingsCollection", "probes", "httpListeners", "requestRoutingRules", "sslCertificates",
           "urlPathMaps", "subnets", "delegations", "privateLinkServiceConnections", "loadBalancingRules",
           "manualPrivateLinkServiceConnections", "rewriteRuleSets"}
TOP = {"id", "name", "type", "etag", "location", "tags", "zones", "sku", "extendedLocation", "identity", "plan", "systemData"}

def nest(obj, keep, sub=lambda k, v: v):
    out, props = {}, {}
    for k, v in obj.items():
        if k == "resourceGroup":
            continue
        if k in keep:
            out[k] = v
        else:
            props[k] = sub(k, v)
    if props:
        out["properties"] = props
    return out

def net_sub(k, v):
    if k in NET_SUB and isinstance(v, list):
        return [nest(i, {"id", "name", "type", "etag"}, net_sub) if isinstance(i, dict) else i for i in v]
    return v

def vmss(obj):
    def sub(k, v):
        if k == "virtualMachineProfile":
            v = json.loads(json.dumps(v))
            nics = v.get("networkProfile", {}).get("networkInterfaceConfigurations", [])
            for i, n in enumerate(nics):
                ipc = [nest(c, {"name"}) for c in n.get("ipConfigurations", [])]
                n = dict(n, ipConfigurations=ipc)
                nics[i] = nest(n, {"name"})
        return v
    return nest(obj, TOP, sub)

KINDS = {
    # An application gateway's sku is one of its properties (ApplicationGatewayPropertiesFormat.sku).
    "microsoft.network/applicationgateways": (["network", "application-gateway", "list", "-g", "pulumi-rg"], "/applicationGateways", lambda o: nest(o, TOP - {"sku"}, net_sub)),
    "microsoft.network/loadbalancers": (["network", "lb", "list", "-g", "pulumi-rg"], "/loadBalancers", lambda o: nest(o, TOP, net_sub)),
    "microsoft.network/publicipaddresses": (["network", "public-ip", "list", "-g", "pulumi-rg"], "/publicIPAddresses", lambda o: nest(o, TOP, net_sub)),
    "microsoft.network/virtualnetworks": (["network", "vnet", "list", "-g", "pulumi-rg"], "/virtualNetworks", lambda o: nest(o, TOP, net_sub)),
    "microsoft.network/natgateways": (["network", "nat", "gateway", "list", "-g", "pulumi-rg"], "/natGateways", lambda o: nest(o, TOP, net_sub)),
    "microsoft.network/privateendpoints": (["network", "private-endpoint", "list", "-g", "pulumi-rg"], "/privateEndpoints", lambda o: nest(o, TOP, net_sub)),
    "microsoft.containerservice/managedclusters": (["aks", "show", "-g", "pulumi-rg", "-n", "pulumi-aks"], "/managedClusters/", lambda o: nest(o, TOP)),
    "microsoft.compute/virtualmachinescalesets": (["vmss", "list", "-g", "pulumi-rg"], "/virtualMachineScaleSets", vmss),
    "microsoft.insights/autoscalesettings": (["monitor", "autoscale", "list", "-g", "pulumi-rg"], "/autoscalesettings", lambda o: nest(o, {"id", "name", "type", "location", "tags"})),
    "microsoft.dbforpostgresql/flexibleservers": (["postgres", "flexible-server", "list", "-g", "pulumi-rg"], "/flexibleServers", lambda o: nest(o, TOP)),
    "microsoft.authorization/locks": (["lock", "list", "-g", "pulumi-rg"], "/locks", lambda o: nest(o, {"id", "name", "type"})),
    "microsoft.network/privatednszones": (["network", "private-dns", "zone", "list", "-g", "pulumi-rg"], "/privateDnsZones", lambda o: nest(o, TOP)),
    "microsoft.network/dnszones/a": (["network", "dns", "record-set", "a", "list", "-g", "pulumi-rg", "-z", "sandbox.test"], "/A", lambda o: nest(o, {"id", "name", "type", "etag"})),
    "microsoft.network/dnszones/cname": (["network", "dns", "record-set", "cname", "list", "-g", "pulumi-rg", "-z", "sandbox.test"], "/CNAME", lambda o: nest(o, {"id", "name", "type", "etag"})),
    # Front Door: azure-cli 2.91 has no `az afd` (azure-cli moved its cdn module, `az cdn` and
    # `az afd`, to the cdn extension, which is not on PyPI); the same AAZ commands run here
    # through azure-cli 2.85.0, which still has them (AZ_PYTHON_AFD).
    "microsoft.cdn/profiles": (["afd", "profile", "list", "-g", "pulumi-rg"], "/profiles", lambda o: nest(o, TOP | {"kind"})),
    "microsoft.cdn/profiles/afdendpoints": (["afd", "endpoint", "list", "-g", "pulumi-rg", "--profile-name", "pulumi-fd"], "/afdEndpoints", lambda o: nest(o, TOP)),
    "microsoft.cdn/profiles/origingroups": (["afd", "origin-group", "list", "-g", "pulumi-rg", "--profile-name", "pulumi-fd"], "/originGroups", lambda o: nest(o, TOP)),
    "microsoft.cdn/profiles/origingroups/origins": (["afd", "origin", "list", "-g", "pulumi-rg", "--profile-name", "pulumi-fd", "--origin-group-name", "pulumi-api"], "/origins", lambda o: nest(o, TOP)),
    "microsoft.cdn/profiles/afdendpoints/routes": (["afd", "route", "list", "-g", "pulumi-rg", "--profile-name", "pulumi-fd", "--endpoint-name", "pulumi-fd-endpoint"], "/routes", lambda o: nest(o, TOP)),
}

# az's attribute names where the REST API spells them otherwise (the SDK-based commands read
# the REST spelling).
REST_NAMES = {"vnetSubnetId": "vnetSubnetID", "podSubnetId": "podSubnetID", "enableRbac": "enableRBAC",
              "osDiskSizeGb": "osDiskSizeGB", "enableNodePublicIp": "enableNodePublicIP", "dnsServiceIp": "dnsServiceIP",
              "diskSizeGb": "diskSizeGB", "storageSizeGb": "storageSizeGB"}
def rest_names(v):
    if isinstance(v, dict):
        return {REST_NAMES.get(k, k): rest_names(x) for k, x in v.items()}
    if isinstance(v, list):
        return [rest_names(x) for x in v]
    return v

path = sys.argv[1]
doc = rest_names(json.load(open(path)))
items = doc if isinstance(doc, list) else [doc]
if not items:
    sys.exit(0)
kind = items[0]["type"].lower()
if kind not in KINDS:
    print(f"{path}: {kind} not handled", file=sys.stderr); sys.exit(0)
args, marker, rest = KINDS[kind]
if kind == "microsoft.containerservice/managedclusters" and isinstance(doc, list):
    args, marker = ["aks", "list", "-g", "pulumi-rg"], "/managedClusters"
if kind == "microsoft.insights/autoscalesettings":
    # The REST API names the setting inside properties too.
    bodies = [dict(rest(i), properties=dict(rest(i)["properties"], name=i["name"])) for i in items]
else:
    bodies = [rest(i) for i in items]
body = bodies[0] if not isinstance(doc, list) else {"value": bodies}
import tempfile
body_file = os.path.join(tempfile.mkdtemp(prefix="az-body-"), "body.json")
json.dump({marker: body}, open(body_file, "w"))
env = dict(os.environ)
python = os.environ["AZ_PYTHON_AFD"] if kind.startswith("microsoft.cdn/") else os.environ["AZ_PYTHON"]
res = subprocess.run([python, os.path.join(os.path.dirname(os.path.abspath(__file__)), "inproc.py"), body_file] + args + ["-o", "json"],
                     capture_output=True, text=True, timeout=600)
if res.returncode != 0:
    print(f"{path}: az failed: {res.stderr[-2000:]}", file=sys.stderr); sys.exit(1)
out = json.loads(res.stdout)
with open(path, "w") as f:
    json.dump(out, f, indent=2); f.write("\n")
print(f"{path}: through az {' '.join(args)}")
