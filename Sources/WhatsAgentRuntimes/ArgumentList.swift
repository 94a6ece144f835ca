/// Reading user-supplied arguments so injected flags are not given twice.
enum ArgumentList {
    /// The values given to `flag`, as `flag value` or `flag=value`.
    static func values(of flag: String, in arguments: [String]) -> [String] {
        var values: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == flag, index + 1 < arguments.endIndex {
                values.append(arguments[index + 1])
                index += 2
                continue
            }
            if argument.hasPrefix(flag + "=") { values.append(String(argument.dropFirst(flag.count + 1))) }
            index += 1
        }
        return values
    }

    /// Every value that follows `flag` up to the next argument starting with `-` (variadic flags such as Claude's
    /// `--dangerously-load-development-channels a b`), plus `flag=value` forms.
    static func variadicValues(of flag: String, in arguments: [String]) -> [String] {
        var values: [String] = []
        var collecting = false
        for argument in arguments {
            if argument == flag {
                collecting = true
            } else if argument.hasPrefix(flag + "=") {
                values.append(String(argument.dropFirst(flag.count + 1)))
                collecting = false
            } else if argument.hasPrefix("-") {
                collecting = false
            } else if collecting {
                values.append(argument)
            }
        }
        return values
    }

    /// Replaces the value of the last `flag value` / `flag=value` occurrence; false when the flag is absent.
    static func replaceLastValue(of flag: String, in arguments: inout [String], with transform: (String) -> String) -> Bool {
        for index in arguments.indices.reversed() {
            if arguments[index] == flag, index + 1 < arguments.endIndex {
                arguments[index + 1] = transform(arguments[index + 1])
                return true
            }
            if arguments[index].hasPrefix(flag + "=") {
                arguments[index] = flag + "=" + transform(String(arguments[index].dropFirst(flag.count + 1)))
                return true
            }
        }
        return false
    }
}
