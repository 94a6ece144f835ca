import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import WhatsAgentAPI
import WhatsAgentCore

@testable import WhatsAgentSQLite
@testable import WhatsAgentServer

let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// Services over in-memory databases, with a home folder for paths (never bound).
func makeServices() throws -> DaemonServices {
    let workspaces = WorkspaceService(storage: .inMemory, registry: try DaemonDatabase.inMemory(), stores: SQLiteStoreFactory(), logger: quietLogger)
    return DaemonServices(
        workspaces: workspaces,
        state: DaemonState(startedAt: Date(timeIntervalSince1970: 1_800_000_000), url: "http://127.0.0.1:1"),
        home: HomeLayout(root: "/tmp/wa-test-home"),
        version: "9.9.9",
        executablePath: "/usr/bin/whatsagent"
    )
}

/// Runs `body` against the socket router in-process.
func withSocketAPI(_ body: @escaping @Sendable (any TestClientProtocol, DaemonServices) async throws -> Void) async throws {
    let services = try makeServices()
    let app = Application(router: buildSocketRouter(services: services), logger: quietLogger)
    try await app.test(.router) { client in try await body(client, services) }
}

extension TestClientProtocol {
    /// Sends JSON and returns the status and body.
    func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil) async throws -> (HTTPResponse.Status, Data) {
        let body = json.map { ByteBuffer(string: $0) }
        let headers: HTTPFields = json == nil ? [:] : [.contentType: "application/json"]
        return try await self.execute(uri: uri, method: method, headers: headers, body: body) { response in
            (response.status, Data(String(buffer: response.body).utf8))
        }
    }

    func send<T: Encodable>(_ method: HTTPRequest.Method, _ uri: String, body: T) async throws -> (HTTPResponse.Status, Data) {
        try await self.send(method, uri, json: String(decoding: try WireJSON.encoder().encode(body), as: UTF8.self))
    }
}

func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
    try WireJSON.decoder().decode(type, from: data)
}

extension WorkspaceService {
    /// A workspace's SQLite database, for tests that reach past the store protocols into its rows.
    func sqliteDatabase(for reference: String?) async throws -> (Workspace, WorkspaceDatabase) {
        let (workspace, store) = try await self.database(for: reference)
        guard let database = store as? WorkspaceDatabase else { throw DomainError(.storage, "not a SQLite store: \(type(of: store))") }
        return (workspace, database)
    }
}
