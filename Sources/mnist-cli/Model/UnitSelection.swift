import ArgumentParser

/// --units' value: hidden units by number, as a list of numbers and ranges ("0-63", "3,17,40-47").
struct UnitSelection: ExpressibleByArgument {
    let units: [Int]

    init?(argument: String) {
        var units: [Int] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = part.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(ends.count), let first = Int(ends[0]), let last = Int(ends[ends.count - 1]),
                  first >= 0, first <= last, last - first < 1 << 20 else { return nil }
            units += first...last
        }
        self.units = units
    }

    /// The units to draw when none were chosen: all of a layer up to `defaultLimit` wide, else the
    /// first `defaultLimit` (a 1024-unit grid is 3.5 million pixels, and no one looks at it whole).
    static let defaultLimit = 256

    static func chosen(_ selection: UnitSelection?, hidden: Int, modelFile: String) throws(CLIError) -> [Int] {
        guard let selection else { return Array(0..<min(hidden, defaultLimit)) }
        if let beyond = selection.units.first(where: { $0 >= hidden }) {
            throw CLIError(file: modelFile, "has \(hidden) hidden units (0-\(hidden - 1)); --units names unit \(beyond)",
                           status: .usage)
        }
        return selection.units
    }
}
