import ArgumentParser
import Logging

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// `--log-level` of the long-running commands (plant-server, controller): what they report while
/// they run, on standard error, through swift-log. Their results stay on standard output.
struct LoggingOptions: ParsableArguments {
    @Option(help: "Least severe message logged while running (on standard error).")
    var logLevel: Logger.Level = .info

    /// Installs a standard-error handler at the chosen level and returns a logger labelled `label`.
    func logger(_ label: String) -> Logger {
        let level = logLevel
        LoggingSystem.bootstrap { name in
            var handler = StreamLogHandler.standardError(label: name)
            handler.logLevel = level
            return handler
        }
        return Logger(label: label)
    }
}
