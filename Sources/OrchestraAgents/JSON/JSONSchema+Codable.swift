extension JSONSchema: Codable {
    /// A keyword this schema type does not check, found while decoding a schema.
    public struct UnsupportedKeyword: Error, Sendable, Hashable, CustomStringConvertible {
        /// The keyword, as in `pattern`.
        public let keyword: String
        /// Where in the schema document, as in `$.properties.name`.
        public let path: String

        /// As in `the JSON Schema keyword 'pattern' at $.properties.name is not supported; …`.
        public var description: String {
            "the JSON Schema keyword '\(keyword)' at \(path) is not supported, so it would not be checked; "
                + "remove it, or express the constraint with the supported keywords"
        }
    }

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private static let keywords: Set<String> = [
        "type", "properties", "required", "additionalProperties", "items", "enum", "const", "minItems",
        "maxItems", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
        "anyOf", "$defs", "$ref", "title", "description", "format", "default", "examples", "$schema", "$id",
        "$comment",
    ]

    /// Decodes a schema document, or throws ``UnsupportedKeyword`` for a keyword it would not check.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !Self.keywords.contains($0) }) {
            throw UnsupportedKeyword(keyword: unknown, path: Self.path(decoder.codingPath))
        }
        self.init()
        if let single = try? container.decode(ValueType.self, forKey: Key("type")) {
            types = [single]
        } else {
            types = try container.decodeIfPresent([ValueType].self, forKey: Key("type"))
        }
        properties = try container.decodeIfPresent([String: JSONSchema].self, forKey: Key("properties"))
        required = try container.decodeIfPresent([String].self, forKey: Key("required"))
        if let allowed = try? container.decode(Bool.self, forKey: Key("additionalProperties")) {
            additionalProperties = allowed ? nil : .forbidden
        } else if let schema = try container.decodeIfPresent(JSONSchema.self, forKey: Key("additionalProperties")) {
            additionalProperties = .schema(schema)
        }
        items = try container.decodeIfPresent(JSONSchema.self, forKey: Key("items"))
        allowedValues = try container.decodeIfPresent([JSONValue].self, forKey: Key("enum"))
        if container.contains(Key("const")) { constant = try container.decode(JSONValue.self, forKey: Key("const")) }
        minItems = try container.decodeIfPresent(Int.self, forKey: Key("minItems"))
        maxItems = try container.decodeIfPresent(Int.self, forKey: Key("maxItems"))
        minimum = try container.decodeIfPresent(Double.self, forKey: Key("minimum"))
        maximum = try container.decodeIfPresent(Double.self, forKey: Key("maximum"))
        exclusiveMinimum = try container.decodeIfPresent(Double.self, forKey: Key("exclusiveMinimum"))
        exclusiveMaximum = try container.decodeIfPresent(Double.self, forKey: Key("exclusiveMaximum"))
        minLength = try container.decodeIfPresent(Int.self, forKey: Key("minLength"))
        maxLength = try container.decodeIfPresent(Int.self, forKey: Key("maxLength"))
        anyOf = try container.decodeIfPresent([JSONSchema].self, forKey: Key("anyOf"))
        definitions = try container.decodeIfPresent([String: JSONSchema].self, forKey: Key("$defs"))
        reference = try container.decodeIfPresent(String.self, forKey: Key("$ref"))
        title = try container.decodeIfPresent(String.self, forKey: Key("title"))
        description = try container.decodeIfPresent(String.self, forKey: Key("description"))
        format = try container.decodeIfPresent(String.self, forKey: Key("format"))
        if container.contains(Key("default")) {
            defaultValue = try container.decode(JSONValue.self, forKey: Key("default"))
        }
        examples = try container.decodeIfPresent([JSONValue].self, forKey: Key("examples"))
    }

    /// Encodes the schema document, with only the keywords that are set.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        if let types {
            if types.count == 1 {
                try container.encode(types[0], forKey: Key("type"))
            } else {
                try container.encode(types, forKey: Key("type"))
            }
        }
        try container.encodeIfPresent(properties, forKey: Key("properties"))
        try container.encodeIfPresent(required, forKey: Key("required"))
        switch additionalProperties {
        case .forbidden: try container.encode(false, forKey: Key("additionalProperties"))
        case .schema(let schema): try container.encode(schema, forKey: Key("additionalProperties"))
        case nil: break
        }
        try container.encodeIfPresent(items, forKey: Key("items"))
        try container.encodeIfPresent(allowedValues, forKey: Key("enum"))
        try container.encodeIfPresent(constant, forKey: Key("const"))
        try container.encodeIfPresent(minItems, forKey: Key("minItems"))
        try container.encodeIfPresent(maxItems, forKey: Key("maxItems"))
        try container.encodeIfPresent(minimum, forKey: Key("minimum"))
        try container.encodeIfPresent(maximum, forKey: Key("maximum"))
        try container.encodeIfPresent(exclusiveMinimum, forKey: Key("exclusiveMinimum"))
        try container.encodeIfPresent(exclusiveMaximum, forKey: Key("exclusiveMaximum"))
        try container.encodeIfPresent(minLength, forKey: Key("minLength"))
        try container.encodeIfPresent(maxLength, forKey: Key("maxLength"))
        try container.encodeIfPresent(anyOf, forKey: Key("anyOf"))
        try container.encodeIfPresent(definitions, forKey: Key("$defs"))
        try container.encodeIfPresent(reference, forKey: Key("$ref"))
        try container.encodeIfPresent(title, forKey: Key("title"))
        try container.encodeIfPresent(description, forKey: Key("description"))
        try container.encodeIfPresent(format, forKey: Key("format"))
        try container.encodeIfPresent(defaultValue, forKey: Key("default"))
        try container.encodeIfPresent(examples, forKey: Key("examples"))
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.reduce("$") { path, key in
            key.intValue.map { "\(path)[\($0)]" } ?? JSONPath.appending(key.stringValue, to: path)
        }
    }
}
