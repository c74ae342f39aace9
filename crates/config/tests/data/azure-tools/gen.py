import json, os, copy, sys
ROOT = sys.argv[1]  # crates/config/tests/data
SUB = "/subscriptions/00000000-0000-0000-0000-000000000000"
RG = SUB + "/resourceGroups/pulumi-rg"
NET = RG + "/providers/Microsoft.Network"
VNET = NET + "/virtualNetworks/pulumi-vnet"
def sn(name): return VNET + "/subnets/" + name
GW = NET + "/applicationGateways/pulumi-appgw"
def gwpart(kind, name): return GW + "/" + kind + "/" + name
LOC = "westeurope"

def write(path, value):
    full = os.path.join(ROOT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")

def ref(i): return {"id": i}

def app_gateway(pools, settings, probes, rules, listeners, zones=("1","2","3"), tier="Standard_v2", v1=False):
    gw = {
        "etag": "W/\"00000000-0000-0000-0000-000000000001\"",
        "id": GW,
        "location": LOC,
        "name": "pulumi-appgw",
        "type": "Microsoft.Network/applicationGateways",
        "zones": list(zones),
        "provisioningState": "Succeeded",
        "operationalState": "Running",
        "resourceGroup": "pulumi-rg",
        "sku": {"name": tier, "tier": tier},
        "autoscaleConfiguration": {"minCapacity": 2, "maxCapacity": 10},
        "gatewayIPConfigurations": [{
            "name": "appGatewayIpConfig",
            "id": gwpart("gatewayIPConfigurations", "appGatewayIpConfig"),
            "provisioningState": "Succeeded",
            "subnet": ref(sn("appgw")),
        }],
        "frontendIPConfigurations": [{
            "name": "appGatewayFrontendIP",
            "id": gwpart("frontendIPConfigurations", "appGatewayFrontendIP"),
            "privateIPAllocationMethod": "Dynamic",
            "provisioningState": "Succeeded",
            "publicIPAddress": ref(NET + "/publicIPAddresses/pulumi-appgw-pip"),
        }],
        "frontendPorts": [
            {"name": "port_443", "id": gwpart("frontendPorts", "port_443"), "port": 443, "provisioningState": "Succeeded"},
            {"name": "port_80", "id": gwpart("frontendPorts", "port_80"), "port": 80, "provisioningState": "Succeeded"},
        ],
        "backendAddressPools": pools,
        "backendHttpSettingsCollection": settings,
        "probes": probes,
        "httpListeners": listeners,
        "requestRoutingRules": rules,
        "sslCertificates": [{
            "name": "sandbox-test", "id": gwpart("sslCertificates", "sandbox-test"),
            "provisioningState": "Succeeded", "publicCertData": "*****",
        }],
        "urlPathMaps": [],
        "rewriteRuleSets": [],
        "enableHttp2": True,
    }
    if v1:
        # The retired v1 SKU (ApplicationGatewaySku: tier Standard, a size name, a fixed
        # capacity): no zones, no autoscaling, no rewrite rules (v2 features).
        gw.update(sku={"name": "Standard_Medium", "tier": "Standard", "capacity": 2}, zones=[])
        for k in ("autoscaleConfiguration", "rewriteRuleSets"):
            del gw[k]
    return gw

def pool(name, addresses):
    return {"name": name, "id": gwpart("backendAddressPools", name), "provisioningState": "Succeeded",
            "backendAddresses": [{"ipAddress": a} for a in addresses]}

def settings(name, port, probe, drain=30, host=None):
    s = {"name": name, "id": gwpart("backendHttpSettingsCollection", name), "provisioningState": "Succeeded",
         "port": port, "protocol": "Http", "cookieBasedAffinity": "Disabled", "requestTimeout": 30,
         "pickHostNameFromBackendAddress": False}
    if probe is not None:
        s["probe"] = ref(gwpart("probes", probe))
    if drain is not None:
        s["connectionDraining"] = {"enabled": drain > 0, "drainTimeoutInSec": max(drain, 1)}
    return s

def probe(name, path, codes=("200",), host="127.0.0.1"):
    return {"name": name, "id": gwpart("probes", name), "provisioningState": "Succeeded", "protocol": "Http",
            "host": host, "path": path, "interval": 10, "timeout": 5, "unhealthyThreshold": 3,
            "pickHostNameFromBackendHttpSettings": False, "minServers": 0,
            "match": {"statusCodes": list(codes)}}

def listener(name, host):
    return {"name": name, "id": gwpart("httpListeners", name), "provisioningState": "Succeeded",
            "frontendIPConfiguration": ref(gwpart("frontendIPConfigurations", "appGatewayFrontendIP")),
            "frontendPort": ref(gwpart("frontendPorts", "port_443")), "protocol": "Https",
            "hostName": host, "sslCertificate": ref(gwpart("sslCertificates", "sandbox-test")),
            "requireServerNameIndication": True}

def rule(name, prio, lst, p, s):
    return {"name": name, "id": gwpart("requestRoutingRules", name), "provisioningState": "Succeeded",
            "ruleType": "Basic", "priority": prio,
            "httpListener": ref(gwpart("httpListeners", lst)),
            "backendAddressPool": ref(gwpart("backendAddressPools", p)),
            "backendHttpSettings": ref(gwpart("backendHttpSettingsCollection", s))}

def public_ip(name, address, fqdn=None, zones=("1","2","3")):
    ip = {"etag": "W/\"00000000-0000-0000-0000-000000000002\"", "id": NET + "/publicIPAddresses/" + name,
          "idleTimeoutInMinutes": 4, "ipAddress": address, "ipTags": [], "location": LOC, "name": name,
          "provisioningState": "Succeeded", "publicIPAddressVersion": "IPv4", "publicIPAllocationMethod": "Static",
          "resourceGroup": "pulumi-rg", "sku": {"name": "Standard", "tier": "Regional"},
          "type": "Microsoft.Network/publicIPAddresses", "zones": list(zones),
          "ddosSettings": {"protectionMode": "VirtualNetworkInherited"}}
    if fqdn:
        ip["dnsSettings"] = {"domainNameLabel": fqdn.split(".")[0], "fqdn": fqdn}
    return ip

def subnet(name, prefix, nat=None, outbound=None, delegation=None, endpoints=(), appgw=False, extra=None):
    s = {"addressPrefix": prefix, "id": sn(name), "name": name, "provisioningState": "Succeeded",
         "privateEndpointNetworkPolicies": "Disabled", "privateLinkServiceNetworkPolicies": "Enabled",
         "resourceGroup": "pulumi-rg", "type": "Microsoft.Network/virtualNetworks/subnets",
         "delegations": [], "serviceEndpoints": [{"locations": [LOC], "provisioningState": "Succeeded", "service": e} for e in endpoints]}
    if nat:
        s["natGateway"] = ref(NET + "/natGateways/" + nat)
    if outbound is not None:
        s["defaultOutboundAccess"] = outbound
    if delegation:
        s["delegations"] = [{"actions": ["Microsoft.Network/virtualNetworks/subnets/join/action"],
                             "id": sn(name) + "/delegations/" + delegation.split("/")[0],
                             "name": delegation.split("/")[0], "provisioningState": "Succeeded",
                             "serviceName": delegation, "type": "Microsoft.Network/virtualNetworks/subnets/delegations"}]
    if appgw:
        s["applicationGatewayIPConfigurations"] = [ref(gwpart("gatewayIPConfigurations", "appGatewayIpConfig"))]
    if extra:
        s.update(extra)
    return s

def vnet(subnets):
    return [{"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "dhcpOptions": {"dnsServers": []},
             "enableDdosProtection": False, "etag": "W/\"00000000-0000-0000-0000-000000000003\"", "id": VNET,
             "location": LOC, "name": "pulumi-vnet", "provisioningState": "Succeeded", "resourceGroup": "pulumi-rg",
             "resourceGuid": "00000000-0000-0000-0000-000000000004", "subnets": subnets,
             "type": "Microsoft.Network/virtualNetworks", "virtualNetworkPeerings": []}]

def nat(name, zones, subnets, sku="Standard"):
    return {"etag": "W/\"00000000-0000-0000-0000-000000000005\"", "id": NET + "/natGateways/" + name,
            "idleTimeoutInMinutes": 4, "location": LOC, "name": name, "provisioningState": "Succeeded",
            "publicIpAddresses": [ref(NET + "/publicIPAddresses/" + name + "-pip")], "resourceGroup": "pulumi-rg",
            "resourceGuid": "00000000-0000-0000-0000-000000000006", "sku": {"name": sku},
            "subnets": [ref(sn(s)) for s in subnets], "type": "Microsoft.Network/natGateways", "zones": list(zones)}

STORAGE = RG + "/providers/Microsoft.Storage/storageAccounts/pulumistate"
def private_endpoint(name, subnet_name, target=STORAGE, group="blob", status="Approved"):
    pe_id = NET + "/privateEndpoints/" + name
    return {"customDnsConfigs": [], "customNetworkInterfaceName": "", "etag": "W/\"00000000-0000-0000-0000-000000000007\"",
            "id": pe_id, "ipConfigurations": [], "location": LOC, "manualPrivateLinkServiceConnections": [], "name": name,
            "networkInterfaces": [ref(NET + "/networkInterfaces/" + name + ".nic.00000000-0000-0000-0000-000000000008")],
            "privateLinkServiceConnections": [{
                "etag": "W/\"00000000-0000-0000-0000-000000000009\"", "groupIds": [group],
                "id": pe_id + "/privateLinkServiceConnections/" + name,
                "name": name, "privateLinkServiceConnectionState": {"actionsRequired": "None", "description": "Auto-Approved", "status": status},
                "privateLinkServiceId": target, "provisioningState": "Succeeded",
                "resourceGroup": "pulumi-rg", "type": "Microsoft.Network/privateEndpoints/privateLinkServiceConnections"}],
            "provisioningState": "Succeeded", "resourceGroup": "pulumi-rg", "subnet": ref(sn(subnet_name)),
            "type": "Microsoft.Network/privateEndpoints"}

PG = RG + "/providers/Microsoft.DBforPostgreSQL/flexibleServers/pulumi-db"
def postgres(access="Disabled", delegated=True):
    net = {"publicNetworkAccess": access}
    if delegated:
        net["delegatedSubnetResourceId"] = sn("database")
        net["privateDnsZoneArmResourceId"] = NET + "/privateDnsZones/pulumi-db.private.postgres.database.azure.com"
    return [{"administratorLogin": "pulumi", "authConfig": {"activeDirectoryAuth": "Disabled", "passwordAuth": "Enabled"},
             "availabilityZone": "1", "backup": {"backupRetentionDays": 7, "geoRedundantBackup": "Disabled"},
             "dataEncryption": {"type": "SystemManaged"}, "fullyQualifiedDomainName": "pulumi-db.postgres.database.azure.com",
             "highAvailability": {"mode": "ZoneRedundant", "standbyAvailabilityZone": "2", "state": "Healthy"},
             "id": PG, "location": LOC, "name": "pulumi-db", "network": net, "replicaCapacity": 5, "replicationRole": "Primary",
             "resourceGroup": "pulumi-rg", "sku": {"name": "Standard_D4ds_v5", "tier": "GeneralPurpose"},
             "state": "Ready", "storage": {"autoGrow": "Disabled", "iops": 2300, "storageSizeGb": 512, "tier": "P20"},
             "type": "Microsoft.DBforPostgreSQL/flexibleServers", "version": "16"}]

def lock(scope, name, level="CanNotDelete"):
    return {"id": scope + "/providers/Microsoft.Authorization/locks/" + name, "level": level, "name": name,
            "notes": "Protects the Pulumi Cloud deployment from deletion", "owners": None, "resourceGroup": "pulumi-rg",
            "type": "Microsoft.Authorization/locks"}

ZONE = RG + "/providers/Microsoft.Network/dnszones/sandbox.test"
def a_record(label, addresses=None, alias=None):
    r = {"etag": "00000000-0000-0000-0000-00000000000a", "fqdn": label + ".sandbox.test.", "id": ZONE + "/A/" + label,
         "name": label, "provisioningState": "Succeeded", "resourceGroup": "pulumi-rg", "TTL": 300,
         "type": "Microsoft.Network/dnszones/A"}
    if alias:
        r["ARecords"] = []
        r["targetResource"] = ref(alias)
    else:
        r["ARecords"] = [{"ipv4Address": a} for a in addresses]
    return r

# ------------------------------------------------------------------ AKS behind Application Gateway (AGIC)
AKS_POOL = "pool-pulumi-pulumi-api-service-80-bp-8080"
AKS_SETTINGS = "bp-pulumi-pulumi-api-service-80-8080-pulumi-api"
AKS_PROBE = "pb-pulumi-pulumi-api-service-80-pulumi-api"
CONSOLE_POOL = "pool-pulumi-pulumi-console-service-80-bp-3000"
CONSOLE_SETTINGS = "bp-pulumi-pulumi-console-service-80-3000-pulumi-console"
CONSOLE_PROBE = "pb-pulumi-pulumi-console-service-80-pulumi-console"

def aks_gateway(api_settings=None, api_probe=None, tier="Standard_v2"):
    return [app_gateway(
        pools=[pool(AKS_POOL, ["10.0.16.10", "10.0.32.10", "10.0.48.10"]), pool(CONSOLE_POOL, ["10.0.16.11", "10.0.32.11"])],
        settings=[api_settings or settings(AKS_SETTINGS, 8080, AKS_PROBE, drain=30), settings(CONSOLE_SETTINGS, 3000, CONSOLE_PROBE, drain=30)],
        probes=[api_probe or probe(AKS_PROBE, "/api/status"), probe(CONSOLE_PROBE, "/")],
        listeners=[listener("fl-api-sandbox-test-443", "api.sandbox.test"), listener("fl-app-sandbox-test-443", "app.sandbox.test")],
        rules=[rule("rr-api-sandbox-test-443", 19000, "fl-api-sandbox-test-443", AKS_POOL, AKS_SETTINGS),
               rule("rr-app-sandbox-test-443", 19010, "fl-app-sandbox-test-443", CONSOLE_POOL, CONSOLE_SETTINGS)],
        tier=tier)]

AKS_SUBNETS = lambda **kw: [
    subnet("appgw", "10.0.0.0/24", appgw=True),
    subnet("nodes-1", "10.0.16.0/20", nat=kw.get("nat1", "nat-1"), outbound=False),
    subnet("nodes-2", "10.0.32.0/20", nat="nat-2", outbound=False),
    subnet("nodes-3", "10.0.48.0/20", nat="nat-3", outbound=False),
    subnet("database", "10.0.64.0/24", outbound=False, delegation="Microsoft.DBforPostgreSQL/flexibleServers"),
    subnet("endpoints", "10.0.65.0/24", outbound=False),
]
AKS_NATS = [nat("nat-1", ["1"], ["nodes-1"]), nat("nat-2", ["2"], ["nodes-2"]), nat("nat-3", ["3"], ["nodes-3"])]

CLUSTER = RG + "/providers/Microsoft.ContainerService/managedClusters/pulumi-aks"
def agent_pool(name, zone, subnet_name, mode="User", zones=None, with_type=True):
    p = {"availabilityZones": zones if zones is not None else [zone], "count": 2, "currentOrchestratorVersion": "1.31.2",
         "enableAutoScaling": True, "enableNodePublicIp": False, "maxCount": 6, "maxPods": 110, "minCount": 2,
         "mode": mode, "name": name, "nodeImageVersion": "AKSUbuntu-2204gen2containerd-202511.10.0",
         "orchestratorVersion": "1.31.2", "osDiskSizeGb": 128, "osDiskType": "Ephemeral", "osSku": "Ubuntu", "osType": "Linux",
         "powerState": {"code": "Running"}, "provisioningState": "Succeeded", "scaleDownMode": "Delete",
         "type": "VirtualMachineScaleSets", "upgradeSettings": {"maxSurge": "33%"}, "vmSize": "Standard_D4ds_v5",
         "vnetSubnetId": sn(subnet_name)}
    if zones == []:
        del p["availabilityZones"]
    return p

def cluster(pools):
    return {"aadProfile": None,
            "addonProfiles": {"ingressApplicationGateway": {"config": {"applicationGatewayId": GW, "effectiveApplicationGatewayId": GW},
                                                            "enabled": True,
                                                            "identity": {"clientId": "00000000-0000-0000-0000-00000000000b",
                                                                         "objectId": "00000000-0000-0000-0000-00000000000c",
                                                                         "resourceId": RG + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ingressapplicationgateway-pulumi-aks"}}},
            "agentPoolProfiles": pools, "dnsPrefix": "pulumi-aks", "enableRbac": True,
            "fqdn": "pulumi-aks-00000000.hcp.westeurope.azmk8s.io", "id": CLUSTER, "kubernetesVersion": "1.31.2",
            "location": LOC, "name": "pulumi-aks",
            "networkProfile": {"dnsServiceIp": "10.2.0.10", "ipFamilies": ["IPv4"], "loadBalancerSku": "standard",
                               "networkPlugin": "azure", "networkPluginMode": "overlay", "outboundType": "userAssignedNATGateway",
                               "podCidr": "10.244.0.0/16", "serviceCidr": "10.2.0.0/16"},
            "nodeResourceGroup": "MC_pulumi-rg_pulumi-aks_westeurope", "powerState": {"code": "Running"},
            "provisioningState": "Succeeded", "resourceGroup": "pulumi-rg",
            "sku": {"name": "Base", "tier": "Standard"}, "type": "Microsoft.ContainerService/ManagedClusters"}

AKS_POOLS = [agent_pool("zone1", "1", "nodes-1", mode="System"), agent_pool("zone2", "2", "nodes-2", mode="System"),
             agent_pool("zone3", "3", "nodes-3", mode="System")]
PIPS = [public_ip("pulumi-appgw-pip", "20.50.60.70", "pulumi-sandbox.westeurope.cloudapp.azure.com"),
        public_ip("nat-1-pip", "20.50.60.71", zones=("1",)), public_ip("nat-2-pip", "20.50.60.72", zones=("2",)),
        public_ip("nat-3-pip", "20.50.60.73", zones=("3",))]

write("azure-aks/azure/application-gateways.json", aks_gateway())
write("azure-aks/azure/public-ips.json", PIPS)
write("azure-aks/azure/vnets.json", vnet(AKS_SUBNETS()))
write("azure-aks/azure/nat-gateways.json", AKS_NATS)
write("azure-aks/azure/private-endpoints.json", [private_endpoint("pe-pulumistate-blob", "endpoints")])
write("azure-aks/azure/cluster.json", cluster(AKS_POOLS))
write("azure-aks/azure/postgres-servers.json", postgres())
write("azure-aks/azure/locks.json", [lock(RG, "pulumi-rg-nodelete")])
write("azure-aks/azure/records.json", [a_record("api", alias=NET + "/publicIPAddresses/pulumi-appgw-pip"), a_record("app", ["20.50.60.70"])])

B = "azure-broken/aks/"
write(B + "one-zone/azure/cluster.json", cluster([agent_pool("zone1", "1", "nodes-1", mode="System")]))
write(B + "no-zones/azure/cluster.json", cluster([agent_pool("pool1", None, "nodes-1", mode="System", zones=[])]))
write(B + "nodes-default-outbound/azure/vnets.json", vnet([s if s["name"] != "nodes-2" else subnet("nodes-2", "10.0.32.0/20") for s in AKS_SUBNETS()]))
write(B + "nodes-default-outbound/azure/nat-gateways.json", [AKS_NATS[0], AKS_NATS[2]])
write(B + "public-database/azure/postgres-servers.json", postgres(access="Enabled", delegated=False))
write(B + "nat-one-zone/azure/vnets.json", vnet([s if not s["name"].startswith("nodes-") else dict(s, natGateway=ref(NET + "/natGateways/nat-1")) for s in AKS_SUBNETS()]))
write(B + "nat-one-zone/azure/nat-gateways.json", [nat("nat-1", ["1"], ["nodes-1", "nodes-2", "nodes-3"])])
write(B + "no-blob-endpoint/azure/private-endpoints.json", [private_endpoint("pe-pulumi-db", "endpoints", target=PG, group="postgresqlServer")])
write(B + "no-lock/azure/locks.json", [lock(PG, "pulumi-db-nodelete")])
write(B + "probe-root/azure/application-gateways.json", aks_gateway(api_probe=probe(AKS_PROBE, "/")))
# The backend settings AGIC writes from the twins' Ingress annotations (kubernetes/ingress.yaml).
write(B + "agic-no-draining/azure/application-gateways.json", aks_gateway(api_settings=settings(AKS_SETTINGS, 8080, AKS_PROBE, drain=0)))
write(B + "agic-drain-beyond-grace/azure/application-gateways.json", aks_gateway(api_settings=settings(AKS_SETTINGS, 8080, AKS_PROBE, drain=300)))
write(B + "records-elsewhere/azure/records.json", [a_record("api", ["20.50.60.99"]), a_record("app", ["20.50.60.70"])])

# ------------------------------------------------------------------ VMs on a scale set behind Application Gateway
VMSS = RG + "/providers/Microsoft.Compute/virtualMachineScaleSets/pulumi-api"
API_POOL = "pulumi-api"
API_SETTINGS = "pulumi-api-8080"
API_PROBE = "pulumi-api-status"

def vmss_gateway(api_settings=None, v1=False):
    return [app_gateway(
        pools=[pool(API_POOL, []), pool("pulumi-console", [])],
        settings=[api_settings or settings(API_SETTINGS, 8080, API_PROBE, drain=30), settings("pulumi-console-3000", 3000, "pulumi-console-root", drain=30)],
        probes=[probe(API_PROBE, "/api/status"), probe("pulumi-console-root", "/")],
        listeners=[listener("api-https", "api.sandbox.test"), listener("app-https", "app.sandbox.test")],
        rules=[rule("api", 100, "api-https", API_POOL, API_SETTINGS), rule("app", 110, "app-https", "pulumi-console", "pulumi-console-3000")], v1=v1)]

def scale_set(zones=("1","2","3"), notify=True, pools=None, repairs="PT10M"):
    ipconf = {"applicationGatewayBackendAddressPools": [ref(gwpart("backendAddressPools", API_POOL))],
              "applicationSecurityGroups": [], "loadBalancerBackendAddressPools": [], "loadBalancerInboundNatPools": [],
              "name": "pulumi-api-ipconfig", "primary": True, "privateIPAddressVersion": "IPv4", "subnet": ref(sn("vms"))}
    if pools is not None:
        ipconf["applicationGatewayBackendAddressPools"] = []
        ipconf["loadBalancerBackendAddressPools"] = [ref(p) for p in pools]
    profile = {
        "networkProfile": {"networkApiVersion": "2020-11-01", "networkInterfaceConfigurations": [{
            "deleteOption": "Delete", "disableTcpStateTracking": False, "dnsSettings": {"dnsServers": []},
            "enableAcceleratedNetworking": True, "enableIPForwarding": False, "ipConfigurations": [ipconf],
            "name": "pulumi-api-nic", "primary": True}]},
        "osProfile": {"adminUsername": "pulumi", "allowExtensionOperations": True, "computerNamePrefix": "pulumiapi",
                      "linuxConfiguration": {"disablePasswordAuthentication": True, "provisionVMAgent": True}},
        "storageProfile": {"imageReference": {"offer": "ubuntu-24_04-lts", "publisher": "Canonical", "sku": "server", "version": "latest"},
                           "osDisk": {"caching": "ReadWrite", "createOption": "FromImage", "diskSizeGb": 64,
                                      "managedDisk": {"storageAccountType": "Premium_LRS"}, "osType": "Linux"}},
    }
    if notify:
        profile["scheduledEventsProfile"] = {"terminateNotificationProfile": {"enable": True, "notBeforeTimeout": "PT5M"}}
    v = {"automaticRepairsPolicy": {"enabled": repairs is not None, "gracePeriod": repairs or "PT10M", "repairAction": "Replace"},
         "id": VMSS, "location": LOC, "name": "pulumi-api", "orchestrationMode": "Uniform", "overprovision": False,
         "platformFaultDomainCount": 1, "provisioningState": "Succeeded", "resourceGroup": "pulumi-rg",
         "scaleInPolicy": {"forceDeletion": False, "rules": ["Default"]}, "singlePlacementGroup": False,
         "sku": {"capacity": 3, "name": "Standard_D4ds_v5", "tier": "Standard"},
         "type": "Microsoft.Compute/virtualMachineScaleSets", "uniqueId": "00000000-0000-0000-0000-00000000000d",
         "upgradePolicy": {"mode": "Rolling", "rollingUpgradePolicy": {"maxBatchInstancePercent": 20, "maxUnhealthyInstancePercent": 20,
                           "maxUnhealthyUpgradedInstancePercent": 20, "pauseTimeBetweenBatches": "PT0S"}},
         "virtualMachineProfile": profile, "zoneBalance": True, "zones": list(zones)}
    return [v]

def autoscale(minimum="2", maximum="12", default="3", out=55.0, inn=30.0):
    def r(direction, op, thr):
        return {"metricTrigger": {"dividePerInstance": False, "metricName": "Percentage CPU", "metricNamespace": "microsoft.compute/virtualmachinescalesets",
                                  "metricResourceUri": VMSS, "operator": op, "statistic": "Average", "threshold": thr,
                                  "timeAggregation": "Average", "timeGrain": "PT1M", "timeWindow": "PT10M"},
                "scaleAction": {"cooldown": "PT5M", "direction": direction, "type": "ChangeCount", "value": "1"}}
    return [{"enabled": True, "id": RG + "/providers/microsoft.insights/autoscalesettings/pulumi-api-autoscale", "location": LOC,
             "name": "pulumi-api-autoscale", "notifications": [], "predictiveAutoscalePolicy": {"scaleMode": "Disabled"},
             "profiles": [{"capacity": {"default": default, "maximum": maximum, "minimum": minimum}, "name": "default",
                           "rules": [r("Increase", "GreaterThan", out), r("Decrease", "LessThan", inn)]}],
             "resourceGroup": "pulumi-rg", "tags": {}, "targetResourceLocation": LOC, "targetResourceUri": VMSS,
             "type": "Microsoft.Insights/autoscaleSettings"}]

VMS_SUBNETS = lambda nat_name="nat-vms": [
    subnet("appgw", "10.0.0.0/24", appgw=True),
    subnet("vms", "10.0.16.0/20", nat=nat_name, outbound=False),
    subnet("database", "10.0.64.0/24", outbound=False, delegation="Microsoft.DBforPostgreSQL/flexibleServers"),
    subnet("endpoints", "10.0.65.0/24", outbound=False),
]
V = "azure-vmss/azure/"
write(V + "application-gateways.json", vmss_gateway())
write(V + "public-ips.json", [PIPS[0], public_ip("nat-vms-pip", "20.50.60.74")])
write(V + "vnets.json", vnet(VMS_SUBNETS()))
write(V + "nat-gateways.json", [nat("nat-vms", [], ["vms"], sku="StandardV2")])
write(V + "private-endpoints.json", [private_endpoint("pe-pulumistate-blob", "endpoints")])
write(V + "scale-sets.json", scale_set())
write(V + "autoscale-settings.json", autoscale())
write(V + "postgres-servers.json", postgres())
write(V + "locks.json", [lock(RG, "pulumi-rg-nodelete")])
write(V + "records.json", [a_record("api", alias=NET + "/publicIPAddresses/pulumi-appgw-pip"), a_record("app", alias=NET + "/publicIPAddresses/pulumi-appgw-pip")])

B = "azure-broken/vmss/"
write(B + "one-zone/azure/scale-sets.json", scale_set(zones=("1",)))
write(B + "cpu-70/azure/autoscale-settings.json", autoscale(out=70.0))
write(B + "max-6/azure/autoscale-settings.json", autoscale(maximum="6"))
write(B + "min-1/azure/autoscale-settings.json", autoscale(minimum="1"))
write(B + "no-draining/azure/application-gateways.json", vmss_gateway(api_settings=settings(API_SETTINGS, 8080, API_PROBE, drain=0)))
write(B + "no-terminate-notification/azure/scale-sets.json", scale_set(notify=False))
write(B + "nat-zonal/azure/nat-gateways.json", [nat("nat-vms", ["1"], ["vms"])])
write(B + "nat-no-zone/azure/nat-gateways.json", [nat("nat-vms", [], ["vms"])])
write(B + "no-lock/azure/locks.json", [lock(PG, "pulumi-db-nodelete")])
write(B + "appgw-v1/azure/application-gateways.json", vmss_gateway(v1=True))
write(B + "default-probe/azure/application-gateways.json", vmss_gateway(api_settings=settings(API_SETTINGS, 8080, None, drain=30)))
LB = NET + "/loadBalancers/pulumi-api-lb"
write(B + "standard-lb/azure/application-gateways.json", [{
    "backendAddressPools": [{"id": LB + "/backendAddressPools/pulumi-api", "name": "pulumi-api", "provisioningState": "Succeeded", "loadBalancerBackendAddresses": []}],
    "etag": "W/\"00000000-0000-0000-0000-00000000000e\"",
    "frontendIPConfigurations": [{"id": LB + "/frontendIPConfigurations/public", "name": "public", "privateIPAllocationMethod": "Dynamic",
                                  "provisioningState": "Succeeded", "publicIPAddress": ref(NET + "/publicIPAddresses/pulumi-appgw-pip")}],
    "id": LB, "inboundNatRules": [], "loadBalancingRules": [{
        "backendAddressPool": ref(LB + "/backendAddressPools/pulumi-api"), "backendPort": 8080, "disableOutboundSnat": True,
        "enableFloatingIP": False, "enableTcpReset": True, "frontendIPConfiguration": ref(LB + "/frontendIPConfigurations/public"),
        "frontendPort": 443, "id": LB + "/loadBalancingRules/https", "idleTimeoutInMinutes": 4, "loadDistribution": "Default",
        "name": "https", "probe": ref(LB + "/probes/api-status"), "protocol": "Tcp", "provisioningState": "Succeeded"}],
    "location": LOC, "name": "pulumi-api-lb", "outboundRules": [],
    "probes": [{"id": LB + "/probes/api-status", "intervalInSeconds": 5, "name": "api-status", "numberOfProbes": 2, "port": 8080,
                "probeThreshold": 1, "protocol": "Http", "provisioningState": "Succeeded", "requestPath": "/api/status"}],
    "provisioningState": "Succeeded", "resourceGroup": "pulumi-rg", "sku": {"name": "Standard", "tier": "Regional"},
    "type": "Microsoft.Network/loadBalancers"}])
write(B + "standard-lb/azure/scale-sets.json", scale_set(pools=[LB + "/backendAddressPools/pulumi-api"]))

# ------------------------------------------------------------------ the scale set as a Pulumi stack export (azure-native v3)
def resource(kind, name, obj, nested=False):
    out = {k: v for k, v in obj.items() if k not in ("id", "resourceGroup", "etag")}
    if nested:
        keep = {k: out.pop(k) for k in ("location", "name", "tags", "type") if k in out}
        out = dict(keep, properties=out)
    out["azureApiVersion"] = {"ApplicationGateway": "2024-05-01", "AutoscaleSetting": "2021-05-01-preview"}.get(kind.split(":")[-1], "2024-05-01")
    return {"urn": "urn:pulumi:prod::pulumi-cloud-azure::azure-native:" + kind + "::" + name, "custom": True,
            "id": obj["id"], "type": "azure-native:" + kind, "inputs": {}, "outputs": out,
            "provider": "urn:pulumi:prod::pulumi-cloud-azure::pulumi:providers:azure-native::default_3_5_1::00000000-0000-0000-0000-00000000000f"}

def load(path):
    with open(os.path.join(ROOT, path)) as f:
        return json.load(f)

res = [{"urn": "urn:pulumi:prod::pulumi-cloud-azure::pulumi:pulumi:Stack::pulumi-cloud-azure-prod", "custom": False,
        "type": "pulumi:pulumi:Stack", "outputs": {}}]
kinds = [("application-gateways.json", "network:ApplicationGateway", False), ("public-ips.json", "network:PublicIPAddress", False),
         ("vnets.json", "network:VirtualNetwork", False), ("nat-gateways.json", "network:NatGateway", False),
         ("private-endpoints.json", "network:PrivateEndpoint", False), ("scale-sets.json", "compute:VirtualMachineScaleSet", False),
         ("autoscale-settings.json", "monitor:AutoscaleSetting", True), ("postgres-servers.json", "dbforpostgresql:Server", False),
         ("locks.json", "authorization:ManagementLockAtResourceGroupLevel", False), ("records.json", "dns:RecordSet", False)]
for f, kind, nested in kinds:
    for obj in load("azure-vmss/azure/" + f):
        res.append(resource(kind, obj["name"], obj, nested))
write("azure-stack/vmss.json", {"version": 3, "deployment": {
    "manifest": {"time": "2026-12-01T10:00:00.000000000Z", "magic": "0000000000000000000000000000000000000000000000000000000000000000", "version": "v3.207.0"},
    "secrets_providers": {"type": "service", "state": {"url": "https://api.pulumi.com", "owner": "pulumi", "project": "pulumi-cloud-azure", "stack": "prod"}},
    "resources": res}})

# ------------------------------------------------------------------ testkit: recorded answers for the fake az
if len(sys.argv) > 2:
    T = sys.argv[2]
    def put(name, value):
        with open(os.path.join(T, name), "w") as f:
            json.dump(value, f, indent=2)
            f.write("\n")
    OTHER = SUB + "/resourceGroups/other-team/providers/Microsoft.Network"
    other_gw = copy.deepcopy(aks_gateway()[0])
    other_gw_text = json.dumps(other_gw).replace(RG, SUB + "/resourceGroups/other-team").replace("pulumi-appgw", "other-appgw").replace("pulumi-vnet", "other-vnet")
    other_gw = json.loads(other_gw_text)
    other_gw["resourceGroup"] = "other-team"
    zone = lambda name, rg: {"etag": "00000000-0000-0000-0000-00000000000b", "id": SUB + "/resourceGroups/" + rg + "/providers/Microsoft.Network/dnszones/" + name,
                             "location": "global", "maxNumberOfRecordSets": 10000, "name": name, "nameServers": ["ns1-01.azure-dns.com."],
                             "numberOfRecordSets": 4, "resourceGroup": rg, "tags": {}, "type": "Microsoft.Network/dnszones", "zoneType": "Public"}
    put("account-show.json", {"environmentName": "AzureCloud", "id": "00000000-0000-0000-0000-000000000000", "isDefault": True,
                              "name": "pulumi-prod", "state": "Enabled", "tenantId": "00000000-0000-0000-0000-0000000000ab",
                              "user": {"name": "netconform@example.com", "type": "user"}})
    put("network-dns-zone-list.json", [zone("test", "other-team"), zone("sandbox.test", "pulumi-rg")])
    recs = [a_record("api", alias=NET + "/publicIPAddresses/pulumi-appgw-pip"), a_record("app", ["20.50.60.70"]), a_record("www", ["20.50.60.99"])]
    put("network-dns-record-set-a-list.json", recs)
    put("network-public-ip-list.json", PIPS + [public_ip("other-appgw-pip", "20.50.60.99").__class__(json.loads(json.dumps(public_ip("other-appgw-pip", "20.50.60.99")).replace(RG, SUB + "/resourceGroups/other-team")))])
    pips = json.load(open(os.path.join(T, "network-public-ip-list.json")))
    pips[0]["ipConfiguration"] = ref(gwpart("frontendIPConfigurations", "appGatewayFrontendIP"))
    pips[-1]["ipConfiguration"] = ref(SUB + "/resourceGroups/other-team/providers/Microsoft.Network/applicationGateways/other-appgw/frontendIPConfigurations/appGatewayFrontendIP")
    put("network-public-ip-list.json", pips)
    put("network-application-gateway-list.json", [other_gw] + aks_gateway())
    put("aks-list.json", [cluster(AKS_POOLS)])
    other_vnet = json.loads(json.dumps(vnet(AKS_SUBNETS())).replace(RG, SUB + "/resourceGroups/other-team").replace("pulumi-vnet", "other-vnet"))
    # Beside the AKS subnets, the one delegated to Application Gateway for Containers, which
    # collection reaches through the association (fixtures/azure/rest/).
    agc_subnet = subnet("agc", "10.0.66.0/24", outbound=False, delegation="Microsoft.ServiceNetworking/trafficControllers")
    put("network-vnet-list.json", vnet(AKS_SUBNETS() + [agc_subnet]) + other_vnet)
    put("network-nat-gateway-list.json", AKS_NATS + [json.loads(json.dumps(nat("other-nat", ["1"], ["other"])).replace(RG, SUB + "/resourceGroups/other-team"))])
    put("network-private-endpoint-list.json", [private_endpoint("pe-pulumistate-blob", "endpoints")])
    put("postgres-flexible-server-list.json", postgres() + [json.loads(json.dumps(postgres()[0]).replace("pulumi-db", "other-db").replace("pulumi-vnet", "other-vnet"))])
    put("lock-list.json", [lock(RG, "pulumi-rg-nodelete"), lock(SUB + "/resourceGroups/other-team", "other-nodelete")])

# ------------------------------------------------------------------ later cases
write("azure-broken/aks/gateway-subnet-shared/azure/cluster.json",
      cluster([agent_pool("zone1", "1", "appgw", mode="System"), AKS_POOLS[1], AKS_POOLS[2]]))

def private_zone(name, links):
    return {"etag": "00000000-0000-0000-0000-00000000000c", "id": NET + "/privateDnsZones/" + name, "location": "global",
            "maxNumberOfRecordSets": 25000, "maxNumberOfVirtualNetworkLinks": 1000,
            "maxNumberOfVirtualNetworkLinksWithRegistration": 100, "name": name, "numberOfRecordSets": 2,
            "numberOfVirtualNetworkLinks": links, "numberOfVirtualNetworkLinksWithRegistration": 0,
            "provisioningState": "Succeeded", "resourceGroup": "pulumi-rg", "tags": {},
            "type": "Microsoft.Network/privateDnsZones"}

ZONES_OK = [private_zone("privatelink.blob.core.windows.net", 1), private_zone("pulumi-db.private.postgres.database.azure.com", 1)]
if len(sys.argv) > 1 and os.environ.get("AZGEN_ONLY") == "private-dns":
    write("azure-aks/azure/private-dns-zones.json", ZONES_OK)
    write("azure-vmss/azure/private-dns-zones.json", ZONES_OK)
    write("azure-broken/aks/no-blob-dns/azure/private-dns-zones.json", [ZONES_OK[1]])
