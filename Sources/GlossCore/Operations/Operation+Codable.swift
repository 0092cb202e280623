/// The wire form of an operation: one flat JSON object with a `kind`.
///
/// ```json
/// {"id":"3f9a1c2b7d4e8a10-17","hlc":{"wall":1764384000000,"logical":0},"author":"alice",
///  "workspace":"intel","annotation":"9c1e…","private":false,"kind":"tag","tag":"supply-chain"}
/// ```
extension Operation: Codable {
    private enum Key: String, CodingKey {
        case id, hlc, author, workspace, annotation
        case isPrivate = "private"
        case kind, create, body, seen, target, judgment, status, tag, observed
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        id = try c.decode(OperationID.self, forKey: .id)
        hlc = try c.decode(HLC.self, forKey: .hlc)
        author = try c.decode(UserName.self, forKey: .author)
        workspace = try c.decode(WorkspaceName.self, forKey: .workspace)
        annotation = try c.decode(AnnotationID.self, forKey: .annotation)
        isPrivate = try c.decode(Bool.self, forKey: .isPrivate)
        let kind = try c.decode(String.self, forKey: .kind)
        switch kind {
        case "create": change = .create(try c.decode(Creation.self, forKey: .create))
        case "edit": change = .editBody(text: try c.decode(String.self, forKey: .body),
                                        seen: try c.decode([OperationID].self, forKey: .seen))
        case "retarget": change = .retarget(try c.decode(Target.self, forKey: .target))
        case "judge": change = .judge(try c.decode(Judgment.self, forKey: .judgment))
        case "status": change = .setStatus(try c.decode(Status.self, forKey: .status))
        case "tag": change = .addTag(try c.decode(String.self, forKey: .tag))
        case "untag": change = .removeTag(try c.decode(String.self, forKey: .tag),
                                          observed: try c.decode([OperationID].self, forKey: .observed))
        case "delete": change = .delete
        default:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown operation kind '\(kind)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(id, forKey: .id)
        try c.encode(hlc, forKey: .hlc)
        try c.encode(author, forKey: .author)
        try c.encode(workspace, forKey: .workspace)
        try c.encode(annotation, forKey: .annotation)
        try c.encode(isPrivate, forKey: .isPrivate)
        try c.encode(change.kind, forKey: .kind)
        switch change {
        case let .create(creation): try c.encode(creation, forKey: .create)
        case let .editBody(text, seen):
            try c.encode(text, forKey: .body)
            try c.encode(seen, forKey: .seen)
        case let .retarget(target): try c.encode(target, forKey: .target)
        case let .judge(judgment): try c.encode(judgment, forKey: .judgment)
        case let .setStatus(status): try c.encode(status, forKey: .status)
        case let .addTag(tag): try c.encode(tag, forKey: .tag)
        case let .removeTag(tag, observed):
            try c.encode(tag, forKey: .tag)
            try c.encode(observed, forKey: .observed)
        case .delete: break
        }
    }
}
