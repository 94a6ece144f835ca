import Foundation
import TOMLKit
import WhatsAgentAPI

/// Reads `--persona-file`: a TOML file with the persona fields, or any other text file, which becomes the extra
/// prompt as a whole.
///
/// ```toml
/// description = "Owns the payments API"
/// responsibilities = "Design and review API changes"
/// boundaries = "Never touch the web frontend"
/// skills = "Go, PostgreSQL"
/// working_style = "Small PRs, tests first"
/// extra_prompt = "Ask architect:main before changing public types."
/// ```
public enum PersonaFile {
    static let keys = ["description", "responsibilities", "boundaries", "skills", "working_style", "extra_prompt"]

    public static func load(path: String) throws -> Persona {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DomainError.invalidArgument("cannot read persona file \(path); check the path")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DomainError.invalidArgument("persona file \(path) is not UTF-8 text")
        }
        return try self.parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws -> Persona {
        guard path.lowercased().hasSuffix(".toml") else {
            let persona = Persona(extraPrompt: text)
            try persona.validate()
            return persona
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw DomainError.invalidArgument("\(path) is not valid TOML at line \(error.source.begin.line): \(error.description)")
        }
        var persona = Persona()
        for key in table.keys.sorted() {
            guard self.keys.contains(key) else {
                throw DomainError.invalidArgument(
                    "unknown key '\(key)' in \(path); persona keys are \(self.keys.joined(separator: ", "))"
                )
            }
            guard let value = table[key]?.string else {
                throw DomainError.invalidArgument("'\(key)' in \(path) must be a string")
            }
            switch key {
            case "description": persona.description = value
            case "responsibilities": persona.responsibilities = value
            case "boundaries": persona.boundaries = value
            case "skills": persona.skills = value
            case "working_style": persona.workingStyle = value
            default: persona.extraPrompt = value
            }
        }
        try persona.validate()
        return persona
    }
}
