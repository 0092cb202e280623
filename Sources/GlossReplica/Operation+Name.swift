import GlossCore

/// In this module `Operation` is Gloss's, not Foundation's `NSOperation`.
typealias Operation = GlossCore.Operation
