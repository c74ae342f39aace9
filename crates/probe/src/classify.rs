//! Classification of failed requests: every failure gets a [`FailureKind`] an operator can act
//! on, by the one classification of `netconform_net::failure`, with what only reqwest's error
//! knows (a timeout, a failed lookup) added.

use netconform_model::FailureKind;
use netconform_net::failure::{self, Stage};

pub use netconform_net::failure::describe;

/// The kind of a failed request.
pub fn class(e: &reqwest::Error) -> FailureKind {
    let stage = if e.is_connect() {
        Stage::Connect
    } else {
        Stage::Exchange
    };
    if let Some(kind) = failure::in_chain(e, stage) {
        return kind;
    }
    let text = describe(e).to_ascii_lowercase();
    if e.is_timeout() {
        if e.is_connect() {
            FailureKind::ConnectTimeout
        } else {
            FailureKind::ReadTimeout
        }
    } else if text.contains("dns error") {
        FailureKind::DnsError
    } else if e.is_connect() {
        FailureKind::ConnectError
    } else if text.contains("connection closed") || text.contains("incomplete") {
        FailureKind::ClosedBeforeResponse
    } else if is_unreadable(&text) {
        FailureKind::Malformed
    } else {
        FailureKind::OtherError
    }
}

/// hyper's parse errors, by their text ("invalid HTTP version parsed", "message head is too
/// large"): what came back is not an HTTP response it reads.
fn is_unreadable(text: &str) -> bool {
    text.contains(" parsed") || text.contains("message head is too large")
}
