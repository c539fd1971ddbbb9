//! The one-shot commands of the `ccplane` binary other than `serve`, kept in the library so the
//! tests can run them.

pub mod token;
