import Foundation
import Testing

/// Proves that the compiler rejects a mistyped machine — a wrong edge, `convert`, `route` value, start,
/// exit or advancer, a pipeline step, a parallel or fan-out branch, or a ForEach body — with an error on
/// the offending line and nowhere else (but for follow-on errors a snippet names), and that the same snippet with
/// that one line corrected type-checks. Each snippet is type-checked by `swiftc` against the built
/// `Orchestra` module; a control snippet that must type-check proves the harness itself works.
@Suite("Compile-fail: mistyped machines are rejected at the offending line")
struct CompileFailTests {
    @Test("A well-typed machine type-checks, so the harness finds the compiler and the module")
    func wellTypedMachineTypeChecks() async throws {
        let typechecker = try Typechecker.locate()
        let result = try await typechecker.typecheck(Self.control, fileName: "control")
        #expect(
            result.status == 0 && result.errors.isEmpty,
            "the control snippet must type-check; is the module stale or built by another compiler?\n\(result)"
        )
    }

    @Test("A mistyped machine fails to type-check on the marked line only", arguments: CompileFailTests.snippets)
    func mistypedMachineIsRejected(_ snippet: Snippet) async throws {
        let line = try #require(snippet.markedLine, "mark exactly one line of '\(snippet.id)' with \(Snippet.marker)")
        let typechecker = try Typechecker.locate()

        let broken = try await typechecker.typecheck(snippet.source, fileName: snippet.id)
        #expect(broken.status != 0, "swiftc accepted the mistyped snippet\n\(broken)")
        #expect(!broken.errors(on: line).isEmpty, "no error on line \(line)\n\(broken)")
        let elsewhere = broken.errors(awayFrom: line).filter { error in
            !snippet.tolerated.contains { error.contains($0) }
        }
        #expect(elsewhere.isEmpty, "errors away from line \(line): the snippet is not otherwise valid\n\(broken)")

        let fixed = try await typechecker.typecheck(snippet.fixedSource, fileName: "\(snippet.id)-fixed")
        #expect(
            fixed.status == 0 && fixed.errors.isEmpty,
            "with line \(line) replaced by `\(snippet.fix)`, the snippet must type-check\n\(fixed)"
        )
    }
}

extension CompileFailTests {
    /// Uses, correctly, every API that the failing snippets misuse.
    static let control = """
        import Orchestra

        let count = Runnable<Int, Int>("count") { n, _ in n }
        let echo = Runnable<String, String>("echo") { s, _ in s }
        final class Describe: Advancer<Int, String>, @unchecked Sendable {
            override func convert(_ output: Int) -> String { String(output) }
        }
        count.advance(to: count, when: { $0 < 0 })
        count.advance(to: echo, convert: { n in String(n) })
        count.advance(with: Describe(targets: [echo]))
        count.route(to: echo) { n in .to(echo, String(n)) }
        let machine = Orchestration<Int, String>(start: count, exit: echo)
        final class Describe2: Runnable<Int, String>, @unchecked Sendable {}
        let echo2 = Runnable<Int, String>("echo2") { n, _ in String(n) }
        let parse = Runnable<String, Int>("parse") { s, _ in s.count }
        let pipeline = Pipeline {
            parse
            count
            if Bool.random() { count } else { count }
            Describe2()
        }
        let chained = parse.then(count).then(echo2)
        let gather = Parallel(count, echo2, count)
        let built = Parallel {
            count
            echo2
        }
        let join = Runnable<(Int, String, Int), Int>("join") { values, _ in values.0 }
        count.advance(toAll: count, echo2, count, join: join)
        let split = Runnable<String, [Int]>("split") { s, _ in s.utf8.map { Int($0) } }
        split.advance(to: ForEach(count, maxConcurrency: 4))
        let collect = ForEach(collecting: count, maxConcurrency: 4)
        let repeated = Loop(count, until: { $0 > 10 }, maxIterations: 3)
        let whole = Orchestration(pipeline)
        """

    static let snippets: [Snippet] = [
        Snippet(
            id: "wrong-answer",
            summary: "resume(_:answering:with:) with an answer that is not the AwaitInput's Answer",
            source: """
                import Orchestra

                let approve = AwaitInput<String, Bool>("approve")
                let machine = Orchestration<String, Bool>(approve, options: .init(checkpoints: InMemoryCheckpointStore()))
                func answer(_ run: RunID) async throws {
                    _ = try await machine.resume(run, answering: approve, with: "yes") // expected-error
                }
                """,
            fix: "    _ = try await machine.resume(run, answering: approve, with: true)"
        ),
        Snippet(
            id: "wrong-edge",
            summary: "advance(to:) a state whose Input is not this state's Output",
            source: """
                import Orchestra

                let count = Runnable<Int, Int>("count") { n, _ in n }
                let double = Runnable<Int, Int>("double") { n, _ in n * 2 }
                let echo = Runnable<String, String>("echo") { s, _ in s }
                count.advance(to: echo) // expected-error
                """,
            fix: "count.advance(to: double)"
        ),
        Snippet(
            id: "wrong-convert",
            summary: "advance(to:convert:) whose closure returns Int for a String input",
            source: """
                import Orchestra

                let count = Runnable<Int, Int>("count") { n, _ in n }
                let echo = Runnable<String, String>("echo") { s, _ in s }
                count.advance(to: echo, convert: { n in n + 1 }) // expected-error
                """,
            fix: "count.advance(to: echo, convert: { n in String(n + 1) })"
        ),
        Snippet(
            id: "wrong-route-value",
            summary: "route(to:) with .to(state, value) where value is not the state's Input",
            source: """
                import Orchestra

                let count = Runnable<Int, Int>("count") { n, _ in n }
                let echo = Runnable<String, String>("echo") { s, _ in s }
                count.route(to: echo) { out in .to(echo, 42) } // expected-error
                """,
            fix: "count.route(to: echo) { out in .to(echo, \"42\") }"
        ),
        Snippet(
            id: "wrong-start",
            summary: "Orchestration<String, Int> whose start state takes Int",
            source: """
                import Orchestra

                let parse = Runnable<String, Int>("parse") { s, _ in s.count }
                let count = Runnable<Int, Int>("count") { n, _ in n }
                parse.advance(to: count)
                let machine = Orchestration<String, Int>(start: count, exit: count) // expected-error
                """,
            fix: "let machine = Orchestration<String, Int>(start: parse, exit: count)"
        ),
        Snippet(
            id: "wrong-exit",
            summary: "Orchestration<Int, String> whose exit state produces Int",
            source: """
                import Orchestra

                let count = Runnable<Int, Int>("count") { n, _ in n }
                let format = Runnable<Int, String>("format") { n, _ in String(n) }
                count.advance(to: format)
                let machine = Orchestration<Int, String>(start: count, exit: count) // expected-error
                """,
            fix: "let machine = Orchestration<Int, String>(start: count, exit: format)"
        ),
        Snippet(
            id: "wrong-advancer",
            summary: "advance(with:) an Advancer<Int, String> on a state whose Output is String",
            source: """
                import Orchestra

                let count = Runnable<Int, Int>("count") { n, _ in n }
                let echo = Runnable<String, String>("echo") { s, _ in s }
                final class Describe: Advancer<Int, String>, @unchecked Sendable {
                    override func convert(_ output: Int) -> String { String(output) }
                }
                echo.advance(with: Describe(targets: [echo])) // expected-error
                """,
            fix: "count.advance(with: Describe(targets: [echo]))"
        ),
        Snippet(
            id: "wrong-pipeline-step",
            summary: "a Pipeline step whose input is not the previous step's output",
            source: """
                import Orchestra

                let parse = Runnable<String, Int>("parse") { s, _ in s.count }
                let double = Runnable<Int, Int>("double") { n, _ in n * 2 }
                let shout = Runnable<String, String>("shout") { s, _ in s.uppercased() }
                let pipeline = Pipeline<String, Int> {
                    parse
                    shout // expected-error
                    double
                }
                """,
            fix: "    double"
        ),
        Snippet(
            id: "wrong-pipeline-step-inferred",
            summary: "the same, with the pipeline's types inferred: Swift adds that it cannot infer them",
            source: """
                import Orchestra

                let parse = Runnable<String, Int>("parse") { s, _ in s.count }
                let double = Runnable<Int, Int>("double") { n, _ in n * 2 }
                let shout = Runnable<String, String>("shout") { s, _ in s.uppercased() }
                let pipeline = Pipeline {
                    parse
                    double
                    shout // expected-error
                }
                """,
            fix: "    double",
            tolerated: ["could not be inferred"]
        ),
        Snippet(
            id: "wrong-then",
            summary: "a.then(b) where b does not take a's output",
            source: """
                import Orchestra

                let parse = Runnable<String, Int>("parse") { s, _ in s.count }
                let double = Runnable<Int, Int>("double") { n, _ in n * 2 }
                let shout = Runnable<String, String>("shout") { s, _ in s.uppercased() }
                let pipeline = parse.then(shout) // expected-error
                """,
            fix: "let pipeline = parse.then(double)"
        ),
        Snippet(
            id: "wrong-parallel-branch",
            summary: "a Parallel branch that takes another input than the first branch",
            source: """
                import Orchestra

                let double = Runnable<Int, Int>("double") { n, _ in n * 2 }
                let describe = Runnable<Int, String>("describe") { n, _ in String(n) }
                let shout = Runnable<String, String>("shout") { s, _ in s.uppercased() }
                let gather = Parallel(
                    double,
                    shout, // expected-error
                    describe
                )
                """,
            fix: "    describe,"
        ),
        Snippet(
            id: "wrong-parallel-branch-builder",
            summary: "the same, with the branches listed in a Parallel builder",
            source: """
                import Orchestra

                let double = Runnable<Int, Int>("double") { n, _ in n * 2 }
                let describe = Runnable<Int, String>("describe") { n, _ in String(n) }
                let shout = Runnable<String, String>("shout") { s, _ in s.uppercased() }
                let gather = Parallel<Int, Int, String, String> {
                    double
                    describe
                    shout // expected-error
                }
                """,
            fix: "    describe"
        ),
        Snippet(
            id: "wrong-fan-out-branch",
            summary: "advance(toAll:join:) to a branch that does not take the state's output",
            source: """
                import Orchestra

                let fetch = Runnable<Int, Int>("fetch") { n, _ in n }
                let double = Runnable<Int, Int>("double") { n, _ in n * 2 }
                let length = Runnable<String, Int>("length") { s, _ in s.count }
                let join = Runnable<(Int, Int), Int>("join") { pair, _ in pair.0 + pair.1 }
                fetch.advance(
                    toAll: double,
                    length, // expected-error
                    join: join
                )
                """,
            fix: "    double,"
        ),
        Snippet(
            id: "wrong-for-each-element",
            summary: "a ForEach whose body takes another element type than the array it is given",
            source: """
                import Orchestra

                let split = Runnable<String, [Int]>("split") { s, _ in s.utf8.map { Int($0) } }
                let double = Runnable<Int, Int>("double") { n, _ in n * 2 }
                let shout = Runnable<String, String>("shout") { s, _ in s.uppercased() }
                let sum = Runnable<[Int], Int>("sum") { values, _ in values.reduce(0, +) }
                let each = ForEach(shout, maxConcurrency: 4)
                split.advance(to: each) // expected-error
                """,
            fix: "split.advance(to: ForEach(double, maxConcurrency: 4))"
        ),
    ]

    /// A program with exactly one type error, on the line that ends with ``marker``.
    struct Snippet: Sendable, CustomTestStringConvertible {
        static let marker = "// expected-error"

        /// Names the snippet's file, so it appears in diagnostics.
        var id: String
        var summary: String
        var source: String
        /// The corrected marked line; with it the snippet must type-check.
        var fix: String
        /// Parts of follow-on errors that Swift also reports away from the marked line, such as a result
        /// builder's "generic parameter 'Input' could not be inferred" at its opening line.
        var tolerated: [String] = []

        var testDescription: String { "\(id): \(summary)" }

        /// The 1-based number of the marked line, or `nil` unless exactly one line is marked.
        var markedLine: Int? {
            let marked = lines.indices.filter { lines[$0].hasSuffix(Self.marker) }
            guard marked.count == 1, let index = marked.first else { return nil }
            return index + 1
        }

        var fixedSource: String {
            lines.map { $0.hasSuffix(Self.marker) ? fix : $0 }.joined(separator: "\n")
        }

        private var lines: [String] {
            source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
    }
}

extension CompileFailTests {
    /// Runs `swiftc -typecheck` on a source file against the `Orchestra` module of the running build.
    struct Typechecker {
        var swiftc: URL
        var modules: URL

        /// Finds `swiftc` on `PATH` and the build's `Modules` directory, or throws saying which is missing.
        static func locate(filePath: String = #filePath) throws -> Typechecker {
            let modules = try #require(
                modulesNextToTestBinary() ?? modulesAbove(filePath),
                """
                cannot find Orchestra.swiftmodule: looked in the Modules directory next to the test binary \
                (/proc/self/exe) and in .build/debug/Modules above \(filePath)
                """
            )
            let swiftc = try #require(compiler(), "cannot find swiftc, or swift with swiftc beside it, on PATH")
            return Typechecker(swiftc: swiftc, modules: modules)
        }

        /// Type-checks `source` as the only file of a program.
        ///
        /// - Parameters:
        ///   - source: The program.
        ///   - fileName: The file's name without extension, seen in diagnostics.
        /// - Returns: The exit status and the diagnostics.
        func typecheck(_ source: String, fileName: String) async throws -> Outcome {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("orchestra-compile-fail-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("\(fileName).swift")
            try Data(source.utf8).write(to: file)
            let log = directory.appendingPathComponent("swiftc.log")
            try Data().write(to: log)
            let logHandle = try FileHandle(forWritingTo: log)
            defer { try? logHandle.close() }

            let process = Process()
            process.executableURL = swiftc
            process.arguments = arguments(for: file)
            // A file instead of pipes: nothing has to drain the output while swiftc runs.
            process.standardOutput = logHandle
            process.standardError = logHandle
            let status: Int32 = try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do {
                    try process.run()
                } catch {
                    process.terminationHandler = nil
                    continuation.resume(throwing: error)
                }
            }
            let output = try String(contentsOf: log, encoding: .utf8)
            let command = [swiftc.path] + arguments(for: file)
            return Outcome(command: command, file: file.path, status: status, output: output)
        }

        /// One module cache per user, outside the build, reused across runs so only the first run is slow.
        static let moduleCache = FileManager.default.temporaryDirectory
            .appendingPathComponent("orchestra-compile-fail-module-cache")

        func arguments(for file: URL) -> [String] {
            [
                "-typecheck", "-swift-version", "6", "-diagnostic-style", "llvm", "-module-name", "Snippet",
                // A cache of our own: the build's may hold the same module under two spellings of one path
                // (`.build/debug` is a symlink), which clang rejects.
                "-module-cache-path", Self.moduleCache.path,
                "-I", modules.path, file.path,
            ]
        }

        private static func modulesNextToTestBinary() -> URL? {
            guard let binary = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
                return nil
            }
            let modules = URL(fileURLWithPath: binary).deletingLastPathComponent().appendingPathComponent("Modules")
            return containsOrchestra(modules) ? modules : nil
        }

        private static func modulesAbove(_ filePath: String) -> URL? {
            var directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
            while directory.path != "/" {
                let modules = directory.appendingPathComponent(".build/debug/Modules")
                if containsOrchestra(modules) { return modules }
                directory.deleteLastPathComponent()
            }
            return nil
        }

        private static func containsOrchestra(_ modules: URL) -> Bool {
            FileManager.default.fileExists(atPath: modules.appendingPathComponent("Orchestra.swiftmodule").path)
        }

        private static func compiler() -> URL? {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
            let directories = path.split(separator: ":").map { URL(fileURLWithPath: String($0), isDirectory: true) }
            for directory in directories {
                let swiftc = directory.appendingPathComponent("swiftc")
                if FileManager.default.isExecutableFile(atPath: swiftc.path) { return swiftc }
            }
            for directory in directories {
                let swift = directory.appendingPathComponent("swift")
                guard FileManager.default.isExecutableFile(atPath: swift.path) else { continue }
                let toolchain = swift.resolvingSymlinksInPath().deletingLastPathComponent()
                let swiftc = toolchain.appendingPathComponent("swiftc")
                if FileManager.default.isExecutableFile(atPath: swiftc.path) { return swiftc }
            }
            return nil
        }
    }

    /// What `swiftc` said about one file.
    struct Outcome: CustomStringConvertible {
        var command: [String]
        var file: String
        var status: Int32
        var output: String

        /// Every line of the output that reports an error, wherever it is.
        var errors: [Substring] {
            output.split(separator: "\n").filter { $0.hasPrefix("error:") || $0.contains(": error:") }
        }

        /// The errors located on `line` of the snippet's file.
        func errors(on line: Int) -> [Substring] {
            errors.filter { $0.hasPrefix("\(file):\(line):") }
        }

        /// The errors anywhere but on `line` of the snippet's file, including those with no location.
        func errors(awayFrom line: Int) -> [Substring] {
            errors.filter { !$0.hasPrefix("\(file):\(line):") }
        }

        var description: String { "$ \(command.joined(separator: " "))\nexit status \(status)\n\(output)" }
    }
}
