import Foundation
import OrchestraAgents
import OrchestraTesting

/// The offline model: it answers the `analyze` step by reading the rows in its prompt and totalling them per
/// region — a scripted stand-in for a real model, which `--base-url` replaces.
enum AnalystModel {
    static func make(pace: Duration) -> ScriptedModel {
        ScriptedModel(pace: pace) { request in
            let prompt = request.messages.last?.content ?? ""
            guard let start = prompt.firstIndex(of: "["),
                let rows = try? JSONDecoder().decode(JSONValue.self, from: Data(prompt[start...].utf8)).arrayValue
            else { return .text("I found no rows to analyse.") }
            var totals: [String: Double] = [:]
            for row in rows {
                totals[row["region"]?.stringValue ?? "?", default: 0] += row["total"]?.numberValue ?? 0
            }
            let regions = totals.keys.sorted()
            let best = regions.max { (totals[$0] ?? 0) < (totals[$1] ?? 0) } ?? "?"
            let all = totals.values.reduce(0, +)
            let summary =
                "Sales totalled \(Int(all)) across \(regions.count) regions (\(regions.joined(separator: ", "))); "
                + "\(best) led with \(Int(totals[best] ?? 0))."
            return .json(["chart_data": .array(regions.map { .number(totals[$0] ?? 0) }), "summary": .string(summary)])
        }
    }
}
