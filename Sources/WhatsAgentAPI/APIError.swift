/// The error body of every failed request: `{"error":{"code":…,"message":…}}`.
public struct APIErrorBody: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        /// Stable machine code (e.g. `workspace_not_found`).
        public var code: String
        /// One line: what was refused, why, and what to do instead.
        public var message: String

        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    public var error: Detail

    public init(code: String, message: String) {
        self.error = Detail(code: code, message: message)
    }
}
