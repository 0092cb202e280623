/// The private-note rule, in one place: a private annotation, and every operation on it, are
/// its author's alone. Nobody else's replica holds them, the server gives them to no one else
/// and takes none from anyone else, and the merge ignores anyone else's changes to it.
///
/// Used by the merge (`AnnotationState+View`), push admission (`PushPolicy`), the server's pull
/// (`SQLiteSyncStore`) and a replica taking operations from a file (`Replica+Apply`).
public enum Privacy {
    /// Whether `user` may hold, receive or change what `author` made, private or not.
    public static func allows(_ user: UserName, _ author: UserName, isPrivate: Bool) -> Bool {
        !isPrivate || user == author
    }
}
