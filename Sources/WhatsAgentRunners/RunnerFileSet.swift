import Foundation

/// The files of one managed session in `<home>/workspaces/<id>/run` (SPEC §3), named by an 8-character stem of the
/// session id so socket paths stay short: the runner's socket, its metadata (what a restarted daemon re-adopts from),
/// the saved output tail, the runner's log, and the 0600 secret the daemon needs to talk to the runner again.
struct RunnerFileSet: Sendable, Equatable {
    static let metadataSuffix = ".runner.json"

    let directory: String
    let stem: String

    init(directory: String, sessionID: String) {
        self.directory = directory
        self.stem = String(sessionID.prefix(8))
    }

    init(directory: String, stem: String) {
        self.directory = directory
        self.stem = stem
    }

    var socket: String { "\(self.directory)/\(self.stem).sock" }
    var metadata: String { "\(self.directory)/\(self.stem)\(Self.metadataSuffix)" }
    var tail: String { "\(self.directory)/\(self.stem).tail" }
    var log: String { "\(self.directory)/\(self.stem).log" }
    var secret: String { "\(self.directory)/\(self.stem).secret" }
    /// A managed Codex's `codex-attach` plan (written by the launch plan; its socket and status sit beside it).
    var codexAttachPlan: String { "\(self.directory)/\(self.stem).codex.json" }

    /// Stores the runner secret (mode 0600, created exclusively: an existing file is replaced only by the owner).
    func writeSecret(_ secret: String) throws {
        unlink(self.secret)
        guard FileManager.default.createFile(atPath: self.secret, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: self.secret]) }
    }

    func readSecret() -> String? {
        guard let data = FileManager.default.contents(atPath: self.secret) else { return nil }
        let secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return secret.isEmpty ? nil : secret
    }

    func readTail() -> Data? {
        FileManager.default.contents(atPath: self.tail)
    }

    /// Removes the session's files: the runner's, the MCP config and whatever the launch plan generated (all named
    /// `<stem>.…`), but not a non-empty log (kept for diagnosis; it never holds the secret or the token).
    func removeAll() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: self.directory)) ?? []
        for name in names where name.hasPrefix(self.stem + ".") {
            let path = "\(self.directory)/\(name)"
            if path == self.log, let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                ((attributes[.size] as? NSNumber)?.intValue ?? 0) > 0
            {
                continue
            }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// The stems of every runner metadata file in `directory`.
    static func stems(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(Self.metadataSuffix) }.map { String($0.dropLast(Self.metadataSuffix.count)) }.sorted()
    }
}
