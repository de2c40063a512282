//! Link settings for the native library the apps load (the cdylib only:
//! test programs and the CLI link as usual).
//!
//! Packed relative relocations (DT_RELR): the library's read-only data is
//! full of pointers (vtables, string tables, UniFFI's metadata), and each
//! took a 24-byte entry in classic `.rela.dyn`, 0.84 MB of the host
//! library; packed they take 7.5 KB. Android's loader reads RELR only since
//! API 28, and the Gradle module's minSdk is 26 (Android 8.0, phones still in
//! use in villages), where a RELR library fails to load: Android gets its
//! own packed format (`--pack-dyn-relocs=android`, read since API 23), a
//! little larger than RELR and far smaller than `.rela.dyn`. glibc reads RELR since 2.36, and a
//! RELR library will not load on an older one, so on Linux only the
//! release library (the benchmarks' and the shipped one) gets it: a
//! developer's test build keeps loading everywhere.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let release = var("PROFILE") == "release";
    match (
        var("CARGO_CFG_TARGET_OS").as_str(),
        var("CARGO_CFG_TARGET_ENV").as_str(),
    ) {
        ("android", _) => println!("cargo:rustc-cdylib-link-arg=-Wl,--pack-dyn-relocs=android"),
        ("linux", "gnu") if release => {
            println!("cargo:rustc-cdylib-link-arg=-Wl,-z,pack-relative-relocs")
        }
        _ => {}
    }
}
