import Foundation
import HTTPTypes
import Hummingbird
import Logging
import WhatsAgentAPI
import WhatsAgentCore
import WhatsAgentRunners

/// Health, status, stop, backup and the API description.
struct DaemonController {
    let services: DaemonServices

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/health", use: self.health)
        router.get("/api/v1/openapi.json", use: self.openAPI)
        router.get("/api/v1/status", use: self.status)
        router.post("/api/v1/daemon/stop", use: self.stop)
        router.post("/api/v1/backup", use: self.backup)
    }

    @Sendable func health(_ request: Request, context: APIRequestContext) async throws -> Health {
        Health(ok: true, version: self.services.version, startedAt: self.services.state.startedAt)
    }

    @Sendable func openAPI(_ request: Request, context: APIRequestContext) async throws -> Response {
        let data = try OpenAPIDocument.data(version: self.services.version)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    @Sendable func status(_ request: Request, context: APIRequestContext) async throws -> DaemonStatus {
        let summaries = try await self.services.workspaces.list().filter { $0.workspace.status == .active }
        return DaemonStatus(
            url: await self.services.state.url,
            pid: getpid(),
            socket: self.services.home.socket,
            home: self.services.home.root,
            version: self.services.version,
            startedAt: self.services.state.startedAt,
            workspaces: summaries.count,
            sessions: summaries.reduce(0) { $0 + $1.liveSessionCount },
            currentWorkspaceId: summaries.first(where: \.isCurrent)?.workspace.id.rawValue
        )
    }

    @Sendable func stop(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<DaemonInfo> {
        let body = try await request.decode(as: StopDaemonRequest.self, context: context)
        // `whatsagent stop --all`: end every managed session first; otherwise runners keep running for the next daemon.
        var stoppedAgents: Int?
        if body.stopRunners { stoppedAgents = await self.services.runners.stopAll() }
        var info = DaemonInfo(
            url: await self.services.state.url,
            pid: getpid(),
            socket: self.services.home.socket,
            home: self.services.home.root,
            version: self.services.version
        )
        info.stoppedAgents = stoppedAgents
        context.logger.info("shutdown requested over the socket")
        await self.services.state.requestShutdown()
        return EditedResponse(status: .accepted, response: info)
    }

    @Sendable func backup(_ request: Request, context: APIRequestContext) async throws -> BackupResult {
        let body = try await request.decode(as: BackupRequest.self, context: context)
        let report = try await self.services.workspaces.backup(to: body.path, configFile: self.services.home.configFile)
        return BackupResult(path: report.path, bytes: report.bytes, databases: report.databases)
    }
}
