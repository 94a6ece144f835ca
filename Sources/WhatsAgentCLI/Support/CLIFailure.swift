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
