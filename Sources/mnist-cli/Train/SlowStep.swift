import Dispatch

/// Runs `body`; should it take more than a second, says on stderr what is going on ("loading
/// data/mnist…"), so a long setup (a large dataset, a network of a million hidden units) is
/// never silent. Quick steps print nothing.
func slowStep<T, E: Error>(_ what: String, _ body: () throws(E) -> T) throws(E) -> T {
    let notice = DispatchWorkItem { Terminal.errorLine("\(what)…") }
    DispatchQueue.global().asyncAfter(deadline: .now() + 1, execute: notice)
    defer { notice.cancel() }
    return try body()
}
