//! Configuration checks: the guide's multi-AZ, network, autoscaling, shutdown, load balancer
//! and DNS settings, read from what the user exported (Kubernetes manifests or `kubectl get -o
//! json`, AWS CLI describe output, az output, `pulumi stack export`). Owns the readers ([`load`]), the
//! normalized view they fill ([`Deployment`]) and the checks ([`checks`]), which return
//! [`netconform_model::Outcome`]s whose evidence is one
//! [`netconform_model::evidence::config::Finding`] per setting judged.
//!
//! No network, no credentials: it reads files only. A setting no input covers is "not
//! checked", never a pass. Bad input is an [`ConfigError`] naming the file, never a panic. No
//! printing, no env; depends only on model.

pub mod checks;
mod formats;
mod links;
mod load;
pub mod node;
mod position;
pub mod reference;
mod resources;
pub mod view;

pub use formats::stack_export::STACK_EXPORT_VERSION;
pub use load::{MAX_FILE_BYTES, load};
pub use node::{Field, Loc, State};
pub use view::{Deployment, Input};

use resources::Reading;

/// Why the inputs could not be read. Messages read after "failed to".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("expand config.{key} pattern {pattern:?}: {why}")]
    Pattern {
        key: &'static str,
        pattern: String,
        why: String,
    },
    #[error(
        "find config.{key} files: {pattern:?} matches no file in {dir}; fix the pattern (it is relative to the environment file's directory) or export the file"
    )]
    NoMatch {
        key: &'static str,
        pattern: String,
        dir: String,
    },
    #[error("read {file}: {why}")]
    Read { file: String, why: String },
    #[error("read {file}: {why}")]
    Parse { file: String, why: String },
    #[error("read {0}")]
    Content(String),
}

/// Parses one Kubernetes file's text (YAML documents or JSON) and reads it; what the loader
/// does per file, for tests and fuzzing.
pub fn read_kubernetes_text(text: &str, name: &str) -> Result<Deployment, ConfigError> {
    let mut r = Reading::default();
    let docs = load::parse_documents(text, std::path::Path::new(name), name)?;
    load::read_kubernetes(&docs, name, &mut r)?;
    r.finish().map_err(ConfigError::Content)
}

/// Parses one AWS CLI output file's text and reads it.
pub fn read_aws_text(text: &str, name: &str) -> Result<Deployment, ConfigError> {
    let mut r = Reading::default();
    let doc = load::parse_json(text, name)?;
    let shown: std::sync::Arc<str> = std::sync::Arc::from(name);
    formats::aws_cli::read(&node::Node::new(&doc, Loc::new(&shown, "")), &mut r)
        .map_err(ConfigError::Content)?;
    r.finish().map_err(ConfigError::Content)
}

/// Parses one az output file's text and reads it.
pub fn read_azure_text(text: &str, name: &str) -> Result<Deployment, ConfigError> {
    let mut r = Reading::default();
    let doc = load::parse_json(text, name)?;
    let shown: std::sync::Arc<str> = std::sync::Arc::from(name);
    formats::az_cli::read(&node::Node::new(&doc, Loc::new(&shown, "")), &mut r)
        .map_err(ConfigError::Content)?;
    r.finish().map_err(ConfigError::Content)
}

/// Parses one `gcloud ... --format=json` output file's text and reads it.
pub fn read_gcloud_text(text: &str, name: &str) -> Result<Deployment, ConfigError> {
    let mut r = Reading::default();
    let doc = load::parse_json(text, name)?;
    let shown: std::sync::Arc<str> = std::sync::Arc::from(name);
    formats::gcloud::read(&node::Node::new(&doc, Loc::new(&shown, "")), name, &mut r)
        .map_err(ConfigError::Content)?;
    r.finish().map_err(ConfigError::Content)
}

/// Parses one stack export's text and reads it.
pub fn read_stack_export_text(text: &str, name: &str) -> Result<Deployment, ConfigError> {
    let mut r = Reading::default();
    let mut doc = load::parse_json(text, name)?;
    formats::stack_export::read(&mut doc, &std::sync::Arc::from(name), &mut r)
        .map_err(ConfigError::Content)?;
    r.finish().map_err(ConfigError::Content)
}
