//! The `ocrclean` binary: a thin shell over the library's CLI module.
fn main() -> std::process::ExitCode {
    ocrclean::cli::main()
}
