//! The queries over the view that join its parts: which workload, service or group is the
//! API's, what a service registers with and runs, a subnet's tier, the places of findings.

use std::collections::BTreeSet;

use netconform_model::Outcome;
use netconform_model::evidence::Evidence;

use super::*;

/// The name of a container image without registry and tag: `pulumi/service`.
pub(crate) fn image_repository(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last_slash = no_digest.rfind('/').map_or(0, |i| i + 1);
    match no_digest[last_slash..].find(':') {
        Some(i) => &no_digest[..last_slash + i],
        None => no_digest,
    }
}

/// Whether an image is Pulumi's API (`pulumi/service`, from any registry).
pub fn is_api_image(image: &str) -> bool {
    image_repository(image).ends_with("pulumi/service")
}

/// Whether an image is Pulumi's console.
pub fn is_console_image(image: &str) -> bool {
    image_repository(image).ends_with("pulumi/console")
}

/// Whether a workload named `name` with these images is the API: it runs `pulumi/service`, or
/// (no Pulumi image telling) its name says api.
pub(crate) fn looks_like_api<'a>(name: &str, images: impl Iterator<Item = &'a str>) -> bool {
    let images: Vec<&str> = images.collect();
    if images.iter().any(|i| is_api_image(i)) {
        return true;
    }
    if images.iter().any(|i| is_console_image(i)) {
        return false;
    }
    let name = name.to_ascii_lowercase();
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| word == "api")
}

/// The last part of an ARN or path: `.../task-definition/api:3` -> `api:3`.
pub(crate) fn arn_tail(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// A DNS name as compared: lowercase, no trailing dot, no `dualstack.` prefix.
pub(crate) fn dns_key(name: &str) -> String {
    let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
    name.strip_prefix("dualstack.").unwrap_or(&name).to_owned()
}

impl Deployment {
    pub fn has(&self, input: Input) -> bool {
        self.inputs.contains(&input)
    }

    /// Gives every finding of `outcome` the line and column of its setting in its file.
    pub fn locate(&self, outcome: &mut Outcome) {
        for e in &mut outcome.evidence {
            let Evidence::Config(f) = e else { continue };
            let Some(text) = self.texts.get(&f.file) else {
                continue;
            };
            let docs = {
                let mut cache = self.parsed.lock().unwrap_or_else(|e| e.into_inner());
                cache
                    .entry(f.file.clone())
                    .or_insert_with(|| crate::position::parse(text).map(std::sync::Arc::new))
                    .clone()
            };
            if let Some((line, column)) = docs.and_then(|d| crate::position::locate(&d, &f.path)) {
                f.line = Some(line);
                f.column = Some(column);
            }
        }
    }

    /// How to provide `input`, for a "not checked" reason: the command to export it, or the
    /// IAM action collection was denied for it.
    pub fn source(&self, input: Input) -> String {
        let input = self.counterpart(input);
        match self.denied.get(&input) {
            Some(action) if input == Input::Kubernetes => format!("Forbidden: {action}"),
            Some(action) if action.starts_with("Microsoft.") => {
                format!("AuthorizationFailed for {action}")
            }
            Some(action) if input.is_gcp() => format!("PERMISSION_DENIED for {action}"),
            Some(action) => format!("AccessDenied for {action}"),
            None => match self.failed.get(&input) {
                Some((action, message)) => format!(
                    "collection's call for {action} failed ({message}); export {} by hand",
                    input.source()
                ),
                None => match input.on_azure().filter(|_| self.on_azure()) {
                    Some((command, action)) => {
                        format!("`{command} -o json` (Azure RBAC {action})")
                    }
                    None => input.source(),
                },
            },
        }
    }

    /// Whether collection tried `input` and got no answer (denied, or failed otherwise).
    pub fn collection_missed(&self, input: Input) -> bool {
        let input = self.counterpart(input);
        self.denied.contains_key(&input) || self.failed.contains_key(&input)
    }

    /// Whether the deployment is on Azure: Azure inputs were read, or its Kubernetes objects are
    /// AKS's load balancing (an Application Gateway Ingress Controller Ingress, a GatewayClass of
    /// Application Gateway for Containers' ALB Controller).
    pub fn on_azure(&self) -> bool {
        self.azure
            || self.gateway_classes.iter().any(|c| {
                c.controller
                    .value()
                    .is_some_and(|n| n.starts_with("alb.networking.azure.io/"))
            })
            || self.ingresses.iter().any(|i| {
                i.class.as_deref() == Some("azure-application-gateway")
                    || i.annotations
                        .keys()
                        .any(|k| k.starts_with("appgw.ingress.kubernetes.io/"))
            })
    }

    /// Notes that `input` was read, at `at` (a Google Cloud input also as the kinds it stands
    /// for: forwarding rules are the load balancers).
    pub(crate) fn saw(&mut self, input: Input, at: &Loc) {
        for kind in std::iter::once(input).chain(input.stands_for().iter().copied()) {
            self.inputs.insert(kind);
            self.lists.entry(kind).or_insert_with(|| at.clone());
        }
    }

    /// Notes that the file `shown` was read, keeping its text to locate findings in.
    pub(crate) fn read_file(&mut self, shown: String, text: &str) {
        self.texts.insert(shown.clone(), std::sync::Arc::from(text));
        self.files.push(shown);
    }

    /// Where `input` was read (its list), if it was.
    pub fn list_of(&self, input: Input) -> Option<&Loc> {
        self.lists.get(&input)
    }

    pub fn subnet(&self, id: &str) -> Option<&Subnet> {
        self.subnets.iter().find(|s| s.id == id)
    }

    /// The zone of a subnet, when an input says.
    pub fn zone_of(&self, subnet: &str) -> Option<&str> {
        self.subnet(subnet).and_then(|s| s.zone.as_deref())
    }

    /// The API's Kubernetes workloads.
    pub fn api_workloads(&self) -> impl Iterator<Item = &KubeWorkload> {
        self.workloads.iter().filter(|w| w.api)
    }

    /// The task definition an ECS service runs: by ARN, by `family:revision`, or by family
    /// when the service names only the family.
    pub fn task_definition_of(&self, service: &EcsService) -> Option<&TaskDefinition> {
        let wanted = service.task_definition.as_deref()?;
        let tail = arn_tail(wanted);
        self.task_definitions.iter().find(|td| {
            td.arn.as_deref() == Some(wanted)
                || td.arn.as_deref().map(arn_tail) == Some(tail)
                || td.family.as_deref() == Some(tail)
        })
    }

    /// Whether an ECS service is the API: its task definition runs `pulumi/service`, or its
    /// name says api.
    pub fn is_api_service(&self, service: &EcsService) -> bool {
        let containers = self
            .task_definition_of(service)
            .and_then(|td| td.containers.value());
        let images = containers.into_iter().flatten().map(|c| c.image.as_str());
        looks_like_api(&service.name, images)
    }

    /// The API's ECS services.
    pub fn api_services(&self) -> impl Iterator<Item = &EcsService> {
        self.ecs_services.iter().filter(|s| self.is_api_service(s))
    }

    /// How an ECS service's tasks are placed: its capacity provider strategy, else its launch
    /// type, else what its task definition requires.
    pub fn launch_of(&self, service: &EcsService) -> Launch {
        let fargate = |p: &str| p == "FARGATE" || p == "FARGATE_SPOT";
        if !service.capacity_providers.is_empty() {
            if service.capacity_providers.iter().all(|p| fargate(p)) {
                return Launch::Fargate {
                    spot: service
                        .capacity_providers
                        .iter()
                        .any(|p| p == "FARGATE_SPOT"),
                };
            }
            return Launch::Ec2 {
                providers: service
                    .capacity_providers
                    .iter()
                    .filter(|p| !fargate(p))
                    .cloned()
                    .collect(),
            };
        }
        match service
            .launch_type
            .as_deref()
            .map(str::to_ascii_uppercase)
            .as_deref()
        {
            Some("FARGATE") => return Launch::Fargate { spot: false },
            Some("EC2") => {
                return Launch::Ec2 {
                    providers: Vec::new(),
                };
            }
            _ => {}
        }
        match self
            .task_definition_of(service)
            .map(|td| td.compatibilities.as_slice())
        {
            Some([only]) if only.eq_ignore_ascii_case("FARGATE") => Launch::Fargate { spot: false },
            Some([only]) if only.eq_ignore_ascii_case("EC2") => Launch::Ec2 {
                providers: Vec::new(),
            },
            _ => Launch::Unknown,
        }
    }

    /// The auto-scaling groups the API runs on: those that register their instances with
    /// one of the API's target groups.
    pub fn api_groups(&self) -> Vec<&AutoScalingGroup> {
        let arns: Vec<&str> = self
            .api_target_groups()
            .into_iter()
            .filter_map(|tg| tg.arn.as_deref())
            .collect();
        self.groups
            .iter()
            .filter(|g| g.target_groups.iter().any(|t| arns.contains(&t.as_str())))
            .collect()
    }

    /// An auto-scaling group by name or ARN.
    pub fn group(&self, name_or_arn: &str) -> Option<&AutoScalingGroup> {
        self.groups
            .iter()
            .find(|g| g.name == name_or_arn || g.arn.as_deref() == Some(name_or_arn))
    }

    /// The lifecycle hooks of an auto-scaling group.
    pub fn hooks_of(&self, group: &AutoScalingGroup) -> Vec<&LifecycleHook> {
        self.lifecycle_hooks
            .iter()
            .filter(|h| h.group == group.name)
            .collect()
    }

    /// The EC2 Auto Scaling policies of a group.
    pub fn group_policies(&self, group: &AutoScalingGroup) -> Vec<&ScalingPolicy> {
        self.scaling_policies
            .iter()
            .filter(|p| p.group.as_deref() == Some(group.name.as_str()))
            .collect()
    }

    /// A capacity provider by name or ARN.
    pub fn capacity_provider(&self, name: &str) -> Option<&CapacityProvider> {
        self.capacity_providers
            .iter()
            .find(|c| c.name == name || c.arn.as_deref() == Some(name))
    }

    /// The load balancers in front of the API: those that forward to its target groups (their
    /// `LoadBalancerArns`), those its ECS services name (Classic), else those the exported
    /// `api.` records lead to. Empty when the inputs do not tell.
    pub fn api_load_balancers(&self) -> Vec<&LoadBalancer> {
        let mut arns: BTreeSet<&str> = BTreeSet::new();
        for tg in self.api_target_groups() {
            arns.extend(tg.load_balancers.iter().map(String::as_str));
        }
        let classic: BTreeSet<&str> = self
            .api_services()
            .flat_map(|s| s.classic_load_balancers.iter().map(String::as_str))
            .collect();
        let by_link: Vec<&LoadBalancer> = self
            .load_balancers
            .iter()
            .filter(|lb| {
                lb.arn.as_deref().is_some_and(|a| arns.contains(a))
                    || lb.name.as_deref().is_some_and(|n| classic.contains(n))
            })
            .collect();
        if !by_link.is_empty() {
            return by_link;
        }
        let targets: BTreeSet<&str> = self
            .records
            .iter()
            .filter(|r| r.name.starts_with("api."))
            .flat_map(|r| r.targets.iter().map(String::as_str))
            .collect();
        self.load_balancers
            .iter()
            .filter(|lb| {
                lb.dns_name
                    .as_deref()
                    .is_some_and(|n| targets.contains(dns_key(n).as_str()))
                    || lb.addresses.iter().any(|a| targets.contains(a.as_str()))
            })
            .collect()
    }

    /// The target groups an ECS service registers with.
    pub fn target_groups_of(&self, service: &EcsService) -> Vec<&TargetGroup> {
        self.target_groups
            .iter()
            .filter(|tg| {
                tg.arn
                    .as_deref()
                    .is_some_and(|arn| service.target_groups.iter().any(|t| t == arn))
            })
            .collect()
    }

    /// The API's target groups: those its ECS services register with, else those named for
    /// the API or on its port (8080).
    pub fn api_target_groups(&self) -> Vec<&TargetGroup> {
        let mut groups: Vec<&TargetGroup> = Vec::new();
        for service in self.api_services() {
            for tg in self.target_groups_of(service) {
                if !groups.iter().any(|g| std::ptr::eq(*g, tg)) {
                    groups.push(tg);
                }
            }
        }
        if groups.is_empty() {
            groups = self
                .target_groups
                .iter()
                .filter(|tg| looks_like_api(&tg.name, std::iter::empty()) || tg.port == Some(8080))
                .collect();
        }
        groups
    }

    /// The HPAs that scale a workload.
    pub fn hpas_of(&self, workload: &KubeWorkload) -> Vec<&Hpa> {
        self.hpas
            .iter()
            .filter(|h| {
                h.namespace == workload.namespace
                    && h.target_name == workload.name
                    && h.target_kind == workload.kind
            })
            .collect()
    }

    /// Whether a Kubernetes service sends to a workload's pods.
    pub(crate) fn service_selects(
        &self,
        namespace: &str,
        service: &str,
        workload: &KubeWorkload,
    ) -> bool {
        match self
            .kube_services
            .iter()
            .find(|s| s.namespace == namespace && s.name == service)
        {
            Some(s) => {
                !s.selector.is_empty()
                    && s.selector
                        .iter()
                        .all(|(k, v)| workload.template_labels.get(k) == Some(v))
            }
            None => looks_like_api(service, std::iter::empty()),
        }
    }

    /// The Kubernetes Services whose selector picks the API's pods.
    pub fn api_kube_services(&self) -> Vec<&KubeService> {
        self.kube_services
            .iter()
            .filter(|s| {
                !s.selector.is_empty()
                    && self.api_workloads().any(|w| {
                        w.namespace == s.namespace
                            && s.selector
                                .iter()
                                .all(|(k, v)| w.template_labels.get(k) == Some(v))
                    })
            })
            .collect()
    }

    /// The subnets the API runs in: its ECS services', its node groups', its auto-scaling
    /// groups'.
    pub fn api_subnets(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let lists = self
            .api_services()
            .filter_map(|s| s.subnets.value().cloned())
            .chain(
                self.node_groups
                    .iter()
                    .filter_map(|ng| ng.subnets.value().cloned()),
            )
            .chain(
                self.api_groups()
                    .into_iter()
                    .filter_map(|g| g.subnets.value().cloned()),
            );
        for id in lists.flatten() {
            if !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }

    /// The ingresses that route to the API: a backend service selecting an API workload (or,
    /// without the services, named for the API), or a host `api.*`.
    pub fn api_ingresses(&self) -> Vec<&Ingress> {
        self.ingresses
            .iter()
            .filter(|ing| {
                let by_backend = ing.backends.iter().any(|svc| {
                    self.api_workloads().any(|w| {
                        w.namespace == ing.namespace && self.service_selects(&ing.namespace, svc, w)
                    }) || (self.workloads.is_empty() && looks_like_api(svc, std::iter::empty()))
                });
                by_backend || ing.hosts.iter().any(|h| h.starts_with("api."))
            })
            .collect()
    }

    /// The scalable targets of an ECS service (`service/<cluster>/<name>`).
    pub fn scalable_targets_of(&self, service: &EcsService) -> Vec<&ScalableTarget> {
        self.scalable_targets
            .iter()
            .filter(|t| resource_matches(&t.resource_id, service))
            .collect()
    }

    pub fn scaling_policies_of(&self, service: &EcsService) -> Vec<&ScalingPolicy> {
        self.scaling_policies
            .iter()
            .filter(|p| resource_matches(&p.resource_id, service))
            .collect()
    }

    /// The route table a subnet uses: its own association, else its VPC's main table.
    pub fn route_table_of(&self, subnet: &Subnet) -> Option<&RouteTable> {
        self.route_tables
            .iter()
            .find(|rt| rt.subnets.contains(&subnet.id))
            .or_else(|| {
                self.route_tables
                    .iter()
                    .find(|rt| rt.main && rt.vpc.is_some() && rt.vpc == subnet.vpc)
            })
    }

    /// A subnet's tier: from its route table when the route tables were read, else from its
    /// tags, else unknown.
    pub fn tier(&self, subnet_id: &str) -> TierOf {
        let Some(subnet) = self.subnet(subnet_id) else {
            return TierOf {
                tier: None,
                how: format!("not in the subnets read ({})", self.source(Input::Subnets)),
                nat: None,
            };
        };
        if let Some(egress) = &subnet.egress {
            return super::egress::egress_tier(subnet_id, egress);
        }
        if self.has(Input::RouteTables)
            && let Some(rt) = self.route_table_of(subnet)
        {
            return match &rt.default_route {
                Some((target, _)) if target.starts_with("igw-") => TierOf {
                    tier: Some(Tier::Public),
                    how: format!("route table {} sends 0.0.0.0/0 to {target}", rt.id),
                    nat: None,
                },
                Some((target, _)) => TierOf {
                    tier: Some(Tier::Private),
                    how: format!("route table {} sends 0.0.0.0/0 to {target}", rt.id),
                    nat: target.starts_with("nat-").then(|| target.clone()),
                },
                None => TierOf {
                    tier: Some(Tier::Isolated),
                    how: format!("route table {} has no default route", rt.id),
                    nat: None,
                },
            };
        }
        if let Some((how, tier)) = super::egress::tier_from_tags(&subnet.tags) {
            return TierOf {
                tier: Some(tier),
                how,
                nat: None,
            };
        }
        TierOf {
            tier: None,
            how: format!(
                "{subnet_id} has no route table in the inputs ({}) and no tier tag",
                self.source(Input::RouteTables)
            ),
            nat: None,
        }
    }

    /// The subnets of a database, directly or through its subnet group.
    pub fn database_subnets(&self, db: &Database) -> Vec<String> {
        if !db.subnets.is_empty() {
            return db.subnets.clone();
        }
        db.subnet_group
            .as_deref()
            .and_then(|name| self.db_subnet_groups.iter().find(|g| g.name == name))
            .map(|g| g.subnets.clone())
            .unwrap_or_default()
    }
}

/// Whether an application-autoscaling resource id names an ECS service.
fn resource_matches(resource_id: &str, service: &EcsService) -> bool {
    let mut parts = resource_id.split('/');
    if parts.next() != Some("service") {
        return false;
    }
    let (cluster, name) = (parts.next(), parts.next());
    name == Some(service.name.as_str())
        && match (&service.cluster, cluster) {
            (Some(mine), Some(theirs)) => arn_tail(mine) == theirs,
            _ => true,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_is_told_by_its_image_then_its_name() {
        assert!(is_api_image("pulumi/service:latest"));
        assert!(is_api_image(
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/pulumi/service:20260101"
        ));
        assert!(is_api_image("docker.io/pulumi/service@sha256:abc"));
        assert!(!is_api_image("pulumi/console:latest"));
        assert!(!is_api_image("localhost:5000/pulumi/service-proxy"));
        assert!(looks_like_api("console", ["pulumi/service:1"].into_iter()));
        assert!(!looks_like_api("api", ["pulumi/console:1"].into_iter()));
        assert!(looks_like_api("pulumi-api", std::iter::empty()));
        assert!(!looks_like_api("rapid", std::iter::empty()));
    }
}
