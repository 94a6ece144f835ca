import Foundation
enum OpenAPIDocument { static func data(version: String) throws -> Data { Data("{}".utf8) } }
