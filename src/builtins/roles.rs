//! Fast role lookups for builtins that walk a document line by line.

use crate::rules::{FlagKind, Role};

/// The roles overlapping `start..end`, found by binary search on the sorted
/// starts (Context::roles_in scans from the first role, which is quadratic
/// when called per line of a large document). Roles nested more than 16 deep
/// before `start` are not seen.
pub(crate) fn overlapping(roles: &[Role], start: usize, end: usize) -> impl Iterator<Item = &Role> {
    let end = end.max(start + 1);
    let lo = roles.partition_point(|r| r.start < start);
    let back = lo.saturating_sub(16);
    roles[back..].iter().take_while(move |r| r.start < end).filter(move |r| r.end > start)
}

/// Whether a role of one of `kinds` overlaps `start..end` (the fast `Context::has_role`).
pub(crate) fn has(roles: &[Role], start: usize, end: usize, kinds: &[FlagKind]) -> bool {
    overlapping(roles, start, end).any(|r| kinds.contains(&r.kind))
}
