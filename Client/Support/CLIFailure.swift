import Foundation
import GlossCore
import GlossRemote
import GlossReplica

/// A command's failure in the CLI's words: what went wrong, what to do, a code for `--json`
/// and an exit code for scripts. The CLI throws it for its own mistakes, and
/// ``init(_:)`` translates every other module's errors into it: the one place where the
/// library errors meet the commands that name the remedy.
struct CLIFailure: Error, CustomStringConvertible {
    /// Stable, for scripts (`--json` errors carry it).
    enum Code: String {
        case notInitialized, alreadyInitialized, notFound, ambiguous, invalidArgument
        case quoteNotFound, quoteAmbiguous, forbidden, badFile, storage, remote
        /// An error no part of gloss words: a bug to report, not the disk's fault.
        case unexpected
        /// Ctrl-C, in an editor gloss waited for: exit 130, as a shell says of a command it ended.
        case interrupted
    }

    var code: Code
    var message: String
    var hint: String?
    /// A mistake on the command line (exit 64, as ArgumentParser's own usage errors).
    var isUsage = false

    init(_ code: Code, _ message: String, hint: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    /// A mistake on the command line: an argument no command could take (a malformed id or
    /// tag, an occurrence out of range, a name that is not a name). Exit 64; `--json` says
    /// `invalidArgument`, as for ArgumentParser's own usage errors.
    static func usage(_ message: String, hint: String? = nil) -> CLIFailure {
        var failure = CLIFailure(.invalidArgument, message, hint: hint)
        failure.isUsage = true
        return failure
    }

    var description: String { hint.map { "\(message)\nhint: \($0)" } ?? message }

    /// The exit codes (`ExitCodes.table`): 1 a general failure; 3 not found, or not found
    /// uniquely (an id prefix or a quote that names several); 4 not allowed (a token or a
    /// membership the server refused, too); 5, some inputs refused, is thrown by `gloss import`
    /// (files) and `gloss sync` (operations) themselves; 64 a mistake on the command line.
    var exitCode: Int32 {
        if isUsage { return 64 }
        return switch code {
        case .notFound, .ambiguous, .quoteNotFound, .quoteAmbiguous: 3
        case .forbidden: 4
        case .interrupted: 130
        default: 1
        }
    }

    /// SQLite's errors (GRDB's `DatabaseError`), by name: the CLI does not link GRDB itself.
    static func isStorage(_ error: any Error) -> Bool {
        String(reflecting: type(of: error)).hasSuffix("DatabaseError")
    }

    /// Any error, in the CLI's words.
    init(_ error: any Error) {
        switch error {
        case let error as CLIFailure: self = error
        case let error as ReplicaError: self = Self.words(for: error)
        case let error as AnchorError: self = Self.words(for: error)
        case let error as ActionError: self = Self.words(for: error)
        case let error as ExportFileError: self = Self.words(for: error)
        case let error as BundleError: self = Self.words(for: error)
        case let error as TransportError: self = Self.words(for: error)
        case let error as ReportImportError:
            self.init(.badFile, "the report was refused: \(error)", hint: "see `gloss import --help` for the formats taken")
        case let error where Self.isStorage(error):
            // SQLite's own (a full disk, a locked or damaged file), kept in its words.
            self.init(.storage, String(describing: error),
                      hint: "nothing was half-written; run the command again, and check the disk and the file if it persists")
        case let error as CocoaError where error.code.rawValue >= 256 && error.code.rawValue < 1024:
            // A file the command was given or writes (Foundation's file errors).
            self.init(.storage, error.localizedDescription, hint: "check the path and its permissions")
        default:
            self.init(.unexpected, "unexpected failure: \(String(describing: error))",
                      hint: "this is a bug in gloss: please report it with the command you ran; your replica is safe (each change is one transaction)")
        }
    }

    static func words(for error: ActionError) -> CLIFailure {
        switch error {
        case .nothingToAnnotate:
            .usage("nothing to annotate", hint: "give --quote TEXT to highlight, or --comment TEXT for a note on the whole report")
        case .emptyReply:
            CLIFailure(.invalidArgument, "the reply is empty; nothing was sent")
        case .nothingToEdit:
            .usage("nothing to change", hint: "give --comment, --confidence/--likelihood or --quote, or set EDITOR to write the comment in your editor")
        case let .editedEmpty(id):
            CLIFailure(.invalidArgument, "the comment was saved empty; nothing was changed",
                       hint: "to clear it, run `gloss edit \(id.short) --comment ''`")
        case let .notCarried(id):
            CLIFailure(.notFound, "note \(id.short) is not carried to a later version of its report",
                       hint: "link the versions first (gloss import NEW --revises OLD); to move a note within its report: gloss edit \(id.short) --quote \"…\"")
        case let .noProposal(id, report):
            CLIFailure(.notFound, "there is no proposal for note \(id.short): its text is gone from \(report.short)",
                       hint: "place it yourself: gloss retarget \(id.short) --quote \"…\"")
        case let .noConflict(id):
            CLIFailure(.invalidArgument, "annotation \(id.short) has no conflict", hint: "see `gloss conflicts`")
        case let .noSuchVersion(_, version, versions):
            .usage("--keep \(version) is not a version (there are \(versions))")
        }
    }

    static func words(for error: ReplicaError) -> CLIFailure {
        let message = error.description
        switch error {
        case let .notInitialized(home):
            return CLIFailure(.notInitialized, message, hint: "run `gloss --home \(home) init --user NAME` first, or set GLOSS_HOME")
        case .alreadyInitialized:
            return CLIFailure(.alreadyInitialized, message, hint: "use another --home, or keep working with this one")
        case let .cannotOpen(path, _):
            return CLIFailure(.storage, message, hint: "check that the file is a Gloss replica and is not corrupted (`sqlite3 \(path) 'PRAGMA integrity_check'`)")
        case .reportNotFound:
            return CLIFailure(.notFound, message, hint: "see `gloss reports` for the ids here, or import it with `gloss import FILE`")
        case .annotationNotFound:
            return CLIFailure(.notFound, message, hint: "see `gloss list` for the ids here")
        case .annotationDeleted:
            return CLIFailure(.notFound, message, hint: "replies to it stay readable in `gloss show`")
        case let .noMatch(kind, _):
            return CLIFailure(.notFound, message, hint: kind == .report ? "see `gloss reports`" : kind == .operation ? "see `gloss ops quarantine`" : "see `gloss list`")
        case .ambiguous:
            return CLIFailure(.ambiguous, message, hint: "type more of the id")
        case .malformedID:
            return .usage(message, hint: "ids are hex, like 3f9a1c2b; any unique prefix works")
        case let .notAuthor(id, _, _):
            return CLIFailure(.forbidden, message, hint: "reply to it instead: `gloss reply \(id.short) --comment \"...\"`")
        case .invalidTag:
            return .usage(message, hint: "tags are single words such as supply-chain or rare-earths")
        case .tooManyTags:
            return .usage(message, hint: "add more later with `gloss tag`")
        case .bodyTooLarge:
            return .usage(message, hint: "split it into a note and replies")
        case .invalidName(.user, _, _):
            return .usage(message, hint: "use the name your server admin created for you, e.g. alice or j.doe")
        case .invalidName(.workspace, _, _):
            return .usage(message, hint: "use the workspace's name as the server admin created it, e.g. intel")
        case .otherWorkspace:
            return .usage(message, hint: "use a new --home for another workspace (gloss init)")
        case .selfRevision:
            return .usage(message, hint: "name the earlier version with --revises")
        case .notARevision:
            return CLIFailure(.notFound, message,
                              hint: "`gloss revisions` lists the revision links standing here; link versions with gloss import NEW --revises OLD")
        case .reportAltered(_, _, .server):
            return CLIFailure(.remote, message, hint: "the server holds an altered copy; tell its admin")
        case .reportAltered:
            return CLIFailure(.badFile, message, hint: "the file was altered; export it again")
        case .backupExists:
            return .usage(message, hint: "choose a new file name for the backup")
        case let .notApplicable(id, _):
            return .usage(message, hint: "nothing was recorded; `gloss show \(id.short)` shows the note and the thread it is in")
        case let .readOnly(user, workspace, _):
            return CLIFailure(.forbidden, message,
                              hint: "nothing was recorded; ask an admin of '\(workspace)' to make \(user) a member, then `gloss sync` picks up the new role")
        case let .refusedAnnotation(id, _):
            return CLIFailure(.notFound, message,
                              hint: "`gloss show \(id.short)` shows it and why; `gloss delete \(id.short)` drops it; `gloss sync --retry-refused` offers it again once the cause is fixed")
        case let .deviceKey(path, _):
            return CLIFailure(.storage, message,
                              hint: "the key must be a file only you can read: `chmod 600 \(path)`; if it is lost or damaged, move it away and gloss makes a new one (ask your admin to bind it)")
        case .otherRoot:
            return CLIFailure(.forbidden, message,
                              hint: "check the key with your workspace's admin; a root is pinned once, and a file cannot change it")
        case .noWorkspace:
            return CLIFailure(.notFound, message, hint: "start a replica in the workspace: gloss init --user NAME --workspace W")
        }
    }

    /// The server's refusal or silence, for the person at the CLI: the server's own hints
    /// speak to any HTTP client, so a refused token gets the `gloss` command that mends it,
    /// naming this replica's `server` and `workspace` when the caller knows them.
    static func words(for error: TransportError, server: String? = nil, workspace: WorkspaceName? = nil) -> CLIFailure {
        switch error.reply {
        case .tokenRefused:
            let command = "gloss remote add \(server ?? "URL") --workspace \(workspace?.rawValue ?? "W") < new-token.txt"
            return CLIFailure(.forbidden, "the server did not accept your token: \(error.message)",
                              hint: "ask the server's admin for a new token, then run `\(command)` (your work is kept here meanwhile)")
        case .forbidden:
            return CLIFailure(.forbidden, error.message,
                              hint: error.hint ?? "ask the workspace's admin to add you again; your work is kept here meanwhile")
        case .rateLimited:
            return CLIFailure(.remote, error.message,
                              hint: "the server's push quota is used up for now; run `gloss sync` again in a minute (your work is safe locally)")
        case .unreachable:
            // Not reached: where to look is this command's to say.
            return CLIFailure(.remote, error.message,
                              hint: (error.hint ?? "check the server is running and its URL") + " (`gloss status` shows the URL)")
        default:
            return CLIFailure(.remote, error.message, hint: error.hint)
        }
    }

    /// An operations file refused (named, when the message does not go beside its name).
    static func words(for error: BundleError, file: String? = nil) -> CLIFailure {
        let message = file.map { "\($0): \(error)" } ?? error.description
        return switch error {
        case .notABundle: CLIFailure(.badFile, message, hint: "make one with `gloss ops export -o FILE`")
        case .otherVersion: CLIFailure(.badFile, message, hint: "update gloss on this machine")
        case .damaged: CLIFailure(.badFile, message, hint: "export it again")
        }
    }

    static func words(for error: AnchorError) -> CLIFailure {
        switch error {
        case .quoteNotFound:
            CLIFailure(.quoteNotFound, error.description,
                       hint: "copy the text exactly as `gloss show REPORT` prints it (quotes are case- and punctuation-sensitive)")
        case .quoteAmbiguous:
            CLIFailure(.quoteAmbiguous, error.description, hint: "add --occurrence N to choose one")
        case let .occurrenceOutOfRange(_, count):
            .usage("--" + error.description, hint: "use a number from 1 to \(count)")
        case let .outsideText(_, _, length):
            .usage(error.description, hint: "use 0 <= start < end <= \(length)")
        }
    }

    static func words(for error: ExportFileError) -> CLIFailure {
        switch error {
        case .notJSON:
            CLIFailure(.badFile, error.description, hint: "export one with `gloss export --format json`")
        case .otherFormat:
            CLIFailure(.badFile, error.description, hint: "export one with `gloss export --format json`; W3C, CSV and other exports cannot be imported")
        case .otherVersion:
            CLIFailure(.badFile, error.description, hint: "update gloss, or export again with the version that reads it")
        case .damaged:
            CLIFailure(.badFile, error.description, hint: "export it again with `gloss export --format json`")
        case .reportAltered:
            CLIFailure(.badFile, error.description, hint: "the file was edited or damaged; export it again")
        }
    }
}
