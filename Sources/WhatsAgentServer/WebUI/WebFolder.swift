import Foundation

/// The folder the web UI's static files are served from (`index.html`, `js/`, `css/`, `vendor/xterm/`), found once at
/// start (see ``discover(configured:executablePath:)``). The daemon serves it from disk; nothing is copied.
public struct WebFolder: Sendable, Equatable {
    /// Where a candidate came from, for the start log line and the tests.
    public enum Source: String, Sendable, Equatable {
        /// `WHATSAGENT_WEB_DIR` / `[ui] web_dir`.
        case configured
        /// `<dir of executable>/web`.
        case besideExecutable = "beside_executable"
        /// `<dir of executable>/../share/whatsagent/web`.
        case sharePrefix = "share_prefix"
        /// `Sources/WhatsAgentServer/Web` found walking up from the executable (the build tree).
        case buildTree = "build_tree"
    }

    /// The folder with symlinks resolved: the bound every served path must stay inside.
    public let path: String
    public let source: Source

    /// The folder `make web-assets` fills with the xterm.js bundle, relative to the web folder.
    static let xtermFiles = ["vendor/xterm/xterm.js", "vendor/xterm/xterm.css"]

    /// Whether the terminal page's xterm.js files are present (checked per call, so `make web-assets` after start
    /// counts without a restart).
    public var hasXterm: Bool {
        Self.xtermFiles.allSatisfy { WebFolder.isRegularFile((self.path as NSString).appendingPathComponent($0)) }
    }

    /// The candidates in the order they are tried: the configured folder, `<exe dir>/web`,
    /// `<exe dir>/../share/whatsagent/web`, then `Sources/WhatsAgentServer/Web` under each ancestor of the
    /// executable's directory (nearest first).
    public static func candidates(configured: String?, executablePath: String) -> [(String, Source)] {
        var list: [(String, Source)] = []
        if let configured, !configured.isEmpty {
            list.append(((configured as NSString).expandingTildeInPath, .configured))
        }
        let executable = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath()
        let directory = executable.deletingLastPathComponent()
        list.append((directory.appendingPathComponent("web").path, .besideExecutable))
        list.append((directory.deletingLastPathComponent().appendingPathComponent("share/whatsagent/web").path, .sharePrefix))
        var ancestor = directory
        while true {
            list.append((ancestor.appendingPathComponent("Sources/WhatsAgentServer/Web").path, .buildTree))
            let parent = ancestor.deletingLastPathComponent()
            if parent.path == ancestor.path { break }
            ancestor = parent
        }
        return list
    }

    /// The first candidate that holds an `index.html`, or nil (then `/` answers 503 with how to get the files).
    public static func discover(configured: String?, executablePath: String) -> WebFolder? {
        for (path, source) in self.candidates(configured: configured, executablePath: executablePath) {
            let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            if self.isRegularFile((resolved as NSString).appendingPathComponent("index.html")) {
                return WebFolder(path: resolved, source: source)
            }
        }
        return nil
    }

    /// A folder used as is (tests, or a caller that already chose one).
    public init(path: String, source: Source) {
        self.path = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        self.source = source
    }

    static func isRegularFile(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && !directory.boolValue
    }
}
