// checkpoint-crash-child: the process the crash tests kill and resume (Tests/OrchestraTests/Durability/CrashTests).
//
// It runs a 10-state chain with a FileCheckpointStore in DIRECTORY; each state appends its name to LOG before it
// returns, so the log shows every execution, including one a kill interrupted.
//
//   checkpoint-crash-child start DIRECTORY LOG [--kill-in STATE | --kill-at-save N PHASE]
//   checkpoint-crash-child resume DIRECTORY LOG
//
// `start` prints `run <id>` and then, if it lives, `output <n>`. `--kill-in s4` sends SIGKILL to itself inside
// state s4, after its log line; `--kill-at-save 5 tempHalfWritten` does so in the fifth checkpoint save, at that
// phase of the write. `resume` resumes every run the store lists as running and prints `output <n>` for each.
import Foundation
import Orchestra

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let visits = MemoryKey<Int>("visits")

/// The 10-state chain: each state logs itself, counts itself in memory and adds its number; the last adds the
/// count times 1,000, so the output shows whether memory survived.
func machine(log: String, killIn: String?, store: FileCheckpointStore) -> Orchestration<Int, Int> {
    let states = (1...10).map { index in
        let name = "s\(index)"
        return Runnable<Int, Int>(name) { value, context in
            append("\(name)\n", to: log)
            if name == killIn { kill(getpid(), SIGKILL) }
            let count = context.memory[visits, default: 0] + 1
            context.memory[visits] = count
            return index == 10 ? value + index + count * 1000 : value + index
        }
    }
    for (state, next) in zip(states, states.dropFirst()) { state.advance(to: next) }
    return Orchestration(start: states[0], exit: states[9], options: .init(checkpoints: store))
}

/// Appends `line` to the file at `path` with one write: the kernel has it once the call returns, so a SIGKILL
/// right after does not lose it.
func append(_ line: String, to path: String) {
    let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
    guard descriptor >= 0 else { fail("cannot open \(path): \(String(cString: strerror(errno)))") }
    let bytes = Array(line.utf8)
    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    close(descriptor)
    guard written == bytes.count else { fail("cannot write to \(path)") }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("checkpoint-crash-child: \(message)\n".utf8))
    exit(1)
}

func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 3, ["start", "resume"].contains(arguments[0]) else {
    fail("usage: checkpoint-crash-child start|resume DIRECTORY LOG [--kill-in STATE | --kill-at-save N PHASE]")
}
let (command, directory, log) = (arguments[0], URL(fileURLWithPath: arguments[1]), arguments[2])
var killIn: String?
var killAt: (save: Int, phase: String)?
if arguments.count == 5, arguments[3] == "--kill-in" {
    killIn = arguments[4]
} else if arguments.count == 6, arguments[3] == "--kill-at-save", let save = Int(arguments[4]) {
    killAt = (save, arguments[5])
} else if arguments.count != 3 {
    fail("unexpected arguments: \(arguments.dropFirst(3).joined(separator: " "))")
}

let store: FileCheckpointStore
do {
    if let killAt {
        let saves = SaveCounter()
        store = try FileCheckpointStore(directory: directory) { phase in
            // Every save writes half its temporary file; only saves with steps append to the log, before that.
            let save: Int
            switch phase {
            case .logAppended: save = saves.count + 1
            case .tempHalfWritten: save = saves.next()
            default: save = saves.count
            }
            if save == killAt.save, "\(phase)" == killAt.phase { kill(getpid(), SIGKILL) }
        }
    } else {
        store = try FileCheckpointStore(directory: directory)
    }
} catch {
    fail("\(error)")
}

let orchestration = machine(log: log, killIn: killIn, store: store)
do {
    switch command {
    case "start":
        let handle = orchestration.start(0)
        say("run \(handle.id)")
        say("output \(try await handle.value)")
    default:
        for run in try await store.runs() where run.status == .running {
            guard case .completed(let output) = try await orchestration.resume(run.runID) else {
                fail("run \(run.runID) suspended")
            }
            say("output \(output)")
        }
    }
} catch {
    fail("\(error)")
}

/// Counts the checkpoint saves.
final class SaveCounter: @unchecked Sendable {
    // @unchecked: a run saves its checkpoints one after another, never two at once.
    private(set) var count = 0
    func next() -> Int {
        count += 1
        return count
    }
}
