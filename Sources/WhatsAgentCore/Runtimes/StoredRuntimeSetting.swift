import Foundation

/// The JSON of a `runtime.<name>` setting row.
package struct StoredRuntimeSetting: Codable, Equatable, Sendable {
    package var command: String
    package var args: [String]
    /// Seconds since 1970 (the row's own `updatedAt` is not returned by the setting reader).
    package var updatedAt: Double

    package init(command: String, args: [String], updatedAt: Double) {
        (self.command, self.args, self.updatedAt) = (command, args, updatedAt)
    }
}
