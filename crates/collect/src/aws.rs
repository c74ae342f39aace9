//! Discovery over the AWS CLI, from the domain to the deployment's resources, each list
//! filtered to the deployment before it is written.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use netconform_model::Environment;
use netconform_model::environment::RecordLabel;
use serde_json::{Value, json};

use crate::CollectError;
use crate::command::{AwsCli, CallError, action_of};
use crate::manifest::{Call, Manifest};

/// The file naming the denied calls and the CLI output each would have fed.
pub const DENIED_FILE: &str = "denied.json";

/// Calls made at once, at most.
const AT_ONCE: usize = 4;

/// A name as compared: lowercase, no trailing dot, no `dualstack.` prefix (Route 53 aliases
/// to an ALB are written `dualstack.<its DNS name>`).
pub(crate) fn plain(name: &str) -> String {
    let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
    name.strip_prefix("dualstack.")
        .map_or(name.clone(), str::to_owned)
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn items<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

/// One collection run: the CLI, where files go, and what was done.
struct Run<'a> {
    cli: &'a AwsCli,
    out: &'a Path,
    manifest: Manifest,
    on_line: &'a (dyn Fn(&str) + Sync),
    /// The denied calls, as `denied.json` records them.
    denied: Vec<Value>,
}

/// The CLI output a call's answer feeds, as the readers know it (`aws elbv2
/// describe-target-groups`): a list call stands for the describe call it leads to.
fn feeds(service: &str, operation: &str) -> Option<String> {
    match (service, operation) {
        ("sts", _) => None,
        ("route53", "list-hosted-zones-by-name") => {
            Some("aws route53 list-resource-record-sets".to_owned())
        }
        ("ecs", "list-clusters" | "list-services") => Some("aws ecs describe-services".to_owned()),
        _ => Some(format!("aws {service} {operation}")),
    }
}

/// What one call is: service, operation, arguments, and why it is made.
struct Ask {
    service: &'static str,
    operation: &'static str,
    args: Vec<String>,
    scope: String,
}

fn ask(
    service: &'static str,
    operation: &'static str,
    args: &[&str],
    scope: impl Into<String>,
) -> Ask {
    Ask {
        service,
        operation,
        args: args.iter().map(|a| (*a).to_owned()).collect(),
        scope: scope.into(),
    }
}

impl Ask {
    fn command(&self) -> String {
        let mut parts = vec![
            "aws".to_owned(),
            self.service.to_owned(),
            self.operation.to_owned(),
        ];
        parts.extend(self.args.iter().cloned());
        parts.join(" ")
    }
}

impl Run<'_> {
    /// Makes `asks` at most [`AT_ONCE`] at a time; the answers in order, each recorded (with
    /// its place in the manifest, for [`Run::write`]).
    async fn calls(&mut self, asks: Vec<Ask>) -> Vec<(usize, Result<Value, CallError>)> {
        use futures::StreamExt as _;
        let cli = self.cli;
        let answers: Vec<(Ask, Result<Value, CallError>, f64)> =
            futures::stream::iter(asks.into_iter().map(|a| async move {
                let started = Instant::now();
                let answer = cli.call(a.service, a.operation, &a.args).await;
                (a, answer, started.elapsed().as_secs_f64() * 1000.0)
            }))
            .buffered(AT_ONCE)
            .collect()
            .await;
        answers
            .into_iter()
            .map(|(a, answer, elapsed_ms)| {
                let result = match &answer {
                    Ok(_) => "ok".to_owned(),
                    Err(e @ CallError::Denied { .. }) => format!("denied: {e}"),
                    Err(e) => format!("failed: {e}"),
                };
                if answer.is_err() {
                    (self.on_line)(&format!("  {}: {result}", a.command()));
                }
                if let (Err(CallError::Denied { action, .. }), Some(feeds)) =
                    (&answer, feeds(a.service, a.operation))
                {
                    let entry = json!({ "Feeds": feeds, "Action": action, "Command": a.command() });
                    let known = self.denied.iter().any(|d| {
                        d.get("Feeds") == entry.get("Feeds")
                            && d.get("Action") == entry.get("Action")
                    });
                    if !known {
                        self.denied.push(entry);
                    }
                }
                self.manifest.calls.push(Call {
                    command: a.command(),
                    action: action_of(a.service, a.operation),
                    scope: a.scope,
                    result,
                    file: None,
                    elapsed_ms,
                });
                (self.manifest.calls.len() - 1, answer)
            })
            .collect()
    }

    async fn call(&mut self, a: Ask) -> (usize, Result<Value, CallError>) {
        self.calls(vec![a]).await.remove(0)
    }

    /// The strings of the list `key` a list call answers (cluster ARNs, names); `None` when
    /// it gave no answer.
    async fn names(&mut self, a: Ask, key: &str) -> Option<Vec<String>> {
        let (_, answer) = self.call(a).await;
        let answer = answer.ok()?;
        Some(
            items(&answer, key)
                .filter_map(|c| c.as_str().map(str::to_owned))
                .collect(),
        )
    }

    /// Writes `doc` as `name` and notes it on call `at`; `kept` says what of the answer it
    /// holds.
    fn write(
        &mut self,
        at: usize,
        name: &str,
        doc: &Value,
        kept: &str,
    ) -> Result<(), CollectError> {
        crate::write_json(&self.out.join(name), doc)?;
        if let Some(call) = self.manifest.calls.get_mut(at) {
            call.file = Some(name.to_owned());
            call.result = format!("ok: {kept}");
        }
        self.manifest.files.push(name.to_owned());
        (self.on_line)(&format!("  {name}: {kept}"));
        Ok(())
    }

    /// A missing CLI stops collection: nothing else can run.
    fn fatal(answer: &Result<Value, CallError>) -> Result<(), CollectError> {
        match answer {
            Err(e @ CallError::Missing { .. }) => Err(CollectError::Cli(e.clone())),
            _ => Ok(()),
        }
    }
}

/// The deployment's configuration from the account, into `out` (created); the manifest of
/// what was done is returned (the caller writes it beside, [`Manifest::write`], so `out` holds
/// only what `[config] aws` reads). `on_line` shows progress; `started_at` is the RFC 3339
/// time it began.
pub async fn collect_aws(
    env: &Environment,
    cli: &AwsCli,
    out: &Path,
    started_at: String,
    on_line: &(dyn Fn(&str) + Sync),
) -> Result<Manifest, CollectError> {
    std::fs::create_dir_all(out).map_err(|e| CollectError::Write {
        path: out.display().to_string(),
        why: e.to_string(),
    })?;
    let domain = env.domain.to_string();
    let mut run = Run {
        cli,
        out,
        manifest: Manifest {
            region: cli.region.clone(),
            profile: cli.profile.clone(),
            ..Manifest::new(&domain, started_at)
        },
        on_line,
        denied: Vec::new(),
    };
    let (_, identity) = run
        .call(ask(
            "sts",
            "get-caller-identity",
            &[],
            "the account the credentials belong to",
        ))
        .await;
    Run::fatal(&identity)?;
    run.manifest.account = identity.ok().and_then(|v| text(&v, "Account"));

    let lb_names = records(&mut run, env).await?;
    let lbs = load_balancers(&mut run, &lb_names).await?;
    let target_groups = target_groups(&mut run, &lbs).await?;
    ecs(&mut run, &target_groups).await?;
    auto_scaling_groups(&mut run, &target_groups).await?;
    let vpcs: BTreeSet<String> = lbs.iter().filter_map(|lb| text(lb, "VpcId")).collect();
    let subnets = network(&mut run, &vpcs).await?;
    node_groups(&mut run, &subnets).await?;
    databases(&mut run, &vpcs).await?;
    if !run.denied.is_empty() {
        // What the readers could not be given, and why: the checks that need it say
        // "not checked: AccessDenied for <action>" instead of "no input".
        let doc = json!({ "NetconformDenied": run.denied.clone() });
        crate::write_json(&out.join(DENIED_FILE), &doc)?;
        run.manifest.files.push(DENIED_FILE.to_owned());
    }
    Ok(run.manifest)
}

/// The hosted zone of the domain and its api/app records; the load balancer names they (and
/// `dns.load_balancer`) lead to.
async fn records(run: &mut Run<'_>, env: &Environment) -> Result<BTreeSet<String>, CollectError> {
    let domain = plain(&env.domain.to_string());
    let wanted: Vec<String> = ["api", "app"]
        .iter()
        .map(|l| format!("{l}.{domain}"))
        .collect();
    let names: BTreeSet<String> = [RecordLabel::Api, RecordLabel::App]
        .into_iter()
        .filter_map(|label| env.load_balancer_for(label).name)
        .map(|n| plain(&n.to_string()))
        .collect();
    let mut names = names;
    let (_, zones) = run
        .call(ask(
            "route53",
            "list-hosted-zones-by-name",
            &["--dns-name", &domain],
            format!("the hosted zone of {domain}"),
        ))
        .await;
    Run::fatal(&zones)?;
    // The zone whose name is the longest suffix of the records' names.
    let zone = zones.ok().and_then(|z| {
        items(&z, "HostedZones")
            .filter(|zone| {
                let name = plain(&text(zone, "Name").unwrap_or_default());
                wanted
                    .iter()
                    .all(|w| w == &name || w.ends_with(&format!(".{name}")))
            })
            .max_by_key(|zone| text(zone, "Name").unwrap_or_default().len())
            .cloned()
    });
    let Some(zone) = zone else {
        (run.on_line)(&format!(
            "  no hosted zone of {domain} in this account: records not collected"
        ));
        return Ok(names);
    };
    let id = text(&zone, "Id").unwrap_or_default();
    let id = id.trim_start_matches("/hostedzone/").to_owned();
    let (at, answer) = run
        .call(ask(
            "route53",
            "list-resource-record-sets",
            &["--hosted-zone-id", &id],
            format!("the api and app records of {domain}"),
        ))
        .await;
    if let Ok(sets) = answer {
        let all: Vec<&Value> = items(&sets, "ResourceRecordSets").collect();
        let kept: Vec<Value> = all
            .iter()
            .filter(|r| wanted.contains(&plain(&text(r, "Name").unwrap_or_default())))
            .map(|r| (*r).clone())
            .collect();
        for r in &kept {
            if let Some(target) = r.get("AliasTarget").and_then(|a| text(a, "DNSName")) {
                names.insert(plain(&target));
            }
            if text(r, "Type").as_deref() == Some("CNAME") {
                for value in items(r, "ResourceRecords").filter_map(|v| text(v, "Value")) {
                    names.insert(plain(&value));
                }
            }
        }
        let summary = format!("{} of {} records (api and app)", kept.len(), all.len());
        run.write(
            at,
            "records.json",
            &json!({ "ResourceRecordSets": kept }),
            &summary,
        )?;
    }
    Ok(names)
}

/// The load balancers the records lead to, of all the account's.
async fn load_balancers(
    run: &mut Run<'_>,
    names: &BTreeSet<String>,
) -> Result<Vec<Value>, CollectError> {
    let list = ask(
        "elbv2",
        "describe-load-balancers",
        &[],
        "the load balancers api and app lead to (kept by DNS name)",
    );
    let (at, Ok(all)) = run.call(list).await else {
        return Ok(Vec::new());
    };
    let all: Vec<&Value> = items(&all, "LoadBalancers").collect();
    let kept: Vec<Value> = all
        .iter()
        .filter(|lb| names.contains(&plain(&text(lb, "DNSName").unwrap_or_default())))
        .map(|lb| (*lb).clone())
        .collect();
    let summary = format!(
        "{} of {} load balancers (leading from {})",
        kept.len(),
        all.len(),
        if names.is_empty() {
            "no name".to_owned()
        } else {
            names.iter().cloned().collect::<Vec<_>>().join(", ")
        }
    );
    run.write(
        at,
        "load-balancers.json",
        &json!({ "LoadBalancers": kept }),
        &summary,
    )?;
    let asks = kept
        .iter()
        .filter_map(|lb| text(lb, "LoadBalancerArn"))
        .map(|arn| {
            ask(
                "elbv2",
                "describe-load-balancer-attributes",
                &["--load-balancer-arn", &arn],
                format!("deletion protection of {arn}"),
            )
        })
        .collect();
    let answers = run.calls(asks).await;
    for (i, (lb, (at, answer))) in kept.iter().zip(answers).enumerate() {
        if let Ok(mut attributes) = answer {
            attributes["LoadBalancerArn"] = json!(text(lb, "LoadBalancerArn"));
            let name = format!("load-balancer-attributes-{}.json", i + 1);
            run.write(at, &name, &attributes, "its attributes")?;
        }
    }
    Ok(kept)
}

/// The target groups of the load balancers, and each one's attributes.
async fn target_groups(run: &mut Run<'_>, lbs: &[Value]) -> Result<Vec<Value>, CollectError> {
    let asks = lbs
        .iter()
        .filter_map(|lb| text(lb, "LoadBalancerArn"))
        .map(|arn| {
            ask(
                "elbv2",
                "describe-target-groups",
                &["--load-balancer-arn", &arn],
                format!("the target groups of {arn}"),
            )
        })
        .collect();
    let mut groups: Vec<Value> = Vec::new();
    let answers = run.calls(asks).await;
    let first = answers.first().map(|(at, _)| *at);
    for (_, answer) in answers {
        if let Ok(answer) = answer {
            for tg in items(&answer, "TargetGroups") {
                if !groups
                    .iter()
                    .any(|g| text(g, "TargetGroupArn") == text(tg, "TargetGroupArn"))
                {
                    groups.push(tg.clone());
                }
            }
        }
    }
    let Some(first) = first else {
        return Ok(groups);
    };
    let summary = format!("{} target groups of the load balancers", groups.len());
    run.write(
        first,
        "target-groups.json",
        &json!({ "TargetGroups": groups }),
        &summary,
    )?;
    let asks = groups
        .iter()
        .filter_map(|tg| text(tg, "TargetGroupArn"))
        .map(|arn| {
            ask(
                "elbv2",
                "describe-target-group-attributes",
                &["--target-group-arn", &arn],
                format!("the deregistration delay of {arn}"),
            )
        })
        .collect();
    let answers = run.calls(asks).await;
    for (tg, (at, answer)) in groups.iter().zip(answers) {
        if let Ok(mut attributes) = answer {
            attributes["TargetGroupArn"] = json!(text(tg, "TargetGroupArn"));
            let name = text(tg, "TargetGroupName").unwrap_or_else(|| "target-group".into());
            let file = format!("target-group-attributes-{name}.json");
            run.write(at, &file, &attributes, "its attributes")?;
        }
    }
    Ok(groups)
}

fn arns(groups: &[Value]) -> BTreeSet<String> {
    groups
        .iter()
        .filter_map(|g| text(g, "TargetGroupArn"))
        .collect()
}

/// The ECS services registered in the target groups, their task definitions, scaling and
/// capacity providers.
async fn ecs(run: &mut Run<'_>, groups: &[Value]) -> Result<(), CollectError> {
    let wanted = arns(groups);
    if wanted.is_empty() {
        return Ok(());
    }
    let list = ask(
        "ecs",
        "list-clusters",
        &[],
        "the clusters that may run the deployment's services",
    );
    let Some(clusters) = run.names(list, "clusterArns").await else {
        return Ok(());
    };
    let asks = clusters
        .iter()
        .map(|c| {
            ask(
                "ecs",
                "list-services",
                &["--cluster", c],
                format!("the services of {c}"),
            )
        })
        .collect();
    let lists = run.calls(asks).await;
    let mut describe = Vec::new();
    for (cluster, (_, list)) in clusters.iter().zip(lists) {
        let Ok(list) = list else { continue };
        let services: Vec<String> = items(&list, "serviceArns")
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect();
        for chunk in services.chunks(10) {
            let mut args = vec![
                "--cluster".to_owned(),
                cluster.clone(),
                "--services".to_owned(),
            ];
            args.extend(chunk.iter().cloned());
            describe.push(Ask {
                service: "ecs",
                operation: "describe-services",
                args,
                scope: format!(
                    "the services of {cluster} (kept when they register in the target groups)"
                ),
            });
        }
    }
    let mut seen = 0;
    let mut kept: Vec<Value> = Vec::new();
    let answers = run.calls(describe).await;
    let first = answers.first().map_or(0, |(at, _)| *at);
    for answer in answers.into_iter().filter_map(|(_, a)| a.ok()) {
        for s in items(&answer, "services") {
            seen += 1;
            let registers = items(s, "loadBalancers")
                .filter_map(|lb| text(lb, "targetGroupArn"))
                .any(|arn| wanted.contains(&arn));
            if registers {
                kept.push(s.clone());
            }
        }
    }
    if kept.is_empty() {
        return Ok(());
    }
    let summary = format!(
        "{} of {seen} services (those registering in the target groups)",
        kept.len()
    );
    run.write(
        first,
        "services.json",
        &json!({ "services": kept }),
        &summary,
    )?;
    let task_definitions: BTreeSet<String> = kept
        .iter()
        .filter_map(|s| text(s, "taskDefinition"))
        .collect();
    let asks = task_definitions
        .iter()
        .map(|td| {
            ask(
                "ecs",
                "describe-task-definition",
                &["--task-definition", td],
                format!("the task definition {td}"),
            )
        })
        .collect();
    let answers = run.calls(asks).await;
    for (i, (at, answer)) in answers.into_iter().enumerate() {
        if let Ok(td) = answer {
            let file = format!("task-definition-{}.json", i + 1);
            run.write(at, &file, &td, "the task definition")?;
        }
    }
    let resource_ids: Vec<String> = kept
        .iter()
        .filter_map(|s| {
            let cluster = text(s, "clusterArn")?;
            let cluster = cluster.rsplit('/').next()?.to_owned();
            Some(format!("service/{cluster}/{}", text(s, "serviceName")?))
        })
        .collect();
    let mut args = vec![
        "--service-namespace".to_owned(),
        "ecs".to_owned(),
        "--resource-ids".to_owned(),
    ];
    args.extend(resource_ids.iter().cloned());
    let (at, targets) = run
        .call(Ask {
            service: "application-autoscaling",
            operation: "describe-scalable-targets",
            args,
            scope: "the services' scaling bounds".into(),
        })
        .await;
    if let Ok(targets) = targets {
        let n = items(&targets, "ScalableTargets").count();
        run.write(
            at,
            "scalable-targets.json",
            &targets,
            &format!("{n} scalable targets"),
        )?;
    }
    let asks = resource_ids
        .iter()
        .map(|id| {
            ask(
                "application-autoscaling",
                "describe-scaling-policies",
                &["--service-namespace", "ecs", "--resource-id", id],
                format!("the scaling policies of {id}"),
            )
        })
        .collect();
    let mut policies = Vec::new();
    let answers = run.calls(asks).await;
    let first = answers.first().map(|(at, _)| *at);
    for answer in answers.into_iter().filter_map(|(_, a)| a.ok()) {
        policies.extend(items(&answer, "ScalingPolicies").cloned());
    }
    if let Some(first) = first {
        let summary = format!("{} scaling policies", policies.len());
        let doc = json!({ "ScalingPolicies": policies });
        run.write(first, "scaling-policies.json", &doc, &summary)?;
    }
    let providers: BTreeSet<String> = kept
        .iter()
        .flat_map(|s| items(s, "capacityProviderStrategy"))
        .filter_map(|c| text(c, "capacityProvider"))
        .filter(|p| !p.starts_with("FARGATE"))
        .collect();
    if !providers.is_empty() {
        let mut args = vec!["--capacity-providers".to_owned()];
        args.extend(providers.iter().cloned());
        let (at, answer) = run
            .call(Ask {
                service: "ecs",
                operation: "describe-capacity-providers",
                args,
                scope: "the services' capacity providers".into(),
            })
            .await;
        if let Ok(answer) = answer {
            run.write(
                at,
                "capacity-providers.json",
                &answer,
                "the capacity providers",
            )?;
        }
    }
    Ok(())
}

/// The auto-scaling groups registered in the target groups (VMs, or ECS on EC2), their
/// policies and lifecycle hooks.
async fn auto_scaling_groups(run: &mut Run<'_>, groups: &[Value]) -> Result<(), CollectError> {
    let wanted = arns(groups);
    if wanted.is_empty() {
        return Ok(());
    }
    let (at, Ok(all)) = run
        .call(ask(
            "autoscaling",
            "describe-auto-scaling-groups",
            &[],
            "the auto-scaling groups (kept when they register in the target groups)",
        ))
        .await
    else {
        return Ok(());
    };
    let all: Vec<&Value> = items(&all, "AutoScalingGroups").collect();
    let kept: Vec<Value> = all
        .iter()
        .filter(|g| {
            items(g, "TargetGroupARNs")
                .filter_map(Value::as_str)
                .any(|a| wanted.contains(a))
        })
        .map(|g| (*g).clone())
        .collect();
    if kept.is_empty() {
        return Ok(());
    }
    let summary = format!("{} of {} auto-scaling groups", kept.len(), all.len());
    run.write(
        at,
        "auto-scaling-groups.json",
        &json!({ "AutoScalingGroups": kept }),
        &summary,
    )?;
    for (i, name) in kept
        .iter()
        .filter_map(|g| text(g, "AutoScalingGroupName"))
        .enumerate()
    {
        let answers = run
            .calls(vec![
                ask(
                    "autoscaling",
                    "describe-policies",
                    &["--auto-scaling-group-name", &name],
                    format!("the scaling policies of {name}"),
                ),
                ask(
                    "autoscaling",
                    "describe-lifecycle-hooks",
                    &["--auto-scaling-group-name", &name],
                    format!("the lifecycle hooks of {name}"),
                ),
            ])
            .await;
        let mut answers = answers.into_iter();
        if let Some((at, Ok(policies))) = answers.next() {
            let file = format!("asg-policies-{}.json", i + 1);
            run.write(at, &file, &policies, "its scaling policies")?;
        }
        if let Some((at, Ok(hooks))) = answers.next() {
            let file = format!("asg-lifecycle-hooks-{}.json", i + 1);
            run.write(at, &file, &hooks, "its lifecycle hooks")?;
        }
    }
    Ok(())
}

/// The VPC the load balancer is in: its subnets, route tables, NAT gateways and endpoints.
/// Returns the ids of its subnets.
async fn network(
    run: &mut Run<'_>,
    vpcs: &BTreeSet<String>,
) -> Result<BTreeSet<String>, CollectError> {
    let mut subnets = BTreeSet::new();
    if vpcs.is_empty() {
        return Ok(subnets);
    }
    let ids = vpcs.iter().cloned().collect::<Vec<_>>().join(",");
    let filter = format!("Name=vpc-id,Values={ids}");
    let scope = format!("the deployment's VPC ({ids})");
    let asks = vec![
        ask(
            "ec2",
            "describe-subnets",
            &["--filters", &filter],
            scope.clone(),
        ),
        ask(
            "ec2",
            "describe-route-tables",
            &["--filters", &filter],
            scope.clone(),
        ),
        ask(
            "ec2",
            "describe-nat-gateways",
            &["--filter", &filter],
            scope.clone(),
        ),
        ask(
            "ec2",
            "describe-vpc-endpoints",
            &["--filters", &filter],
            scope.clone(),
        ),
    ];
    let files = [
        ("subnets.json", "Subnets"),
        ("route-tables.json", "RouteTables"),
        ("nat-gateways.json", "NatGateways"),
        ("vpc-endpoints.json", "VpcEndpoints"),
    ];
    let answers = run.calls(asks).await;
    for ((at, answer), (file, key)) in answers.into_iter().zip(files) {
        if let Ok(answer) = answer {
            let n = items(&answer, key).count();
            if key == "Subnets" {
                subnets.extend(items(&answer, key).filter_map(|s| text(s, "SubnetId")));
            }
            run.write(at, file, &answer, &format!("{n} in the VPC"))?;
        }
    }
    Ok(subnets)
}

/// The EKS clusters in the deployment's VPC (told by their subnets) and their managed node
/// groups: the nodes the API's pods run on.
async fn node_groups(run: &mut Run<'_>, subnets: &BTreeSet<String>) -> Result<(), CollectError> {
    if subnets.is_empty() {
        return Ok(());
    }
    let list = ask(
        "eks",
        "list-clusters",
        &[],
        "the EKS clusters (kept when in the deployment's VPC)",
    );
    let Some(names) = run.names(list, "clusters").await else {
        return Ok(());
    };
    let in_vpc = |subnet_ids: &Value| {
        subnet_ids.as_array().is_some_and(|ids| {
            ids.iter()
                .filter_map(Value::as_str)
                .any(|id| subnets.contains(id))
        })
    };
    let asks = names
        .iter()
        .map(|n| {
            ask(
                "eks",
                "describe-cluster",
                &["--name", n],
                format!("the VPC of cluster {n}"),
            )
        })
        .collect();
    let answers = run.calls(asks).await;
    let clusters: Vec<String> = names
        .iter()
        .zip(answers)
        .filter(|(_, (_, a))| {
            a.as_ref()
                .is_ok_and(|c| in_vpc(&c["cluster"]["resourcesVpcConfig"]["subnetIds"]))
        })
        .map(|(n, _)| n.clone())
        .collect();
    let asks = clusters
        .iter()
        .map(|c| {
            ask(
                "eks",
                "list-nodegroups",
                &["--cluster-name", c],
                format!("the node groups of cluster {c}"),
            )
        })
        .collect();
    let lists = run.calls(asks).await;
    let mut describe = Vec::new();
    for (cluster, (_, list)) in clusters.iter().zip(lists) {
        let Ok(list) = list else { continue };
        for group in items(&list, "nodegroups").filter_map(Value::as_str) {
            describe.push(ask(
                "eks",
                "describe-nodegroup",
                &["--cluster-name", cluster, "--nodegroup-name", group],
                format!("node group {group} of cluster {cluster}"),
            ));
        }
    }
    let answers = run.calls(describe).await;
    for (at, answer) in answers {
        if let Ok(group) = answer {
            if !in_vpc(&group["nodegroup"]["subnets"]) {
                continue;
            }
            let cluster = group["nodegroup"]["clusterName"]
                .as_str()
                .unwrap_or("cluster");
            let name = group["nodegroup"]["nodegroupName"]
                .as_str()
                .unwrap_or("group");
            let file = format!("nodegroup-{cluster}-{name}.json");
            run.write(at, &file, &group, "the node group")?;
        }
    }
    Ok(())
}

/// The database instances in the deployment's VPC, of all the account's.
async fn databases(run: &mut Run<'_>, vpcs: &BTreeSet<String>) -> Result<(), CollectError> {
    if vpcs.is_empty() {
        return Ok(());
    }
    let (at, Ok(all)) = run
        .call(ask(
            "rds",
            "describe-db-instances",
            &[],
            "the databases (kept when in the deployment's VPC)",
        ))
        .await
    else {
        return Ok(());
    };
    let all: Vec<&Value> = items(&all, "DBInstances").collect();
    let kept: Vec<Value> = all
        .iter()
        .filter(|db| {
            db.get("DBSubnetGroup")
                .and_then(|g| text(g, "VpcId"))
                .is_some_and(|v| vpcs.contains(&v))
        })
        .map(|db| (*db).clone())
        .collect();
    let summary = format!(
        "{} of {} database instances (in the VPC)",
        kept.len(),
        all.len()
    );
    run.write(
        at,
        "db-instances.json",
        &json!({ "DBInstances": kept }),
        &summary,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_as_dns_does() {
        assert_eq!(
            plain("dualstack.LB-1.us-east-1.elb.amazonaws.com."),
            "lb-1.us-east-1.elb.amazonaws.com"
        );
        assert_eq!(plain("api.example.com"), "api.example.com");
    }
}
