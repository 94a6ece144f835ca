import Foundation
import WhatsAgentCore

/// What the TCP listener accepts (SPEC §11): the Host allow-list (DNS-rebinding defence), the exact origins of
/// state-changing requests, the body cap, and the response headers. Built from ``DaemonConfiguration``; the port
/// is read when a request arrives because `--port 0` is only known once bound.
public struct WebSecurityPolicy: Sendable {
    /// One allowed `Host` value and the scheme the browser uses for it.
    struct AllowedHost: Equatable, Sendable {
        /// Lower-cased `host[:port]` exactly as a browser sends it in `Host`.
        var authority: String
        /// `https` for an `allow_hosts` entry written `https://…` (served by a TLS reverse proxy), else `http`.
        var scheme: String
        var origin: String { "\(self.scheme)://\(self.authority)" }
    }

    /// The session cookie's name.
    public static let cookieName = "wa_session"
    /// The request header that carries the CSRF token (the WebSocket upgrade uses the `csrf` query parameter).
    public static let csrfHeader = "X-CSRF-Token"
    /// `Content-Security-Policy` of every TCP response: everything from the daemon itself, nothing inline, no
    /// frames, no plugins, forms and the base URL only to the daemon.
    public static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

    public var hostCheck: DaemonConfiguration.HostCheck
    public var maxRequestBytes: Int
    private let configuredHost: String
    private let extraHosts: [AllowedHost]
    private let port: BoundPort

    /// - Parameters:
    ///   - port: the listener's port, set once it is bound.
    public init(configuration: DaemonConfiguration, port: BoundPort) {
        self.hostCheck = configuration.hostCheck
        self.maxRequestBytes = configuration.maxRequestBytes
        self.configuredHost = configuration.host
        self.extraHosts = configuration.allowHosts.compactMap(Self.parse)
        self.port = port
    }

    /// The allowed `Host` values: loopback names on the bound port, the configured host (unless a wildcard), and
    /// `allow_hosts` / `WHATSAGENT_HOST_ALLOW`.
    var allowedHosts: [AllowedHost] {
        let port = self.port.value
        var names = ["127.0.0.1", "localhost", "[::1]"]
        let host = self.configuredHost.lowercased()
        if !["0.0.0.0", "::", ""].contains(host) {
            names.append(host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host)
        }
        var hosts = names.map { AllowedHost(authority: "\($0):\(port)", scheme: "http") }
        hosts.append(contentsOf: self.extraHosts)
        return hosts
    }

    /// The allowed host matching a `Host` header value, nil when it is not allowed.
    func allowedHost(_ header: String?) -> AllowedHost? {
        guard let header = header?.lowercased(), !header.isEmpty else { return nil }
        return self.allowedHosts.first { $0.authority == header }
    }

    /// Whether `origin` is exactly the origin of the (allowed) host the request was sent to.
    func isAllowedOrigin(_ origin: String?, host: String?) -> Bool {
        guard let origin, let allowed = self.allowedHost(host) ?? self.unverifiedHost(host) else { return false }
        return origin.lowercased() == allowed.origin
    }

    /// With the Host check off or warning, a request for an unlisted host is still matched against its own origin.
    private func unverifiedHost(_ header: String?) -> AllowedHost? {
        guard self.hostCheck != .enforce, let header = header?.lowercased(), !header.isEmpty else { return nil }
        return AllowedHost(authority: header, scheme: "http")
    }

    /// Parses an `allow_hosts` entry: `host[:port]`, or `http(s)://host[:port]` (a path is ignored).
    static func parse(_ entry: String) -> AllowedHost? {
        var text = entry.trimmingCharacters(in: .whitespaces).lowercased()
        var scheme = "http"
        if text.hasPrefix("https://") {
            scheme = "https"
            text.removeFirst("https://".count)
        } else if text.hasPrefix("http://") {
            text.removeFirst("http://".count)
        }
        if let slash = text.firstIndex(of: "/") { text = String(text[..<slash]) }
        return text.isEmpty ? nil : AllowedHost(authority: text, scheme: scheme)
    }
}

/// The TCP listener's port, known once it is bound (`--port 0` picks one).
public final class BoundPort: @unchecked Sendable {
    private let lock = NSLock()
    private var port: Int

    public init(_ port: Int) {
        self.port = port
    }

    public var value: Int {
        self.lock.withLock { self.port }
    }

    public func set(_ port: Int) {
        self.lock.withLock { self.port = port }
    }
}

/// Validates a `?return=` target so a login link can never send the browser elsewhere (no open redirect).
public enum SafeReturnPath {
    /// `candidate` when it is a same-origin path starting with a single `/` (no `//`, no backslash, no control or
    /// space characters, no scheme); otherwise `/`.
    public static func validate(_ candidate: String?) -> String {
        guard let path = candidate, path.hasPrefix("/"), !path.hasPrefix("//"), path.unicodeScalars.count <= 2048,
            !path.contains("\\"),
            !path.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F })
        else { return "/" }
        return path
    }
}
