import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exclusive `flock` on `<home>/daemon.pid` that makes a daemon the only one for its home.
///
/// Taken before anything binds, so a second daemon never touches the socket of a live one. The file holds the
/// running daemon's ``DaemonInfo``-shaped JSON once it is ready; the lock itself is what counts.
public final class PIDFileLock: Sendable {
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Takes the lock or fails with `daemon_already_running`, naming the running daemon.
    public static func acquire(path: String) throws -> PIDFileLock {
        while true {
            let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                if errno == EROFS { throw DomainError.readOnlyFolder(path) }
                throw DomainError(.storage, "cannot open \(path): \(String(cString: strerror(errno)))")
            }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                close(descriptor)
                let running = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
                throw DomainError(
                    .daemonAlreadyRunning,
                    "a daemon is already running for this home (\(Self.summary(running))); stop it with `whatsagent stop` or use another --home"
                )
            }
            // A daemon that was exiting may have unlinked the file we opened; then lock the new file instead.
            if Self.isSameFile(descriptor, path) {
                return PIDFileLock(path: path, descriptor: descriptor)
            }
            close(descriptor)
        }
    }

    /// Whether some process holds the lock right now.
    public static func isHeld(path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return false
        }
        return true
    }

    /// Blocks the calling thread until the lock is free (the daemon has exited). Returns at once if there is no file.
    public static func waitUntilReleased(path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_SH) != 0 && errno == EINTR {}
    }

    /// Replaces the file's content (the running daemon's details).
    public func write(_ contents: Data) {
        ftruncate(self.descriptor, 0)
        contents.withUnsafeBytes { buffer in
            _ = pwrite(self.descriptor, buffer.baseAddress, buffer.count, 0)
        }
    }

    /// Removes the file, then releases the lock.
    public func release() {
        unlink(self.path)
        close(self.descriptor)
    }

    private static func isSameFile(_ descriptor: Int32, _ path: String) -> Bool {
        var opened = stat()
        var named = stat()
        guard fstat(descriptor, &opened) == 0, stat(path, &named) == 0 else { return false }
        return opened.st_ino == named.st_ino && opened.st_dev == named.st_dev
    }

    private static func summary(_ contents: String) -> String {
        guard let data = contents.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return "its details are not written yet" }
        let pid = object["pid"].map { "pid \($0)" } ?? "pid unknown"
        let url = (object["url"] as? String).map { ", \($0)" } ?? ""
        return pid + url
    }
}
