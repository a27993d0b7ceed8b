import Foundation

/// `event-monitoring`: a tour of every way to watch a machine — hooks, AsyncSequences, a timing table, what a
/// failure and a cancellation look like as events, the console monitor, the exports and the spans. Offline, in a
/// moment.
@main
struct EventMonitoringCommand {
    static let usage = """
        USAGE: event-monitoring [--out <directory>]

        Shows every way to watch an Orchestra machine, one section each, and writes the exports — the machine as
        Mermaid and DOT, a run as JSON and as a timeline — into the directory.

        OPTIONS:
          --out <directory>   Where the exports go (default: .orchestra/event-monitoring).
          -h, --help          Shows this help.
        """

    static func main() async {
        var arguments = CommandLine.arguments.dropFirst()
        if arguments.contains(where: { $0 == "-h" || $0 == "--help" }) {
            print(usage)
            return
        }
        var directory = URL(filePath: ".orchestra/event-monitoring", directoryHint: .isDirectory)
        while let argument = arguments.popFirst() {
            guard argument == "--out" else { fail("unexpected argument '\(argument)'") }
            guard let path = arguments.popFirst(), !path.isEmpty, !path.hasPrefix("-") else {
                fail("--out needs a directory, as in --out exports")
            }
            directory = URL(filePath: path, directoryHint: .isDirectory)
        }
        do {
            _ = try await EventMonitoringTour.run(exportingTo: directory) { line in print(line) }
        } catch {
            FileHandle.standardError.write(Data("event-monitoring: could not write the exports: \(error)\n".utf8))
            exit(73)
        }
    }

    static func fail(_ problem: String) -> Never {
        FileHandle.standardError.write(Data("event-monitoring: \(problem) (see --help)\n".utf8))
        exit(64)
    }
}
