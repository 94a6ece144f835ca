import Testing

@testable import WhatsAgentTerminal

@Suite("RingBuffer")
struct RingBufferTests {
    @Test("holds everything until full, with offsets from zero")
    func beforeWrapping() {
        var ring = RingBuffer(capacity: 8)
        ring.append(Array("abc".utf8))
        ring.append(Array("de".utf8))
        #expect(ring.count == 5)
        #expect(ring.startOffset == 0)
        #expect(ring.endOffset == 5)
        #expect(ring.bytes(from: 0) == (0, Array("abcde".utf8)))
        #expect(ring.bytes(from: 3) == (3, Array("de".utf8)))
        #expect(ring.bytes(from: 5) == (5, []))
        #expect(ring.bytes(from: 99) == (5, []))
        #expect(ring.tail(maxBytes: 2) == (3, Array("de".utf8)))
    }

    @Test("wraps around: keeps the newest bytes in order and moves the start offset")
    func wrapping() {
        var ring = RingBuffer(capacity: 8)
        var all: [UInt8] = []
        for round in 0..<50 {
            let chunk = (0..<(round % 7 + 1)).map { UInt8(truncatingIfNeeded: round * 7 + $0) }
            ring.append(chunk)
            all += chunk
            #expect(ring.endOffset == UInt64(all.count))
            #expect(ring.count == min(8, all.count))
            #expect(ring.bytes(from: 0).bytes == Array(all.suffix(8)))
            #expect(ring.bytes(from: 0).start == UInt64(all.count - ring.count))
            // Resuming from any held offset returns exactly what follows it.
            let resume = ring.endOffset - UInt64(min(3, ring.count))
            #expect(ring.bytes(from: resume) == (resume, Array(all.suffix(Int(ring.endOffset - resume)))))
            #expect(ring.tail(maxBytes: 5).bytes == Array(all.suffix(5)))
        }
    }

    @Test("an append larger than the capacity keeps its last bytes")
    func oversizedAppend() {
        var ring = RingBuffer(capacity: 4)
        ring.append(Array("xy".utf8))
        ring.append(Array("0123456789".utf8))
        #expect(ring.endOffset == 12)
        #expect(ring.bytes(from: 0) == (8, Array("6789".utf8)))
        ring.append(Array("ab".utf8))
        #expect(ring.bytes(from: 0) == (10, Array("89ab".utf8)))
    }

    @Test("the default capacity is 1 MiB and the exit tail is the last 256 KiB")
    func defaultsAndExitTail() {
        var ring = RingBuffer()
        #expect(ring.capacity == 1 << 20)
        let data = (0..<(1_500_000)).map { UInt8(truncatingIfNeeded: $0 % 251) }
        ring.append(data)
        let tail = ring.tail(maxBytes: RingBuffer.exitTailBytes)
        #expect(tail.bytes == Array(data.suffix(256 << 10)))
        #expect(tail.start == UInt64(data.count - (256 << 10)))
        #expect(ring.bytes(from: 0).bytes == Array(data.suffix(1 << 20)))
    }
}

@Suite("AttentionDetector")
struct AttentionDetectorTests {
    @Test("finds a phrase through escape sequences, case and cursor moves, split across reads")
    func findsPrompts() {
        var detector = AttentionDetector()
        #expect(detector.scan(Array("Do you want".utf8)) == nil)
        #expect(detector.scan(Array(" to \u{1b}[1mPROCEED\u{1b}[0m?".utf8)) == "do you want to proceed")
        #expect(detector.scan(Array("Waiting\u{1b}[1Cfor\r\napproval".utf8)) == "waiting for approval")
        #expect(detector.scan(Array("\u{1b}]0;title\u{07}allow this command?".utf8)) == "allow this command")
    }

    @Test("ordinary output raises nothing and one occurrence is reported once")
    func quietOtherwise() {
        var detector = AttentionDetector()
        #expect(detector.scan(Array("compiling… permission granted; do you want coffee".utf8)) == nil)
        #expect(detector.scan(Array("permission required".utf8)) == "permission required")
        #expect(detector.scan(Array(" and more text".utf8)) == nil)
    }
}
