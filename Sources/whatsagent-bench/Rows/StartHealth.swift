import Foundation
import WhatsAgentAPI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SPEC §14 row 5: `whatsagent start` (detaching, as a user runs it) until `GET /health` on the printed URL
/// answers 200. The daemon is stopped between samples; every sample reuses one home, as restarts do.
enum StartHealth {
    static func run(binary: String, samples: Int) async throws -> [Double] {
        let home = try DaemonHarness.makeHome()
        Cleanup.shared.register(home: home, binary: binary)
        var timings: [Double] = []
        do {
            for _ in 0..<samples {
                let begin = ContinuousClock.now
                let info = try await DaemonHarness.start(binary: binary, home: home)
                guard let port = URL(string: info.url)?.port else { throw BenchError.unexpected("no port in \(info.url)") }
                try await self.waitForHealth(port: port)
                timings.append((ContinuousClock.now - begin).milliseconds)
                CPUAccounting.noteDaemonStopping(pid: info.pid)
                _ = try await Subprocess.checked(binary, ["stop", "--home", home])
            }
        } catch {
            Cleanup.shared.release(home: home)
            throw error
        }
        Cleanup.shared.release(home: home)
        return timings
    }

    /// Repeats `GET /health` until it answers 200 (`start` returns once the daemon listens, so the first normally does).
    private static func waitForHealth(port: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        var last = "no answer"
        while ContinuousClock.now < deadline {
            switch self.healthStatus(port: port) {
            case .success(200): return
            case .success(let status): last = "HTTP \(status)"
            case .failure(let error): last = error.description
            }
            await Task.yield()
        }
        throw BenchError.timeout("GET /health on port \(port): \(last)")
    }

    /// One `GET /health` over a plain TCP socket: the status code of the response.
    static func healthStatus(port: Int) -> Result<Int, BenchError> {
        #if canImport(Glibc)
        let socketType = Int32(SOCK_STREAM.rawValue)
        #else
        let socketType = SOCK_STREAM
        #endif
        let descriptor = socket(AF_INET, socketType, 0)
        guard descriptor >= 0 else { return .failure(.unexpected("socket: \(String(cString: strerror(errno)))")) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return .failure(.unexpected("connect: \(String(cString: strerror(errno)))")) }
        let request = Array("GET /health HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(descriptor, $0.baseAddress, $0.count, 0) }) == request.count else {
            return .failure(.unexpected("send: \(String(cString: strerror(errno)))"))
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1_024)
        while !response.contains(UInt8(ascii: "\n")) {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            response += buffer[0..<count]
        }
        // "HTTP/1.1 200 OK"
        let words = String(decoding: response, as: UTF8.self).split(separator: " ", maxSplits: 2)
        guard words.count >= 2, let status = Int(words[1]) else { return .failure(.unexpected("not an HTTP response")) }
        return .success(status)
    }
}
