import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import WhatsAgentAPI
import WhatsAgentCore

/// Maps every error to the one JSON envelope `{"error":{"code","message"}}` — the single place where domain
/// errors become HTTP statuses.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as DomainError {
            // The human's transports (management API) get human words; the agent protocol keeps the tool names.
            let worded = HumanWording.isAgentProtocol(path: request.uri.path) ? error : HumanWording.forHuman(error)
            return Self.response(status: Self.status(for: worded.code), code: worded.code.rawValue, message: worded.message)
        } catch let error as HTTPError {
            let message = error.body ?? Self.defaultMessage(error.status, request: request)
            return Self.response(status: error.status, code: Self.code(for: error.status), message: message)
        } catch is NIOTooManyBytesError {
            // A body past the route's cap (the JSON decoders collect at most `maxUploadSize`), on either listener.
            return Self.response(
                status: .contentTooLarge,
                code: "body_too_large",
                message: "the request body is larger than this route accepts (\(context.maxUploadSize) bytes for JSON); send less"
            )
        } catch let error as DecodingError {
            return Self.response(status: .badRequest, code: "invalid_request", message: "the request body is not valid: \(Self.describe(error))")
        } catch {
            if let storage = DomainError.storageFailure(error) {
                context.logger.error("storage failure", metadata: ["error": "\(error)", "http.path": "\(request.uri.path)"])
                return Self.response(status: Self.status(for: storage.code), code: storage.code.rawValue, message: storage.message)
            }
            context.logger.error("request failed", metadata: ["error": "\(error)", "http.path": "\(request.uri.path)"])
            return Self.response(status: .internalServerError, code: "internal_error", message: "internal error: \(error)")
        }
    }

    static func status(for code: DomainError.Code) -> HTTPResponse.Status {
        switch code {
        case .invalidArgument, .invalidName, .configuration, .homePathTooLong: .badRequest
        case .notFound, .workspaceNotFound, .repoNotFound, .agentNotFound: .notFound
        case .noCurrentWorkspace, .nameTaken, .pathTaken, .liveSessions, .invalidState, .daemonAlreadyRunning, .sessionExists,
            .idempotencyConflict, .commandNotFound:
            .conflict
        case .topologyRefused, .rbacDenied, .agentMuted, .csrfTokenInvalid, .hostNotAllowed, .originNotAllowed, .humanOnly: .forbidden
        case .invalidSessionToken, .authenticationRequired, .invalidCredentials: .unauthorized
        case .rateLimited, .accountLocked: .tooManyRequests
        case .databaseTooNew, .storage, .bindFailed, .launchFailed: .serviceUnavailable
        }
    }

    static func response(status: HTTPResponse.Status, code: String, message: String) -> Response {
        let body = (try? WireJSON.encoder().encode(APIErrorBody(code: code, message: message))) ?? Data()
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }

    private static func code(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .contentTooLarge: "body_too_large"
        case .unsupportedMediaType: "unsupported_media_type"
        default: status.code < 500 ? "invalid_request" : "internal_error"
        }
    }

    private static func defaultMessage(_ status: HTTPResponse.Status, request: Request) -> String {
        switch status {
        case .notFound: "no route \(request.method) \(request.uri.path); see /api/v1/openapi.json for the API"
        default: status.reasonPhrase
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "missing field '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            context.codingPath.isEmpty
                ? context.debugDescription
                : "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)"
        @unknown default: "\(error)"
        }
    }
}
