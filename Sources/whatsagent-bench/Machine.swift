import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The machine a run happened on, printed before the table (SPEC §14: "with the machine noted").
struct Machine {
    var processors: Int
    var cpuModel: String
    var memoryBytes: UInt64
    var kernel: String
    /// `release` or `debug`: how the measured `whatsagent` binary was built (from its path in `.build`).
    var buildConfiguration: String

    static func probe(whatsagent: String) -> Machine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let system = withUnsafeBytes(of: &name.sysname) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return Machine(
            processors: ProcessInfo.processInfo.activeProcessorCount,
            cpuModel: model,
            memoryBytes: ProcessInfo.processInfo.physicalMemory,
            kernel: "\(system) \(release)",
            buildConfiguration: self.configuration(of: whatsagent)
        )
    }

    /// The `.build/<configuration>/` the binary lives in, following symbolic links.
    static func configuration(of binary: String) -> String {
        let resolved = URL(fileURLWithPath: binary).resolvingSymlinksInPath().pathComponents
        if resolved.contains("release") { return "release" }
        if resolved.contains("debug") { return "debug" }
        return "unknown (not under .build/release or .build/debug)"
    }

    var summary: String {
        let gib = Double(self.memoryBytes) / Double(1 << 30)
        return "\(self.processors) cores (nproc), \(self.cpuModel), \(String(format: "%.1f", gib)) GiB RAM, \(self.kernel), "
            + "\(self.buildConfiguration) build"
    }
}

/// Resident memory of a live process, from the `Key:   N kB` lines of its `/proc/<pid>` files, in bytes.
enum ResidentMemory {
    /// `VmRSS` of `/proc/<pid>/status`.
    static func bytes(pid: Int32) throws -> Double {
        try self.field("VmRSS", of: "/proc/\(pid)/status")
    }

    /// RSS split into anonymous memory (heap, stacks: `RssAnon`) and file-backed pages (the binary and its shared
    /// libraries, shared with other processes mapping them: `RssFile`), from `/proc/<pid>/status`; 0 when unreadable.
    static func split(pid: Int32) -> (anonymous: Double, file: Double) {
        let status = "/proc/\(pid)/status"
        return ((try? self.field("RssAnon", of: status)) ?? 0, (try? self.field("RssFile", of: status)) ?? 0)
    }

    /// Proportional set size: each resident page divided by the number of processes mapping it (`Pss` of
    /// `/proc/<pid>/smaps_rollup`). What one more such process really costs when several run.
    static func proportional(pid: Int32) throws -> Double {
        try self.field("Pss", of: "/proc/\(pid)/smaps_rollup")
    }

    /// The kB value of the line `name:` in `file`, in bytes.
    private static func field(_ name: String, of file: String) throws -> Double {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
            let kilobytes = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap({ Double($0) })
        else { throw BenchError.unexpected("no \(name) in \(file)") }
        return kilobytes * 1_024
    }
}

/// CPU time (user + system) a live process has used so far: fields 14 and 15 of `/proc/<pid>/stat`, in seconds.
enum CPUTime {
    static func seconds(pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = stat.lastIndex(of: ")")
        else { return 0 }
        // After "pid (comm)": state is field 3, so utime (14) and stime (15) are the 12th and 13th words.
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
