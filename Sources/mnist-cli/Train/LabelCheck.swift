/// What is odd about a training set's labels, as warnings that name the classes: classes with no
/// samples (their outputs are never trained), and a label far above the rest (one stray 200 among
/// digits makes a 201-class network).
func labelWarnings(_ counts: [Int], file: String) -> [String] {
    let present = counts.indices.filter { counts[$0] > 0 }
    let empty = counts.indices.filter { counts[$0] == 0 }
    guard !empty.isEmpty, let top = present.last else { return [] }
    if let below = present.dropLast().last, top - below - 1 > below + 1 {
        let samples = counts[top] == 1 ? "1 sample" : "\(counts[top]) samples"
        return ["warning: \(file): label \(top) (\(samples)) is far above the others (up to \(below)): the network gets "
                + "\(counts.count) outputs, \(empty.count) of them for classes with no samples; is the label a mistake?"]
    }
    let shown = empty.prefix(10).map(String.init).joined(separator: ", ") + (empty.count > 10 ? ", …" : "")
    return ["warning: \(file): class\(empty.count == 1 ? "" : "es") \(shown) of 0-\(counts.count - 1) "
            + "\(empty.count == 1 ? "has" : "have") no training samples; the network's output\(empty.count == 1 ? "" : "s") for "
            + "\(empty.count == 1 ? "it" : "them") will never be trained"]
}
