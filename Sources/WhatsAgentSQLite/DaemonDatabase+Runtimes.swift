import Foundation
import WhatsAgentAPI
import WhatsAgentCore

/// Runtime settings (SPEC §3: daemon-wide, in `daemon.sqlite`): one `setting` row per configured runtime, keyed
/// `runtime.<name>`, whose value is the JSON ``StoredRuntimeSetting``. No row means the runtime's defaults.
extension DaemonDatabase {
    static func runtimeKey(_ runtime: Runtime) -> String { "runtime." + runtime.rawValue }

    /// The stored setting of `runtime`, nil when it has never been set.
    package func runtimeSetting(_ runtime: Runtime) throws -> StoredRuntimeSetting? {
        guard let text = try self.setting(Self.runtimeKey(runtime)) else { return nil }
        do {
            return try JSONDecoder().decode(StoredRuntimeSetting.self, from: Data(text.utf8))
        } catch {
            throw DomainError(
                .storage,
                "the stored \(runtime.rawValue) runtime setting is unreadable; set it again with `whatsagent runtime set \(runtime.rawValue) --command CMD`"
            )
        }
    }

    package func setRuntimeSetting(_ runtime: Runtime, _ stored: StoredRuntimeSetting, now: Date) throws {
        let text = String(decoding: try JSONEncoder().encode(stored), as: UTF8.self)
        try self.setSetting(Self.runtimeKey(runtime), text, now: now)
    }
}
