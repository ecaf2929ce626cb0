use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = cppcc_perf::config::Cli::parse();
    match cppcc_perf::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
