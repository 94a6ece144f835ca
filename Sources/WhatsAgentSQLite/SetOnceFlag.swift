import Foundation
import WhatsAgentCore

/// A flag that goes from unset to set once and stays set; safe to read and set from any thread.
final class SetOnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { self.lock.withLock { self.value } }

    func set() {
        self.lock.withLock { self.value = true }
    }
}
