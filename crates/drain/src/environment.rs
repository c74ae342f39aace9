//! The restart driver an environment file names (`drain.restart`): a shell command, or a typed
//! driver, each field taken from the environment's settings.

use std::sync::Arc;
use std::time::Duration;

use netconform_model::Environment;
use netconform_model::environment::{Restart, RestartDriverSpec};

use crate::restart::{
    DockerRestart, EcsRestart, KubernetesRestart, RemoteSandboxRestart, RestartDriver, ShellRestart,
};

/// How often the docker driver looks at a restarted container's health.
const DOCKER_POLL: Duration = Duration::from_millis(500);

/// The restart driver `restart` names, as its concrete type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Driver {
    Shell(ShellRestart),
    Kubernetes(KubernetesRestart),
    Ecs(EcsRestart),
    Docker(DockerRestart),
    Sandbox(RemoteSandboxRestart),
}

impl Driver {
    /// The driver `restart` names in `env`: a command runs in the environment file's directory
    /// and, like a container's wait for health, within `drain.max_duration`.
    pub fn for_environment(restart: &Restart, env: &Environment) -> Driver {
        let max_duration = env.drain.max_duration.get();
        match restart {
            Restart::Command(command) => Driver::Shell(ShellRestart {
                command: command.0.clone(),
                cwd: env.base_dir.clone(),
                timeout: max_duration,
            }),
            Restart::Driver(RestartDriverSpec::Kubernetes {
                deployment,
                namespace,
                context,
                kubectl,
                poll,
            }) => Driver::Kubernetes(KubernetesRestart {
                deployment: deployment.clone(),
                namespace: namespace.clone(),
                context: context.clone(),
                kubectl: kubectl.clone(),
                poll: poll.get(),
            }),
            Restart::Driver(RestartDriverSpec::Ecs {
                cluster,
                service,
                region,
                aws,
                poll,
            }) => Driver::Ecs(EcsRestart {
                cluster: cluster.clone(),
                service: service.clone(),
                region: region.clone(),
                aws: aws.clone(),
                poll: poll.get(),
            }),
            Restart::Driver(RestartDriverSpec::Docker {
                containers,
                stop_timeout,
                docker,
            }) => Driver::Docker(DockerRestart {
                containers: containers.clone(),
                stop_timeout: stop_timeout.get(),
                docker: docker.clone(),
                poll: DOCKER_POLL,
                healthy_within: max_duration,
            }),
            Restart::Driver(RestartDriverSpec::Sandbox { url }) => {
                Driver::Sandbox(RemoteSandboxRestart { url: url.clone() })
            }
        }
    }

    /// The driver, to run.
    pub fn into_dyn(self) -> Arc<dyn RestartDriver> {
        match self {
            Driver::Shell(d) => Arc::new(d),
            Driver::Kubernetes(d) => Arc::new(d),
            Driver::Ecs(d) => Arc::new(d),
            Driver::Docker(d) => Arc::new(d),
            Driver::Sandbox(d) => Arc::new(d),
        }
    }
}

/// The restart driver `restart` names in `env`, to run.
pub fn restart_driver(restart: &Restart, env: &Environment) -> Arc<dyn RestartDriver> {
    Driver::for_environment(restart, env).into_dyn()
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;

    /// The driver of an environment file whose `[drain]` section is `drain`.
    fn check(drain: &str, want: Driver) {
        let text = format!("domain = \"example.com\"\n\n[drain]\nmax_duration = \"7m\"\n{drain}");
        let env = Environment::from_toml(&text, Path::new("/srv/netconform/env.toml"))
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        let restart = env.drain.restart.as_ref().expect("a restart");
        assert_eq!(Driver::for_environment(restart, &env), want, "{drain}");
    }

    const MAX_DURATION: Duration = Duration::from_secs(7 * 60);

    #[test]
    fn a_command_runs_in_the_files_directory_within_max_duration() {
        check(
            "restart = \"kubectl rollout restart deploy/api\"\n",
            Driver::Shell(ShellRestart {
                command: "kubectl rollout restart deploy/api".into(),
                cwd: PathBuf::from("/srv/netconform"),
                timeout: MAX_DURATION,
            }),
        );
    }

    #[test]
    fn kubernetes_takes_every_field() {
        check(
            "[drain.restart]\nkind = \"kubernetes\"\ndeployment = \"api\"\nnamespace = \"pulumi\"\ncontext = \"prod\"\nkubectl = \"/opt/kubectl\"\npoll = \"3s\"\n",
            Driver::Kubernetes(KubernetesRestart {
                deployment: "api".into(),
                namespace: "pulumi".into(),
                context: Some("prod".into()),
                kubectl: "/opt/kubectl".into(),
                poll: Duration::from_secs(3),
            }),
        );
        check(
            "[drain.restart]\nkind = \"kubernetes\"\ndeployment = \"api\"\n",
            Driver::Kubernetes(KubernetesRestart {
                deployment: "api".into(),
                namespace: "default".into(),
                context: None,
                kubectl: "kubectl".into(),
                poll: Duration::from_secs(2),
            }),
        );
    }

    #[test]
    fn ecs_takes_every_field() {
        check(
            "[drain.restart]\nkind = \"ecs\"\ncluster = \"pulumi\"\nservice = \"api\"\nregion = \"eu-west-1\"\naws = \"/opt/aws\"\npoll = \"5s\"\n",
            Driver::Ecs(EcsRestart {
                cluster: "pulumi".into(),
                service: "api".into(),
                region: Some("eu-west-1".into()),
                aws: "/opt/aws".into(),
                poll: Duration::from_secs(5),
            }),
        );
    }

    #[test]
    fn docker_waits_for_health_within_max_duration() {
        check(
            "[drain.restart]\nkind = \"docker\"\ncontainers = [\"api-a\", \"api-b\"]\nstop_timeout = \"130s\"\ndocker = \"podman\"\n",
            Driver::Docker(DockerRestart {
                containers: vec!["api-a".into(), "api-b".into()],
                stop_timeout: Duration::from_secs(130),
                docker: "podman".into(),
                poll: DOCKER_POLL,
                healthy_within: MAX_DURATION,
            }),
        );
    }

    #[test]
    fn sandbox_is_its_control_endpoint() {
        check(
            "[drain.restart]\nkind = \"sandbox\"\nurl = \"http://127.0.0.1:8080/rolling-restart\"\n",
            Driver::Sandbox(RemoteSandboxRestart {
                url: "http://127.0.0.1:8080/rolling-restart".into(),
            }),
        );
    }
}
