/// "Did you mean …?" for a misspelled name: the closest candidate within a small edit distance.
enum NameSuggestion {
    /// The candidate nearest to `name` (case-insensitive Levenshtein distance at most 2, and less than half of the
    /// name's length), or nil. Ties go to the first candidate.
    static func closest(to name: String, among candidates: [String]) -> String? {
        let target = Array(name.lowercased())
        let limit = min(2, max(1, target.count / 2))
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = self.distance(target, Array(candidate.lowercased()))
            if distance <= limit, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.name
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
