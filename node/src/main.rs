//! `zoo-node`: the Zoo validator node.

mod chain_spec;
mod cli;
mod command;
mod consortium;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	explain_bus_errors();
	command::run()
}

/// ParityDb memory-maps its table files; one cut short (a truncated file after a disk or copy
/// failure) makes the first read past its end fault with SIGBUS, which would kill the node
/// without a word. Say what happened and what to do, in one line, before exiting the same way.
fn explain_bus_errors() {
	extern "C" fn on_bus_error(_signal: libc::c_int) {
		const MESSAGE: &[u8] = b"zoo-node: fatal: a memory-mapped file ended early (SIGBUS): a database file is damaged or truncated; restore the database from a backup, or remove the chain's db directory (zoo-node purge-chain) and let the node resync from its peers\n";
		// Only async-signal-safe calls here: write(2), then _exit(2) with the status a SIGBUS death has.
		unsafe {
			libc::write(libc::STDERR_FILENO, MESSAGE.as_ptr().cast(), MESSAGE.len());
			libc::_exit(128 + libc::SIGBUS);
		}
	}
	// SAFETY: installs a handler that only makes async-signal-safe calls; nothing else in the
	// node handles SIGBUS.
	unsafe {
		let mut action: libc::sigaction = std::mem::zeroed();
		action.sa_sigaction = on_bus_error as extern "C" fn(libc::c_int) as usize;
		libc::sigemptyset(&mut action.sa_mask);
		libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
	}
}
