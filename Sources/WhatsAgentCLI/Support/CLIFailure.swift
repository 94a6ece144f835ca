import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient
import WhatsAgentCore

/// How the CLI reports an error: one line on stderr (or `{"error":{…}}` with `--json`) and an exit code.
struct CLIFailure: Error {
    /// Exit codes of SPEC §4.
    enum Exit: Int32 {
        case failed = 1
        case usage = 2
        case daemonNotRunning = 3
        case daemonAlreadyRunning = 4
    }

    var code: String
    var message: String
    var exit: Exit

    /// Classifies any error thrown by a command. Returns nil for ArgumentParser's own errors.
    static func classify(_ error: any Error) -> CLIFailure? {
        switch error {
        case let failure as CLIFailure:
            return failure
        case let error as DomainError:
            return CLIFailure(code: error.code.rawValue, message: error.message, exit: Self.exit(forCode: error.code.rawValue))
        case let error as ClientError:
            if case .daemonNotRunning = error {
                return CLIFailure(code: error.code, message: error.description, exit: .daemonNotRunning)
            }
            return CLIFailure(code: error.code, message: error.description, exit: Self.exit(forCode: error.code))
        default:
            return nil
        }
    }

    static func exit(forCode code: String) -> Exit {
        switch code {
        case DomainError.Code.daemonAlreadyRunning.rawValue: .daemonAlreadyRunning
        case "daemon_not_running": .daemonNotRunning
        default: .failed
        }
    }
}

/// The process entry point: parses, runs, and maps every outcome to output and an exit code.
public enum CommandLineMain {
    /// Runs `arguments` (without the program name) and returns the exit code.
    public static func run(_ arguments: [String]) async -> Int32 {
        let json = arguments.contains("--json")
        do {
            var command = try WhatsAgent.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch {
            if let failure = CLIFailure.classify(error) {
                Self.report(failure, json: json)
                return failure.exit.rawValue
            }
            // ArgumentParser's own outcomes: help and --version succeed; anything else is a usage error.
            if WhatsAgent.exitCode(for: error).isSuccess {
                print(WhatsAgent.fullMessage(for: error))
                return 0
            }
            let message = WhatsAgent.message(for: error)
            if json {
                Self.report(CLIFailure(code: "usage", message: message, exit: .usage), json: true)
            } else {
                FileHandle.standardError.write(Data((WhatsAgent.fullMessage(for: error) + "\n").utf8))
            }
            return CLIFailure.Exit.usage.rawValue
        }
    }

    static func report(_ failure: CLIFailure, json: Bool) {
        let line: String
        if json, let data = try? WireJSON.encoder().encode(APIErrorBody(code: failure.code, message: failure.message)) {
            line = String(decoding: data, as: UTF8.self)
        } else {
            line = "error: \(Terminal.safe(failure.message))"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
