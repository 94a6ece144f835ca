import Foundation
import Hummingbird
import Logging
import WhatsAgentAPI
import WhatsAgentCore
import WhatsAgentRuntimes

/// The daemon-wide runtime settings and their detection (SPEC §4 `whatsagent runtime list | set | detect`, §6.3).
struct RuntimeController {
    let runtimes: RuntimeSettingsService
    let detector: RuntimeDetector

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/api/v1/runtimes", use: self.list)
        router.put("/api/v1/runtimes/{runtime}", use: self.set)
        router.post("/api/v1/runtimes/detect", use: self.detect)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> RuntimeSettingList {
        RuntimeSettingList(runtimes: try self.runtimes.list().map(RuntimeSettingResponse.init))
    }

    @Sendable func set(_ request: Request, context: APIRequestContext) async throws -> RuntimeSettingResponse {
        let runtime = try Self.runtime(context)
        let body = try await request.decode(as: SetRuntimeRequest.self, context: context)
        let setting = try self.runtimes.set(runtime, command: body.command, args: body.args)
        context.logger.info(
            "runtime setting changed",
            metadata: ["runtime": "\(runtime.rawValue)", "command": "\(body.command)", "args.count": "\(body.args.count)"]
        )
        return RuntimeSettingResponse(setting)
    }

    /// Probes every runtime's configured command with `--version` (at most the detector's timeout, all at once).
    @Sendable func detect(_ request: Request, context: APIRequestContext) async throws -> RuntimeDetectionList {
        let settings = try self.runtimes.list()
        let detector = self.detector
        let results = await withTaskGroup(of: (Int, RuntimeDetectionResponse).self) { group in
            for (index, setting) in settings.enumerated() {
                group.addTask {
                    let detection = await detector.detect(setting.command ?? "", runtime: setting.runtime)
                    return (index, RuntimeDetectionResponse(detection, runtime: setting.runtime, checkedAt: WallClock.now()))
                }
            }
            var results: [(Int, RuntimeDetectionResponse)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return RuntimeDetectionList(runtimes: results)
    }

    static func runtime(_ context: APIRequestContext) throws -> Runtime {
        let name = try context.parameters.require("runtime")
        guard let runtime = Runtime(rawValue: name.lowercased()) else {
            throw DomainError.invalidArgument(
                "unknown runtime '\(name)'; the runtimes are \(Runtime.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        return runtime
    }
}

extension RuntimeSettingList: ResponseEncodable {}
extension RuntimeDetectionList: ResponseEncodable {}

extension RuntimeSettingResponse: ResponseEncodable {
    init(_ setting: RuntimeSetting) {
        self.init(
            runtime: setting.runtime.rawValue,
            command: setting.command,
            args: setting.args,
            isDefault: setting.isDefault,
            updatedAt: setting.updatedAt
        )
    }
}

extension RuntimeDetectionResponse {
    init(_ detection: RuntimeDetection, runtime: Runtime, checkedAt: Date) {
        self.init(
            runtime: runtime.rawValue,
            command: detection.command,
            status: detection.status.rawValue,
            path: detection.path,
            version: detection.version,
            exitCode: detection.exitCode,
            message: detection.message,
            checkedAt: checkedAt
        )
    }
}
