import Foundation

// whatsagent-bench: the SPEC §14 benchmarks against a real daemon. See docs/benchmarks.md.

Cleanup.shared.installSignalHandlers()

let options: Options
do {
    options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("whatsagent-bench: \(error)\n\n\(Options.usage)\n".utf8))
    exit(2)
}
if options.help {
    print(Options.usage)
    exit(0)
}

do {
    try await Bench(options: options).run()
} catch {
    if !Cleanup.shared.interrupted {
        FileHandle.standardError.write(Data("whatsagent-bench: the benchmark failed: \(error)\n".utf8))
    }
    Cleanup.shared.releaseAll()
    exit(Cleanup.shared.interrupted ? 130 : 1)
}
Cleanup.shared.releaseAll()
exit(0)
