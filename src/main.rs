//! The `ocrclean` binary: a thin shell over the library's CLI module.

/// mimalloc rather than the system allocator: cleaning makes and drops many
/// small strings and vectors per line and per pass.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    ocrclean::cli::main()
}
