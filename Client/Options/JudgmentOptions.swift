import ArgumentParser
import GlossCore
import GlossReplica

/// Options that describe a judgment, shared by `annotate` and `edit`.
struct JudgmentOptions: ParsableArguments {
    @Option(help: "Analytic confidence: low, moderate or high.") var confidence: Confidence?
    @Option(help: "ICD 203 likelihood: almost-no-chance, very-unlikely, unlikely, roughly-even-chance, likely, very-likely, almost-certain.")
    var likelihood: Likelihood?

    var judgment: Judgment? {
        confidence == nil && likelihood == nil ? nil : Judgment(confidence: confidence, likelihood: likelihood)
    }
}
