//! Databases and their subnet groups, from the AWS CLI (`aws rds describe-db-instances`, which
//! holds each instance's subnet group) and a stack export (`aws:rds/instance`,
//! `aws:rds/clusterInstance`, `aws:rds/subnetGroup`).

use crate::formats::stack_export::Resource;
use crate::node::Node;
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
        });
    }
    Ok(())
}

/// `aws:rds/instance:Instance` or `aws:rds/clusterInstance:ClusterInstance`: its subnets are
/// its subnet group's, a resource of its own.
pub(crate) fn from_stack(res: &Resource<'_>, r: &mut Reading) -> Result<(), String> {
    r.view.saw(Input::Databases, &res.list_at);
    r.view.databases.push(Database {
        subject: res.subject("database"),
        at: res.outputs.at.clone(),
        // The provider's default (false) is filled into the outputs.
        public: res.outputs.get_ci("publiclyAccessible").flag(),
        subnets: Vec::new(),
        subnet_group: res.outputs.get_ci("dbSubnetGroupName").opt_text(),
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
