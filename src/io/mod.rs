//! The shell's I/O: finding inputs (files, folders, stdin), reading JSON Lines in
//! bounded batches, and writing outputs atomically. The per-document core
//! ([`crate::pipeline`]) never touches any of this.

pub mod atomic;
pub mod inputs;
pub mod json_string;
pub mod jsonl;
