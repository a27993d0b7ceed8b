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
        private let size: @Sendable () -> (columns: Int, rows: Int)
        /// Whether the output is a terminal, where the ``ConsoleMonitor/Style/automatic`` style updates a live
        /// view in place.
        public let isTerminal: Bool

        /// An output that hands every piece of text to `write`, in order, never concurrently.
        ///
        /// - Parameters:
        ///   - isTerminal: Whether `write` reaches a terminal that understands ANSI escape sequences.
        ///   - columns: The terminal's width; at least 20 is used.
        ///   - rows: The terminal's height; at least 3 is used.
        ///   - write: Called with text that ends in a newline, or with a live view's escape sequences.
        public init(
            isTerminal: Bool = false, columns: Int = 100, rows: Int = 40, write: @escaping @Sendable (String) -> Void
        ) {
            self.init(isTerminal: isTerminal, size: { (columns, rows) }, write: write)
        }

        private init(
            isTerminal: Bool, size: @escaping @Sendable () -> (columns: Int, rows: Int),
            write: @escaping @Sendable (String) -> Void
        ) {
            body = write
            self.size = size
            self.isTerminal = isTerminal
        }

        /// How many columns a line of the live view may use — read again before every redraw, so that a resized
        /// window is followed. Longer lines are shortened, since a line that wraps would break the updates in place.
        public var columns: Int { max(size().columns, 20) }

        /// How many rows the terminal has: the live view shows at most this many running states, less two.
        public var rows: Int { max(size().rows, 3) }

        /// Writes `text` as it is: for lines of your own, before a run or after it (after
        /// ``Orchestration/waitForHooks()``) — a live view on the screen would draw over a line written under it.
        ///
        /// - Parameter text: The text, with its newlines.
        public func write(_ text: String) {
            body(text)
        }

        /// Standard output, through the same buffer as `print`, so that what you print and what the monitor
        /// writes keep their order; flushed after every write.
        public static var standardOutput: Output {
            Output(isTerminal: isatty(STDOUT_FILENO) == 1, size: { terminalSize(of: STDOUT_FILENO) }) { text in
                print(text, terminator: "")
                fflush(nil)
            }
        }

        /// Standard error, unbuffered. A closed standard error loses the text, and does not stop the program.
        public static var standardError: Output {
            Output(isTerminal: isatty(STDERR_FILENO) == 1, size: { terminalSize(of: STDERR_FILENO) }) { text in
                try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
            }
        }

        /// The terminal's size; else `COLUMNS` and `LINES`, else 100 by 40.
        private static func terminalSize(of descriptor: Int32) -> (columns: Int, rows: Int) {
            var size = winsize()
            if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 {
                return (Int(size.ws_col), Int(size.ws_row))
            }
            let environment = ProcessInfo.processInfo.environment
            return (environment["COLUMNS"].flatMap(Int.init) ?? 100, environment["LINES"].flatMap(Int.init) ?? 40)
        }
    }
}
