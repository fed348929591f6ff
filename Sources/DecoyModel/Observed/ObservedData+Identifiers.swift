public import Foundation

extension ObservedData {
    /// Whether an events file gives a contact identifier on any row: a `contact` field that is not
    /// blank. Nothing of the field is kept.
    ///
    /// An import that drops identifiers stores such rows without their contactor, which a later
    /// import under a key would not find (and the other way round).
    public static func holdsIdentifiers(_ data: Data) -> Bool {
        let table = CSVTable(data: data)
        guard table.header.count > 3 else { return false }
        return table.rows.contains { $0.fields.count > 3 && !$0.fields[3].trimmingCharacters(in: padding).isEmpty }
    }
}
