import Foundation

/// Writes a POSIX ustar archive: enough for the backup's folders and database files, readable by `tar -xf`.
struct TarArchive {
    private(set) var data = Data()
    private let modificationTime: Int

    init(modificationTime: Date) {
        self.modificationTime = Int(modificationTime.timeIntervalSince1970)
    }

    /// Adds a folder entry (mode 0700).
    mutating func addDirectory(_ name: String) throws {
        try self.appendHeader(name: name.hasSuffix("/") ? name : name + "/", size: 0, mode: 0o700, type: "5")
    }

    /// Adds a regular file (mode 0600) with `contents`.
    mutating func addFile(_ name: String, contents: Data) throws {
        try self.appendHeader(name: name, size: contents.count, mode: 0o600, type: "0")
        self.data.append(contents)
        self.pad()
    }

    /// Ends the archive with the two zero blocks tar expects.
    mutating func finish() {
        self.data.append(Data(count: 1024))
    }

    private mutating func appendHeader(name: String, size: Int, mode: Int, type: Character) throws {
        let nameBytes = Array(name.utf8)
        guard nameBytes.count < 100 else {
            throw DomainError(.storage, "backup entry name \(name) is too long for the archive")
        }
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ bytes: [UInt8], at offset: Int) {
            for (index, byte) in bytes.enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int, width: Int) -> [UInt8] {
            let digits = String(value, radix: 8)
            return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
        }
        put(nameBytes, at: 0)
        put(octal(mode, width: 8), at: 100)
        put(octal(Int(getuid()), width: 8), at: 108)
        put(octal(Int(getgid()), width: 8), at: 116)
        put(octal(size, width: 12), at: 124)
        put(octal(self.modificationTime, width: 12), at: 136)
        put(Array(String(type).utf8), at: 156)
        put(Array("ustar".utf8) + [0], at: 257)
        put(Array("00".utf8), at: 263)
        // The checksum is computed with its own field filled with spaces.
        put([UInt8](repeating: 0x20, count: 8), at: 148)
        let checksum = header.reduce(0) { $0 + Int($1) }
        put(octal(checksum, width: 7) + [0x20], at: 148)
        self.data.append(contentsOf: header)
    }

    private mutating func pad() {
        let remainder = self.data.count % 512
        if remainder != 0 { self.data.append(Data(count: 512 - remainder)) }
    }
}
