//! Builds the runtime's Wasm blob (with the `std` feature), which the node embeds and
//! `system.setCode` installs.

fn main() {
	#[cfg(feature = "std")]
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}
