import Crypto
import Foundation

/// Random secrets of the web login (setup token, session token, recovery code) and their stored forms.
///
/// High-entropy tokens are stored as their SHA-256 (a slow hash adds nothing for 256 random bits); the recovery code
/// is shorter and typed by hand, so it is bcrypt-hashed like the password.
public enum AuthSecret {
    /// 32 random bytes as 43 base64url characters.
    public static func token() -> String {
        self.base64URL(self.randomBytes(32))
    }

    /// A recovery code: 20 random bytes in base32 (A–Z, 2–7), as eight dash-separated groups of four characters.
    public static func recoveryCode() -> String {
        let text = self.base32(self.randomBytes(20))
        var groups: [String] = []
        var index = text.startIndex
        while index < text.endIndex {
            let end = text.index(index, offsetBy: 4, limitedBy: text.endIndex) ?? text.endIndex
            groups.append(String(text[index..<end]))
            index = end
        }
        return groups.joined(separator: "-")
    }

    /// The canonical form of a typed recovery code: upper case without dashes or spaces, so `abcd efgh` matches.
    public static func normalizedRecoveryCode(_ text: String) -> String {
        String(text.uppercased().filter { $0 != "-" && !$0.isWhitespace })
    }

    /// The stored form of a token: hex SHA-256.
    public static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The CSRF token of a session, derived from its (secret) session token, so it is never stored and changes with
    /// every new session.
    public static func csrfToken(forSession token: String) -> String {
        let key = SymmetricKey(data: Data(token.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data("whatsagent-csrf-v1".utf8), using: key)
        return self.base64URL(Array(mac))
    }

    /// Compares two strings in time that depends only on their lengths.
    public static func constantTimeEqual(_ first: String, _ second: String) -> Bool {
        let left = Array(first.utf8)
        let right = Array(second.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func base32(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var output = ""
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return output
    }
}
