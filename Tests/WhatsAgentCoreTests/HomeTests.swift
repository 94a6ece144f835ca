import Foundation
import Testing

@testable import WhatsAgentCore

@Suite struct HomeTests {
    @Test func homeResolutionOrderIsFlagThenEnvironmentThenDefault() {
        let environment = ["WHATSAGENT_DAEMON_HOME": "/env/home", "HOME": "/users/me"]

        #expect(HomeLayout.resolve(flag: "/flag/home", environment: environment, currentDirectory: "/cwd").root == "/flag/home")
        #expect(HomeLayout.resolve(flag: nil, environment: environment, currentDirectory: "/cwd").root == "/env/home")
        #expect(HomeLayout.resolve(flag: nil, environment: ["HOME": "/users/me"], currentDirectory: "/cwd").root == "/users/me/.whatsagent")
        #expect(HomeLayout.resolve(flag: "rel/../home", environment: [:], currentDirectory: "/cwd").root == "/cwd/home")
    }

    @Test func socketPathsMustFitTheUnixLimit() throws {
        let fits = HomeLayout(root: "/tmp/" + String(repeating: "h", count: 40))
        let tooLong = HomeLayout(root: "/tmp/" + String(repeating: "h", count: 80))

        try fits.validateSocketPaths()
        let error = #expect(throws: DomainError.self) { try tooLong.validateSocketPaths() }

        #expect(fits.longestSocketPath.utf8.count <= HomeLayout.maxSocketPathBytes)
        #expect(error?.code == .homePathTooLong)
        #expect(error?.message.contains("shorter --home") == true)
    }

    @Test func prepareMakesOwnerOnlyFolders() throws {
        let home = try TemporaryHome()
        chmod(home.layout.root, 0o755)

        try home.layout.prepare()

        let mode = try FileManager.default.attributesOfItem(atPath: home.layout.root)[.posixPermissions] as? Int
        #expect(mode == 0o700)
    }

    @Test func thePIDFileLockAdmitsOneHolder() throws {
        let home = try TemporaryHome()
        let first = try PIDFileLock.acquire(path: home.layout.pidFile)
        first.write(Data(#"{"pid":42,"url":"http://127.0.0.1:1"}"#.utf8))

        let error = #expect(throws: DomainError.self) { try PIDFileLock.acquire(path: home.layout.pidFile) }
        #expect(error?.code == .daemonAlreadyRunning)
        #expect(error?.message.contains("pid 42") == true)
        #expect(PIDFileLock.isHeld(path: home.layout.pidFile))

        first.release()

        #expect(!PIDFileLock.isHeld(path: home.layout.pidFile))
        #expect(!FileManager.default.fileExists(atPath: home.layout.pidFile))
        try PIDFileLock.acquire(path: home.layout.pidFile).release()
    }
}
