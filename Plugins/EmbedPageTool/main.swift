import Foundation

// gloss-embed-page OUTPUT FILE…: writes OUTPUT, a Swift source declaring `PageFiles.all`, each
// FILE's name and its bytes in base64 (one string literal per file, which compiles at once
// where an array of byte literals would not).
let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: gloss-embed-page OUTPUT FILE…\n".utf8))
    exit(64)
}
var source = """
    // Written by the EmbedPage plugin from Client/Reader/Page: edit those files, not this one.
    import Foundation

    enum PageFiles {
        /// Each file of the reader page by name, base64.
        static let all: [String: String] = [

    """
for path in arguments.dropFirst() {
    let url = URL(fileURLWithPath: path)
    let data = try Data(contentsOf: url)
    source += "        \"\(url.lastPathComponent)\": \"\(data.base64EncodedString())\",\n"
}
source += "    ]\n}\n"
try Data(source.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
