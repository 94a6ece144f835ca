import Foundation
import HTTPTypes
import Hummingbird

/// Refuses (400) a request whose target is not one canonical origin-form path, before any security middleware sees
/// it, on TCP and on the owner socket alike. The router drops empty segments (`//api/v1/status` matches
/// `/api/v1/status`), so a check on the raw path and a route that matched a different spelling of it would disagree;
/// with one spelling per route they cannot. Refused:
/// - a segment that is empty (`//`, a trailing `/`), `.` or `..`, raw or percent-encoded (`%2e`, `%2E%2e`);
/// - a segment that decodes to something holding `/`, `\` or a control character (`%2f`, `%5c`, `%00`), or that is
///   not valid percent-encoding;
/// - a target that is not a path (`OPTIONS *`).
/// On TCP an absolute-form target (`GET http://other.example/…`) and a second `Host` header are refused earlier, on the
/// raw request head, by ``RawRequestLineGuard``: the conversion to `HTTPRequest` keeps only the path and the first
/// `Host`.
struct RequestTargetGuardMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let problem = Self.problem(path: request.uri.path) {
            throw HTTPError(.badRequest, message: "\(problem); send the path in its one canonical form, e.g. /api/v1/status")
        }
        return try await next(request, context)
    }

    /// What is wrong with a request path, or nil when it is canonical.
    static func problem(path: String) -> String? {
        guard path.hasPrefix("/") else { return "the request target must be a path starting with '/'" }
        guard path != "/" else { return nil }
        for raw in path.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard !raw.isEmpty else { return "the request path has an empty segment ('//' or a trailing '/')" }
            guard let segment = String(raw).removingPercentEncoding else {
                return "the request path has a segment that is not valid percent-encoding"
            }
            if segment == "." || segment == ".." {
                return "the request path has a '.' or '..' segment (also percent-encoded)"
            }
            if segment.isEmpty || segment.unicodeScalars.contains(where: Self.isForbidden) {
                return "the request path has a segment that decodes to a separator or a control character"
            }
        }
        return nil
    }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "/" || scalar == "\\" || scalar.value < 0x20 || scalar.value == 0x7F
    }
}
