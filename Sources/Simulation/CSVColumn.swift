/// One column of a CSV file, declared once: its header name and how a row's value is written.
public struct CSVColumn<Row>: Sendable {
    /// The header name (with its unit, as the files spell them: `current_A`).
    public let name: String
    /// The field of `row` in this column.
    public let format: @Sendable (Row) -> String

    public init(_ name: String, _ format: @escaping @Sendable (Row) -> String) {
        self.name = name
        self.format = format
    }
}

extension Array {
    /// The header names of a column list.
    public func names<Row>() -> [String] where Element == CSVColumn<Row> { map(\.name) }

    /// The fields of `row`, column by column.
    public func fields<Row>(_ row: Row) -> [String] where Element == CSVColumn<Row> { map { $0.format(row) } }
}

extension TimeSeriesWriter {
    /// Creates (or truncates) `path` with the header of `columns`.
    public convenience init<Row>(path: String, columns: [CSVColumn<Row>], flushEveryRows: Int = 1) throws {
        try self.init(path: path, columns: columns.names(), flushEveryRows: flushEveryRows)
    }
}
