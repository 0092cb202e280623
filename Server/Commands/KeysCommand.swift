import ArgumentParser
import Foundation
import GlossCore

/// `gloss-server keys …`: the workspace root's statements about members' device keys.
struct KeysCommand: AdminCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Bind members' device keys to them, with the workspace's root key.",
        discussion: """
            A member's replica signs their work with its device key (`gloss keys show` prints \
            it). Binding the key to the member, with the workspace's root, is what makes \
            teammates' replicas take that work as theirs.

            Example:
              gloss-server --db team.sqlite keys bind --workspace intel --user alice --key 6VB3ncN-mVwx5TSApQU-D0sFFfNFi-h4CaitAjtsgTQ -o alice-key.gloss
              gloss ops apply alice-key.gloss      # on any member's replica; files carry it on from there
              gloss-server --db team.sqlite keys revoke --workspace intel --key 6VB3ncN-mVwx5TSApQU-D0sFFfNFi-h4CaitAjtsgTQ --keep laptop-marks.gloss -o revoked.gloss
            """,
        subcommands: [Bind.self, Revoke.self]
    )

    @OptionGroup var global: ServerOptions

    struct Bind: AdminCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bind a device key to a member, and write the workspace's bindings as a file replicas apply.",
            discussion: """
                The file holds the root's public key and every binding of the workspace, each \
                signed by the root; a replica takes them only if they check against the root it \
                pinned. Without -o the file goes to standard output.

                Example:
                  gloss-server --db team.sqlite keys bind --workspace intel --user alice --key 6VB3ncN-mVwx5TSApQU-D0sFFfNFi-h4CaitAjtsgTQ -o bindings.gloss
                """
        )

        @OptionGroup var global: ServerOptions
        @Option(help: "The workspace.", transform: Names.workspace) var workspace: WorkspaceName
        @Option(help: "The member the key belongs to.", transform: Names.user) var user: UserName
        /// `--key`, taking the next word whatever it starts with: a base64url key may start with '-'.
        @Option(name: .customLong("key"), parsing: .unconditional,
                help: "The device's public key, as `gloss keys show` prints it (43 characters).") var keyString: String
        @Option(name: [.short, .customLong("output")], help: "Write the bindings file here (default: standard output).") var output: String?

        func run() async throws {
            try await reporting {
                let device = try KeysCommand.deviceKey(keyString, hint: "copy the whole 43-character key `gloss keys show` prints on the member's machine")
                let signing = try await KeysCommand.sign(in: workspace, global: global) { store in
                    guard try await store.members(of: workspace).contains(where: { $0.user == user }) else {
                        throw StoreError(.notFound, "\(user) is not a member of '\(workspace)'",
                                         hint: "add them first: gloss-server member add \(workspace) \(user)")
                    }
                } keep: { store, root in
                    try await store.addBinding(KeyBinding.make(workspace: workspace, user: user, key: device, issued: Names.millisNow(), root: root))
                }
                try KeysCommand.write(signing, to: output, saying: "bound key \(device.keyID) to \(user) in '\(workspace)'")
            }
        }
    }

    struct Revoke: AdminCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a device key, keeping what it signed up to the device's marks, and write the workspace's statements as a file.",
            discussion: """
                Everything the key signs past the marks, and anything else it signed, is refused \
                on every replica that applies the file (or a file carried on from it). The marks \
                come from `gloss keys marks` on the device or a backup of it; without --keep, \
                nothing the key signed stays.

                Example:
                  gloss-server --db team.sqlite keys revoke --workspace intel --key 6VB3ncN-mVwx5TSApQU-D0sFFfNFi-h4CaitAjtsgTQ --keep laptop-marks.gloss -o revoked.gloss
                """
        )

        @OptionGroup var global: ServerOptions
        @Option(help: "The workspace.", transform: Names.workspace) var workspace: WorkspaceName
        /// `--key`, taking the next word whatever it starts with: a base64url key may start with '-'.
        @Option(name: .customLong("key"), parsing: .unconditional,
                help: "The device's public key, as `gloss-server user keys` lists it.") var keyString: String
        @Option(help: "The marks file `gloss keys marks` wrote: what the key signed up to there stays.") var keep: String?
        @Option(name: [.short, .customLong("output")], help: "Write the statements file here (default: standard output).") var output: String?

        func run() async throws {
            try await reporting {
                let device = try KeysCommand.deviceKey(keyString, hint: "copy the whole 43-character key `gloss-server user keys USER --workspace W` lists")
                var marks: [KeyRevocation.Mark] = []
                if let keep {
                    let data: Data
                    do { data = try Data(contentsOf: URL(fileURLWithPath: keep)) } catch {
                        throw CommandFailure(.notFound, "cannot read \(keep)", hint: "give the file `gloss keys marks -o FILE` wrote")
                    }
                    let read: KeyMarks
                    do { read = try KeyMarks.read(data) } catch {
                        throw CommandFailure(.usage, "\(keep) is not a marks file: \(error)", hint: "give the file `gloss keys marks -o FILE` wrote")
                    }
                    guard read.key == device else {
                        throw CommandFailure(.usage, "\(keep) holds the marks of key \(read.key.keyID), not \(device.keyID)",
                                             hint: "run `gloss keys marks` on the device whose key you revoke")
                    }
                    marks = read.marks
                }
                let signing = try await KeysCommand.sign(in: workspace, global: global) { store in
                    guard try await store.bindings(in: workspace).contains(where: { $0.key == device }) else {
                        throw StoreError(.notFound, "key \(device.keyID) is not bound in '\(workspace)'",
                                         hint: "see `gloss-server user keys USER --workspace \(workspace)`")
                    }
                } keep: { store, root in
                    try await store.addRevocation(KeyRevocation.make(workspace: workspace, key: device, kept: marks, issued: Names.millisNow(), root: root))
                }
                try KeysCommand.write(signing, to: output,
                                      saying: "revoked key \(device.keyID) in '\(workspace)', keeping \(marks.count) chain(s) up to their marks")
            }
        }
    }

    /// A device key as given on the command line; `hint` says where to copy it from.
    static func deviceKey(_ text: String, hint: String) throws -> DevicePublicKey {
        guard let key = DevicePublicKey(text: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CommandFailure(.usage, "'\(text.prefix(60))' is not a device key", hint: hint)
        }
        return key
    }

    /// In one opening of the store: `check`, then `keep` a statement signed with the
    /// workspace's root; returns every statement of the workspace (bindings and revocations).
    static func sign(in workspace: WorkspaceName, global: ServerOptions, check: (any SyncStore) async throws -> Void,
                     keep: (any SyncStore, RootKey) async throws -> Void) async throws -> BundleSigning {
        try await global.withStore { store in
            try await check(store)
            let root = try await store.root(of: workspace, now: Names.millisNow(), make: StoreTrust.makeRoot)
            try await keep(store, root)
            return try await store.statements(of: workspace, root: root.publicKey)
        }
    }

    /// Writes the statements as a file replicas apply with `gloss ops apply` (to `output`, or
    /// standard output).
    static func write(_ signing: BundleSigning, to output: String?, saying: String) throws {
        let bytes = Data(try OperationBundle(reports: [], operations: [], signing: signing).fileBytes())
        if let output, output != "-" {
            try bytes.write(to: URL(fileURLWithPath: output))
            FileHandle.standardError.write(Data("\(saying); wrote \(signing.bindings.count) binding(s) and \(signing.revocations.count) revocation(s) to \(output)\n".utf8))
        } else {
            FileHandle.standardOutput.write(bytes)
        }
    }
}
