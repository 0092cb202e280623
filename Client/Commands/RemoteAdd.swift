import ArgumentParser
import Foundation
import GlossCommandLine
import GlossCore
import GlossRemote
import GlossReplica

struct RemoteAdd: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Set the team server, workspace and token for `gloss sync`.",
        discussion: """
            Checks the token with the server when it can be reached. Annotations you made before \
            joining a workspace join it now.

            The token is read from GLOSS_TOKEN, or else from standard input (one line) when that \
            is not a terminal, so it stays out of your shell history; --token also takes it. It is \
            kept in the replica and never printed.

            The server binds this device's key (`gloss keys show`) to you, so teammates can check \
            that what you write is yours. Give --root the workspace root's key id, which your \
            admin has from `gloss-server workspace create` (out of band: a server cannot vouch for \
            itself), and this replica pins that root: from then on every operation a sync or a file \
            brings must carry a signature of its author's that the root vouches for, and one that \
            does not is kept aside and named, never merged. A server whose root is another is refused.

            Example:
              gloss remote add http://127.0.0.1:8080 --workspace intel < alice.token
              GLOSS_TOKEN=gls_… gloss remote add http://127.0.0.1:8080 --workspace intel
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The server's URL.") var url: String
    @Option(help: "The workspace to sync.") var workspace: String
    @Option(help: ArgumentHelp("Your access token (from `gloss-server user add` or `token issue`); by default GLOSS_TOKEN, or standard input.",
                               valueName: "gls_…"))
    var token: String?
    @Option(help: ArgumentHelp("The workspace root's key id (16 hex digits) or key, from your admin: pin it, and check every operation's signature against it.",
                               valueName: "key-id"))
    var root: String?

    func execute() async throws {
        let token = try TokenSource.read(option: self.token)
        let workspace = try Replica.canonical(workspace: self.workspace)
        guard let base = URL(string: url), let scheme = base.scheme, ["http", "https"].contains(scheme), base.host != nil else {
            throw CLIFailure.usage("'\(RemoteAddress.shown(url))' is not an http(s) URL", hint: "e.g. http://127.0.0.1:8080")
        }
        let replica = try global.openReplica()
        var role: Role?
        var trust: BundleSigning?
        do {
            let me = try await HTTPTransport.with(base: base, workspace: workspace, token: token) { try await $0.whoAmI() }
            guard try me.user == replica.meta().user else {
                throw CLIFailure(.forbidden, "the token belongs to \(me.user), but this replica is \(try replica.meta().user)'s",
                                 hint: "use your own token")
            }
            guard let membership = me.memberships.first(where: { $0.workspace == workspace }) else {
                throw CLIFailure(.forbidden, "\(me.user) is not a member of workspace '\(workspace)'",
                                 hint: Self.membershipHint(user: me.user, workspace: workspace, memberships: me.memberships.map(\.workspace)))
            }
            role = membership.role
            trust = try await Self.register(replica, base: base, workspace: workspace, token: token, root: root)
        } catch let error as TransportError where error.status == nil {
            Output.warn("warning: \(error.message); saved anyway — `gloss sync` will use it once the server is up")
        }
        if root != nil, trust == nil {
            throw CLIFailure(.remote, "the server could not be asked for the workspace's root, so it was not pinned",
                             hint: "run this again once the server is up")
        }
        try replica.bind(remote: base.absoluteString, workspace: workspace, token: token, role: role)
        if let trust, let pinned = trust.root, root != nil {
            try replica.pinRoot(pinned)
            _ = try replica.takeStatements(trust)
        }
        // Shown without the user info a URL may carry (http://user:pw@host), like the token.
        let shown = RemoteAddress.shown(base.absoluteString)
        let pinned = root != nil ? trust?.root?.key.keyID : nil
        struct Out: Encodable { var url: String; var workspace: WorkspaceName; var role: Role?; var deviceKey: String; var pinnedRoot: String? }
        if global.json {
            return try Output.json(Out(url: shown, workspace: workspace, role: role, deviceKey: try replica.devicePublicKey().text, pinnedRoot: pinned))
        }
        Output.line("remote set: \(shown), workspace \(workspace)\(role.map { " (you are \($0.rawValue))" } ?? "")")
        if let pinned {
            Output.line("root of trust \(pinned) pinned; this device's key \(try replica.devicePublicKey().keyID) is bound to you")
        } else if trust != nil {
            Output.line("this device's key \(try replica.devicePublicKey().keyID) is bound to you")
            Output.warn("note: signatures are not checked here until you pin the workspace's root: ask your admin for its key id and run this again with --root KEY-ID")
        }
        if let role, !role.canWrite {
            let unsent = try replica.unacknowledgedCount()
            Output.warn("note: a \(role.rawValue) reads the team's work but cannot annotate or change notes here; gloss refuses such changes at once"
                        + (unsent > 0 ? ". The \(unsent) change(s) you made before will be refused by the server and kept here (`gloss list --refused`)" : ""))
        }
        Output.line("Next: gloss sync")
    }

    /// Registers this device's key with the server (which binds it to the token's user) and,
    /// with `root` given, refuses a server whose root is not that one. Nil from a server from
    /// before signing (it has no such route), said as a warning.
    static func register(_ replica: Replica, base: URL, workspace: WorkspaceName, token: String, root: String?) async throws -> BundleSigning? {
        let key = try replica.devicePublicKey()
        let trust: BundleSigning
        do {
            trust = try await HTTPTransport.with(base: base, workspace: workspace, token: token) { try await $0.register(key) }
        } catch let error as TransportError where error.reply == .notFound && root == nil {
            Output.warn("warning: the server did not take this device's key (\(error.message)); teammates who pinned the root cannot check your work until an admin binds it (`gloss-server keys bind`)")
            return nil
        }
        if let root {
            guard let offered = trust.root else {
                throw CLIFailure(.forbidden, "the server has no root of trust for '\(workspace)'", hint: "ask your admin to run `gloss-server workspace root \(workspace)`")
            }
            guard root == offered.key.keyID || root == offered.text else {
                throw CLIFailure(.forbidden, "the server's root for '\(workspace)' is \(offered.key.keyID), not the \(root) you were given; nothing was pinned or saved",
                                 hint: "do not sync with this server: tell your admin, who can compare it with `gloss-server workspace root \(workspace)`")
            }
        }
        return trust
    }

    /// What to do when the server says the user is not a member of the workspace named: the
    /// workspace they likely meant, the ones they are in, or that they are in none yet.
    static func membershipHint(user: UserName, workspace: WorkspaceName, memberships: [WorkspaceName]) -> String {
        let memberships = memberships.map(\.rawValue)
        let ask = "ask an admin to run `gloss-server member add \(workspace) \(user)`"
        guard !memberships.isEmpty else { return "\(user) is a member of no workspace yet; \(ask)" }
        let close = CommandSuggestion.closest(to: workspace.rawValue, among: memberships)
        let list = memberships.sorted().joined(separator: ", ")
        guard !close.isEmpty else { return "\(user) is a member of \(list); to join '\(workspace)', \(ask)" }
        return "did you mean " + close.map { "`--workspace \($0)`" }.joined(separator: " or ") + "? (\(user) is a member of \(list))"
    }
}
