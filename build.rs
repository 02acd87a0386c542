//! WASM code splitting needs the linker's relocations in the output
//! (`wasm_split_cli_support` rewrites code across the split points).
//! Only the final link is affected, so the dependency cache stays valid.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg=--emit-relocs");
    }
}
