import Foundation
import WhatsAgentCLI

exit(await CommandLineMain.run(Array(CommandLine.arguments.dropFirst())))
