import HTTPTypes
import Hummingbird
import NIOCore

/// Caps request bodies at `[ui] max_request_bytes` (default 256 KiB): larger bodies get 413 with the JSON error
/// envelope, whether announced by `Content-Length` or streamed.
struct RequestBodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > self.maxBytes {
            throw self.tooLarge
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: self.maxBytes)
        } catch is NIOTooManyBytesError {
            throw self.tooLarge
        }
        return try await next(request, context)
    }

    private var tooLarge: HTTPError {
        HTTPError(
            .contentTooLarge,
            message:
                "the request body is larger than \(self.maxBytes) bytes; send less, or raise [ui] max_request_bytes (WHATSAGENT_MAX_REQUEST_BYTES)"
        )
    }
}
