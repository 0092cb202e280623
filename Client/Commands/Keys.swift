import ArgumentParser
import Foundation
import GlossCore
import GlossReplica

/// `gloss keys …`: the device key that signs this replica's work, and the workspace root it trusts.
struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "The key that signs your work here, and the workspace root you trust.",
        discussion: """
            Every replica has its own device key (the file device.key in its home, readable by \
            you only). Your operations are signed with it, so a teammate's replica can tell \
            that they are yours and unaltered, whether they came from the server or by file.

            The workspace's root of trust binds device keys to people. Pin it once, with the \
            key your admin gives you (`gloss-server workspace root W` prints it); from then \
            on, operations whose signature does not check are kept aside, and \
            `gloss sync --refused` names them.

            Examples:
              gloss keys show
              gloss keys pin-root uUJDy4Yl47ueYXhpwbA9jblPb38n-S-oWxP9ghGJtw0   # the 43-character key from your admin
              gloss keys verify        # after restoring this replica from a backup
            """,
        subcommands: [Show.self, PinRoot.self, Marks.self, Verify.self])

    struct Show: GlossCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show this device's public key, the pinned root, and the keys the root bound to you.",
            discussion: """
                Give the public key to your admin to bind it to you. A key bound to you that is \
                not one of your devices' is a warning sign: someone may be signing as you.

                Example:
                  gloss keys show --json
                """)

        @OptionGroup var global: GlobalOptions

        struct Out: Encodable {
            var user: UserName
            var workspace: WorkspaceName?
            var key: String
            var keyID: String
            var root: String?
            var rootID: String?
            /// The keys the pinned root bound to this user, by key id; this device's is marked.
            var boundKeys: [BoundKey]
            struct BoundKey: Encodable { var keyID: String; var thisDevice: Bool; var revoked: Bool }
        }

        func execute() throws {
            let replica = try global.openReplica()
            let meta = try replica.meta()
            let key = try replica.devicePublicKey()
            let ring = try replica.keyRing()
            let bound = (ring?.keys(of: meta.user) ?? []).map { other in
                let revoked = if case .revoked = ring!.status(of: other) { true } else { false }
                return Out.BoundKey(keyID: other.keyID, thisDevice: other == key, revoked: revoked)
            }
            let out = Out(user: meta.user, workspace: meta.workspace.isEmpty ? nil : meta.workspace, key: key.text, keyID: key.keyID,
                          root: ring?.root.key.text, rootID: ring?.root.description, boundKeys: bound)
            if global.json { return try Output.json(out) }
            Output.line("device key  \(key.text)")
            Output.line("key id      \(key.keyID)")
            if let ring {
                Output.line("root        \(ring.root.description) (pinned for '\(meta.workspace)')")
                if bound.isEmpty {
                    Output.line(Output.dim("The root has bound no key to \(meta.user) that this replica knows of; ask your admin to bind this one."))
                }
                for other in bound {
                    let note = other.thisDevice ? "this device" : other.revoked ? "revoked" : "another device of yours?"
                    Output.line("bound       \(other.keyID)  \(other.thisDevice || other.revoked ? Output.dim(note) : Output.yellow(note))")
                }
            } else if meta.workspace.isEmpty {
                Output.line(Output.dim("This replica is in no workspace, so nothing it receives is checked: gloss init --workspace W starts one that is."))
            } else {
                Output.line(Output.dim("No root is pinned: what files bring is not checked. Pin your workspace's root: gloss keys pin-root KEY"))
            }
        }
    }

    struct PinRoot: GlossCommand {
        static let configuration = CommandConfiguration(
            commandName: "pin-root",
            abstract: "Trust the workspace's root key (once; a file cannot change it).",
            discussion: """
                Take the key from your admin by a channel you trust (in person, a signed \
                message): whoever gives you the root decides whose signatures count.

                Example:
                  gloss keys pin-root uUJDy4Yl47ueYXhpwbA9jblPb38n-S-oWxP9ghGJtw0
                """)

        @OptionGroup var global: GlobalOptions
        /// Taken whatever it starts with: a base64url key may start with '-'.
        @Argument(parsing: .allUnrecognized,
                  help: "The root's public key: 43 characters of base64url, as `gloss-server workspace root W` prints it.") var key: [String] = []

        func validate() throws {
            guard key.count == 1 else { throw ValidationError("give the root's key, once (43 characters)") }
        }

        func execute() throws {
            let text = key[0]
            guard let root = RootPublicKey(text: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw CLIFailure.usage("'\(Output.clip(text, 60))' is not a root key",
                                       hint: "copy the whole 43-character key `gloss-server workspace root W` prints")
            }
            let replica = try global.openReplica()
            let pinned = try replica.pinRoot(root)
            let workspace = try replica.meta().workspace
            struct Out: Encodable { var workspace: WorkspaceName; var rootID: String; var pinned: Bool }
            if global.json { return try Output.json(Out(workspace: workspace, rootID: root.description, pinned: pinned)) }
            Output.line(pinned ? "pinned root \(root.description) for '\(workspace)': what files bring is checked from now on"
                               : "root \(root.description) was pinned already")
        }
    }

    struct Verify: GlossCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check every note here against its signature again (after restoring a backup).",
            discussion: """
                Compares each operation in this replica with what its author signed: a \
                teammate's with the signed run this replica kept when it took it, yours with \
                the chain your device signed. One that differs was altered since it arrived (a \
                backup changed while it was away, say). It leaves your notes, which are rebuilt \
                without it; it is kept aside, and `gloss sync --refused` names it; and your next \
                sync pulls the server's copies again. Exit status 5 when something was taken out.

                Operations from before signing, or taken before the root was pinned, have no \
                signature to check and stay as they are.

                Example:
                  gloss keys verify --json
                """)

        @OptionGroup var global: GlobalOptions

        func execute() throws {
            guard let found = try global.openReplica().recheckSignatures() else {
                throw CLIFailure(.invalidArgument, "no workspace root is pinned here, so there are no signatures to check",
                                 hint: "pin your workspace's root first: gloss keys pin-root KEY")
            }
            if global.json {
                try Output.json(found)
            } else if found.takenOut.isEmpty {
                Output.line("checked \(found.checked) operation(s) against their signatures: all are as their authors signed them")
            } else {
                let count = found.takenOut.count
                Output.line("checked \(found.checked) operation(s) against their signatures; \(count == 1 ? "1 differs and was" : "\(count) differ and were") taken out:")
                for item in found.takenOut { Output.row("  \(item.op)  \(Output.yellow(Output.safe(item.reason)))") }
                Output.line(found.pullsAgain ? "they are kept aside (gloss sync --refused); your next sync pulls the server's copies again"
                                             : "they are kept aside (gloss sync --refused); a file from their author brings the signed copies back")
            }
            if !found.takenOut.isEmpty { throw ExitCode(5) }
        }
    }

    struct Marks: GlossCommand {
        static let configuration = CommandConfiguration(
            commandName: "marks",
            abstract: "Write how far this device's signed work goes, for an admin revoking its key.",
            discussion: """
                When a device is lost or its key leaked, run this on the device, or on a backup \
                of its replica, and give the file to your admin: `gloss-server keys revoke \
                --keep FILE` keeps what the key signed up to here, and everything it signs \
                after is refused on every replica. Private notes are not counted in the file.

                Example:
                  gloss keys marks -o laptop-marks.gloss
                """)

        @OptionGroup var global: GlobalOptions
        @Option(name: .shortAndLong, help: "The file to write (`-` is standard output).") var output: String = "-"

        func execute() throws {
            let marks = try global.openReplica().chainMarks()
            let toFile = try StandardStreams.write(Data((JSONWriter.string(marks) + "\n").utf8), to: output, home: global.homeURL)
            if toFile {
                Output.warn("wrote the marks of \(marks.marks.count) chain(s) signed by key \(marks.key.keyID) to \(output)")
            }
        }
    }
}
