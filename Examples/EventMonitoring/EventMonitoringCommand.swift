import Foundation

/// `event-monitoring`: a tour of every way to watch a machine — hooks, AsyncSequences, a timing table, what a
/// failure and a cancellation look like as events, and the console monitor. Offline, in a moment.
@main
struct EventMonitoringCommand {
    static func main() async {
        if CommandLine.arguments.dropFirst().contains(where: { $0 == "-h" || $0 == "--help" }) {
            print(
                "USAGE: event-monitoring\n\nShows every way to watch an Orchestra machine, one section each. No options."
            )
            return
        }
        if let unknown = CommandLine.arguments.dropFirst().first {
            FileHandle.standardError.write(
                Data("event-monitoring: unexpected argument '\(unknown)'; it takes none (see --help)\n".utf8))
            exit(64)
        }
        _ = await EventMonitoringTour.run { line in print(line) }
    }
}
