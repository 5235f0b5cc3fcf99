//! See tests/boundary.rs.
