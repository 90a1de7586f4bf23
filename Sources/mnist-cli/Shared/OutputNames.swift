/// True when `path` ends in `.ext` for one of `extensions`, in any case. A command that writes one
/// kind of file insists on its extension, so a slip like `--output model.bin` cannot replace a model.
func hasExtension(_ path: String, _ extensions: [String]) -> Bool {
    let lower = path.lowercased()
    return extensions.contains { lower.hasSuffix("." + $0) }
}
