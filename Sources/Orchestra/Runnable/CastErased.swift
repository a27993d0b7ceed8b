/// Casts a value that travelled erased back to the type it has by construction. A pattern cast, not
/// `as?`: no `Optional<T>`, whose metadata unspecialized code would look up at run time.
///
/// - Parameter what: Names the value, for the error that only a bug in Orchestra could cause.
func castErased<T>(_ value: any Sendable, as _: T.Type = T.self, _ what: @autoclosure () -> String)
    throws(OrchestrationError) -> T
{
    if case let typed as T = value { return typed }
    throw .internalInconsistency("\(what()) is a \(type(of: value)), not a \(T.self)")
}
