/// A JSON Schema: the subset that models and tools use, to ask a model for an answer of a shape and to
/// check the answer it gives.
///
/// ```swift
/// let plan = JSONSchema.object(
///     properties: [
///         "steps": .array(of: .object(
///             properties: ["id": .string(), "tool": .string(oneOf: ["search", "fetch"])],
///             required: ["id", "tool"])),
///     ],
///     required: ["steps"])
/// plan.validate(["steps": [["id": "s1", "tool": "srch"]]])
/// // ["$.steps[0].tool: \"srch\" is not one of \"search\", \"fetch\""]
/// ```
///
/// Supported keywords: `type` (one or several), `properties`, `required`, `additionalProperties`
/// (`false` or a schema), `items`, `enum`, `const`, `minItems`, `maxItems`, `minimum`, `maximum`,
/// `exclusiveMinimum`, `exclusiveMaximum`, `minLength`, `maxLength`, `anyOf`, `$defs` and `$ref` to them
/// (`#/$defs/Name`), and the annotations `title`, `description`, `default`, `examples` and `format`.
/// Decoding a schema that uses any other keyword throws ``UnsupportedKeyword``, rather than accept a
/// constraint it would not check.
public struct JSONSchema: Sendable, Hashable {
    /// A value's type, as `type` names it.
    public enum ValueType: String, Sendable, Hashable, Codable, CaseIterable {
        /// `null`.
        case null
        /// `true` or `false`.
        case boolean
        /// An object.
        case object
        /// An array.
        case array
        /// Any number.
        case number
        /// A whole number.
        case integer
        /// A string.
        case string
    }

    /// What an object may have besides its ``properties``.
    public indirect enum AdditionalProperties: Sendable, Hashable {
        /// No other member.
        case forbidden
        /// Other members, each valid against the schema.
        case schema(JSONSchema)
    }

    /// The types a value may have; `nil` allows any.
    public var types: [ValueType]?
    /// The schemas of an object's members, by name.
    public var properties: [String: JSONSchema]?
    /// The members an object must have.
    public var required: [String]?
    /// What an object may have besides its properties; `nil` allows anything.
    public var additionalProperties: AdditionalProperties?
    /// The values the value must be one of.
    public var allowedValues: [JSONValue]?
    /// The value the value must be.
    public var constant: JSONValue?
    /// The fewest elements of an array.
    public var minItems: Int?
    /// The most elements of an array.
    public var maxItems: Int?
    /// The smallest a number may be.
    public var minimum: Double?
    /// The largest a number may be.
    public var maximum: Double?
    /// A number must be larger than this.
    public var exclusiveMinimum: Double?
    /// A number must be smaller than this.
    public var exclusiveMaximum: Double?
    /// The fewest characters of a string.
    public var minLength: Int?
    /// The most characters of a string.
    public var maxLength: Int?
    /// Schemas of which the value must match at least one.
    public var anyOf: [JSONSchema]?
    /// Schemas that `$ref`s in this document name, as `#/$defs/Name`.
    public var definitions: [String: JSONSchema]?
    /// A reference to a schema of this document's ``definitions``, as `#/$defs/Name`.
    public var reference: String?
    /// A title, for people and models.
    public var title: String?
    /// What the value means, for people and models.
    public var description: String?
    /// A format hint (`date-time`, `uri`, …); not checked.
    public var format: String?
    /// A default, for people and models; not checked.
    public var defaultValue: JSONValue?
    /// Examples, for people and models; not checked.
    public var examples: [JSONValue]?

    // One element at most: an array, so that the schema can contain a schema and stay a value.
    private var itemsStorage: [JSONSchema] = []

    /// The schema of every element of an array.
    public var items: JSONSchema? {
        get { itemsStorage.first }
        set { itemsStorage = newValue.map { [$0] } ?? [] }
    }

    /// Creates a schema that allows any value; set the properties you need.
    public init() {}
}

extension JSONSchema {
    /// An object with `properties`, of which `required` must be present, and no others unless
    /// `additionalProperties` says so.
    public static func object(
        properties: [String: JSONSchema], required: [String] = [],
        additionalProperties: AdditionalProperties? = .forbidden, description: String? = nil
    ) -> JSONSchema {
        var schema = JSONSchema(type: .object, description: description)
        schema.properties = properties
        schema.required = required
        schema.additionalProperties = additionalProperties
        return schema
    }

    /// An array whose elements are all valid against `items`.
    public static func array(
        of items: JSONSchema, minItems: Int? = nil, maxItems: Int? = nil, description: String? = nil
    ) -> JSONSchema {
        var schema = JSONSchema(type: .array, description: description)
        schema.items = items
        schema.minItems = minItems
        schema.maxItems = maxItems
        return schema
    }

    /// A string, one of `values` if given.
    public static func string(
        oneOf values: [String]? = nil, minLength: Int? = nil, maxLength: Int? = nil, description: String? = nil
    ) -> JSONSchema {
        var schema = JSONSchema(type: .string, description: description)
        schema.allowedValues = values?.map(JSONValue.string)
        schema.minLength = minLength
        schema.maxLength = maxLength
        return schema
    }

    /// A whole number between `minimum` and `maximum`, when given.
    public static func integer(minimum: Double? = nil, maximum: Double? = nil, description: String? = nil)
        -> JSONSchema
    {
        bounded(.integer, minimum, maximum, description)
    }

    /// A number between `minimum` and `maximum`, when given.
    public static func number(minimum: Double? = nil, maximum: Double? = nil, description: String? = nil)
        -> JSONSchema
    {
        bounded(.number, minimum, maximum, description)
    }

    private static func bounded(_ type: ValueType, _ minimum: Double?, _ maximum: Double?, _ description: String?)
        -> JSONSchema
    {
        var schema = JSONSchema(type: type, description: description)
        schema.minimum = minimum
        schema.maximum = maximum
        return schema
    }

    /// `true` or `false`.
    public static func boolean(description: String? = nil) -> JSONSchema {
        JSONSchema(type: .boolean, description: description)
    }

    /// A reference to `#/$defs/name` of the document the schema is part of.
    public static func reference(to name: String) -> JSONSchema {
        var schema = JSONSchema()
        schema.reference = referencePrefix + name
        return schema
    }

    private static let referencePrefix = "#/$defs/"

    /// The schema of this document's ``definitions`` that `reference` (`#/$defs/Name`) names, if any.
    func definition(for reference: String) -> JSONSchema? {
        guard reference.hasPrefix(Self.referencePrefix) else { return nil }
        return definitions?[String(reference.dropFirst(Self.referencePrefix.count))]
    }

    private init(type: ValueType, description: String?) {
        self.init()
        types = [type]
        self.description = description
    }
}
