//! The replicas and their rolling restart: one zone at a time, a new replica first, the old one
//! stopped only once the new one is healthy in the load balancer (Kubernetes' default
//! `maxSurge: 1, maxUnavailable: 0` for two replicas). Stopping a replica sends it the stop
//! signal and, after the deregistration lag, takes it out of the load balancer's rotation, as
//! endpoint removal runs beside SIGTERM in Kubernetes.

use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};

use netconform_model::{RestartEvent, RestartEventKind};
use tokio::sync::{Mutex, mpsc};

use crate::balancer::Balancer;
use crate::replica::{Behaviour, OnStop, Replica};
use crate::{SandboxError, Timing, Variant};

pub(crate) struct State {
    balancer: Balancer,
    zones: Vec<(String, IpAddr)>,
    timing: Timing,
    variant: Option<Variant>,
    /// One replica per zone, in zone order. Locked for a whole rollout: one at a time.
    replicas: Mutex<Vec<Replica>>,
    /// Replicas of the `stray-target` variant, kept running.
    strays: Mutex<Vec<Replica>>,
    next_id: AtomicUsize,
}

impl State {
    pub(crate) fn new(
        balancer: Balancer,
        zones: Vec<(String, IpAddr)>,
        timing: Timing,
        variant: Option<Variant>,
    ) -> State {
        State {
            balancer,
            zones,
            timing,
            variant,
            replicas: Mutex::new(Vec::new()),
            strays: Mutex::new(Vec::new()),
            next_id: AtomicUsize::new(1),
        }
    }

    /// How the replicas behave; `fresh` for a replica a rollout starts (it boots).
    fn behaviour(&self, fresh: bool) -> Behaviour {
        let zero = std::time::Duration::ZERO;
        let variant = self.variant;
        let timing = &self.timing;
        Behaviour {
            status: if variant == Some(Variant::Status500) {
                500
            } else {
                200
            },
            booting_for: match variant {
                Some(Variant::Status503Then200) => timing.boot_time,
                Some(Variant::NewBeforeReady) if fresh => timing.boot_time,
                _ => zero,
            },
            status_delay: if variant == Some(Variant::SlowHealth) {
                timing.slow_health_delay
            } else {
                zero
            },
            healthy_while_draining: variant == Some(Variant::ReadyStays200),
            idle_close: (variant == Some(Variant::BackendKeepaliveShorterThanLb))
                .then_some(timing.short_keepalive),
            close_when_stopping: variant != Some(Variant::KeepaliveLeak),
            on_stop: match variant {
                Some(Variant::ExitOnSigterm) => OnStop::ExitAtOnce,
                Some(Variant::NoDrainDelay) => OnStop::Graceful {
                    drain_delay: zero,
                    stop_timeout: timing.stop_timeout,
                },
                Some(Variant::StopTimeoutTooShort) => OnStop::Graceful {
                    drain_delay: timing.drain_delay,
                    stop_timeout: timing.short_stop_timeout,
                },
                _ => OnStop::Graceful {
                    drain_delay: timing.drain_delay,
                    stop_timeout: timing.stop_timeout,
                },
            },
        }
    }

    /// Whether the sandbox waits, when it starts, until the load balancer routes to the
    /// replicas: not when the variant keeps them from passing their health check (at all, or
    /// at first, to be probed "at once").
    fn wait_for_health_at_start(&self) -> bool {
        !matches!(
            self.variant,
            Some(Variant::Status500 | Variant::SlowHealth | Variant::Status503Then200)
        )
    }

    async fn start_replica(
        &self,
        zone: &str,
        ip: IpAddr,
        fresh: bool,
    ) -> Result<Replica, SandboxError> {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        let id = format!("{zone}/api-{n}");
        let replica = Replica::start(id, zone, ip, self.behaviour(fresh))
            .await
            .map_err(|source| SandboxError::Bind {
                what: "an API replica",
                addr: std::net::SocketAddr::new(ip, 0),
                source,
            })?;
        self.balancer.register(&replica.id, replica.addr);
        Ok(replica)
    }

    /// Starts one replica per zone and waits until the load balancer routes to them.
    pub(crate) async fn bring_up(&self) -> Result<(), SandboxError> {
        let mut replicas = self.replicas.lock().await;
        for (zone, ip) in &self.zones {
            replicas.push(self.start_replica(zone, *ip, false).await?);
        }
        if self.wait_for_health_at_start() {
            for r in replicas.iter() {
                if !self
                    .balancer
                    .wait_healthy(&r.id, self.timing.healthy_timeout)
                    .await
                {
                    return Err(SandboxError::NotHealthy {
                        id: r.id.clone(),
                        timeout: self.timing.healthy_timeout,
                    });
                }
            }
        }
        Ok(())
    }

    pub(crate) async fn rolling_restart(
        &self,
        events: &mpsc::UnboundedSender<RestartEvent>,
    ) -> Result<(), SandboxError> {
        let emit = |kind, instance: Option<&str>, detail: Option<String>| {
            let mut ev = RestartEvent::now(kind, instance.map(str::to_owned));
            ev.detail = detail;
            let _ = events.send(ev);
        };
        let mut replicas = self.replicas.lock().await;
        emit(RestartEventKind::RolloutBegun, None, None);
        if self.variant == Some(Variant::StrayTarget) {
            // An old deployment's replica, registered behind everyone's back (no event).
            let (_, ip) = self.zones[0].clone();
            let stray = Replica::start("zone-x/api-0".into(), "zone-x", ip, self.behaviour(false))
                .await
                .map_err(|source| SandboxError::Bind {
                    what: "a stray replica",
                    addr: std::net::SocketAddr::new(ip, 0),
                    source,
                })?;
            self.balancer.register(&stray.id, stray.addr);
            self.strays.lock().await.push(stray);
        }
        if self.variant == Some(Variant::CapacityToZero) {
            // Recreate: every old replica stops together, then the new ones start.
            let olds = std::mem::take(&mut *replicas);
            let stops = olds.into_iter().map(|old| self.stop_old(old, &emit));
            futures::future::join_all(stops).await;
            for (zone, ip) in self.zones.clone() {
                replicas.push(self.start_new(&zone, ip, &emit).await?);
            }
        } else {
            // Rolling: per zone, a new replica first, the old one once the new is healthy.
            for slot in 0..replicas.len() {
                let (zone, ip) = self.zones[slot].clone();
                let new = self.start_new(&zone, ip, &emit).await?;
                let old = std::mem::replace(&mut replicas[slot], new);
                self.stop_old(old, &emit).await;
            }
        }
        emit(RestartEventKind::RolloutDone, None, None);
        Ok(())
    }

    /// Starts a replica and waits until the load balancer sees it healthy.
    async fn start_new(
        &self,
        zone: &str,
        ip: IpAddr,
        emit: &impl Fn(RestartEventKind, Option<&str>, Option<String>),
    ) -> Result<Replica, SandboxError> {
        let new = self.start_replica(zone, ip, true).await?;
        emit(
            RestartEventKind::InstanceStarted,
            Some(&new.id),
            Some(new.addr.to_string()),
        );
        if !self
            .balancer
            .wait_healthy(&new.id, self.timing.healthy_timeout)
            .await
        {
            let why = format!(
                "{} did not become healthy in the load balancer within {:?}",
                new.id, self.timing.healthy_timeout
            );
            // Like a stuck Kubernetes rollout: the new replica goes, the old one serves.
            self.balancer.deregister(&new.id);
            let _ = new.stop().await;
            emit(RestartEventKind::RolloutFailed, None, Some(why.clone()));
            return Err(SandboxError::Rollout(why));
        }
        emit(RestartEventKind::InstanceHealthy, Some(&new.id), None);
        Ok(new)
    }

    /// Stops a replica: the stop signal at once, and (unless the load balancer relies on
    /// health checks alone) its removal from rotation after the deregistration lag, as
    /// endpoint removal races SIGTERM in Kubernetes.
    async fn stop_old(
        &self,
        old: Replica,
        emit: &impl Fn(RestartEventKind, Option<&str>, Option<String>),
    ) {
        let old_id = old.id.clone();
        emit(RestartEventKind::InstanceStopping, Some(&old_id), None);
        let deregistration = (self.variant != Some(Variant::ReadyStays200)).then(|| {
            let balancer = self.balancer.clone();
            let (lag, id) = (self.timing.deregistration_lag, old_id.clone());
            tokio::spawn(async move {
                tokio::time::sleep(lag).await;
                balancer.drain(&id);
            })
        });
        let exit = old.stop().await;
        emit(
            RestartEventKind::InstanceExited,
            Some(&old_id),
            Some(exit.to_string()),
        );
        // Static backends (no deregistration): the dead target stays until its health checks
        // fail.
        if let Some(deregistration) = deregistration {
            let _ = deregistration.await;
            self.balancer.deregister(&old_id);
        }
    }
}
