import Foundation
import GlossCore

/// libFuzzer entry point for the sync wire format: any bytes decoded as a push request, a
/// pull answer (by JSONDecoder and by Gloss's own reader, which must agree whenever both
/// accept) or one operation must fail with a `DecodingError` or decode to values that
/// `validate()` and `PushPolicy.decide` judge without crashing, and that re-encode to JSON
/// which decodes to the same values.
///
/// Built as a plain dynamic library by `swift build`; `scripts/fuzz.sh` rebuilds it with
/// `-sanitize=fuzzer,address` and links it into a libFuzzer binary.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSync(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    let decoder = JSONDecoder()
    var operations: [GlossCore.Operation] = []
    let push = try? decoder.decode(Sync.PushRequest.self, from: bytes)
    if let push { operations += push.operations }
    // The server reads pushes with Gloss's reader first: when it accepts, JSONDecoder must agree.
    if let read = try? Sync.PushRequest.read(bytes) {
        precondition(push != nil && read.replica == push!.replica && read.operations == push!.operations
                        && read.claims == push!.claims,
                     "the push reader accepted what JSONDecoder reads differently")
    }
    let pull = try? decoder.decode(Sync.PullResponse.self, from: bytes)
    if let pull { operations += pull.operations }
    // Gloss's own reader of pull answers (what `gloss sync` uses) must agree with JSONDecoder:
    // the same operations, or a refusal; and each kept text must read back as its operation.
    let read = try? Sync.PullResponse.read(bytes)
    if let read, let pull {
        precondition(read.operations == pull.operations && read.cursor == pull.cursor && read.more == pull.more,
                     "the pull reader and JSONDecoder disagree")
        for (op, text) in zip(read.operations, read.payloads ?? []) {
            precondition((try? decoder.decode(GlossCore.Operation.self, from: Data(text.utf8))) == op, "a kept operation text must read back")
        }
    }
    if let op = try? decoder.decode(GlossCore.Operation.self, from: bytes) { operations.append(op) }
    for op in operations {
        _ = try? op.validate()
        for role in Role.allCases {
            let policy = PushPolicy(workspace: op.workspace, user: op.author, role: role, now: 1_764_384_000_000)
            let payload = JSONWriter.string(op)
            var known = PushPolicy.PushFacts()
            known.owners[op.id.replica] = op.author
            known.creators[op.annotation] = .init(author: op.author, isPrivate: op.isPrivate)
            _ = policy.decide([op, op], payloads: [payload, payload], claims: push?.claims ?? [], facts: known)
            _ = policy.decide([op], payloads: [payload], claims: [], facts: .init())
        }
        let encoded: Data
        do { encoded = try JSON.encode(op) } catch { preconditionFailure("a decoded operation must encode: \(error)") }
        let again = try? decoder.decode(GlossCore.Operation.self, from: encoded)
        precondition(again == op, "an operation must survive encode and decode unchanged: \(String(decoding: encoded, as: UTF8.self))")
    }
    return 0
}
