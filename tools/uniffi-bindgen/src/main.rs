//! `cargo run -p uniffi-bindgen -- generate --library target/debug/libpalmgov.so ...`
//! generates bindings; `... -- surface LIBRARY` prints the library's FFI
//! surface as a sorted listing, one line per item, which `scripts/test`
//! compares with the checked-in `core/api/*.txt` (as application-services'
//! `.udl` files do: every change to the boundary shows in a diff).
//!
//! Kept as a workspace binary so the bindings always come from the same
//! UniFFI version as the library they describe; a global install would drift.

mod surface;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("surface") {
        let Some(library) = args.get(2) else {
            eprintln!("usage: uniffi-bindgen surface LIBRARY");
            std::process::exit(2);
        };
        match surface::listing(camino::Utf8Path::new(library)) {
            Ok(lines) => {
                for line in lines {
                    println!("{line}");
                }
            }
            Err(e) => {
                eprintln!("uniffi-bindgen surface: {e:#}");
                std::process::exit(1);
            }
        }
        return;
    }
    uniffi::uniffi_bindgen_main()
}
