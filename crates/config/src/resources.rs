//! The readers, one module per kind of thing read. Each turns every format that describes its
//! kind (AWS CLI output, a stack export's resources, Kubernetes objects) into the one view
//! type, side by side (`*_from_cli`, `*_from_stack`), with what the formats share (a load
//! balancer's kind, a default route, a lifecycle hook) written once in the module. The formats
//! ([`crate::formats`]) only tell which reader a part of a document goes to; what can only be
//! joined once every file is read is left in [`Links`] and joined by [`Reading::finish`].
//!
//! A new provider adds its formats' functions to the modules of the kinds it describes (and,
//! for a kind the view does not have yet, a module and a view type), never a reader per file.

pub(crate) mod autoscaling;
pub(crate) mod databases;
pub(crate) mod denied;
pub(crate) mod dns_records;
pub(crate) mod ecs;
pub(crate) mod gateway_api;
pub(crate) mod kubernetes;
pub(crate) mod load_balancers;
pub(crate) mod network;
pub(crate) mod node_groups;

use crate::links::Links;
use crate::view::Deployment;

/// What reading fills: the view, and what is joined once every file is read.
#[derive(Debug, Default)]
pub(crate) struct Reading {
    pub(crate) view: Deployment,
    pub(crate) links: Links,
}

impl Reading {
    /// The view, with every link joined. `Err` names the file whose part cannot be joined.
    pub(crate) fn finish(self) -> Result<Deployment, String> {
        let Reading { mut view, links } = self;
        links.join(&mut view)?;
        Ok(view)
    }
}
