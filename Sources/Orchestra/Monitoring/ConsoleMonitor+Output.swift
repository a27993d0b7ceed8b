import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ConsoleMonitor {
    /// Where a monitor writes: standard output, standard error, or a function of yours.
    ///
    /// ```swift
    /// ConsoleMonitor(.standardError)                          // keep standard output for the result
    /// ConsoleMonitor(.init { text in log.append(text) })      // plain lines, to your own sink
    /// ```
    public struct Output: Sendable {
        private let body: @Sendable (String) -> Void
        /// Whether the output is a terminal, where the ``ConsoleMonitor/Style/automatic`` style updates a live
        /// view in place.
        public var isTerminal: Bool
        /// How many columns a line of the live view may use; longer lines are shortened, since a line that
        /// wraps would break the updates in place.
        public var width: Int

        /// An output that hands every piece of text to `write`, in order, never concurrently.
        ///
        /// - Parameters:
        ///   - isTerminal: Whether `write` reaches a terminal that understands ANSI escape sequences.
        ///   - width: The terminal's width in columns; at least 20 is used.
        ///   - write: Called with text that ends in a newline, or with a live view's escape sequences.
        public init(isTerminal: Bool = false, width: Int = 100, write: @escaping @Sendable (String) -> Void) {
            body = write
            self.isTerminal = isTerminal
            self.width = max(width, 20)
        }

        /// Writes `text` as it is: for lines of your own that belong with the monitor's, in order.
        ///
        /// - Parameter text: The text, with its newlines.
        public func write(_ text: String) {
            body(text)
        }

        /// Standard output, through the same buffer as `print`, so that what you print and what the monitor
        /// writes keep their order; flushed after every write.
        public static var standardOutput: Output {
            Output(isTerminal: isatty(STDOUT_FILENO) == 1, width: terminalWidth(of: STDOUT_FILENO)) { text in
                print(text, terminator: "")
                fflush(nil)
            }
        }

        /// Standard error, unbuffered.
        public static var standardError: Output {
            Output(isTerminal: isatty(STDERR_FILENO) == 1, width: terminalWidth(of: STDERR_FILENO)) { text in
                FileHandle.standardError.write(Data(text.utf8))
            }
        }

        /// The terminal's width, or `COLUMNS`, or 100.
        private static func terminalWidth(of descriptor: Int32) -> Int {
            var size = winsize()
            if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
                return Int(size.ws_col)
            }
            return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 100
        }
    }
}
