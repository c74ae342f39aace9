//! The file formats, one module each: what a document of that format is, told by its content
//! (never its file name), and which part of it goes to which resource reader
//! ([`crate::resources`]). A format module holds no mapping of fields: it only dispatches.
//!
//! - [`aws_cli`]: what one `aws ... describe-*` or `list-*` command prints, told by its
//!   top-level key;
//! - [`az_cli`]: what one `az ... -o json` list or show command prints, told by its
//!   resources' `type`;
//! - [`gcloud`]: what one `gcloud ... --format=json` command prints, told by its resources'
//!   `kind` (an empty list, which has no content to tell, by its file's name);
//! - [`stack_export`]: `pulumi stack export` (version 3), told by its resources' types (`aws:`,
//!   `azure-native:` and `gcp:`);
//! - Kubernetes manifests and `kubectl get -o json` go straight to
//!   [`crate::resources::kubernetes`], which reads objects by their `kind`.

pub(crate) mod aws_cli;
pub(crate) mod az_cli;
pub(crate) mod gcloud;
pub(crate) mod stack_export;
