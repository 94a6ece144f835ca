import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

@Suite struct NamesTests {
    @Test(arguments: ["api", "A-b_9", String(repeating: "x", count: 64)])
    func validSegments(name: String) throws {
        #expect(try Names.validateSegment(name, kind: "repo") == name)
    }

    @Test(arguments: ["", "a:b", "has space", "dot.ted", "ümlaut", String(repeating: "x", count: 65)])
    func invalidSegments(name: String) {
        #expect(throws: DomainError.self) { try Names.validateSegment(name, kind: "agent") }
    }

    @Test func sanitizingKeepsWhatIsAllowed() {
        #expect(Names.sanitizeSegment("my web.app") == "my_web_app")
        #expect(Names.sanitizeSegment("__x__") == "x")
        #expect(Names.sanitizeSegment("...") == nil)
    }

    @Test func limitsAndRetentionsParse() throws {
        #expect(try Limit(parsing: "off", name: "rate", range: 1...10) == .off)
        #expect(try Limit(parsing: "7", name: "rate", range: 1...10) == .value(7))
        #expect(throws: DomainError.self) { try Limit(parsing: "11", name: "rate", range: 1...10) }
        #expect(try Retention(parsing: "forever", name: "chat") == .forever)
        #expect(throws: DomainError.self) { try Retention(parsing: "0", name: "chat") }
        #expect(try KanbanPrefix.validate("task", name: "prefix") == "TASK")
        #expect(throws: DomainError.self) { try KanbanPrefix.validate("1A", name: "prefix") }
    }

    @Test func personaFilesAreTOMLOrPlainText() throws {
        let toml = try PersonaFile.parse("description = \"Owns payments\"\nworking_style = \"tests first\"\n", path: "p.toml")
        let text = try PersonaFile.parse("# Be brief\n", path: "persona.md")

        #expect(toml == Persona(description: "Owns payments", workingStyle: "tests first"))
        #expect(text == Persona(extraPrompt: "# Be brief\n"))
        let error = #expect(throws: DomainError.self) { try PersonaFile.parse("mood = \"x\"\n", path: "p.toml") }
        #expect(error?.message.contains("mood") == true)
    }
}
