import Foundation

/// Gives a stopped daemon's workspace file a long history, as the history row needs: sending a million messages
/// through the daemon would take most of an hour, so the rows are written with the `sqlite3` shell (Debian's
/// `sqlite3`, which `make bench` installs) while no daemon has the file open.
///
/// Every new row is a copy of one of the acknowledged messages already in the file (so each column holds what the
/// daemon itself wrote), with its own id, no client message id, its own lease id, and its times moved back by an hour
/// plus one second per copy: the history ends before any window the daemon's checks look at (the loop guard's ten
/// minutes, the rate limit's minute) and stays inside chat retention (30 days: a million seconds is 11.6 days). The
/// search index follows through the file's own triggers.
enum HistorySeed {
    static func write(_ count: Int, into file: String) async throws {
        guard FileManager.default.fileExists(atPath: file) else { throw BenchError.unexpected("no workspace file at \(file)") }
        let sqlite = try self.shell()
        let names = String(decoding: try await Subprocess.checked(sqlite, [file, "SELECT name FROM pragma_table_info('message')"]), as: UTF8.self)
            .split(separator: "\n").map(String.init).filter { !$0.isEmpty && $0 != "id" }
        guard names.contains("sentAt"), names.contains("state") else {
            throw BenchError.unexpected("the workspace file's message table has no sentAt/state columns: \(names)")
        }
        let shift = "'-1 hour', '-' || n.i || ' seconds'"
        let values = names.map { name -> String in
            switch name {
            case "clientMessageId": return "NULL"
            case "leaseId": return "CASE WHEN t.leaseId IS NULL THEN NULL ELSE t.leaseId || '-h' || n.i END"
            case "sentAt", "pushedAt", "deliveredAt", "surfacedAt":
                return "CASE WHEN t.\(name) IS NULL THEN NULL ELSE strftime('%Y-%m-%d %H:%M:%f', t.\(name), \(shift)) END"
            default: return "t.\(name)"
            }
        }
        let script = """
            BEGIN;
            CREATE TEMP TABLE template AS
              SELECT row_number() OVER (ORDER BY id) - 1 AS slot, * FROM message WHERE state = 'acknowledged';
            CREATE INDEX temp.template_slot ON template(slot);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count))
            INSERT INTO message (\(names.joined(separator: ", ")))
              SELECT \(values.joined(separator: ", "))
              FROM n JOIN template t ON t.slot = n.i % (SELECT COUNT(*) FROM template);
            SELECT changes();
            COMMIT;
            """
        let output = String(decoding: try await Subprocess.checked(sqlite, [file, script]), as: UTF8.self)
        guard Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) == count else {
            throw BenchError.unexpected("the history seed wrote '\(output)' rows, not \(count) (no acknowledged message to copy?)")
        }
    }

    private static func shell() throws -> String {
        for directory in ["/usr/bin", "/bin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: directory + "/sqlite3") {
            return directory + "/sqlite3"
        }
        throw BenchError.unexpected("the history row needs the sqlite3 shell (Debian's sqlite3; `make setup-system` installs it)")
    }
}
