import Foundation

/// An append-only log file rotated by size: `daemon.log` → `daemon.log.1` → … → `daemon.log.<keep>`.
///
/// `@unchecked Sendable`: every access to the handle goes through `lock`.
public final class LogFile: @unchecked Sendable {
    public let path: String
    let maxBytes: Int
    let keep: Int
    private let lock = NSLock()
    private var handle: FileHandle?
    private var size: Int

    public init(path: String, maxBytes: Int = 10 << 20, keep: Int = 5) {
        self.path = path
        self.maxBytes = maxBytes
        self.keep = keep
        self.size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    /// Appends one line (a newline is added), rotating first when the file would grow past `maxBytes`.
    public func append(_ line: Data) {
        self.lock.lock()
        defer { self.lock.unlock() }
        if self.size > 0 && self.size + line.count + 1 > self.maxBytes {
            self.rotate()
        }
        guard let handle = self.openHandle() else { return }
        var data = line
        data.append(0x0A)
        // The throwing write: the old `write(_:)` traps on a failed write (a full disk), and a log line is never worth
        // the daemon. A line that cannot be written is dropped and the handle reopened for the next one.
        do {
            try handle.write(contentsOf: data)
            self.size += data.count
        } catch {
            try? handle.close()
            self.handle = nil
        }
    }

    private func openHandle() -> FileHandle? {
        if let handle = self.handle { return handle }
        if !FileManager.default.fileExists(atPath: self.path) {
            FileManager.default.createFile(atPath: self.path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        self.handle = FileHandle(forWritingAtPath: self.path)
        _ = try? self.handle?.seekToEnd()
        return self.handle
    }

    private func rotate() {
        try? self.handle?.close()
        self.handle = nil
        let manager = FileManager.default
        try? manager.removeItem(atPath: "\(self.path).\(self.keep)")
        for index in stride(from: self.keep - 1, through: 1, by: -1) where manager.fileExists(atPath: "\(self.path).\(index)") {
            try? manager.moveItem(atPath: "\(self.path).\(index)", toPath: "\(self.path).\(index + 1)")
        }
        try? manager.moveItem(atPath: self.path, toPath: "\(self.path).1")
        self.size = 0
    }
}
