import Foundation
import OrchestraAgents

/// The command line of `research-report`, parsed and checked.
struct ResearchReportOptions: Equatable {
    var topic = "AI in healthcare"
    /// The OpenAI-compatible server to use; `nil` runs offline.
    var baseURL: URL?
    var model = "gpt-4.1-mini"
    /// The environment variable holding the API key; `nil` for the default (`OPENAI_API_KEY`, for OpenAI only).
    var apiKeyVariable: String?
    /// The key read from `apiKeyVariable`; an `APIKey`, so that printing the options never shows it.
    var apiKey: APIKey?
    var settings = ResearchSettings()
    var pace = Duration.milliseconds(5)
    var json = false
    var plain = false
    var quiet = false
    var help = false

    /// A command line that cannot run, and why.
    struct UsageError: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    static let help = """
        USAGE: research-report [TOPIC] [OPTIONS]

        Researches TOPIC and writes a report: a model plans the searches, agents run them in parallel with a
        web_search tool, and a model writes the report from their notes. TOPIC is every argument that is not an
        option (quotes are optional); "AI in healthcare" when none is given.

        By default it runs offline, on a scripted model. With --base-url, or ORCHESTRA_LLM_BASE_URL set, it asks an
        OpenAI-compatible server instead. Either way web_search searches a small built-in corpus (on AI in
        healthcare, renewable energy and remote work), not the internet.

        OPTIONS:
          --base-url URL        An OpenAI-compatible server, as http://127.0.0.1:8080 or https://api.openai.com
                                (default: $ORCHESTRA_LLM_BASE_URL if set, otherwise offline).
          --offline             Run offline even when ORCHESTRA_LLM_BASE_URL is set.
          --model NAME          With a server: the model to ask for (default: gpt-4.1-mini; a llama.cpp server
                                ignores it).
          --api-key-env NAME    With a server: the environment variable that holds its API key (default:
                                OPENAI_API_KEY, which is sent to api.openai.com only).
          --max-searches N      The most searches in the plan, 1 to 8 (default: 3).
          --concurrency N       The most searches at once, 1 to 8 (default: 3).
          --max-tokens N        The most tokens per call of the planner and the report writer, 64 to 32000
                                (default: 1000, enough for the longest report the schema allows).
          --note-tokens N       The most tokens per call of a search, 32 to 32000 (default: 300); notes cut off
                                at the limit are kept, marked […].
          --pace MS             Offline: milliseconds before each streamed chunk, 0 to 1000 (default: 5), so that
                                the run can be watched.
          --json                Write the report and the run record as one JSON object to standard output; the
                                live view goes to standard error.
          --plain               Plain log lines, even in a terminal.
          --quiet               No live view: only the report (or the JSON).
          -h, --help            Show this help.

        EXIT STATUS: 0 when the report is written, 1 when the run fails, 64 for a bad command line.
        """

    /// Parses `arguments` (without the program's name); `environment` supplies the defaults it names.
    static func parse(_ arguments: [String], environment: [String: String]) throws(UsageError) -> Self {
        var options = Self()
        // Help comes first, whatever else is wrong: it is how to find out what is.
        if arguments.prefix(while: { $0 != "--" }).contains(where: { $0 == "-h" || $0 == "--help" }) {
            options.help = true
            return options
        }
        var words: [String] = []
        var offline = false
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            guard argument.hasPrefix("-"), argument != "-" else {
                words.append(argument)
                continue
            }
            if argument == "--" {
                words += remaining
                break
            }
            let (name, inline) = split(argument)
            func value() throws(UsageError) -> String {
                if let inline { return inline }
                guard let next = remaining.popFirst(), !next.hasPrefix("--") else {
                    throw UsageError(description: "\(name) needs a value")
                }
                return next
            }
            switch name {
            case "-h", "--help": options.help = true
            case "--offline": offline = true
            case "--json": options.json = true
            case "--plain": options.plain = true
            case "--quiet": options.quiet = true
            case "--base-url": options.baseURL = try url(try value(), from: "--base-url")
            case "--model": options.model = try nonEmpty(try value(), name)
            case "--api-key-env": options.apiKeyVariable = try nonEmpty(try value(), name)
            case "--max-searches": options.settings.maxSearches = try number(try value(), name, in: 1...8)
            case "--concurrency": options.settings.concurrency = try number(try value(), name, in: 1...8)
            case "--max-tokens": options.settings.maxTokens = try number(try value(), name, in: 64...32000)
            case "--note-tokens": options.settings.noteTokens = try number(try value(), name, in: 32...32000)
            case "--pace": options.pace = .milliseconds(try number(try value(), name, in: 0...1000))
            default: throw UsageError(description: "unknown option '\(name)'")
            }
            if inline != nil, ["-h", "--help", "--offline", "--json", "--plain", "--quiet"].contains(name) {
                throw UsageError(description: "\(name) takes no value")
            }
        }
        if !words.isEmpty {
            options.topic = words.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !options.topic.isEmpty else { throw UsageError(description: "the topic is empty") }
            // The plan restates the topic in at most 120 characters, and each query has at most 100.
            guard options.topic.count <= 100 else {
                throw UsageError(
                    description: "the topic has \(options.topic.count) characters; keep it to 100 or fewer")
            }
        }
        if offline {
            guard options.baseURL == nil else { throw UsageError(description: "--offline and --base-url contradict") }
        } else if options.baseURL == nil, let variable = environment["ORCHESTRA_LLM_BASE_URL"], !variable.isEmpty {
            options.baseURL = try url(variable, from: "ORCHESTRA_LLM_BASE_URL")
        }
        // The key is read from the environment given, and only when a server will be asked.
        if let variable = options.apiKeyVariable, options.baseURL != nil {
            guard let key = environment[variable], !key.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw UsageError(description: "--api-key-env names \(variable), which is not set or empty")
            }
            options.apiKey = APIKey(key)
        }
        return options
    }

    /// `--name=value` as the name and the value; `--name` as the name alone.
    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    private static func url(_ text: String, from source: String) throws(UsageError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host?.isEmpty == false
        else {
            throw UsageError(description: "\(source) '\(text)' is not an http or https URL, as http://127.0.0.1:8080")
        }
        return url
    }

    private static func number(_ text: String, _ name: String, in range: ClosedRange<Int>) throws(UsageError) -> Int {
        guard let number = Int(text), range.contains(number) else {
            throw UsageError(
                description:
                    "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
        }
        return number
    }

    private static func nonEmpty(_ text: String, _ name: String) throws(UsageError) -> String {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw UsageError(description: "\(name) needs a value")
        }
        return text
    }
}
