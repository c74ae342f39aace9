//! What the sandbox and the container test bed share, so neither re-types the other's: the
//! API replica's interface ([`replica`]: its headers, paths, zones and agent answers, which
//! the sandbox serves and the test bed's HAProxy and environment rely on) and a test CA
//! ([`ca`]: a CA of its own and one server certificate, issued with rcgen), and moto's AWS
//! API emulator with the deployment fixture built in it ([`moto`], for the collection tests),
//! kubectl against a recorded cluster ([`kubectl`]), and byte-level edits for the readers'
//! fuzz tests ([`mutate`]).
//! Depends on no other crate of the workspace.

pub mod ca;
pub mod kubectl;
pub mod moto;
pub mod mutate;
pub mod replica;
