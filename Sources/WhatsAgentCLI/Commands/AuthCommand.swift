import ArgumentParser
import Foundation
import WhatsAgentAPI
import WhatsAgentClient

/// `whatsagent auth …`: the web login, from the owner's terminal (SPEC §11).
struct AuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
        abstract: "Manage the web login.",
        subcommands: [ResetPassword.self]
    )

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Forget the web password, sign out every browser and print a fresh setup link.",
            discussion: """
                Works only over the owner's Unix socket, and is refused inside an agent session \
                (WHATSAGENT_SESSION_TOKEN set). Open the printed link to choose a new password.
                """
        )
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let result = try await self.global.client.resetWebPassword()
            if self.global.json { return try Output.json(result) }
            print("the web password was reset and every browser signed out; set a new one here (one-time link):")
            print(result.setupURL)
        }
    }
}
