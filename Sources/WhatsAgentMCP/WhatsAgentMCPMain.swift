import Foundation
import Logging
import MCP
import WhatsAgentAPI
import WhatsAgentClient

/// `whatsagent mcp`: the stdio MCP server an agent runtime spawns for one session (SPEC §2, §6.2).
///
/// It reads the socket and session token from the environment, checks the token by fetching the tool catalogue,
/// then serves JSON-RPC on stdin/stdout until stdin ends or the session does.
///
/// - Important: Stdout is JSON-RPC. Every message and log line goes to stderr.
public enum WhatsAgentMCPMain {
    /// Runs the server; returns the process exit code: 0 when the client closed stdin, 1 otherwise.
    public static func run(environment: [String: String]) async -> Int32 {
        var logger = Logger(label: "whatsagent.mcp", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .info
        return await self.run(
            environment: environment,
            logger: logger,
            report: { line in FileHandle.standardError.write(Data(("whatsagent mcp: " + line + "\n").utf8)) },
            connect: { socket, token in AgentClient(socketPath: socket, token: token) },
            transport: { BlockingStdioTransport(logger: logger) }
        )
    }

    /// The same, with every edge injected (tests).
    static func run(
        environment: [String: String],
        logger: Logger = Logger(label: "whatsagent.mcp", factory: { _ in SwiftLogNoOpLogHandler() }),
        report: (String) -> Void,
        connect: (_ socket: String, _ token: String) -> any AgentBackend,
        transport: () -> any Transport
    ) async -> Int32 {
        let token = environment[SessionEnvironment.token] ?? ""
        let socket = environment[SessionEnvironment.socket] ?? ""
        let missing = [(SessionEnvironment.token, token), (SessionEnvironment.socket, socket)].filter { $0.1.isEmpty }.map(\.0)
        guard missing.isEmpty else {
            report(
                "needs \(missing.joined(separator: " and ")) in its environment; "
                    + "it is set by `whatsagent agent connect` or a managed launch (`whatsagent agent launch`)"
            )
            return 1
        }

        let backend = connect(socket, token)
        let catalogue: AgentToolCatalogue
        do {
            catalogue = try await backend.tools()
        } catch {
            report(self.startFailure(error))
            return 1
        }

        do {
            let ending = try await WhatsAgentMCPServer(backend: backend, catalogue: catalogue, logger: logger)
                .run(transport: transport())
            switch ending {
            case .clientClosed:
                return 0
            case .sessionEnded(let reason):
                report("the session ended (\(reason ?? "no reason given")); stopping")
                return 1
            case .refused(401, let message):
                report("the daemon no longer accepts this session's token (\(message)); stopping")
                return 1
            case .refused(let status, let message):
                report("the daemon refused the events stream (HTTP \(status): \(message)); stopping")
                return 1
            }
        } catch {
            report("cannot serve MCP on stdio: \(error)")
            return 1
        }
    }

    static func startFailure(_ error: any Error) -> String {
        if DaemonFailure.tokenRejected(error) {
            return "the daemon refused \(SessionEnvironment.token): the session has ended or the token is not valid; "
                + "start a new one with `whatsagent agent connect <repo:agent>` or relaunch the agent"
        }
        if let error = error as? ClientError {
            return "cannot fetch the tool catalogue: \(error.description)"
        }
        return "cannot fetch the tool catalogue: \(error)"
    }
}
