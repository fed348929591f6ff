import DecoyModel
import DecoyWorkflows

extension ObservedDesign.Arm {
    /// When its ads went live: each posting's time for up to three, else the first and the last.
    var goLiveText: String {
        switch goLive.count {
        case 0: return "none stored"
        case 1...3: return goLive.map(\.localText).joined(separator: ", ")
        default: return "first \(goLive[0].localText), last \(goLive[goLive.count - 1].localText)"
        }
    }

    /// How long its ads were observed: the whole horizon, or how many were taken down early and when.
    func windowsText(horizon: Double) -> String {
        guard postings > 0 else { return "" }
        let whole = Renderer.durationText(horizon)
        guard endedEarly > 0 else { return postings == 1 ? whole : "\(whole) each" }
        let early = earlyWindows
        let after = early.count <= 3 ? early.map(Renderer.durationText).joined(separator: ", ")
            : "\(Renderer.durationText(early[0])) to \(Renderer.durationText(early[early.count - 1]))"
        let full = postings - endedEarly
        return (full > 0 ? "\(full) for the whole \(whole), " : "") + "\(endedEarly) taken down early (after \(after))"
    }

    /// The channels its contacts came by, each with its number of contacts.
    var channelsText: String {
        channels.isEmpty ? "no contacts" : channels.map { "\($0.name) \($0.contacts)" }.joined(separator: ", ")
    }
}

extension ObservedDesign {
    /// One row per arm: planned and stored postings, go-live times, windows, attributes, channels used.
    var presentation: Presentation {
        Presentation(tables: [Table(
            key: "arms",
            columns: [Column("arm"), Column("postings", title: "ads observed", rightAligned: true), Column("went_live", title: "went live"),
                      Column("windows", title: "observation windows"), Column("attributes"),
                      Column("channels", title: "channels used (contacts)")],
            rows: arms.map { arm in
                [.text(arm.name), .shown(arm.postings == arm.planned ? String(arm.postings) : "\(arm.postings) of \(arm.planned) planned", as: .int(arm.postings)),
                 .text(arm.goLiveText), .text(arm.windowsText(horizon: horizon)),
                 .text(arm.attributes.map { "\($0.0): \($0.1)" }.joined(separator: ", ")), .text(arm.channelsText)]
            })])
    }
}

extension Renderer {
    /// A duration for people: seconds under a minute, minutes under an hour, else hours, to three
    /// significant digits, whole hours from 100 h (`45 s`, `12.5 min`, `72 h`, `240 h`).
    static func durationText(_ hours: Double) -> String {
        func digits(_ v: Double) -> String { display(.number(v, .significant(3))) }
        guard hours.isFinite else { return "-" }
        if hours < 1.0 / 60 { return "\(digits(hours * 3600)) s" }
        if hours < 1 { return "\(digits(hours * 60)) min" }
        if hours >= 100 { return "\(Int(hours.rounded())) h" }
        return "\(digits(hours)) h"
    }
}
