fn main() -> std::process::ExitCode {
    johas_claim::cli::run()
}
