/// The error `body` throws, or nil when it returns: for `#expect(caughtError { … } == .someCase)`,
/// which also checks that a call that should fail did.
public func caughtError<Failure: Error, Value>(_ body: () throws(Failure) -> Value) -> Failure? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}
