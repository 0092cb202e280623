import ArgumentParser
import GlossCore
import GlossReplica

/// The vocabulary's enums, taken as option values by their raw names (`--confidence high`).
///
/// ArgumentParser's defaults reach those names through `String(describing:)`, whose dynamic
/// casts scan every protocol conformance in the binary the first time: that was ~8% of the
/// instructions of a whole `gloss annotate` (callgrind). The names are the raw values, so
/// these say so directly; help and completions list the same words.
protocol VocabularyArgument: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {}

extension VocabularyArgument {
    public var defaultValueDescription: String { rawValue }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
    /// No value has a description other than its name.
    public static var allValueDescriptions: [String: String] { [:] }
}

extension Confidence: VocabularyArgument {}
extension Likelihood: VocabularyArgument {}
extension Motivation: VocabularyArgument {}
extension ExportFormat: VocabularyArgument {}
extension GlossCore.Status: VocabularyArgument {}
