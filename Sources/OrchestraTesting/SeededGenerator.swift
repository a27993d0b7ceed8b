/// A random number generator that gives the same numbers for the same seed, on every platform (SplitMix64):
/// for faults, jitter and data in tests that must repeat.
///
/// ```swift
/// var generator = SeededGenerator(seed: 7)
/// let sample = (0..<10).map { _ in Int.random(in: 1...6, using: &generator) }   // the same ten every time
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator; equal seeds give equal sequences.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<1`, from the next 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}
