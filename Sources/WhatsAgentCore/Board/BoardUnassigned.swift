import Foundation

/// Tasks without an assignee (issue 18): the word that names "nobody" where an assignee is expected, and how an
/// unassigned task reads.
public enum BoardUnassigned {
    /// `none`: `assignedTo: "none"` unassigns a task, and as a list or search filter selects the unassigned tasks.
    public static let keyword = "none"
    /// `unassigned`: how texts show a task without an assignee.
    public static let label = "unassigned"

    /// Whether `text` is the keyword (case and surrounding spaces ignored).
    public static func matches(_ text: String) -> Bool {
        text.trimmingCharacters(in: .whitespaces).lowercased() == Self.keyword
    }

    /// The assignee as texts show it: the address, or `unassigned`.
    public static func display(_ assignee: String?) -> String {
        assignee ?? Self.label
    }
}
