import Foundation
import WhatsAgentCLI

let arguments = Array(CommandLine.arguments.dropFirst())
// `whatsagent mcp` becomes the lean companion before anything else starts, when it is installed beside this binary.
MCPCompanion.execIfPresent(arguments)
exit(await CommandLineMain.run(arguments))
