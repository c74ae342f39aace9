//! The checks, one function per scenario, grouped by the guide's section. Each reads the
//! [`Deployment`] and returns an [`Outcome`]: fail when a setting is against the guide (every
//! such setting a finding with its file, path, value and the expected value), inconclusive
//! when a value is present but cannot be read (a secret, an ambiguity), not applicable ("not
//! checked: no input for X") when the inputs do not cover it, pass otherwise.

mod autoscaling;
pub mod azure;
pub mod google_cloud;
mod load_balancer;
mod multi_az;
mod network;
mod shutdown;

use std::fmt::Display;

use netconform_model::evidence::Evidence;
use netconform_model::evidence::config::{Finding, FindingStatus};
use netconform_model::guide::Section;
use netconform_model::{Gap, Outcome, Verdict};

use crate::node::{Field, Loc, State};
use crate::view::{Deployment, Input};

pub use autoscaling::{check_cpu_target, check_scaling_bounds};
pub use load_balancer::{
    check_application_load_balancer, check_deletion_protection, check_dns_records,
    check_dns_records_of, check_health_check_path, check_readiness_probe, check_startup_grace,
};
pub use multi_az::{check_api_replicas, check_api_zones, check_load_balancer_zones};
pub use network::{
    check_api_private_subnets, check_database_tier, check_load_balancer_subnets,
    check_nat_per_zone, check_object_storage_endpoint,
};
pub use shutdown::{
    check_drain_hook, check_instance_draining, check_shutdown_timeline, check_stop_timeout,
};

/// Every check, in the features' order (the DNS one with the environment's domain and load
/// balancer).
pub fn all(
    d: &Deployment,
    domain: &str,
    load_balancer: Option<&str>,
    addresses: &[std::net::IpAddr],
) -> Vec<Outcome> {
    vec![
        check_api_zones(d),
        check_load_balancer_zones(d),
        check_api_replicas(d),
        check_load_balancer_subnets(d),
        check_api_private_subnets(d),
        check_database_tier(d),
        check_nat_per_zone(d),
        check_object_storage_endpoint(d),
        check_cpu_target(d),
        check_scaling_bounds(d),
        check_stop_timeout(d),
        check_drain_hook(d),
        check_shutdown_timeline(d),
        check_instance_draining(d),
        check_application_load_balancer(d),
        check_deletion_protection(d),
        check_health_check_path(d),
        check_readiness_probe(d),
        check_startup_grace(d),
        check_dns_records(d, domain, load_balancer, addresses),
    ]
}

/// The guide's lines the checks hold settings to (`shared/spec/networking-guide.md`).
pub mod guideline {
    pub const SPREAD_KUBERNETES: &str = "Kubernetes: Spread pods across AZs using pod anti-affinity or topology spread constraints.";
    pub const SPREAD_ECS: &str =
        "ECS/Fargate: Configure services to launch tasks across multiple subnets in different AZs.";
    pub const TWO_ZONES: &str = "Deploy compute resources across at least two availability zones.";
    pub const SPREAD_VMS: &str = "VMs: Use auto-scaling groups spanning multiple AZs.";
    pub const SUBNETS_IN_ZONES: &str =
        "Deploy a VPC/VNet with subnets in 2+ AZs, separated by tier.";
    pub const PUBLIC_TIER: &str = "Public subnets: Load balancers, NAT gateways.";
    pub const PRIVATE_TIER: &str = "Private subnets: Application containers.";
    pub const DATABASE_TIER: &str = "Database subnets: Database instances (no public access).";
    pub const NAT_PER_ZONE: &str =
        "Deploy one NAT gateway per AZ to avoid cross-AZ NAT bottlenecks.";
    pub const OBJECT_STORAGE_ENDPOINT: &str = "Use VPC endpoints or private endpoints for object storage access to reduce NAT traffic and improve performance.";
    pub const CPU_TARGET: &str = "Target: 50–60% average CPU utilization.";
    pub const MIN_INSTANCES: &str = "Minimum instances: 2 (for HA across AZs).";
    pub const MAX_INSTANCES: &str =
        "Maximum instances: 4x desired count (to handle burst traffic).";
    pub const STOP_TIMEOUT: &str = "Set container stop timeout to at least 120 seconds.";
    pub const TERMINATION_GRACE: &str = "Kubernetes: Set terminationGracePeriodSeconds: 130 on the API pod spec (slightly above the 120-second stop timeout to allow clean shutdown before Kubernetes force-kills the pod).";
    pub const ECS_DRAIN: &str = "ECS: Configure deregistration delay on the target group and set stopTimeout on the container definition.";
    pub const DRAIN_HOOKS: &str = "Use lifecycle hooks (ECS) or preStop hooks (Kubernetes) to drain connections before shutdown.";
    pub const SCALE_IN: &str = "Scale-in protection: Use graceful draining to allow in-flight requests to complete before terminating instances.";
    pub const APPLICATION_LOAD_BALANCER: &str =
        "Deploy an Application Load Balancer (or equivalent).";
    pub const DELETION_PROTECTION: &str =
        "Enable deletion protection on the load balancer in production.";
    pub const HEALTH_CHECK: &str =
        "Configure health checks for the API service (/api/status endpoint).";
    pub const HEALTH_CHECK_GRACE: &str =
        "Set health check grace period to 120 seconds to allow containers to start.";
    pub const DNS_RECORDS: &str =
        "Configure two DNS records pointing to your load balancer: api.{domain} and app.{domain}.";
}

/// The platforms' own documentation, for rules that hold a setting to how the platform
/// behaves rather than to the guide's letter. A finding cites one as its guideline.
pub mod platform {
    pub const ECS_STOP_SEQUENCE: &str = "AWS (ECS developer guide, \"Task lifecycle\", \"Connection draining\"): a stopping task leaves its target groups and ECS waits the deregistration delay, then sends SIGTERM and SIGKILL after stopTimeout: the two timers run one after the other.";
    pub const FARGATE_STOP_TIMEOUT: &str =
        "AWS (ECS task definition parameters, stopTimeout): on Fargate the maximum is 120 seconds.";
    pub const FARGATE_SPOT: &str = "AWS (knowledge center, \"Spot termination notices in Fargate Spot tasks\"): a Fargate Spot task gets a two-minute notice; its target groups' deregistration delay must stay under two minutes.";
    pub const KUBERNETES_TERMINATION: &str = "Kubernetes (\"Pod lifecycle: termination of Pods\"): terminationGracePeriodSeconds counts from the start of the preStop hook; SIGTERM comes when the hook ends; SIGKILL when the grace period is over.";
    pub const EKS_LOAD_BALANCING: &str = "AWS (EKS best practices guide, \"Load balancing\"): with the AWS Load Balancer Controller, deregistration from the target group and the preStop hook start together when the pod is deleted; a target that has drained before the hook ends is the safer setup.";
    pub const ASG_TERMINATION: &str = "AWS (EC2 Auto Scaling, \"Lifecycle hooks\"): a terminating instance drains from its target groups, then a termination lifecycle hook holds it in Terminating:Wait up to its heartbeat timeout.";
    pub const ECS_MANAGED_DRAINING: &str = "AWS (ECS, \"Managed instance draining\"): a capacity provider with managedDraining ENABLED drains an instance's tasks before its auto-scaling group terminates it.";
    pub const BLOCK_PUBLIC_ACCESS: &str = "AWS (EC2 API, VpcBlockPublicAccessOptions and VpcBlockPublicAccessExclusion, 2024): with InternetGatewayBlockMode block-bidirectional or block-ingress, traffic from internet gateways into the Region's VPCs is blocked, except for VPCs and subnets an allow-bidirectional exclusion names.";
    pub const REGIONAL_NAT: &str = "AWS (VPC user guide, \"Regional NAT gateways for automatic multi-AZ expansion\", 2025): a regional NAT gateway (AvailabilityMode regional) is one gateway that runs in every zone it serves, with no public subnet of its own; with AutoProvisionZones enabled it follows the VPC's subnets to every zone. It is the one-NAT-per-zone layout by construction.";
    pub const ECS_AZ_REBALANCING: &str = "AWS (ECS developer guide, \"Balancing an Amazon ECS service across Availability Zones\", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-rebalancing.html): after an Availability Zone disruption a service's tasks can stay uneven across zones; with availabilityZoneRebalancing ENABLED (the default for new services) ECS starts tasks in the zones with the fewest and stops them in the zones with the most.";
    pub const ASG_AZ_DISTRIBUTION: &str = "AWS (EC2 Auto Scaling user guide, \"Auto Scaling group Availability Zone distribution\", https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-availability-zone-balanced.html): both balanced strategies keep an equal number of instances in the enabled zones; when launches fail in a zone, balanced-best-effort (the default) launches in another zone, balanced-only keeps trying the failed zone, sound when the remaining zones hold enough capacity; reservations-then-balanced fills Capacity Reservations before spreading evenly.";
    pub const ECS_BLUE_GREEN: &str = "AWS (ECS developer guide, \"Amazon ECS blue/green deployments\", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-blue-green.html): the green revision's tasks register in the alternate target group, production traffic moves to it, both revisions run for the bake time, then the blue tasks are stopped; a stopping task leaves its target group through the deregistration delay as in any deployment.";
    pub const ZONAL_SHIFT: &str = "AWS (ELB, \"Enable zonal shift for your Application Load Balancer\", https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-zonal-shift.html): with zonal_shift.config.enabled (off by default) ARC zonal shift and zonal autoshift can move the load balancer's traffic away from an impaired zone.";
    pub const TARGET_GROUP_HEALTH: &str = "AWS (ELB, \"Target group health\", https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health.html): when a zone's healthy targets fall below the DNS failover threshold its load balancer addresses leave DNS; below the routing failover threshold the zone's node sends traffic to every target, healthy or not.";
    pub const LBC_SCHEME: &str = "AWS Load Balancer Controller (docs/guide/ingress/annotations.md#scheme, docs/guide/gateway/loadbalancerconfig.md#scheme, https://kubernetes-sigs.github.io/aws-load-balancer-controller/): alb.ingress.kubernetes.io/scheme and a LoadBalancerConfiguration's scheme are internal unless set to internet-facing; an internal load balancer is only accessible within the VPC.";
    pub const LBC_TARGET_TYPE: &str = "AWS Load Balancer Controller (docs/guide/ingress/annotations.md#target-type, docs/guide/gateway/targetgroupconfig.md \"TargetType\"): target type instance, the default, registers the nodes with the nodePort of the Service, which must be of type NodePort or LoadBalancer; ip registers the pods.";
    pub const ASG_ELB_HEALTH: &str = "AWS (EC2 Auto Scaling, \"Health checks\"): with health check type EC2 the group replaces only instances whose EC2 status fails; ELB adds the load balancer's health check, after the grace period.";
}

/// Platform defaults: what applies when a setting is not written.
pub mod defaults {
    /// ECS container `stopTimeout` when unset (seconds).
    pub const ECS_STOP_TIMEOUT: u64 = 30;
    /// Kubernetes `terminationGracePeriodSeconds` when unset.
    pub const KUBERNETES_GRACE: u64 = 30;
    /// Kubernetes `spec.replicas` and HPA `minReplicas` when unset.
    pub const KUBERNETES_REPLICAS: u64 = 1;
    /// ELBv2 target group `deregistration_delay.timeout_seconds` when unset.
    pub const DEREGISTRATION_DELAY: u64 = 300;
    /// ECS `stopTimeout` on Fargate: its maximum.
    pub const FARGATE_MAX_STOP_TIMEOUT: u64 = 120;
    /// The notice a Fargate Spot task gets before it is stopped.
    pub const FARGATE_SPOT_NOTICE: u64 = 120;
    /// EC2 Auto Scaling `HealthCheckGracePeriod` when unset through the CLI or the API.
    pub const ASG_HEALTH_CHECK_GRACE: u64 = 0;
    /// EC2 Auto Scaling lifecycle hook `HeartbeatTimeout` when unset.
    pub const LIFECYCLE_HEARTBEAT: u64 = 3600;
    /// ECS capacity provider `managedDraining` when unset.
    pub const MANAGED_DRAINING: &str = "ENABLED";
    /// ECS service `healthCheckGracePeriodSeconds` when unset.
    pub const ECS_HEALTH_CHECK_GRACE: u64 = 0;
    /// ELBv2 health check path when unset (the AWS Load Balancer Controller's default too).
    pub const HEALTH_CHECK_PATH: &str = "/";
    /// ELBv2 health check success codes when unset.
    pub const HEALTH_CHECK_MATCHER: &str = "200";
}

/// Collects a check's findings and turns them into its outcome.
pub(crate) struct Judge {
    check: &'static str,
    section: Section,
    findings: Vec<Finding>,
    undecided: usize,
    missing: Vec<String>,
    /// The first input the check lacked: how the next run can check it.
    gap: Option<Gap>,
    /// Why a part of the check does not apply to this deployment by its nature (Fargate has
    /// no instances to hook): not a gap in the inputs.
    inapplicable: Vec<String>,
    /// The platforms whose rules the check applied, and why ("ECS on Fargate (ECS service
    /// pulumi-api)").
    platforms: Vec<String>,
    /// The first input collection was denied that the check needed: the gap it reports
    /// (before any other). Set by [`Judge::source`], which reasons call while they are built.
    denial: std::cell::RefCell<Option<Gap>>,
    /// Facts for the evidence that no rule judges ([`Judge::note`]).
    notes: Vec<String>,
}

impl Judge {
    pub(crate) fn new(check: &'static str, section: Section) -> Judge {
        Judge {
            check,
            section,
            findings: Vec::new(),
            undecided: 0,
            missing: Vec::new(),
            gap: None,
            inapplicable: Vec::new(),
            platforms: Vec::new(),
            denial: std::cell::RefCell::new(None),
            notes: Vec::new(),
        }
    }

    fn record(
        &mut self,
        status: FindingStatus,
        guideline: &str,
        subject: &str,
        at: &Loc,
        (actual, expected): (String, String),
    ) {
        self.findings.push(Finding {
            status,
            section: self.section.title().to_owned(),
            guideline: guideline.to_owned(),
            subject: subject.to_owned(),
            file: at.file.to_string(),
            path: at.path.clone(),
            actual,
            expected,
            line: None,
            column: None,
        });
    }

    /// A setting that does what the guide says.
    pub(crate) fn ok(
        &mut self,
        guideline: &str,
        subject: &str,
        at: &Loc,
        actual: impl Into<String>,
        expected: impl Into<String>,
    ) {
        let values = (actual.into(), expected.into());
        self.record(FindingStatus::Conforms, guideline, subject, at, values);
    }

    /// A setting against the guide: the check fails.
    pub(crate) fn error(
        &mut self,
        guideline: &str,
        subject: &str,
        at: &Loc,
        actual: impl Into<String>,
        expected: impl Into<String>,
    ) {
        let values = (actual.into(), expected.into());
        self.record(FindingStatus::Error, guideline, subject, at, values);
    }

    /// A questionable setting, reported without failing the check.
    pub(crate) fn warn(
        &mut self,
        guideline: &str,
        subject: &str,
        at: &Loc,
        actual: impl Into<String>,
        expected: impl Into<String>,
    ) {
        let values = (actual.into(), expected.into());
        self.record(FindingStatus::Warning, guideline, subject, at, values);
    }

    /// A value that is there but cannot be judged: the check is inconclusive.
    pub(crate) fn undecided(
        &mut self,
        guideline: &str,
        subject: &str,
        at: &Loc,
        why: impl Into<String>,
    ) {
        self.undecided += 1;
        let values = (format!("cannot check: {}", why.into()), String::new());
        self.record(FindingStatus::NotChecked, guideline, subject, at, values);
    }

    /// Something the inputs do not cover: "not checked: no input for ...".
    pub(crate) fn missing(&mut self, what: impl Into<String>) {
        let what = what.into();
        if !self.missing.contains(&what) {
            self.missing.push(what);
        }
    }

    /// A part of the check that does not apply to this deployment, and why: reported, never
    /// a pass and never a gap in the inputs.
    pub(crate) fn inapplicable(&mut self, why: impl Into<String>) {
        let why = why.into();
        if !self.inapplicable.contains(&why) {
            self.inapplicable.push(why);
        }
    }

    /// A fact the inputs show that no rule judges, for the evidence (never a verdict).
    pub(crate) fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
    }

    /// Says which platforms' rules the check applied (shown in its reason and evidence).
    pub(crate) fn applied(&mut self, platforms: Vec<String>) {
        self.platforms = platforms;
    }

    /// A value that is a secret or of the wrong type: the check is inconclusive, with one
    /// wording for every check.
    pub(crate) fn unreadable<T>(&mut self, guideline: &str, subject: &str, field: &Field<T>) {
        match &field.state {
            State::Secret => self.undecided(
                guideline,
                subject,
                &field.at,
                "a secret; export with `pulumi stack export --show-secrets` to check it",
            ),
            State::Invalid(why) => self.undecided(guideline, subject, &field.at, why.clone()),
            State::Set(_) | State::Unset => {}
        }
    }

    /// "no input for subnets (`aws ec2 describe-subnets`)", or, when collection was refused
    /// it, "AccessDenied for ec2:DescribeSubnets (the subnets)".
    pub(crate) fn no_input(&mut self, d: &Deployment, what: &str, input: Input) {
        let input = d.counterpart(input);
        if d.denied.contains_key(&input) {
            let how = self.source(d, input);
            self.missing(format!("{how} ({what})"));
            return;
        }
        if let Some((command, action)) = input.on_azure().filter(|_| d.on_azure()) {
            self.gap.get_or_insert_with(|| {
                Gap::new(
                    format!("no `{command}` output in [config] azure"),
                    format!(
                        "export `{command} -o json` and name the file in [config] azure, or let `[config] collect = [\"azure\"]` read it (Azure RBAC {action}, in ci/azure/netconform-reader-role.json) (docs/environment.md#config)"
                    ),
                )
            });
            self.missing(format!("no input for {what} ({})", d.source(input)));
            return;
        }
        self.gap.get_or_insert_with(|| {
            Gap::new(
                format!("no {} output in [config]", input.source()),
                if input.is_gcp() {
                    format!(
                        "export {} and name the file in [config] gcp (docs/environment.md#config)",
                        input.source()
                    )
                } else {
                    format!(
                        "export {} (`--output json`) and name the file in [config] (docs/environment.md#config)",
                        input.source()
                    )
                },
            )
        });
        self.missing(format!("no input for {what} ({})", input.source()));
    }

    /// How to provide `input`, for a reason: the command to export it or, when collection
    /// was denied it, "AccessDenied for <action>" (and that denial becomes the check's gap).
    pub(crate) fn source(&self, d: &Deployment, input: Input) -> String {
        let input = d.counterpart(input);
        let how = d.source(input);
        if let Some(action) = d.denied.get(&input) {
            let policy = if input == Input::Kubernetes {
                "ci/kubernetes/rbac.yaml lists every permission collection uses"
            } else if input.is_gcp() {
                "ci/gcp/netconform-reader-role.yaml lists every permission collection uses"
            } else if action.starts_with("Microsoft.") {
                "ci/azure/netconform-reader-role.json lists every action collection uses"
            } else {
                "ci/aws/netconform-read-policy.json lists every action collection uses"
            };
            self.denial.borrow_mut().get_or_insert_with(|| {
                Gap::new(
                    format!("collection was denied {action}"),
                    format!("allow {action} to the identity collecting ({policy})"),
                )
            });
        } else if let Some((action, message)) = d.failed.get(&input) {
            self.denial.borrow_mut().get_or_insert_with(|| {
                Gap::new(
                    format!("collection's call for {action} failed: {message}"),
                    format!(
                        "export {} by hand and name the file in [config] (docs/environment.md#config)",
                        input.source()
                    ),
                )
            });
        }
        how
    }

    /// Judges `field` (or `default` when it is unset): `ok` decides; `expected` says what the
    /// guide wants. Returns the value judged.
    pub(crate) fn value<T: Display + Clone>(
        &mut self,
        guideline: &str,
        subject: &str,
        field: &Field<T>,
        default: Option<(T, &str)>,
        expected: &str,
        ok: impl Fn(&T) -> bool,
    ) -> Option<T> {
        let (value, shown) = match (&field.state, default) {
            (State::Set(v), _) => (v.clone(), v.to_string()),
            (State::Unset, Some((d, whose))) => {
                let shown = format!("not set ({whose} default {d})");
                (d, shown)
            }
            (State::Unset, None) => {
                self.error(guideline, subject, &field.at, "not set", expected);
                return None;
            }
            (State::Secret | State::Invalid(_), _) => {
                self.unreadable(guideline, subject, field);
                return None;
            }
        };
        if ok(&value) {
            self.ok(guideline, subject, &field.at, shown, expected);
        } else {
            self.error(guideline, subject, &field.at, shown, expected);
        }
        Some(value)
    }

    pub(crate) fn finish(self) -> Outcome {
        let count = |s| self.findings.iter().filter(|f| f.status == s).count();
        let list = |s: FindingStatus| -> String {
            let shown: Vec<String> = self
                .findings
                .iter()
                .filter(|f| f.status == s)
                .map(ToString::to_string)
                .collect();
            summarize(&shown)
        };
        let errors = count(FindingStatus::Error);
        let warnings = count(FindingStatus::Warning);
        let conforming = count(FindingStatus::Conforms);
        let warned = if warnings > 0 {
            format!(" (warning: {})", list(FindingStatus::Warning))
        } else {
            String::new()
        };
        let (verdict, reason) = if errors > 0 {
            (
                Verdict::Fail,
                format!(
                    "{errors} setting{} against the guide: {}",
                    if errors == 1 { "" } else { "s" },
                    list(FindingStatus::Error)
                ),
            )
        } else if self.undecided > 0 {
            (Verdict::Inconclusive, list(FindingStatus::NotChecked))
        } else if !self.missing.is_empty() || conforming + warnings == 0 {
            let gap = !self.missing.is_empty() || self.inapplicable.is_empty();
            let mut reason = if !self.missing.is_empty() {
                format!("not checked: {}", self.missing.join("; "))
            } else if !self.inapplicable.is_empty() {
                format!("does not apply: {}", self.inapplicable.join("; "))
            } else {
                "not checked: nothing in the inputs for it".to_owned()
            };
            if !self.missing.is_empty() && !self.inapplicable.is_empty() {
                reason.push_str(&format!(
                    "; does not apply: {}",
                    self.inapplicable.join("; ")
                ));
            }
            if conforming > 0 {
                reason.push_str(&format!(
                    "; what was checked conforms: {}",
                    list(FindingStatus::Conforms)
                ));
            }
            let verdict = if gap {
                Verdict::NotChecked
            } else {
                Verdict::NotApplicable
            };
            (verdict, reason)
        } else {
            (
                Verdict::Pass,
                format!("{}{warned}", list(FindingStatus::Conforms)),
            )
        };
        let reason = if self.platforms.is_empty() {
            reason
        } else {
            format!("{reason} [rules applied: {}]", self.platforms.join("; "))
        };
        let mut outcome = Outcome::new(self.check, verdict, reason);
        if verdict == Verdict::NotChecked {
            outcome.gap = Some(self.denial.into_inner().or(self.gap).unwrap_or_else(|| {
                Gap::new(
                    "the exports in [config] do not show it",
                    "export what the reason names and add it to [config] (docs/environment.md#config)",
                )
            }));
        }
        if !self.platforms.is_empty() {
            outcome = outcome.with_evidence(Evidence::Note {
                text: format!(
                    "platform rules applied: {} (what the inputs show the API runs on)",
                    self.platforms.join("; ")
                ),
            });
        }
        for text in self.missing {
            outcome = outcome.with_evidence(Evidence::Note {
                text: format!("not checked: {text}"),
            });
        }
        for text in self.inapplicable {
            outcome = outcome.with_evidence(Evidence::Note {
                text: format!("does not apply: {text}"),
            });
        }
        for finding in self.findings {
            outcome = outcome.with_evidence(finding);
        }
        for text in self.notes {
            outcome = outcome.with_evidence(Evidence::Note { text });
        }
        outcome
    }
}

/// The first three items, then how many more.
fn summarize(items: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut text = items
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if items.len() > SHOWN {
        text.push_str(&format!("; and {} more", items.len() - SHOWN));
    }
    text
}

/// What `Deployment` has no API workload: the note every API check gives then.
pub(crate) fn no_api(judge: &mut Judge, d: &Deployment) {
    if d.denied.contains_key(&Input::Kubernetes) {
        judge.missing(format!(
            "the API's workload: {}",
            judge.source(d, Input::Kubernetes)
        ));
    } else if d.has(Input::Kubernetes)
        || d.has(Input::EcsServices)
        || d.has(Input::AutoScalingGroups)
    {
        judge.missing(
            "no API workload in the inputs (a Deployment, StatefulSet or ECS service running pulumi/service, or named api; an auto-scaling group registered in the API's target group)",
        );
    } else if d.on_azure() {
        judge.missing(format!(
            "no input for the API's workload ({}, or {})",
            Input::Kubernetes.source(),
            d.source(Input::AutoScalingGroups)
        ));
    } else {
        judge.missing(format!(
            "no input for the API's workload ({}, {}, or {})",
            Input::Kubernetes.source(),
            Input::EcsServices.source(),
            Input::AutoScalingGroups.source()
        ));
    }
}

/// The load balancers a check judges: every AWS one; of Google Cloud's forwarding rules, those
/// in front of the API (its backend services' or its records'), so another team's rule or a
/// redirect beside them is left alone (all of them when none is tied to the API).
pub(crate) fn judged_load_balancers<'a>(
    _judge: &mut Judge,
    d: &'a Deployment,
) -> Vec<&'a crate::view::LoadBalancer> {
    let is_gcp = |lb: &crate::view::LoadBalancer| lb.kind.value().is_some_and(|k| k.is_gcp());
    let api: Vec<&crate::view::LoadBalancer> = d
        .api_load_balancers()
        .into_iter()
        .filter(|lb| is_gcp(lb))
        .collect();
    d.load_balancers
        .iter()
        .filter(|lb| !is_gcp(lb) || api.is_empty() || api.iter().any(|a| std::ptr::eq(*a, *lb)))
        .collect()
}

/// Seconds for messages: "130 s".
pub(crate) fn secs(n: u64) -> String {
    format!("{n} s")
}
