import HTTPTypes
import Hummingbird

/// Adds the security headers to every TCP response, errors included (SPEC §11): the Content-Security-Policy of
/// ``WebSecurityPolicy/contentSecurityPolicy``, `nosniff`, `no-referrer` and frame denial.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = WebSecurityPolicy.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        response.headers[.xFrameOptions] = "DENY"
        return response
    }
}

extension HTTPField.Name {
    /// `Host` as a plain field (servers move it to `:authority`; in-process tests send it as a field).
    static var hostField: Self { Self("Host") ?? .contentType }
    static var xFrameOptions: Self { Self("X-Frame-Options") ?? .contentType }
    static var referrerPolicy: Self { Self("Referrer-Policy") ?? .contentType }
    static var xCSRFToken: Self { Self(WebSecurityPolicy.csrfHeader) ?? .contentType }
}
