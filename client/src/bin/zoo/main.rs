//! `zoo`: the command line (arrives with the verbs).
fn main() {}
