extension Duration {
    /// This duration, at least zero, rounded up to a whole millisecond: for messages, which should say
    /// `29.999 seconds`, not `29.999016371999996 seconds`.
    var roundedUpToMilliseconds: Duration {
        let (seconds, attoseconds) = max(self, .zero).components
        let perMillisecond: Int64 = 1_000_000_000_000_000
        return .seconds(seconds) + .milliseconds((attoseconds + perMillisecond - 1) / perMillisecond)
    }
}
