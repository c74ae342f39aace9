//! Databases and their subnet groups, from the AWS CLI (`aws rds describe-db-instances`, which
//! holds each instance's subnet group) and a stack export (`aws:rds/instance`,
//! `aws:rds/clusterInstance`, `aws:rds/subnetGroup`), Azure's flexible servers (MySQL,
//! PostgreSQL) from az and a stack export's azure-native resources, and Cloud SQL instances
//! from `gcloud sql instances list --format=json` and
//! `gcp:sql/databaseInstance:DatabaseInstance` (field names: the Cloud SQL Admin API v1
//! reference, <https://cloud.google.com/sql/docs/mysql/admin-api/rest/v1/instances>).

use crate::formats::az_cli::Arm;
use crate::formats::stack_export::Resource;
use crate::node::{Field, Node, State};
use crate::resources::Reading;
use crate::view::{Database, DbSubnetGroup, Input};

/// `aws rds describe-db-instances`.
pub(crate) fn from_cli(doc: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let list = doc.get_ci("DBInstances");
    r.view.saw(Input::Databases, &list.at);
    for db in list.items() {
        let id = db
            .get_ci("DBInstanceIdentifier")
            .opt_text()
            .unwrap_or_default();
        let group = db.get_ci("DBSubnetGroup");
        r.view.databases.push(Database {
            id: None,
            subject: format!("DB instance {id}"),
            at: db.at.clone(),
            public: db.get_ci("PubliclyAccessible").flag(),
            subnets: group
                .get_ci("Subnets")
                .items()
                .iter()
                .filter_map(|s| s.get_ci("SubnetIdentifier").opt_text())
                .collect(),
            subnet_group: group.get_ci("DBSubnetGroupName").opt_text(),
            private_network: Field::unset(db.at.clone()),
        });
    }
    Ok(())
}

/// `aws:rds/instance:Instance` or `aws:rds/clusterInstance:ClusterInstance`: its subnets are
/// its subnet group's, a resource of its own.
pub(crate) fn from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::Databases, &res.list_at);
    r.view.databases.push(Database {
        id: None,
        subject: res.subject("database"),
        at: res.outputs.at.clone(),
        // The provider's default (false) is filled into the outputs.
        public: res.outputs.get_ci("publiclyAccessible").flag(),
        subnets: Vec::new(),
        subnet_group: res.outputs.get_ci("dbSubnetGroupName").opt_text(),
        private_network: Field::unset(res.outputs.at.clone()),
    });
    Ok(())
}

/// `aws:rds/subnetGroup:SubnetGroup`.
pub(crate) fn subnet_group_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.db_subnet_groups.push(DbSubnetGroup {
        name: res
            .outputs
            .get_ci("name")
            .opt_text()
            .unwrap_or(res.name.clone()),
        subnets: res.outputs.get_ci("subnetIds").text_list(),
    });
    Ok(())
}

/// `az postgres flexible-server list`, `az mysql flexible-server list` (and
/// `azure-native:dbforpostgresql:Server`, `azure-native:dbformysql:Server`): public network
/// access, and the subnet delegated to it (VNet integration); one reached through a private
/// endpoint takes the endpoint's subnet ([`crate::links::azure`]).
pub(crate) fn flexible_server_from_az(res: &Arm<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::Databases, &res.list_at);
    let network = res.node.arm("network");
    let access = network.get_ci("publicNetworkAccess");
    let public = match access.opt_text() {
        Some(v) if v.eq_ignore_ascii_case("Enabled") => Field::set(access.at.clone(), true),
        Some(v) if v.eq_ignore_ascii_case("Disabled") => Field::set(access.at.clone(), false),
        Some(v) => Field {
            at: access.at.clone(),
            state: State::Invalid(format!("{v:?} is neither Enabled nor Disabled")),
        },
        None => access.flag(),
    };
    let kind = if res.id.to_ascii_lowercase().contains("dbformysql") {
        "MySQL flexible server"
    } else {
        "PostgreSQL flexible server"
    };
    r.view.databases.push(Database {
        id: Some(res.id.clone()),
        subject: res.subject(kind),
        at: res.node.at.clone(),
        public,
        subnets: network
            .get_ci("delegatedSubnetResourceId")
            .opt_text()
            .into_iter()
            .collect(),
        subnet_group: None,
        private_network: Field::unset(res.node.at.clone()),
    });
    Ok(())
}

/// One Cloud SQL instance, either format: public when it has a public IPv4 address
/// (`settings.ipConfiguration.ipv4Enabled`, on unless turned off), its private network beside.
fn cloud_sql(n: &Node<'_>, subject: String, r: &mut Reading) {
    let ip = n.path_ci("settings.ipConfiguration");
    let ip = ip.items().into_iter().next().unwrap_or(ip);
    let enabled = ip.get_ci("ipv4Enabled");
    let public = match enabled.flag().state {
        crate::node::State::Unset => Field::set(enabled.at.clone(), true),
        _ => enabled.flag(),
    };
    r.view.databases.push(Database {
        id: None,
        subject,
        at: n.at.clone(),
        public,
        subnets: Vec::new(),
        subnet_group: None,
        private_network: ip.get_ci("privateNetwork").text(),
    });
}

/// `gcloud sql instances list`: one instance.
pub(crate) fn from_gcloud(n: &Node<'_>, r: &mut Reading) -> Result<(), String> {
    let name = n.get_ci("name").opt_text().unwrap_or_default();
    cloud_sql(n, format!("Cloud SQL instance {name}"), r);
    Ok(())
}

/// `gcp:sql/databaseInstance:DatabaseInstance`.
pub(crate) fn cloud_sql_from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::CloudSqlInstances, &res.list_at);
    cloud_sql(&res.outputs, res.subject("Cloud SQL instance"), r);
    Ok(())
}
