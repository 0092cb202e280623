import Foundation
import PackagePlugin

/// Embeds `Reader/Page/*` of the target it is applied to (`gloss`) as `PageFiles.swift`: the
/// reader page ships inside the program, with no folder of assets to install beside it.
@main
struct EmbedPage: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let page = target.directoryURL.appending(path: "Reader/Page")
        let files = try FileManager.default.contentsOfDirectory(at: page, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "PageFiles.swift")
        return [.buildCommand(displayName: "Embedding the reader page (\(files.count) files)",
                              executable: try context.tool(named: "gloss-embed-page").url,
                              arguments: [output.path] + files.map(\.path),
                              inputFiles: files, outputFiles: [output])]
    }
}
