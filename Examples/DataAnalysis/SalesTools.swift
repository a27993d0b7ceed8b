import OrchestraAgents

/// The three tools the data-analysis workflow calls, over a small in-memory sales table.
enum SalesTools {
    /// Monthly sales per region, by year.
    static let sales: [Int: [(region: String, month: Int, total: Double)]] = [
        2024: [
            ("north", 1, 120), ("north", 2, 135), ("south", 1, 80), ("south", 2, 95), ("west", 1, 60), ("west", 2, 58),
        ],
        2025: [
            ("north", 1, 140), ("north", 2, 150), ("south", 1, 90), ("south", 2, 70), ("west", 1, 75), ("west", 2, 88),
        ],
    ]

    /// Why a query cannot be answered.
    struct NoSuchYear: Error, CustomStringConvertible {
        var year: String
        var description: String {
            "no sales for year \(year); the years are \(sales.keys.sorted().map(String.init).joined(separator: ", "))"
        }
    }

    static func registry() throws -> ToolRegistry {
        try ToolRegistry([databaseQuery, chartCreate, reportGenerate])
    }

    /// `database_query`: the rows of the year the query's `WHERE year = …` names.
    static let databaseQuery = FunctionTool(
        name: "database_query", description: "Runs a read-only SQL query on the sales database.",
        parameters: .object(properties: ["query": .string(minLength: 1)], required: ["query"])
    ) { arguments in
        let query = arguments["query"]?.stringValue ?? ""
        let year = query.components(separatedBy: "year = ").last.map { String($0.prefix { $0.isNumber }) } ?? ""
        guard let rows = Int(year).flatMap({ sales[$0] }) else { throw NoSuchYear(year: year) }
        return [
            "rows": .array(
                rows.map {
                    ["region": .string($0.region), "month": .number(Double($0.month)), "total": .number($0.total)]
                })
        ]
    }

    /// `chart_create`: a bar chart of the values, in text.
    static let chartCreate = FunctionTool(
        name: "chart_create", description: "Draws a bar chart of a list of numbers.",
        parameters: .object(properties: ["values": .array(of: .number(), minItems: 1)], required: ["values"])
    ) { arguments in
        let values = arguments["values"]?.arrayValue?.compactMap(\.numberValue) ?? []
        // A real model chooses the values: the bars are drawn only for a positive largest one.
        guard let largest = values.max(), largest > 0, largest.isFinite else {
            return ["chart": .string("(no positive values to draw: \(values))")]
        }
        let bars = values.map { value in
            String(repeating: "█", count: max(1, Int((max(value, 0) / largest * 30).rounded()))) + " \(Int(value))"
        }
        return ["chart": .string(bars.joined(separator: "\n"))]
    }

    /// `report_generate`: a report around the summary.
    static let reportGenerate = FunctionTool(
        name: "report_generate", description: "Writes a short report from a summary.",
        parameters: .object(properties: ["summary": .string(minLength: 1)], required: ["summary"])
    ) { arguments in
        .string("Sales report\n============\n\(arguments["summary"]?.stringValue ?? "")")
    }
}
