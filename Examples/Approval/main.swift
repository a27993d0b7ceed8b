import Foundation
import Orchestra

let status = await ApprovalCommand.run(
    Array(CommandLine.arguments.dropFirst()),
    in: URL(filePath: FileManager.default.currentDirectoryPath, directoryHint: .isDirectory),
    output: .standardOutput, errors: .standardError)
exit(status)
