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
              gloss-server --db team.sqlite keys bind --workspace intel --user alice 6VB3ncN-mVwx5TSApQU-D0sFFfNFi-h4CaitAjtsgTQ -o alice-key.gloss
              gloss ops apply alice-key.gloss      # on any member's replica; files carry it on from there
            """,
        subcommands: [Bind.self]
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
                  gloss-server --db team.sqlite keys bind --workspace intel --user alice 6VB3ncN-mVwx5TSApQU-D0sFFfNFi-h4CaitAjtsgTQ -o bindings.gloss
                """
        )

        @OptionGroup var global: ServerOptions
        @Option(help: "The workspace.", transform: Names.workspace) var workspace: WorkspaceName
        @Option(help: "The member the key belongs to.", transform: Names.user) var user: UserName
        @Argument(help: "The device's public key, as `gloss keys show` prints it (43 characters).") var key: String
        @Option(name: [.short, .customLong("output")], help: "Write the bindings file here (default: standard output).") var output: String?

        func run() async throws {
            try await reporting {
                guard let device = DevicePublicKey(text: key.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                    throw CommandFailure(.usage, "'\(key.prefix(60))' is not a device key",
                                         hint: "copy the whole 43-character key `gloss keys show` prints on the member's machine")
                }
                let (root, bindings) = try await global.withStore { store in
                    guard try await store.members(of: workspace).contains(where: { $0.user == user }) else {
                        throw StoreError(.notFound, "\(user) is not a member of '\(workspace)'",
                                         hint: "add them first: gloss-server member add \(workspace) \(user)")
                    }
                    let root = try await store.root(of: workspace, now: Names.millisNow(), make: WorkspaceCommand.Root.make)
                    try await store.addBinding(KeyBinding.make(workspace: workspace, user: user, key: device,
                                                               issued: Names.millisNow(), root: root))
                    return (root.publicKey, try await store.bindings(in: workspace))
                }
                let file = OperationBundle(reports: [], operations: [], signing: BundleSigning(root: root, bindings: bindings))
                let bytes = Data(try file.fileBytes())
                if let output, output != "-" {
                    try bytes.write(to: URL(fileURLWithPath: output))
                    FileHandle.standardError.write(Data("bound key \(device.keyID) to \(user) in '\(workspace)'; wrote \(bindings.count) binding(s) to \(output)\n".utf8))
                } else {
                    FileHandle.standardOutput.write(bytes)
                }
            }
        }
    }
}
