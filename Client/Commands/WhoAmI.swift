import ArgumentParser
import Foundation
import GlossCore
import GlossRemote
import GlossReplica

struct WhoAmI: GlossCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Who you are here, and to the team server.",
        discussion: """
            Your user name and replica; with a team server, the workspace and the role the \
            server gives your token (asked once, in a few seconds at most; --offline skips it).

            Examples:
              gloss whoami
              gloss whoami --offline --json
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Do not ask the server.") var offline = false

    struct Out: Encodable {
        var user: UserName
        var home: String
        var workspace: WorkspaceName?
        var server: String?
        /// The role the server gives this token in the workspace; nil when not asked or unreachable.
        var role: Role?
        /// Why the server was not asked or did not answer.
        var serverProblem: String?
    }

    func execute() async throws {
        let replica = try global.openReplica()
        let meta = try replica.meta()
        var out = Out(user: meta.user, home: global.homeURL.path, workspace: meta.workspace.isEmpty ? nil : meta.workspace,
                      server: meta.remoteURL.isEmpty ? nil : RemoteAddress.shown(meta.remoteURL))
        if !offline, let base = URL(string: meta.remoteURL), !meta.remoteURL.isEmpty {
            do {
                let token = try TokenSource.stored(meta.remoteToken, server: RemoteAddress.shown(meta.remoteURL), workspace: meta.workspace)
                let me = try await HTTPTransport.with(base: base, workspace: meta.workspace, token: token,
                                                      retryingConnections: false) { try await $0.whoAmI() }
                out.role = me.memberships.first { $0.workspace == meta.workspace }?.role
                if me.user != meta.user {
                    out.serverProblem = "the token belongs to \(me.user), not \(meta.user)"
                } else if out.role == nil {
                    out.serverProblem = "\(me.user) is not a member of '\(meta.workspace)'"
                }
            } catch {
                out.serverProblem = CLIFailure(error).message
            }
        }
        if global.json { return try Output.json(out) }
        Output.line("\(Output.bold(out.user.rawValue))  \(Output.dim("(replica in \(out.home))"))")
        guard let server = out.server else {
            return Output.line("no team server — add one: gloss remote add URL --workspace W < token.txt")
        }
        Output.line("\(out.role.map { "\($0.rawValue) of" } ?? "in") '\(out.workspace?.rawValue ?? "")' on \(server)")
        if let problem = out.serverProblem { Output.warn(Output.red("server: ") + problem) }
    }
}

struct Completion: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Print the shell completion script for bash, zsh or fish.",
        discussion: """
            Install it once:
              bash:  gloss completion bash > ~/.local/share/bash-completion/completions/gloss
              zsh:   gloss completion zsh > "${fpath[1]}/_gloss"
              fish:  gloss completion fish > ~/.config/fish/completions/gloss.fish
            """)

    enum Shell: String, ExpressibleByArgument, CaseIterable { case bash, zsh, fish }

    @Argument(help: "bash, zsh or fish.") var shell: Shell

    func run() throws {
        let kind: CompletionShell = switch shell {
        case .bash: .bash
        case .zsh: .zsh
        case .fish: .fish
        }
        print(Gloss.completionScript(for: kind), terminator: "")
    }
}
