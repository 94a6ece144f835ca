import Testing

@testable import WhatsAgentCore

/// Branch names of agent worktrees (issue 23): the default `wa/<agent>` is always a valid ref; a chosen one is checked.
@Suite struct WorktreeBranchTests {
    @Test func defaultNamesAreSanitised() {
        #expect(WorktreeBranch.defaultName(forAgent: "dev2") == "wa/dev2")
        #expect(WorktreeBranch.defaultName(forAgent: "Dev Two") == "wa/Dev-Two")
        #expect(WorktreeBranch.defaultName(forAgent: "..x.lock") == "wa/x")
        #expect(WorktreeBranch.defaultName(forAgent: "é") == "wa/agent")
        for name in ["dev2", "Dev Two", "..x.lock", "a~b^c:d", "-lead", "x.", "é"] {
            #expect(WorktreeBranch.problem(WorktreeBranch.defaultName(forAgent: name)) == nil, "\(name)")
        }
    }

    @Test func chosenNamesFollowGitsRules() throws {
        #expect(try WorktreeBranch.validate(" feature/two ") == "feature/two")
        for bad in ["", "a..b", "a b", "-x", "x/", "/x", "a//b", "x.lock", "a/.b", "x@{1}", "HEAD", "a:b", "a~1", "x."] {
            #expect(throws: DomainError.self, "\(bad)") { try WorktreeBranch.validate(bad) }
        }
        let error = #expect(throws: DomainError.self) { try WorktreeBranch.validate("a..b") }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("--branch") == true)
    }
}
