import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// `whatsagent board …`: export and import of the whole board (SPEC §4, §9).
struct BoardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "board",
        abstract: "Export the whole board (JSON, CSV, Markdown) or import a JSON export into an empty board.",
        subcommands: [Export.self, Import.self]
    )

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Export tasks, epics, comments, dependencies and activity.",
            discussion: """
                json (the default) is re-importable with `whatsagent board import` — the round trip is exact; csv has one \
                row per epic and task (RFC 4180); markdown lists epics with their tasks and comments, for people.
                """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Option(help: "json, csv or markdown.") var format = "json"
        @Option(help: "Write to this file instead of stdout.") var output: String?

        func validate() throws {
            _ = try self.exportFormat()
        }

        func exportFormat() throws -> DaemonClient.BoardExportFormat {
            switch self.format.lowercased() {
            case "json": return .json
            case "csv": return .csv
            case "markdown", "md": return .markdown
            default: throw ValidationError("unknown format '\(self.format)'; use json, csv or markdown")
            }
        }

        func run() async throws {
            let client = self.global.client
            let data: Data
            switch try self.exportFormat() {
            case .json:
                let encoder = WireJSON.encoder()
                encoder.outputFormatting.insert(.prettyPrinted)
                data = try encoder.encode(try await client.exportBoard(workspace: self.scope.workspace)) + Data("\n".utf8)
            case let format:
                data = try await client.exportBoard(workspace: self.scope.workspace, format: format)
            }
            guard let output = self.output else { return FileHandle.standardOutput.write(data) }
            do {
                try data.write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw CLIFailure(code: "invalid_argument", message: "cannot write \(output): \(error.localizedDescription)", exit: .failed)
            }
            if !self.global.json { print("wrote \(output)") }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import a JSON export into a workspace whose board is empty.",
            discussion: """
                Restores everything exactly — ids, sequences, timestamps, comments, dependencies, activity, close state — \
                and sets the workspace's task and epic prefixes to the export's. Agents are matched by address.
                """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: WorkspaceOption
        @Argument(help: "A file written by `whatsagent board export --format json`.") var file: String
        @Flag(
            name: .customLong("drop-unknown-assignees"),
            help: "Clear the assignee of tasks and epics whose assignee is not an agent of this workspace (default: keep it, with a warning)."
        ) var dropUnknownAssignees = false

        func run() async throws {
            var export = try Self.read(self.file)
            let known = Swift.Set(try await self.global.client.agents(workspace: self.scope.workspace).agents.map(\.address))
            let unknown = Self.unknownAssignees(export, known: known)
            if self.dropUnknownAssignees && !unknown.isEmpty { export = Self.clearingAssignees(unknown, in: export) }
            let result = try await self.global.client.importBoard(workspace: self.scope.workspace, export)
            // Said once the import went through: a refused import prints its one error line and nothing else.
            if !unknown.isEmpty {
                let names = unknown.joined(separator: ", ")
                if self.dropUnknownAssignees {
                    Output.warn("cleared the assignee \(names) (not an agent of this workspace) from the imported items")
                } else {
                    Output.warn(
                        "\(names) \(unknown.count == 1 ? "is not an agent" : "are not agents") of this workspace: the imported items keep "
                            + "\(unknown.count == 1 ? "that assignee" : "those assignees"); add \(unknown.count == 1 ? "it" : "them") with "
                            + "`whatsagent agent add REPO:NAME`, or import with --drop-unknown-assignees"
                    )
                }
            }
            if self.global.json { return try Output.json(result) }
            print(
                "imported \(result.tasks) task\(result.tasks == 1 ? "" : "s"), \(result.epics) epic\(result.epics == 1 ? "" : "s"), "
                    + "\(result.comments) comment\(result.comments == 1 ? "" : "s"), \(result.dependencies) "
                    + "dependenc\(result.dependencies == 1 ? "y" : "ies") and \(result.activity) activity entr\(result.activity == 1 ? "y" : "ies")"
            )
        }

        /// The assignees of the export's tasks and epics that are not in `known`, sorted (the empty one never counts).
        static func unknownAssignees(_ export: BoardExport, known: Swift.Set<String>) -> [String] {
            let assignees = export.tasks.compactMap(\.assignee) + export.epics.map(\.assignee)
            return Swift.Set(assignees.filter { !$0.isEmpty && !known.contains($0) }).sorted()
        }

        /// `export` with the assignees in `names` cleared.
        static func clearingAssignees(_ names: [String], in export: BoardExport) -> BoardExport {
            let dropped = Swift.Set(names)
            var export = export
            for index in export.tasks.indices where export.tasks[index].assignee.map(dropped.contains) == true { export.tasks[index].assignee = nil }
            for index in export.epics.indices where dropped.contains(export.epics[index].assignee) { export.epics[index].assignee = "" }
            return export
        }

        /// Reads and decodes the export, so a wrong file fails here with a clear message instead of at the daemon.
        static func read(_ file: String) throws -> BoardExport {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw CLIFailure(code: "invalid_argument", message: "cannot read \(file): \(error.localizedDescription)", exit: .failed)
            }
            do {
                return try WireJSON.decoder().decode(BoardExport.self, from: data)
            } catch {
                throw CLIFailure(
                    code: "invalid_argument",
                    message: "\(file) is not a board export (\(Self.reason(error))); write one with `whatsagent board export --format json`",
                    exit: .failed
                )
            }
        }

        private static func reason(_ error: any Error) -> String {
            guard let error = error as? DecodingError else { return "\(error)" }
            switch error {
            case .keyNotFound(let key, _): return "missing field '\(key.stringValue)'"
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                let path = context.codingPath.map(\.stringValue).joined(separator: ".")
                return path.isEmpty ? "not valid JSON" : "field '\(path)': \(context.debugDescription)"
            @unknown default: return "\(error)"
            }
        }
    }
}
