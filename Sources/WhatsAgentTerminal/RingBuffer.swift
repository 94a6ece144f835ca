/// The last `capacity` bytes of a terminal's output, addressed by absolute offsets.
///
/// Offsets count every byte ever appended (`endOffset` is the total written), so a viewer that saw output up to
/// offset N resumes with `bytes(from: N)` and gets exactly what it missed — or, when that was overwritten, the
/// oldest bytes still held (`startOffset`). Storage grows up to `capacity` and then wraps.
public struct RingBuffer: Sendable {
    /// SPEC `buffer_bytes`: 1 MiB.
    public static let defaultCapacity = 1 << 20
    /// How much output is kept after a session ends (SPEC §12).
    public static let exitTailBytes = 256 << 10

    /// The most bytes held.
    public let capacity: Int
    private var storage: [UInt8] = []
    /// Index in `storage` of the oldest byte once the buffer is full.
    private var head = 0
    /// Total bytes ever appended: the offset just past the newest byte.
    public private(set) var endOffset: UInt64 = 0

    public init(capacity: Int = RingBuffer.defaultCapacity) {
        precondition(capacity > 0, "a ring buffer needs a positive capacity")
        self.capacity = capacity
    }

    /// Bytes currently held.
    public var count: Int { self.storage.count }

    /// The offset of the oldest byte still held.
    public var startOffset: UInt64 { self.endOffset - UInt64(self.storage.count) }

    /// Appends `bytes`, overwriting the oldest bytes once full.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        self.endOffset += UInt64(bytes.count)
        var input = bytes[...]
        if input.count >= self.capacity {
            // Only the newest `capacity` bytes survive.
            input = input.suffix(self.capacity)
            self.storage = Array(input)
            self.head = 0
            return
        }
        let room = self.capacity - self.storage.count
        if room > 0 {
            let direct = input.prefix(room)
            self.storage.append(contentsOf: direct)
            input = input.dropFirst(direct.count)
        }
        while !input.isEmpty {
            let run = min(input.count, self.capacity - self.head)
            let chunk = input.prefix(run)
            self.storage.replaceSubrange(self.head..<(self.head + run), with: chunk)
            self.head = (self.head + run) % self.capacity
            input = input.dropFirst(run)
        }
    }

    /// The bytes from `offset` to the end, starting at `startOffset` when `offset` is older than what is held, and
    /// empty when `offset` is at or past the end. `start` is the offset of the first returned byte.
    public func bytes(from offset: UInt64) -> (start: UInt64, bytes: [UInt8]) {
        let start = min(max(offset, self.startOffset), self.endOffset)
        let wanted = Int(self.endOffset - start)
        return (start, self.newest(wanted))
    }

    /// The newest `maxBytes` bytes (all of them when fewer are held), with the offset of the first.
    public func tail(maxBytes: Int) -> (start: UInt64, bytes: [UInt8]) {
        let wanted = min(max(0, maxBytes), self.storage.count)
        return (self.endOffset - UInt64(wanted), self.newest(wanted))
    }

    /// The newest `wanted` bytes in order; `wanted` is at most `count`.
    private func newest(_ wanted: Int) -> [UInt8] {
        guard wanted > 0 else { return [] }
        if self.storage.count < self.capacity || self.head == 0 {
            return Array(self.storage[(self.storage.count - wanted)...])
        }
        // Full and wrapped: logical order is storage[head...] then storage[..<head].
        let firstLogical = self.storage.count - wanted
        var result: [UInt8] = []
        result.reserveCapacity(wanted)
        let olderPart = self.capacity - self.head
        if firstLogical < olderPart {
            result.append(contentsOf: self.storage[(self.head + firstLogical)...])
            result.append(contentsOf: self.storage[..<self.head])
        } else {
            result.append(contentsOf: self.storage[(firstLogical - olderPart)..<self.head])
        }
        return result
    }
}
