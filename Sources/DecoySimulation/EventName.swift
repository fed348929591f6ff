/// A name of the canonical event stream (an arm, a channel, a population or a pseudonym),
/// encoded as UTF-8 once so that writing it into a line is a copy of its bytes.
public struct EventName: Sendable, Hashable {
    /// The name's UTF-8 bytes.
    public let utf8: [UInt8]

    /// The name `text`, encoded.
    public init(_ text: String) { utf8 = Array(text.utf8) }

    /// The empty name (a contact without a contactor).
    public static let empty = EventName("")
}
